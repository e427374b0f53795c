/**
 * Token import, all or nothing: the whole file is read and every row checked (format, serial, secret,
 * counter and step ranges, duplicates within the file and against the tokens that exist) before a single
 * token is returned. Any error means no tokens, and every bad row is named with its line and field.
 */
import { TOKEN_TYPE_LABELS, type TokenType } from '../domain/enums.js';
import { readCsv, significantFields } from './csv-rows.js';
import { parseDuoCsv } from './duo-csv.js';
import {
  IMPORT_FORMATS,
  type FormatParseResult,
  type ImportFormat,
  type ImportedToken,
  type ImportRowError,
  type ParsedRow,
} from './imported-token.js';
import { parseOathCsv } from './oath-csv.js';
import { looksLikeXml, parsePskc, type PskcOptions } from './pskc.js';
import { isTraditionalRow, isYubicoFormatRow, parseYubicoCsv } from './yubico-csv.js';

export interface ParseTokenFileOptions {
  /** The file's format; detected from its content when absent. */
  format?: ImportFormat;
  /**
   * Duo-style CSV: the type of every row (the rows do not say it). Other formats: every token must be of
   * this type; `h8` also gives the code length of the Yubico format's HOTP rows, and `d1` receives
   * 6-digit HOTP tokens as vendor-provisioned ones.
   */
  type?: TokenType;
  /** Serials already in use: importing one again is an error. */
  existingSerials?: Iterable<string>;
  /** What unlocks an encrypted PSKC file. */
  pskc?: PskcOptions;
}

export type ParseTokenFileResult =
  | { format: ImportFormat; tokens: ImportedToken[] }
  | { format: ImportFormat | null; errors: ImportRowError[] };

export type DetectedFormat = { format: ImportFormat; type?: TokenType } | { error: ImportRowError };

const FORMAT_HINT = `give the format (${IMPORT_FORMATS.join(', ')})`;
const DUO_TYPES = 'h6, h8, t6, t8 or yk';

function looksLikeDuoYubikeyRow(fields: readonly string[]): boolean {
  return fields.length === 3 && /^[0-9a-f]{12}$/i.test(fields[1] ?? '') && /^[0-9a-f]{32}$/i.test(fields[2] ?? '');
}

/**
 * The format of a token file, from its first row (or its first character, for XML). A Duo-style list of
 * HOTP/TOTP rows does not say its type, so without `type` it is an error; YubiKey rows are recognised.
 */
export function detectFormat(text: string, type?: TokenType): DetectedFormat {
  if (looksLikeXml(text)) return { format: 'pskc' };
  const read = readCsv(text);
  if ('error' in read) return read;
  const first = read.records[0];
  if (first === undefined) return { error: { line: 1, field: 'file', reason: 'the file has no tokens' } };
  const fields = significantFields(first.fields);
  if (isTraditionalRow(first.fields) || isYubicoFormatRow(first.fields)) return { format: 'yubico-csv' };
  if (fields.length >= 3 && /^(hotp|totp)$/i.test(fields[2] ?? '')) return { format: 'oath-csv' };
  if (fields.length === 2 || fields.length === 3) {
    if (type !== undefined) return { format: 'duo-csv', type };
    if (looksLikeDuoYubikeyRow(fields)) return { format: 'duo-csv', type: 'yk' };
    return {
      error: {
        line: first.line,
        field: 'type',
        reason:
          'this looks like a Duo-style token list, whose rows do not say the token type; ' +
          `give the type (${DUO_TYPES})`,
      },
    };
  }
  return { error: { line: first.line, field: 'file', reason: `cannot tell the format of this file; ${FORMAT_HINT}` } };
}

function parseAs(
  text: string,
  format: ImportFormat,
  type: TokenType | undefined,
  opts: ParseTokenFileOptions,
): FormatParseResult {
  switch (format) {
    case 'duo-csv':
      return parseDuoCsv(text, type!);
    case 'oath-csv':
      return parseOathCsv(text);
    case 'yubico-csv':
      return parseYubicoCsv(text, { hotpDigits: type === 'h8' ? 8 : 6 });
    case 'pskc':
      return parsePskc(text, opts.pskc ?? {});
  }
}

/** The row with the requested type applied: d1 relabels 6-digit HOTP tokens, any other type must match. */
function applyType(row: ParsedRow, type: TokenType): ParsedRow | ImportRowError {
  const actual = row.token.type;
  if (type === 'd1') {
    if (actual === 'h6') return { ...row, token: { ...row.token, type: 'd1' } };
    const label = `${actual} (${TOKEN_TYPE_LABELS[actual]})`;
    const reason = `only 6-digit HOTP tokens can be received as d1; this one is ${label}`;
    return { line: row.line, field: 'type', reason };
  }
  if (actual === type) return row;
  const reason = `the token is ${actual} (${TOKEN_TYPE_LABELS[actual]}), not ${type} as asked`;
  return { line: row.line, field: 'type', reason };
}

function duplicateErrors(rows: readonly ParsedRow[], existing: ReadonlySet<string>): ImportRowError[] {
  const errors: ImportRowError[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, token } of rows) {
    const earlier = firstLine.get(token.serial);
    if (earlier !== undefined) {
      const reason = `serial ${token.serial} appears twice in the file (first on line ${earlier})`;
      errors.push({ line, field: 'serial', reason });
      continue;
    }
    firstLine.set(token.serial, line);
    if (existing.has(token.serial)) {
      errors.push({ line, field: 'serial', reason: `a token with serial ${token.serial} already exists` });
    }
  }
  return errors;
}

function byLine(a: ImportRowError, b: ImportRowError): number {
  return a.line - b.line;
}

/**
 * Reads and validates a whole token file. Either every token, or every error (sorted by line) and no
 * token at all.
 */
export function parseTokenFile(text: string, opts: ParseTokenFileOptions = {}): ParseTokenFileResult {
  let format = opts.format ?? null;
  let type = opts.type;
  if (format === null || (format === 'duo-csv' && type === undefined)) {
    const detected = detectFormat(text, type);
    if ('error' in detected) return { format, errors: [detected.error] };
    if (format !== null && detected.format !== format) {
      const reason = `a Duo-style token list needs the token type (${DUO_TYPES})`;
      return { format, errors: [{ line: 1, field: 'type', reason }] };
    }
    format = detected.format;
    type = detected.type ?? type;
  }
  const parsed = parseAs(text, format, type, opts);
  const errors = [...parsed.errors];
  let rows = parsed.rows;
  if (type !== undefined && format !== 'duo-csv') {
    const typed = rows.map((row) => applyType(row, type));
    rows = typed.filter((r): r is ParsedRow => 'token' in r);
    errors.push(...typed.filter((r): r is ImportRowError => !('token' in r)));
  }
  errors.push(...duplicateErrors(rows, new Set(opts.existingSerials ?? [])));
  if (errors.length > 0) return { format, errors: errors.sort(byLine) };
  if (rows.length === 0) {
    return { format, errors: [{ line: 1, field: 'file', reason: 'the file has no tokens to import' }] };
  }
  return { format, tokens: rows.map((r) => r.token) };
}

/** A token as a dry run shows it: everything but the secrets (seed, private id, AES key). */
export interface ImportPreviewRow {
  serial: string;
  type: TokenType;
  totp_step: number;
  counter: number;
  digits: number | null;
  algorithm: string | null;
  public_id: string | null;
}

export interface ImportSummary {
  total: number;
  /** Tokens per type code, only the types present. */
  byType: Partial<Record<TokenType, number>>;
  /** The first rows, without secrets. */
  preview: ImportPreviewRow[];
}

/** Counts by type and the first `previewRows` tokens without their secrets, for a dry run. */
export function summarizeImport(tokens: readonly ImportedToken[], previewRows = 10): ImportSummary {
  const byType: Partial<Record<TokenType, number>> = {};
  for (const t of tokens) byType[t.type] = (byType[t.type] ?? 0) + 1;
  // Fields are picked one by one, never spread, so a secret added to ImportedToken later cannot leak here.
  const preview = tokens.slice(0, previewRows).map((t) => ({
    serial: t.serial,
    type: t.type,
    totp_step: t.totp_step,
    counter: t.counter,
    digits: t.digits,
    algorithm: t.algorithm,
    public_id: t.public_id,
  }));
  return { total: tokens.length, byType, preview };
}

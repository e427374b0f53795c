/**
 * Duo-style token CSV, pasted per token type as in the reference panel's import dialog:
 *   h6, h8 (and d1): serial, secret[, counter]      (counter defaults to 0)
 *   t6, t8:          serial, secret[, step]         (step defaults to 30)
 *   yk:              serial or public id, private id, AES key
 * The rows do not say their type, so the caller must.
 */
import { TOKEN_TYPE_LABELS, type TokenType } from '../domain/enums.js';
import type { OtpDigits } from '../otp/options.js';
import { isModhex } from '../otp/yubico.js';
import { readCsv, significantFields, type CsvRecord } from './csv-rows.js';
import { parseCounter, parseSerial, parseStep } from './fields.js';
import {
  oathToken,
  parseField,
  yubikeyToken,
  type FormatParseResult,
  type ImportRowError,
  type ParsedRow,
} from './imported-token.js';
import { parseFixedHex, parseOtpSecret } from './secret.js';

const LAYOUTS: Record<TokenType, string> = {
  h6: 'serial,secret[,counter]',
  h8: 'serial,secret[,counter]',
  d1: 'serial,secret[,counter]',
  t6: 'serial,secret[,step]',
  t8: 'serial,secret[,step]',
  yk: 'serial or public id,private id,AES key',
};

/** The column layout of one type, as error messages and help show it. */
export function duoCsvLayout(type: TokenType): string {
  return LAYOUTS[type];
}

function parseOathRow(record: CsvRecord, type: TokenType, errors: ImportRowError[]): ParsedRow | null {
  const { line } = record;
  const [serialText = '', secretText = '', third] = record.fields;
  const serial = parseField(errors, line, 'serial', () => parseSerial(serialText));
  const secretHex = parseField(errors, line, 'secret', () => parseOtpSecret(secretText));
  const totp = type === 't6' || type === 't8';
  const counter = totp ? 0 : parseField(errors, line, 'counter', () => parseCounter(third));
  const step = totp ? parseField(errors, line, 'step', () => parseStep(third)) : 0;
  if (serial === undefined || secretHex === undefined || counter === undefined || step === undefined) return null;
  const digits: OtpDigits = type === 'h8' || type === 't8' ? 8 : 6;
  return { line, token: oathToken({ serial, type, secretHex, digits, algorithm: 'sha1', counter, step }) };
}

function parseYubikeyRow(record: CsvRecord, errors: ImportRowError[]): ParsedRow | null {
  const { line } = record;
  const [idText = '', privateText = '', keyText = ''] = record.fields;
  const serial = parseField(errors, line, 'serial', () => parseSerial(idText));
  const privateId = parseField(errors, line, 'private_id', () => parseFixedHex(privateText, 6, 'private id'));
  const aesKey = parseField(errors, line, 'aes_key', () => parseFixedHex(keyText, 16, 'AES key'));
  if (serial === undefined || privateId === undefined || aesKey === undefined) return null;
  // Duo's first column takes either: a modhex value is the key's public id, and then also its serial.
  const publicId = isModhex(serial) ? serial : null;
  return { line, token: yubikeyToken({ serial, privateId, aesKey, publicId }) };
}

/** The tokens of a Duo-style CSV of one type, with an error for each bad row. */
export function parseDuoCsv(text: string, type: TokenType): FormatParseResult {
  const read = readCsv(text);
  if ('error' in read) return { rows: [], errors: [read.error] };
  const rows: ParsedRow[] = [];
  const errors: ImportRowError[] = [];
  const maxColumns = 3;
  const minColumns = type === 'yk' ? 3 : 2;
  for (const record of read.records) {
    const columns = significantFields(record.fields).length;
    if (columns < minColumns || columns > maxColumns) {
      const found = `${columns} column${columns === 1 ? '' : 's'}`;
      const expected = `${duoCsvLayout(type)} for ${type} (${TOKEN_TYPE_LABELS[type]})`;
      errors.push({ line: record.line, field: 'row', reason: `expected ${expected}; found ${found}` });
      continue;
    }
    const row = type === 'yk' ? parseYubikeyRow(record, errors) : parseOathRow(record, type, errors);
    if (row !== null) rows.push(row);
  }
  return { rows, errors };
}

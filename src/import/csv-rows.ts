/**
 * Reads a token CSV into records with their line numbers (csv-parse does the quoting). Blank lines and
 * whole-line `#` comments are skipped; so is a header row, recognised by a first cell starting `serial`.
 */
import { parse } from 'csv-parse/sync';
import type { ImportRowError } from './imported-token.js';

export interface CsvRecord {
  /** The 1-based line the record ends on (its only line, for the one-line records of token files). */
  line: number;
  /** Cells, trimmed. */
  fields: string[];
}

export type CsvReadResult = { records: CsvRecord[] } | { error: ImportRowError };

interface CsvParseError {
  code?: string;
  lines?: number;
}

// csv-parse's own messages can quote a character of the row, which may be part of a seed: say it ourselves.
const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted cell is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside a cell is not doubled',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text follows a closing quote',
};

function isHeader(fields: readonly string[]): boolean {
  const first = (fields[0] ?? '').toLowerCase().replace(/^#\s*/, '');
  return first.startsWith('serial') || first === 'public id' || first === 'public_id';
}

/** The records of a CSV text, or the one error that stops it being read at all. */
export function readCsv(text: string): CsvReadResult {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // One line ending throughout: csv-parse miscounts lines when a file mixes \n and \r\n.
    parsed = parse(text.replace(/\r\n?/g, '\n'), {
      info: true,
      bom: true,
      trim: true,
      relax_column_count: true,
      skip_empty_lines: true,
      comment: '#',
      comment_no_infix: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as CsvParseError;
    const why = CSV_ERRORS[err.code ?? ''] ?? `the CSV is malformed (${err.code ?? 'unknown error'})`;
    return { error: { line: err.lines ?? 1, field: 'file', reason: `the CSV cannot be read: ${why}` } };
  }
  const records = parsed
    .map(({ record, info }) => ({ line: info.lines, fields: record }))
    // A row of empty cells (",,,") carries nothing; a trailing empty cell is the Yubico format's habit.
    .filter((r) => r.fields.some((f) => f !== ''));
  if (records.length > 0 && isHeader(records[0]!.fields)) records.shift();
  return { records };
}

/** The cells up to the last non-empty one: trailing commas do not count as columns. */
export function significantFields(fields: readonly string[]): string[] {
  let end = fields.length;
  while (end > 0 && fields[end - 1] === '') end--;
  return fields.slice(0, end);
}

/**
 * CSV reports: a header row of column keys, then one record per row, quoted per RFC 4180 (fields with a
 * comma, a double quote, CR or LF are quoted and inner quotes doubled). Records end with LF, not CRLF:
 * the CLI writes reports to pipes and terminals, and every spreadsheet reads LF.
 *
 * Formula injection: a spreadsheet runs a cell that starts with = + - @ (and some treat a leading tab or
 * CR the same way), so a username like `=HYPERLINK(...)` could run in an administrator's spreadsheet.
 * Such cells get a leading apostrophe, which spreadsheets show as text. Cells starting with + or - are
 * left alone when they are plain numbers (`+15551234567`, `-3`, `+1 555 0100`), because phone numbers
 * start with + and a guard would corrupt every one of them; a number cannot carry a formula.
 */
import { stringify } from 'csv-stringify/sync';
import type { EntityName, RowTypes } from '../rpc/contract.js';
import { reportColumns } from './columns.js';

const ALWAYS_GUARDED = /^[=@\t\r]/;
const SIGNED = /^[+-]/;
const SIGNED_NUMBER = /^[+-]\d+(?:[ .]\d+)*$/;

/** The cell as a spreadsheet will not evaluate it: prefixed with an apostrophe when it could start a formula. */
export function guardCell(cell: string): string {
  if (ALWAYS_GUARDED.test(cell) || (SIGNED.test(cell) && !SIGNED_NUMBER.test(cell))) return `'${cell}`;
  return cell;
}

/** A CSV report of `rows` with the entity's report columns, header first. */
export function toCsv<E extends EntityName>(entity: E, rows: readonly RowTypes[E][]): string {
  const columns = reportColumns(entity);
  const records: string[][] = [columns.map((c) => c.key)];
  for (const row of rows) records.push(columns.map((c) => guardCell(c.text(row))));
  return stringify(records);
}

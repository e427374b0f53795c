/**
 * Rendering rows for the terminal and for scripts: an aligned table (columns sized to their content, shrunk to the
 * terminal width when there is one), CSV with a header row, or JSON.
 */
import { stringify } from 'csv-stringify/sync';
import type { OutputFormat } from './context.js';

export interface TableOptions {
  /** Width to fit the table into; cells are cut with `…`. Default: the terminal's width when stdout is a TTY. */
  maxWidth?: number;
  /** Columns to align right (numbers), by index. */
  alignRight?: readonly number[];
}

const GAP = '  ';
const ELLIPSIS = '…';
/** A column is never cut below this many characters. */
const MIN_COLUMN = 6;

/** The width to fit tables into: the terminal's, or none when stdout is a file or a pipe. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number | undefined {
  return stream.isTTY && stream.columns ? stream.columns : undefined;
}

/** Renders an aligned table (no trailing newline): a header line, then one line per row. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const maxWidth = 'maxWidth' in options ? options.maxWidth : terminalWidth();
  const cells = [headers, ...rows].map((row) => headers.map((_, i) => sanitize(row[i] ?? '')));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => width(row[i] ?? ''))));
  if (maxWidth !== undefined) shrink(widths, maxWidth);
  const right = new Set(options.alignRight ?? []);
  return cells
    .map((row) =>
      row
        .map((cell, i) => {
          const w = widths[i] ?? 0;
          const text = truncate(cell, w);
          return right.has(i) ? text.padStart(w) : text.padEnd(w);
        })
        .join(GAP)
        .trimEnd(),
    )
    .join('\n');
}

/** Renders rows as CSV with a header line (RFC 4180 quoting), ending with a newline. */
export function formatCsv(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([headers as string[], ...(rows as string[][])]);
}

/** Renders a value as indented JSON, ending with a newline. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** Renders rows in the chosen format; `json` is what JSON output holds (default: one object per row by header). */
export function formatRows(
  format: OutputFormat,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  json?: unknown,
  options?: TableOptions,
): string {
  switch (format) {
    case 'csv':
      return formatCsv(headers, rows);
    case 'json':
      return formatJson(json ?? rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? '']))));
    default:
      return formatTable(headers, rows, options) + '\n';
  }
}

/**
 * Renders one record: `key: value` lines for people, a one-row CSV, or the JSON object. `fields` are the lines for
 * people and CSV (label, text); `json` the machine-readable value.
 */
export function formatRecord(format: OutputFormat, fields: readonly (readonly [string, string])[], json: unknown): string {
  switch (format) {
    case 'csv':
      return formatCsv(
        fields.map(([k]) => k),
        [fields.map(([, v]) => v)],
      );
    case 'json':
      return formatJson(json);
    default: {
      const w = Math.max(0, ...fields.map(([k]) => width(k) + 1));
      return fields.map(([k, v]) => `${(k + ':').padEnd(w)} ${sanitize(v)}`.trimEnd()).join('\n') + '\n';
    }
  }
}

/** Renders any cell value as text: empty for null, yes/no for booleans, comma-joined arrays. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Control characters in data (a device named with an escape sequence) must not reach the terminal. */
function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** Display width in code points (wide East Asian characters count as one; good enough for aligned ASCII data). */
function width(text: string): number {
  return [...text].length;
}

function truncate(text: string, w: number): string {
  const chars = [...text];
  if (chars.length <= w) return text;
  if (w <= 0) return '';
  return chars.slice(0, w - 1).join('') + ELLIPSIS;
}

/** Narrows the widest columns one character at a time until the table fits (or no column can give more). */
function shrink(widths: number[], maxWidth: number): void {
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP.length * Math.max(0, widths.length - 1);
  const floors = widths.map((w) => Math.min(w, MIN_COLUMN));
  while (total() > maxWidth) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if ((widths[i] ?? 0) > (floors[i] ?? 0) && (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0))) widest = i;
    }
    if (widest < 0) return;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
}

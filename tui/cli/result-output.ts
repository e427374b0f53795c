/** How the CLI prints the result of a command: a sentence or small table for people, JSON or CSV for scripts. */
import { stringify } from 'csv-stringify/sync';
import type { CliContext } from './context.js';

export interface ResultView {
  /** What a person reads (table format). */
  human: () => string;
  /** Rows for --format csv: a header row and data rows. Defaults to the JSON value's scalar fields. */
  csv?: () => { headers: string[]; rows: string[][] };
}

/** The scalar fields of an object as one CSV row. */
function flatRow(value: unknown): { headers: string[]; rows: string[][] } {
  const entries = Object.entries((value ?? {}) as Record<string, unknown>).filter(
    ([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v) || Array.isArray(v),
  );
  return {
    headers: entries.map(([k]) => k),
    rows: [entries.map(([, v]) => (Array.isArray(v) ? v.join(';') : String(v ?? '')))],
  };
}

/** Prints a command's result in the chosen format. */
export function printResult(ctx: CliContext, value: unknown, view: ResultView): void {
  switch (ctx.format()) {
    case 'json':
      ctx.out(JSON.stringify(value, null, 2) + '\n');
      return;
    case 'csv': {
      const { headers, rows } = (view.csv ?? (() => flatRow(value)))();
      ctx.out(stringify([headers, ...rows]));
      return;
    }
    default:
      ctx.out(view.human().replace(/\n?$/, '\n'));
  }
}

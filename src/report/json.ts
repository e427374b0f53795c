/** JSON reports: a pretty-printed array of objects with exactly the entity's report columns, typed values. */
import type { EntityName, RowTypes } from '../rpc/contract.js';
import { reportColumns, type JsonValue } from './columns.js';

/** The report objects of `rows`: only the allowlisted columns, in column order. */
export function toReportObjects<E extends EntityName>(entity: E, rows: readonly RowTypes[E][]): Record<string, JsonValue>[] {
  const columns = reportColumns(entity);
  return rows.map((row) => {
    const out: Record<string, JsonValue> = {};
    for (const column of columns) out[column.key] = column.value(row);
    return out;
  });
}

/** A JSON report of `rows`: an array of objects, two-space indented, ending with a newline. */
export function toJson<E extends EntityName>(entity: E, rows: readonly RowTypes[E][]): string {
  return `${JSON.stringify(toReportObjects(entity, rows), null, 2)}\n`;
}

/** Mapping between PostgreSQL rows and the backend-neutral stored documents and secrets. */
import type { JsonValue } from '../store.js';
import type { PlannedWrite } from '../push-plan.js';
import type { StoredDocument } from '../stored-document.js';

/** A hub_documents row as pg returns it: bigint arrives as a string, jsonb already parsed. */
export interface DocumentRow {
  id: string;
  seq: string;
  deleted: boolean;
  body: Record<string, unknown>;
}

/** A stored document from its row. */
export function fromDocumentRow(row: DocumentRow): StoredDocument {
  // Seqs stay far below 2^53 (one per write), so a JS number holds them exactly.
  return { id: row.id, seq: Number(row.seq), deleted: row.deleted, body: row.body };
}

/** The writes of a push as the one jsonb parameter of the batch upsert (read with jsonb_to_recordset). */
export function toWritesParam(writes: readonly PlannedWrite[]): string {
  return JSON.stringify(
    writes.map(({ collection, doc }) => ({ collection, id: doc.id, seq: doc.seq, deleted: doc.deleted, body: doc.body })),
  );
}

/** A secret as the jsonb parameter (always stringified: pg would turn a JS array into a PostgreSQL array). */
export function toSecretParam(value: JsonValue): string {
  return JSON.stringify(value);
}

/** A secret from its jsonb column (pg has parsed it). */
export function fromSecretColumn(value: unknown): JsonValue {
  return value as JsonValue;
}

/** Mapping between SQLite rows and the backend-neutral stored documents and secrets. */
import type { JsonValue } from '../store.js';
import type { StoredDocument } from '../stored-document.js';

/** A hub_documents row as better-sqlite3 returns it. */
export interface DocumentRow {
  id: string;
  seq: number;
  deleted: number;
  body: string;
}

/** A stored document from its row. */
export function fromDocumentRow(row: DocumentRow): StoredDocument {
  return { id: row.id, seq: row.seq, deleted: row.deleted !== 0, body: JSON.parse(row.body) as Record<string, unknown> };
}

/** The column values of a stored document, in the order of the upsert statement after account and collection. */
export function toDocumentParams(doc: StoredDocument): [string, number, number, string] {
  return [doc.id, doc.seq, doc.deleted ? 1 : 0, JSON.stringify(doc.body)];
}

/** A secret's column value. */
export function toSecretColumn(value: JsonValue): string {
  return JSON.stringify(value);
}

/** A secret from its column value. */
export function fromSecretColumn(value: string): JsonValue {
  return JSON.parse(value) as JsonValue;
}

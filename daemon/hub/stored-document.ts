/**
 * A document as both backends keep it (id, seq, tombstone flag, JSON body) and the pure rules around it:
 * what of a pushed document is stored, how a stored row becomes a pulled document, and when an assumed
 * master state equals the real one.
 */
import { HUB_REVISION_FIELD, type DocumentBody, type HubDocument, type JsonValue } from './store.js';
import { StoreError } from './store-error.js';

/** One row of the documents table, backend-neutral. */
export interface StoredDocument {
  readonly id: string;
  /** The account-wide commit number of the document's last write: its hub revision. */
  readonly seq: number;
  readonly deleted: boolean;
  /** The document fields, without `_deleted`, `_rev`, `_meta`, `_attachments` or `_hubRev`. */
  readonly body: DocumentBody;
}

/** The pulled (RxDB) shape of a stored row. */
export function toHubDocument(stored: StoredDocument): HubDocument {
  return { ...stored.body, _deleted: stored.deleted, [HUB_REVISION_FIELD]: stored.seq } as HubDocument;
}

/**
 * Throws INVALID_ARGUMENT unless `value` is plain JSON without NUL characters in its strings (PostgreSQL's
 * jsonb and text refuse NUL, so SQLite refuses it too and both backends behave alike).
 */
export function assertJson(value: unknown, what: string, depth = 0): asserts value is JsonValue {
  if (depth > 64) throw new StoreError('INVALID_ARGUMENT', `${what} is nested too deeply.`);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new StoreError('INVALID_ARGUMENT', `${what} contains a number JSON cannot hold.`);
    return;
  }
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new StoreError('INVALID_ARGUMENT', `${what} contains a NUL character.`);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) assertJson(item, what, depth + 1);
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\0')) throw new StoreError('INVALID_ARGUMENT', `${what} has a field name with a NUL character.`);
      if (item !== undefined) assertJson(item, what, depth + 1);
    }
    return;
  }
  throw new StoreError('INVALID_ARGUMENT', `${what} is not plain JSON.`);
}

/**
 * The stored body of a pushed state: every field except the `_`-prefixed ones (RxDB's `_deleted`, `_rev`,
 * `_meta`, `_attachments`, and our `_hubRev`), which RxDB schemas cannot declare anyway.
 */
export function bodyOf(state: DocumentBody): DocumentBody {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) {
    if (!key.startsWith('_') && value !== undefined) body[key] = value;
  }
  assertJson(body, 'A document');
  return body;
}

/** JSON with object keys sorted at every level: equal documents give equal strings whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True when a pushed state says the same as a stored one: same tombstone flag and same fields. */
export function sameContent(state: DocumentBody, stored: StoredDocument): boolean {
  return (state['_deleted'] === true) === stored.deleted && canonicalJson(bodyOf(state)) === canonicalJson(stored.body);
}

/**
 * True when the pusher's assumed master state is the current master: by hub revision when it carries one
 * (exact, and cheap), else by content ignoring RxDB's fields (a replica that does not keep `_hubRev`).
 */
export function sameMasterState(assumed: DocumentBody, master: StoredDocument): boolean {
  const revision = assumed[HUB_REVISION_FIELD];
  if (typeof revision === 'number') return revision === master.seq;
  return sameContent(assumed, master);
}

/**
 * The hub store: the team's source of truth for replicated documents, plus server-only secrets.
 *
 * One small interface, one folder per backend (store-sqlite/, store-postgres/), one contract suite that both
 * pass (test/contract/hub-store.contract.ts). `openStore(url)` picks the backend from the URL's scheme.
 *
 * Model: every write to an account gets the next number of that account's sequence (`seq`), and a pull
 * returns what was committed after a checkpoint `{seq}`. A document's current `seq` doubles as its hub
 * revision (`_hubRev`), which a pusher may send back in its assumed master state for compare-and-swap.
 * Checkpoints never skip a commit: each backend serializes the commits of one account and assigns the seq
 * under that serialization, so a larger seq is never visible before a smaller one (see each backend).
 */
import type { AuditEvent } from '../../src/domain/schemas.js';
import { StoreError } from './store-error.js';

export { StoreError, isStoreError, type StoreErrorCode } from './store-error.js';

/** Any JSON value: what documents and secrets are made of. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A document as the hub stores it, without RxDB's bookkeeping fields. */
export type DocumentBody = Record<string, unknown>;

/** The name of the hub revision field on pulled documents and conflicts (a number: the document's seq). */
export const HUB_REVISION_FIELD = '_hubRev';

/** A document as pull and push conflicts return it: RxDB's shape (fields + `_deleted`) plus its hub revision. */
export type HubDocument = DocumentBody & { _deleted: boolean; _hubRev: number };

/** A pull position: everything committed with a larger seq comes next. */
export interface HubCheckpoint {
  readonly seq: number;
}

/** One page of a pull. */
export interface PullResult {
  /** In commit order; a document changed several times since the checkpoint appears once, as it is now. */
  readonly documents: HubDocument[];
  /** The seq of the last document returned, or the given checkpoint (`{seq: 0}` for none) when empty. */
  readonly checkpoint: HubCheckpoint;
}

/** One row of a push, as RxDB's replication sends it. */
export interface PushRow {
  /** The master state the pusher last saw; absent for a document it believes new. */
  readonly assumedMasterState?: DocumentBody | null | undefined;
  /** The state to write (`_deleted: true` deletes, leaving a tombstone that pulls deliver). */
  readonly newDocumentState: DocumentBody;
}

/** The outcome of a push: the real master state of every row that was not written. */
export interface PushResult {
  readonly conflicts: HubDocument[];
}

/** A written row, as handed to {@link PushMeta.audit}. */
export interface AcceptedChange {
  readonly collection: string;
  readonly id: string;
  /** The master state before the write; undefined for an insert. */
  readonly before: HubDocument | undefined;
  readonly after: HubDocument;
}

/** What an audit event says about one accepted change; the store fills in id, time, administrator and entity id. */
export interface AuditDraft {
  readonly action: string;
  readonly summary: string;
  /** Defaults to the collection name. */
  readonly entity?: string;
}

/** Who pushes, and how accepted rows are audited. */
export interface PushMeta {
  readonly adminId: string;
  readonly adminName: string;
  /** Commit time, epoch milliseconds (the hub's clock): the time of the audit events. */
  readonly time: number;
  /**
   * When given, called for each written row inside the push's transaction: the returned event is stored in
   * the same commit (so an acknowledged change always has its audit record); null records nothing.
   */
  readonly audit?: (change: AcceptedChange) => AuditDraft | null;
}

/** Told after a commit. `resync`: notifications may have been missed (the listen connection was lost). */
export type CommitEvent =
  | { readonly kind: 'commit'; readonly account: string; readonly collections: readonly string[]; readonly seq: number }
  | { readonly kind: 'resync' };

export type CommitListener = (event: CommitEvent) => void;

/** The collection audit events live in: replicated read-only to daemons like any other collection. */
export const AUDIT_COLLECTION = 'audit';

/**
 * The primitives every backend implements. Accounts separate teams sharing one database; collections are
 * those of src/domain/schemas.ts (COLLECTIONS), each document identified by its schema's primary key.
 * Every method may throw {@link StoreError}.
 */
export interface HubStore {
  /** Which backend this is. */
  readonly backend: 'sqlite' | 'postgres';

  /** Documents of `collection` committed after `checkpoint` (null: from the start), in commit order, at most `limit`. */
  pull(account: string, collection: string, checkpoint: HubCheckpoint | null, limit: number): Promise<PullResult>;

  /**
   * The current master states (tombstones included) of those of `ids` that exist, in no particular order: what
   * the hub checks a push against before writing it, and what it returns with a refused change.
   */
  get(account: string, collection: string, ids: readonly string[]): Promise<HubDocument[]>;

  /**
   * Compare-and-swap per row, all rows in one transaction: a row is written when its assumed state equals the
   * current master (same `_hubRev`, or same content ignoring `_`-prefixed fields), or when the document does
   * not exist; otherwise the current master is returned as a conflict. A row equal to the master is accepted
   * without a new commit. Written rows get the next seqs in row order.
   */
  push(account: string, collection: string, rows: readonly PushRow[], meta: PushMeta): Promise<PushResult>;

  /** Stores a server-only secret (token seed, AES key, activation secret, credential); replaces an existing one. */
  putSecret(account: string, kind: string, id: string, value: JsonValue): Promise<void>;
  /** A stored secret, or undefined. Secrets are never part of a pulled document. */
  getSecret(account: string, kind: string, id: string): Promise<JsonValue | undefined>;
  /** Deletes a secret; true when there was one. */
  deleteSecret(account: string, kind: string, id: string): Promise<boolean>;

  /** Records an audit event (a document of the `audit` collection); appending the same event again is a no-op. */
  appendAudit(account: string, event: AuditEvent): Promise<void>;
  /** Audit events with `time >= since` (all when undefined), in commit order, at most `limit`. */
  listAudit(account: string, since?: number, limit?: number): Promise<AuditEvent[]>;

  /**
   * Calls `listener` after every commit to any account (also commits of other store instances on the same
   * database: in-process for SQLite, over LISTEN/NOTIFY for PostgreSQL). Returns the unsubscribe function.
   */
  onCommit(listener: CommitListener): () => void;

  /** Closes the connections; later calls throw StoreError CLOSED. */
  close(): Promise<void>;
}

/** Where a store lives, parsed from its URL. */
export type StoreLocation =
  | { readonly backend: 'sqlite'; readonly file: string }
  | { readonly backend: 'postgres'; readonly url: string };

/**
 * Parses a store URL: `sqlite:/path`, `sqlite:///path`, `sqlite:relative/path`, `sqlite::memory:` or a bare
 * path → SQLite; `postgres://…` or `postgresql://…` → PostgreSQL; any other scheme is refused.
 */
export function parseStoreUrl(url: string): StoreLocation {
  const trimmed = url.trim();
  if (trimmed === '') throw new StoreError('UNSUPPORTED_URL', 'The hub database URL is empty.');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === undefined) return { backend: 'sqlite', file: trimmed };
  if (scheme === 'postgres' || scheme === 'postgresql') return { backend: 'postgres', url: trimmed };
  if (scheme === 'sqlite') {
    let file = trimmed.slice('sqlite:'.length);
    // sqlite:///abs/path is the URL form of /abs/path; sqlite://host/... has no meaning for a local file.
    if (file.startsWith('//')) file = file.slice(2);
    if (file === '') throw new StoreError('UNSUPPORTED_URL', 'The sqlite: URL names no file.');
    return { backend: 'sqlite', file };
  }
  throw new StoreError(
    'UNSUPPORTED_URL',
    `Unsupported hub database URL scheme "${scheme}:": use sqlite:/path/to/hub.sqlite (or a plain path) or postgres://user@host:port/database.`,
  );
}

/** Opens (creating and migrating when needed) the store a URL names. */
export async function openStore(url: string): Promise<HubStore> {
  const location = parseStoreUrl(url);
  // Backends load lazily so that a SQLite hub never loads the PostgreSQL driver, and the reverse.
  if (location.backend === 'sqlite') {
    const { openSqliteStore } = await import('./store-sqlite/sqlite-store.js');
    return openSqliteStore(location.file);
  }
  const { openPostgresStore } = await import('./store-postgres/postgres-store.js');
  return openPostgresStore(location.url);
}

/** Every current document of a collection (tombstones included), paging through pulls: for tools and tests. */
export async function pullAll(
  store: HubStore,
  account: string,
  collection: string,
  pageSize = 500,
): Promise<{ documents: HubDocument[]; checkpoint: HubCheckpoint }> {
  const documents: HubDocument[] = [];
  let checkpoint: HubCheckpoint | null = null;
  for (;;) {
    const page: PullResult = await store.pull(account, collection, checkpoint, pageSize);
    documents.push(...page.documents);
    checkpoint = page.checkpoint;
    if (page.documents.length < pageSize) return { documents, checkpoint };
  }
}

/**
 * The SQLite hub store (better-sqlite3): the zero-setup default, one file under the hub's data directory.
 *
 * Checkpoints never skip a commit because every write transaction is BEGIN IMMEDIATE: SQLite lets one
 * writer at a time hold the file's write lock, across connections and processes, and the seq is read from
 * and written to the account's counter row inside that transaction. Commits are therefore serialized in
 * seq order, and a reader's snapshot holds either all of a commit or none of it.
 *
 * Commit notifications are in-process: every store instance of this process on the same file hears every
 * commit. Several hub processes on one SQLite file would not hear each other; scale-out uses PostgreSQL.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEvent } from '../../../src/domain/schemas.js';
import { CommitListeners } from '../commit-listeners.js';
import { checkMeta, planPush, pushIds, type PushPlan } from '../push-plan.js';
import {
  AUDIT_COLLECTION,
  type CommitEvent,
  type CommitListener,
  type HubCheckpoint,
  type HubDocument,
  type HubStore,
  type JsonValue,
  type PullResult,
  type PushMeta,
  type PushResult,
  type PushRow,
} from '../store.js';
import { StoreError } from '../store-error.js';
import { checkIds, checkLimit, checkName, checkpointSeq, checkSecretKey, checkSince, primaryKeyOf } from '../store-input.js';
import { assertJson, toHubDocument, type StoredDocument } from '../stored-document.js';
import { mapSqliteError } from './errors.js';
import { migrate } from './migrations.js';
import { fromDocumentRow, fromSecretColumn, toDocumentParams, toSecretColumn, type DocumentRow } from './rows.js';

const BUSY_TIMEOUT_MS = 5000;
/** appendAudit writes with no audit of its own. */
const AUDIT_APPEND_META: PushMeta = { adminId: '', adminName: '', time: 0 };

/** The listener sets of every open instance, by database file, so instances on one file hear each other. */
const instancesByFile = new Map<string, Set<CommitListeners>>();

function isMemory(file: string): boolean {
  return file === ':memory:' || file === '';
}

/** Creates the file (owner-only: it holds secrets) and its directory when missing. */
function prepareFile(file: string): string {
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  // mkdir says EEXIST when the path is a file: name the real problem instead.
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
    throw new StoreError('UNAVAILABLE', `Cannot open the hub database: ${dir} is not a directory.`);
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(resolved, 'a', 0o600));
  // SQLite gives the -wal and -shm files the main file's permissions.
  return fs.realpathSync(resolved);
}

/** Opens a SQLite hub store on `file` (created and migrated when needed; `:memory:` for a private one). */
export async function openSqliteStore(file: string): Promise<HubStore> {
  let db: Database.Database | undefined;
  try {
    const resolved = isMemory(file) ? ':memory:' : prepareFile(file);
    db = new Database(resolved);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    // FULL: an acknowledged push survives a power cut, not only a crash of the hub process.
    db.pragma('synchronous = FULL');
    migrate(db);
    return new SqliteHubStore(db, resolved);
  } catch (error) {
    db?.close();
    throw mapSqliteError(error);
  }
}

/** The prepared statements of one connection. */
function prepareStatements(db: Database.Database) {
  return {
    lastSeq: db.prepare<[string], { seq: number }>('SELECT seq FROM hub_accounts WHERE account = ?'),
    setSeq: db.prepare<[string, number]>(
      'INSERT INTO hub_accounts (account, seq) VALUES (?, ?) ON CONFLICT (account) DO UPDATE SET seq = excluded.seq',
    ),
    getDocument: db.prepare<[string, string, string], DocumentRow>(
      'SELECT id, seq, deleted, body FROM hub_documents WHERE account = ? AND collection = ? AND id = ?',
    ),
    putDocument: db.prepare<[string, string, string, number, number, string]>(
      `INSERT INTO hub_documents (account, collection, id, seq, deleted, body) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account, collection, id) DO UPDATE
       SET seq = excluded.seq, deleted = excluded.deleted, body = excluded.body`,
    ),
    pull: db.prepare<[string, string, number, number], DocumentRow>(
      `SELECT id, seq, deleted, body FROM hub_documents
       WHERE account = ? AND collection = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    listAudit: db.prepare<[string, string, number, number], DocumentRow>(
      `SELECT id, seq, deleted, body FROM hub_documents
       WHERE account = ? AND collection = ? AND deleted = 0 AND json_extract(body, '$.time') >= ?
       ORDER BY seq LIMIT ?`,
    ),
    getSecret: db.prepare<[string, string, string], { value: string }>(
      'SELECT value FROM hub_secrets WHERE account = ? AND kind = ? AND id = ?',
    ),
    putSecret: db.prepare<[string, string, string, string]>(
      `INSERT INTO hub_secrets (account, kind, id, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (account, kind, id) DO UPDATE SET value = excluded.value`,
    ),
    deleteSecret: db.prepare<[string, string, string]>('DELETE FROM hub_secrets WHERE account = ? AND kind = ? AND id = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

class SqliteHubStore implements HubStore {
  readonly backend = 'sqlite' as const;
  private readonly listeners = new CommitListeners();
  private readonly peers: Set<CommitListeners>;
  private closed = false;
  private readonly statements: Statements;
  private readonly closeKey: string;

  constructor(
    private readonly db: Database.Database,
    file: string,
  ) {
    const key = file === ':memory:' ? `:memory:${Math.random()}` : file;
    this.peers = instancesByFile.get(key) ?? new Set();
    instancesByFile.set(key, this.peers);
    this.peers.add(this.listeners);
    this.closeKey = key;
    this.statements = prepareStatements(db);
  }

  private run<T>(work: () => T): T {
    if (this.closed) throw new StoreError('CLOSED');
    try {
      return work();
    } catch (error) {
      throw mapSqliteError(error);
    }
  }

  async pull(account: string, collection: string, checkpoint: HubCheckpoint | null, limit: number): Promise<PullResult> {
    checkName(account, 'account');
    primaryKeyOf(collection);
    const after = checkpointSeq(checkpoint);
    checkLimit(limit);
    return this.run(() => {
      const documents = this.statements.pull.all(account, collection, after, limit).map((row) => toHubDocument(fromDocumentRow(row)));
      const last = documents.at(-1);
      return { documents, checkpoint: { seq: last ? last._hubRev : after } };
    });
  }

  async get(account: string, collection: string, ids: readonly string[]): Promise<HubDocument[]> {
    checkName(account, 'account');
    primaryKeyOf(collection);
    const wanted = checkIds(ids);
    return this.run(() =>
      this.db.transaction(() =>
        wanted.flatMap((id) => {
          const row = this.statements.getDocument.get(account, collection, id);
          return row ? [toHubDocument(fromDocumentRow(row))] : [];
        }),
      )(),
    );
  }

  /** Decides and writes a push in one IMMEDIATE transaction (the account's commits are serialized by it). */
  private commit(account: string, collection: string, rows: readonly PushRow[], meta: PushMeta): PushPlan {
    const ids = pushIds(collection, rows);
    checkMeta(meta);
    const plan = this.run(() =>
      this.db.transaction(() => {
        const lastSeq = this.statements.lastSeq.get(account)?.seq ?? 0;
        const current = new Map<string, StoredDocument>();
        for (const id of ids) {
          const row = this.statements.getDocument.get(account, collection, id);
          if (row) current.set(id, fromDocumentRow(row));
        }
        const planned = planPush({ collection, rows, current, lastSeq, meta });
        for (const { collection: target, doc } of planned.writes) {
          this.statements.putDocument.run(account, target, ...toDocumentParams(doc));
        }
        if (planned.lastSeq !== lastSeq) this.statements.setSeq.run(account, planned.lastSeq);
        return planned;
      }).immediate(),
    );
    if (plan.writes.length > 0) {
      const collections = [...new Set(plan.writes.map((w) => w.collection))];
      this.broadcast({ kind: 'commit', account, collections, seq: plan.lastSeq });
    }
    return plan;
  }

  private broadcast(event: CommitEvent): void {
    for (const listeners of this.peers) listeners.emit(event);
  }

  async push(account: string, collection: string, rows: readonly PushRow[], meta: PushMeta): Promise<PushResult> {
    checkName(account, 'account');
    primaryKeyOf(collection);
    return { conflicts: this.commit(account, collection, rows, meta).conflicts };
  }

  async putSecret(account: string, kind: string, id: string, value: JsonValue): Promise<void> {
    checkSecretKey(account, kind, id);
    assertJson(value, 'A secret');
    this.run(() => this.statements.putSecret.run(account, kind, id, toSecretColumn(value)));
  }

  async getSecret(account: string, kind: string, id: string): Promise<JsonValue | undefined> {
    checkSecretKey(account, kind, id);
    return this.run(() => {
      const row = this.statements.getSecret.get(account, kind, id);
      return row ? fromSecretColumn(row.value) : undefined;
    });
  }

  async deleteSecret(account: string, kind: string, id: string): Promise<boolean> {
    checkSecretKey(account, kind, id);
    return this.run(() => this.statements.deleteSecret.run(account, kind, id).changes > 0);
  }

  async appendAudit(account: string, event: AuditEvent): Promise<void> {
    checkName(account, 'account');
    // Appending the same event again plans no write; a different event under a taken id is a conflict.
    const plan = this.commit(account, AUDIT_COLLECTION, [{ newDocumentState: { ...event } }], AUDIT_APPEND_META);
    if (plan.conflicts.length > 0) {
      throw new StoreError('CONSTRAINT', `Another audit event already has the id ${String(event.event_id)}.`);
    }
  }

  async listAudit(account: string, since?: number, limit = 100): Promise<AuditEvent[]> {
    checkName(account, 'account');
    checkLimit(limit);
    const from = checkSince(since);
    return this.run(() =>
      this.statements.listAudit
        .all(account, AUDIT_COLLECTION, from, limit)
        .map((row) => fromDocumentRow(row).body as unknown as AuditEvent),
    );
  }

  onCommit(listener: CommitListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.peers.delete(this.listeners);
    if (this.peers.size === 0) instancesByFile.delete(this.closeKey);
    this.db.close();
  }
}

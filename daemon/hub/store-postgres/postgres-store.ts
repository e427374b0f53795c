/**
 * The PostgreSQL hub store (`pg`): several hub processes on one database, commits fanned out with
 * LISTEN/NOTIFY.
 *
 * Why checkpoints never skip a commit. A sequence (or any counter) taken inside a transaction does not
 * become visible when it is taken but when the transaction commits, so with two concurrent writers seq 8
 * can be visible while seq 7 is still in flight; a puller that has read 8 would move its checkpoint past 7
 * and never see it. Here every transaction that writes to an account first locks that account's counter
 * row (`SELECT … FOR UPDATE` on hub_accounts, created on first use) and assigns its seqs from that row, so
 * the commits of one account are serialized: the next writer gets the lock, and reads the counter, only
 * after the previous writer has committed and is visible to every new snapshot. Seq order is therefore
 * commit order, and a pull (one statement, one snapshot) sees a prefix of it. The row lock does what the
 * usual `pg_advisory_xact_lock(hash(account))` would, without hash collisions serializing unrelated
 * accounts, and it also makes the compare-and-swap read of the current masters race-free. Other accounts
 * and pulls never wait for it. The cost, one writer per account at a time, is what the hub's CAS needs anyway.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AuditEvent } from '../../../src/domain/schemas.js';
import { CommitListeners } from '../commit-listeners.js';
import { checkMeta, planPush, pushIds, type PushPlan } from '../push-plan.js';
import {
  AUDIT_COLLECTION,
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
import { COMMIT_CHANNEL, CommitChannel, commitPayload } from './commit-channel.js';
import { mapPostgresError } from './errors.js';
import { migrate } from './migrations.js';
import { fromDocumentRow, fromSecretColumn, toSecretParam, toWritesParam, type DocumentRow } from './rows.js';

const POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 10_000;
/** A push waiting longer than this for its account's lock fails as BUSY instead of hanging. */
const LOCK_TIMEOUT = '30s';
/** appendAudit writes with no audit of its own. */
const AUDIT_APPEND_META: PushMeta = { adminId: '', adminName: '', time: 0 };

/** Opens a PostgreSQL hub store (migrating the database when needed) and starts listening for commits. */
export async function openPostgresStore(url: string): Promise<HubStore> {
  const config: pg.ClientConfig = {
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'factordesk-hub',
  };
  const pool = new pg.Pool({ ...config, max: POOL_SIZE });
  // An idle client's connection error must not crash the process; the next query gets a fresh client.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migrate(client);
    } finally {
      client.release();
    }
    const store = new PostgresHubStore(pool);
    await store.listen(config);
    return store;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw mapPostgresError(error);
  }
}

class PostgresHubStore implements HubStore {
  readonly backend = 'postgres' as const;
  private readonly listeners = new CommitListeners();
  private readonly instanceId = randomUUID();
  private channel: CommitChannel | undefined;
  private closed = false;

  constructor(private readonly pool: pg.Pool) {}

  /** Starts the LISTEN connection (part of opening the store). */
  async listen(config: pg.ClientConfig): Promise<void> {
    this.channel = await CommitChannel.open(config, this.instanceId, (event) => this.listeners.emit(event));
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    if (this.closed) throw new StoreError('CLOSED');
    try {
      return (await this.pool.query<R>(text, values)).rows;
    } catch (error) {
      throw mapPostgresError(error);
    }
  }

  /** Runs `work` in a transaction on one pooled connection; a connection that failed to roll back is discarded. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('CLOSED');
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw mapPostgresError(error);
    }
    let discard = false;
    try {
      await client.query(`BEGIN; SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        discard = true;
      });
      throw mapPostgresError(error);
    } finally {
      client.release(discard);
    }
  }

  async pull(account: string, collection: string, checkpoint: HubCheckpoint | null, limit: number): Promise<PullResult> {
    checkName(account, 'account');
    primaryKeyOf(collection);
    const after = checkpointSeq(checkpoint);
    checkLimit(limit);
    const rows = await this.query<DocumentRow>(
      `SELECT id, seq, deleted, body FROM hub_documents
       WHERE account = $1 AND collection = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
      [account, collection, after, limit],
    );
    const documents = rows.map((row) => toHubDocument(fromDocumentRow(row)));
    const last = documents.at(-1);
    return { documents, checkpoint: { seq: last ? last._hubRev : after } };
  }

  async get(account: string, collection: string, ids: readonly string[]): Promise<HubDocument[]> {
    checkName(account, 'account');
    primaryKeyOf(collection);
    const wanted = checkIds(ids);
    if (wanted.length === 0) return [];
    const rows = await this.query<DocumentRow>(
      'SELECT id, seq, deleted, body FROM hub_documents WHERE account = $1 AND collection = $2 AND id = ANY($3::text[])',
      [account, collection, wanted],
    );
    return rows.map((row) => toHubDocument(fromDocumentRow(row)));
  }

  /** Decides and writes a push in one transaction, holding the account's counter row lock (see the top). */
  private async commit(account: string, collection: string, rows: readonly PushRow[], meta: PushMeta): Promise<PushPlan> {
    const ids = pushIds(collection, rows);
    checkMeta(meta);
    const plan = await this.transaction(async (client) => {
      await client.query('INSERT INTO hub_accounts (account, seq) VALUES ($1, 0) ON CONFLICT (account) DO NOTHING', [account]);
      const locked = await client.query<{ seq: string }>('SELECT seq FROM hub_accounts WHERE account = $1 FOR UPDATE', [account]);
      const lastSeq = Number(locked.rows[0]?.seq ?? 0);
      const found = await client.query<DocumentRow>(
        'SELECT id, seq, deleted, body FROM hub_documents WHERE account = $1 AND collection = $2 AND id = ANY($3::text[])',
        [account, collection, ids],
      );
      const current = new Map<string, StoredDocument>(found.rows.map((row) => [row.id, fromDocumentRow(row)]));
      const planned = planPush({ collection, rows, current, lastSeq, meta });
      if (planned.writes.length === 0) return planned;
      await client.query(
        `INSERT INTO hub_documents (account, collection, id, seq, deleted, body)
         SELECT $1, r.collection, r.id, r.seq, r.deleted, r.body
         FROM jsonb_to_recordset($2::jsonb) AS r(collection text, id text, seq bigint, deleted boolean, body jsonb)
         ON CONFLICT (account, collection, id) DO UPDATE
         SET seq = excluded.seq, deleted = excluded.deleted, body = excluded.body`,
        [account, toWritesParam(planned.writes)],
      );
      await client.query('UPDATE hub_accounts SET seq = $2 WHERE account = $1', [account, planned.lastSeq]);
      const collections = [...new Set(planned.writes.map((w) => w.collection))];
      // Inside the transaction: PostgreSQL delivers it at commit, and never for a rolled-back push.
      await client.query('SELECT pg_notify($1, $2)', [COMMIT_CHANNEL, commitPayload(this.instanceId, account, collections, planned.lastSeq)]);
      return planned;
    });
    if (plan.writes.length > 0) {
      const collections = [...new Set(plan.writes.map((w) => w.collection))];
      // This instance's listeners hear it now; the NOTIFY echo carries our id and is ignored.
      this.listeners.emit({ kind: 'commit', account, collections, seq: plan.lastSeq });
    }
    return plan;
  }

  async push(account: string, collection: string, rows: readonly PushRow[], meta: PushMeta): Promise<PushResult> {
    checkName(account, 'account');
    primaryKeyOf(collection);
    return { conflicts: (await this.commit(account, collection, rows, meta)).conflicts };
  }

  async putSecret(account: string, kind: string, id: string, value: JsonValue): Promise<void> {
    checkSecretKey(account, kind, id);
    assertJson(value, 'A secret');
    await this.query(
      `INSERT INTO hub_secrets (account, kind, id, value) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (account, kind, id) DO UPDATE SET value = excluded.value`,
      [account, kind, id, toSecretParam(value)],
    );
  }

  async getSecret(account: string, kind: string, id: string): Promise<JsonValue | undefined> {
    checkSecretKey(account, kind, id);
    const rows = await this.query<{ value: unknown }>(
      'SELECT value FROM hub_secrets WHERE account = $1 AND kind = $2 AND id = $3',
      [account, kind, id],
    );
    return rows[0] ? fromSecretColumn(rows[0].value) : undefined;
  }

  async deleteSecret(account: string, kind: string, id: string): Promise<boolean> {
    checkSecretKey(account, kind, id);
    const rows = await this.query<{ id: string }>(
      'DELETE FROM hub_secrets WHERE account = $1 AND kind = $2 AND id = $3 RETURNING id',
      [account, kind, id],
    );
    return rows.length > 0;
  }

  async appendAudit(account: string, event: AuditEvent): Promise<void> {
    checkName(account, 'account');
    // Appending the same event again plans no write; a different event under a taken id is a conflict.
    const plan = await this.commit(account, AUDIT_COLLECTION, [{ newDocumentState: { ...event } }], AUDIT_APPEND_META);
    if (plan.conflicts.length > 0) {
      throw new StoreError('CONSTRAINT', `Another audit event already has the id ${String(event.event_id)}.`);
    }
  }

  async listAudit(account: string, since?: number, limit = 100): Promise<AuditEvent[]> {
    checkName(account, 'account');
    checkLimit(limit);
    const from = checkSince(since);
    const rows = await this.query<DocumentRow>(
      `SELECT id, seq, deleted, body FROM hub_documents
       WHERE account = $1 AND collection = $2 AND NOT deleted AND (body->>'time')::double precision >= $3
       ORDER BY seq LIMIT $4`,
      [account, AUDIT_COLLECTION, from, limit],
    );
    return rows.map((row) => fromDocumentRow(row).body as unknown as AuditEvent);
  }

  onCommit(listener: CommitListener): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await this.channel?.close();
    await this.pool.end().catch(() => undefined);
  }
}

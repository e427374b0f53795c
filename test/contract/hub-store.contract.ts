/**
 * The hub store contract: one suite that every backend runs (test/daemon/hub/store-<backend>.test.ts), so
 * the backends cannot drift apart. A backend hands in a factory of fresh databases with a raw handle to
 * inspect them, one example of each driver error it must map, and a URL that cannot be reached.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Token, User } from '../../src/domain/schemas.js';
import { FactordeskError } from '../../src/errors.js';
import {
  openStore,
  pullAll,
  StoreError,
  type CommitEvent,
  type DocumentBody,
  type HubDocument,
  type HubStore,
  type PushMeta,
} from '../../daemon/hub/store.js';
import { DRIVER_ERROR_CODES, type DriverErrorCode, type StoreErrorCode } from '../../daemon/hub/store-error.js';

/** A database made for the suite, with direct access that does not go through the store. */
export interface TestDatabase {
  /** What openStore takes. */
  readonly url: string;
  /** Records a layout version in the database, as a newer hub would have. */
  setSchemaVersion(version: number): Promise<void>;
  /** Every document body stored, as text (to prove that secrets never land among documents). */
  documentsText(): Promise<string>;
  /** Deletes the database. */
  drop(): Promise<void>;
}

/** What a backend gives the suite. */
export interface HubStoreBackend {
  readonly name: string;
  /** A new, empty database. */
  createDatabase(): Promise<TestDatabase>;
  /** A URL of this backend's scheme where no database can be reached. */
  unreachableUrl(): Promise<string>;
  /** The backend's driver-error mapping. */
  mapDriverError(error: unknown): FactordeskError;
  /** One error, as the driver raises it, for each code every backend must map. */
  readonly driverErrors: Readonly<Record<DriverErrorCode, unknown>>;
}

const META: PushMeta = { adminId: 'DEOWNER00000000000001', adminName: 'Olive Owner', time: 1_760_000_000_000 };

function user(id: string, extra: Partial<User> = {}): User {
  return {
    user_id: id, username: id, realname: `Real ${id}`, email: `${id}@example.com`, status: 'active',
    phone_order: [], created: 1, updated: 1, ...extra,
  };
}

function token(id: string, serial: string): Token {
  return { token_id: id, serial, type: 'h6', totp_step: 0, users: [], admins: [], origin: 'third-party', created: 1, updated: 1 };
}

function auditEvent(id: string, time: number, summary = 'changed'): AuditEvent {
  return {
    event_id: id, time, admin_id: 'DE1', admin_name: 'Ann', action: 'update', entity: 'users', entity_id: 'DU1', summary,
  };
}

/** A new RxDB-shaped state: the fields plus `_deleted`. */
const state = (doc: object, deleted = false): DocumentBody => ({ ...doc, _deleted: deleted });

async function expectStoreError(promise: Promise<unknown>, code: StoreErrorCode): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected StoreError ${code}`).toBeInstanceOf(StoreError);
  expect((error as StoreError).storeCode).toBe(code);
  return error as StoreError;
}

/** Resolves when `predicate` holds, polling; fails after `ms` (a deadline for delivery, not a timing claim). */
async function eventually(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Registers the contract suite for one backend. */
export function hubStoreContract(backend: HubStoreBackend): void {
  describe(`hub store contract: ${backend.name}`, () => {
    let db: TestDatabase;
    let store: HubStore;
    /** A second instance on the same database: another hub process. */
    let peer: HubStore;
    const extraDatabases: TestDatabase[] = [];
    const account = () => `acct-${randomUUID()}`;

    beforeAll(async () => {
      db = await backend.createDatabase();
      store = await openStore(db.url);
      peer = await openStore(db.url);
    });

    afterAll(async () => {
      await store?.close();
      await peer?.close();
      await db?.drop();
      for (const extra of extraDatabases) await extra.drop();
    });

    async function freshDatabase(): Promise<TestDatabase> {
      const fresh = await backend.createDatabase();
      extraDatabases.push(fresh);
      return fresh;
    }

    describe('pull', () => {
      it('returns nothing and the start checkpoint for an empty collection', async () => {
        const a = account();
        expect(await store.pull(a, 'users', null, 10)).toEqual({ documents: [], checkpoint: { seq: 0 } });
        expect(await store.pull(a, 'users', { seq: 42 }, 10)).toEqual({ documents: [], checkpoint: { seq: 42 } });
      });

      it('returns committed documents in commit order with _deleted and a rising hub revision', async () => {
        const a = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU3')) }], META);
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }, { newDocumentState: state(user('DU2')) }], META);
        const page = await store.pull(a, 'users', null, 10);
        expect(page.documents.map((d) => d['user_id'])).toEqual(['DU3', 'DU1', 'DU2']);
        expect(page.documents[0]).toEqual({ ...user('DU3'), _deleted: false, _hubRev: page.documents[0]?._hubRev });
        const revs = page.documents.map((d) => d._hubRev);
        expect(revs).toEqual([...revs].sort((x, y) => x - y));
        expect(new Set(revs).size).toBe(3);
        expect(page.checkpoint).toEqual({ seq: revs[2] });
        expect((await store.pull(a, 'users', page.checkpoint, 10)).documents).toEqual([]);
      });

      it('pages by limit and checkpoint without losing or repeating a document', async () => {
        const a = account();
        const ids = range(7).map((i) => `DU${i}`);
        for (const id of ids) await store.push(a, 'users', [{ newDocumentState: state(user(id)) }], META);
        const seen: string[] = [];
        let checkpoint = null;
        for (let i = 0; i < 5; i++) {
          const page: Awaited<ReturnType<HubStore['pull']>> = await store.pull(a, 'users', checkpoint, 3);
          seen.push(...page.documents.map((d) => String(d['user_id'])));
          checkpoint = page.checkpoint;
        }
        expect(seen).toEqual(ids);
        expect((await pullAll(store, a, 'users', 2)).documents.map((d) => d['user_id'])).toEqual(ids);
      });

      it('delivers an updated document once more, at its new place, as it is now', async () => {
        const a = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }, { newDocumentState: state(user('DU2')) }], META);
        const first = await store.pull(a, 'users', null, 10);
        const du1 = first.documents[0] as HubDocument;
        await store.push(a, 'users', [{ assumedMasterState: du1, newDocumentState: state(user('DU1', { realname: 'Renamed' })) }], META);
        await store.push(a, 'users', [{ assumedMasterState: first.documents[1], newDocumentState: state(user('DU2', { email: 'x@y' })) }], META);
        const next = await store.pull(a, 'users', first.checkpoint, 10);
        expect(next.documents.map((d) => [d['user_id'], d['realname'], d['email']])).toEqual([
          ['DU1', 'Renamed', 'DU1@example.com'],
          ['DU2', 'Real DU2', 'x@y'],
        ]);
        // From the start, each document appears once, as it is now.
        expect((await store.pull(a, 'users', null, 10)).documents.map((d) => d['user_id'])).toEqual(['DU1', 'DU2']);
      });

      it('numbers commits per account across collections, and keeps accounts apart', async () => {
        const a = account();
        const b = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META);
        await store.push(a, 'tokens', [{ newDocumentState: state(token('DH1', 'S1')) }], META);
        await store.push(b, 'users', [{ newDocumentState: state(user('DU1', { realname: 'Other team' })) }], META);
        const users = await store.pull(a, 'users', null, 10);
        const tokens = await store.pull(a, 'tokens', null, 10);
        expect(users.documents).toHaveLength(1);
        expect(tokens.documents.map((d) => d['token_id'])).toEqual(['DH1']);
        expect(tokens.documents[0]?._hubRev).toBeGreaterThan(users.documents[0]?._hubRev ?? Infinity);
        expect((await store.pull(b, 'users', null, 10)).documents.map((d) => d['realname'])).toEqual(['Other team']);
        expect((await store.pull(b, 'tokens', null, 10)).documents).toEqual([]);
      });
    });

    describe('get', () => {
      it('returns the current master states of the ids that exist, tombstones included', async () => {
        const a = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }, { newDocumentState: state(user('DU2')) }], META);
        const [, du2] = (await store.pull(a, 'users', null, 10)).documents;
        await store.push(a, 'users', [{ assumedMasterState: du2, newDocumentState: state(user('DU2'), true) }], META);
        const found = await peer.get(a, 'users', ['DU2', 'DU1', 'DU9', 'DU1']);
        const byId = new Map(found.map((d) => [d['user_id'], d]));
        expect([...byId.keys()].sort()).toEqual(['DU1', 'DU2']);
        expect(found).toHaveLength(2);
        expect(byId.get('DU1')).toEqual({ ...user('DU1'), _deleted: false, _hubRev: expect.any(Number) });
        expect(byId.get('DU2')?._deleted).toBe(true);
        expect(await store.get(a, 'users', [])).toEqual([]);
        expect(await store.get(a, 'tokens', ['DU1'])).toEqual([]);
      });

      it('refuses an unknown collection and malformed ids', async () => {
        await expectStoreError(store.get(account(), 'nope', ['x']), 'INVALID_ARGUMENT');
        await expectStoreError(store.get(account(), 'users', [''] ), 'INVALID_ARGUMENT');
        await expectStoreError(store.get(account(), 'users', 'DU1' as unknown as string[]), 'INVALID_ARGUMENT');
      });
    });

    describe('push (compare-and-swap)', () => {
      it('accepts an update whose assumed state carries the current hub revision', async () => {
        const a = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META);
        const [master] = (await store.pull(a, 'users', null, 10)).documents;
        const result = await store.push(a, 'users', [{ assumedMasterState: master, newDocumentState: state(user('DU1', { status: 'disabled' })) }], META);
        expect(result).toEqual({ conflicts: [] });
        expect((await pullAll(store, a, 'users')).documents[0]?.['status']).toBe('disabled');
      });

      it('accepts an assumed state equal by content, ignoring RxDB fields and key order', async () => {
        const a = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META);
        const reordered = Object.fromEntries(Object.entries(user('DU1')).reverse());
        const assumed = { ...reordered, _deleted: false, _rev: '3-abc', _meta: { lwt: 1 }, _attachments: {} };
        const result = await store.push(a, 'users', [{ assumedMasterState: assumed, newDocumentState: { ...state(user('DU1', { realname: 'New' })), _rev: '4-def', _meta: { lwt: 2 } } }], META);
        expect(result.conflicts).toEqual([]);
        const [doc] = (await pullAll(store, a, 'users')).documents;
        expect(doc?.['realname']).toBe('New');
        expect(doc).not.toHaveProperty('_rev');
        expect(doc).not.toHaveProperty('_meta');
      });

      it('returns the real master for a stale assumed state and writes nothing', async () => {
        const a = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META);
        const [v1] = (await store.pull(a, 'users', null, 10)).documents;
        await store.push(a, 'users', [{ assumedMasterState: v1, newDocumentState: state(user('DU1', { realname: 'Second' })) }], META);
        const before = await store.pull(a, 'users', null, 10);
        const result = await store.push(a, 'users', [{ assumedMasterState: v1, newDocumentState: state(user('DU1', { realname: 'Lost' })) }], META);
        expect(result.conflicts).toEqual(before.documents);
        expect(result.conflicts[0]?.['realname']).toBe('Second');
        expect(await store.pull(a, 'users', null, 10)).toEqual(before);
        // A stale content-only assumed state (no _hubRev) conflicts the same way.
        const contentOnly = await store.push(a, 'users', [{ assumedMasterState: state(user('DU1')), newDocumentState: state(user('DU1', { realname: 'Lost' })) }], META);
        expect(contentOnly.conflicts.map((d) => d['realname'])).toEqual(['Second']);
      });

      it('treats an insert of an existing id as a conflict', async () => {
        const a = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META);
        const result = await store.push(a, 'users', [{ newDocumentState: state(user('DU1', { realname: 'Dup' })) }], META);
        expect(result.conflicts.map((d) => [d['user_id'], d['realname']])).toEqual([['DU1', 'Real DU1']]);
      });

      it('accepts a row already equal to the master without a new commit (a retried push)', async () => {
        const a = account();
        const row = { newDocumentState: state(user('DU1')) };
        await store.push(a, 'users', [row], META);
        const before = await store.pull(a, 'users', null, 10);
        const events: CommitEvent[] = [];
        const off = store.onCommit((e) => events.push(e));
        expect(await store.push(a, 'users', [row], META)).toEqual({ conflicts: [] });
        off();
        expect(await store.pull(a, 'users', null, 10)).toEqual(before);
        expect(events.filter((e) => e.kind === 'commit' && e.account === a)).toEqual([]);
      });

      it('writes the accepted rows of a mixed push and reports the conflicting ones', async () => {
        const a = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META);
        const result = await store.push(a, 'users', [
          { newDocumentState: state(user('DU2')) },
          { newDocumentState: state(user('DU1', { realname: 'Clash' })) },
          { newDocumentState: state(user('DU3')) },
        ], META);
        expect(result.conflicts.map((d) => d['user_id'])).toEqual(['DU1']);
        expect((await pullAll(store, a, 'users')).documents.map((d) => d['user_id'])).toEqual(['DU1', 'DU2', 'DU3']);
      });

      it('decides two rows of one id in order, the second against the first', async () => {
        const a = account();
        const result = await store.push(a, 'users', [
          { newDocumentState: state(user('DU1', { realname: 'First' })) },
          { assumedMasterState: state(user('DU1', { realname: 'First' })), newDocumentState: state(user('DU1', { realname: 'Second' })) },
          { newDocumentState: state(user('DU1', { realname: 'Third' })) },
        ], META);
        expect(result.conflicts.map((d) => d['realname'])).toEqual(['Second']);
        const all = await pullAll(store, a, 'users');
        expect(all.documents.map((d) => d['realname'])).toEqual(['Second']);
      });

      it('lets exactly one of many racing inserts of one id win, from several connections', async () => {
        const a = account();
        const stores = [store, peer, store, peer, store, peer];
        const results = await Promise.all(stores.map((s, i) =>
          s.push(a, 'users', [{ newDocumentState: state(user('DU1', { realname: `Writer ${i}` })) }], META)));
        const winners = results.filter((r) => r.conflicts.length === 0);
        expect(winners).toHaveLength(1);
        const [master] = (await pullAll(store, a, 'users')).documents;
        for (const r of results) if (r.conflicts.length > 0) expect(r.conflicts).toEqual([master]);
      });

      it('deletes by a tombstone that pulls deliver, and revives only from the tombstone', async () => {
        const a = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META);
        const [live] = (await store.pull(a, 'users', null, 10)).documents;
        expect((await store.push(a, 'users', [{ assumedMasterState: live, newDocumentState: state(user('DU1'), true) }], META)).conflicts).toEqual([]);
        const after = await store.pull(a, 'users', { seq: live?._hubRev ?? 0 }, 10);
        expect(after.documents).toEqual([{ ...user('DU1'), _deleted: true, _hubRev: after.checkpoint.seq }]);
        const tombstone = after.documents[0];
        // An insert without an assumed state meets the tombstone as a conflict.
        const blind = await store.push(a, 'users', [{ newDocumentState: state(user('DU1', { realname: 'Back' })) }], META);
        expect(blind.conflicts).toEqual([tombstone]);
        const revive = await store.push(a, 'users', [{ assumedMasterState: tombstone, newDocumentState: state(user('DU1', { realname: 'Back' })) }], META);
        expect(revive.conflicts).toEqual([]);
        expect((await pullAll(store, a, 'users')).documents.map((d) => [d['realname'], d._deleted])).toEqual([['Back', false]]);
      });

      it('stores a document pushed already deleted (created and deleted offline)', async () => {
        const a = account();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU9'), true) }], META);
        expect((await pullAll(store, a, 'users')).documents.map((d) => d._deleted)).toEqual([true]);
      });

      it('refuses a whole push with an invalid row, writing nothing', async () => {
        const a = account();
        await expectStoreError(store.push(a, 'users', [
          { newDocumentState: state(user('DU1')) },
          { newDocumentState: state({ realname: 'no id' }) },
        ], META), 'INVALID_ARGUMENT');
        await expectStoreError(store.push(a, 'users', [{ newDocumentState: state(user('DU2', { realname: 'nul\u0000' })) }], META), 'INVALID_ARGUMENT');
        await expectStoreError(store.push(a, 'users', [{ assumedMasterState: state(user('DU3')), newDocumentState: state(user('DU4')) }], META), 'INVALID_ARGUMENT');
        expect((await store.pull(a, 'users', null, 10)).documents).toEqual([]);
      });

      it('rolls the whole push back when its audit callback fails', async () => {
        const a = account();
        const failing: PushMeta = { ...META, audit: () => { throw new Error('summary failed'); } };
        await expectStoreError(store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], failing), 'INTERNAL');
        expect((await store.pull(a, 'users', null, 10)).documents).toEqual([]);
        expect((await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META)).conflicts).toEqual([]);
      });
    });

    describe('secrets', () => {
      it('puts, replaces, gets and deletes a secret, per account, kind and id', async () => {
        const a = account();
        const b = account();
        expect(await store.getSecret(a, 'token-seed', 'DH1')).toBeUndefined();
        await store.putSecret(a, 'token-seed', 'DH1', { hex: 'aa', counter: 3 });
        await store.putSecret(a, 'token-seed', 'DH1', { hex: 'bb', counter: 4 });
        await store.putSecret(a, 'yubikey-aes', 'DH1', 'cc');
        await store.putSecret(b, 'token-seed', 'DH1', ['dd']);
        expect(await store.getSecret(a, 'token-seed', 'DH1')).toEqual({ hex: 'bb', counter: 4 });
        expect(await store.getSecret(a, 'yubikey-aes', 'DH1')).toBe('cc');
        expect(await store.getSecret(b, 'token-seed', 'DH1')).toEqual(['dd']);
        expect(await peer.getSecret(a, 'token-seed', 'DH1')).toEqual({ hex: 'bb', counter: 4 });
        expect(await store.deleteSecret(a, 'token-seed', 'DH1')).toBe(true);
        expect(await store.deleteSecret(a, 'token-seed', 'DH1')).toBe(false);
        expect(await store.getSecret(a, 'token-seed', 'DH1')).toBeUndefined();
        expect(await store.getSecret(a, 'yubikey-aes', 'DH1')).toBe('cc');
      });

      it('never puts a secret in a pulled document or among the stored documents', async () => {
        const a = account();
        const seed = `SEED-${randomUUID()}`;
        await store.putSecret(a, 'token-seed', 'DH1', { hex: seed });
        await store.push(a, 'tokens', [{ newDocumentState: state(token('DH1', 'SER-1')) }], META);
        const pulled = JSON.stringify(await Promise.all(['users', 'phones', 'tokens', 'u2f', 'admins', 'audit'].map((c) => pullAll(store, a, c))));
        expect(pulled).toContain('SER-1');
        expect(pulled).not.toContain(seed);
        expect(await db.documentsText()).not.toContain(seed);
      });

      it('refuses a secret that is not plain JSON', async () => {
        await expectStoreError(store.putSecret(account(), 'k', 'i', { when: new Date() } as never), 'INVALID_ARGUMENT');
        await expectStoreError(store.putSecret(account(), '', 'i', 'x'), 'INVALID_ARGUMENT');
      });
    });

    describe('audit', () => {
      it('appends events, lists them in commit order from a time, and pulls them as the audit collection', async () => {
        const a = account();
        await store.appendAudit(a, auditEvent('e2', 2000));
        await store.appendAudit(a, auditEvent('e1', 1000));
        await store.appendAudit(a, auditEvent('e3', 3000));
        expect((await store.listAudit(a)).map((e) => e.event_id)).toEqual(['e2', 'e1', 'e3']);
        expect((await store.listAudit(a, 2000)).map((e) => e.event_id)).toEqual(['e2', 'e3']);
        expect((await store.listAudit(a, undefined, 1)).map((e) => e.event_id)).toEqual(['e2']);
        expect(await store.listAudit(a, 1000, 10)).toEqual([auditEvent('e2', 2000), auditEvent('e1', 1000), auditEvent('e3', 3000)]);
        expect((await pullAll(store, a, 'audit')).documents.map((d) => d['event_id'])).toEqual(['e2', 'e1', 'e3']);
        expect(await store.listAudit(account())).toEqual([]);
      });

      it('appends the same event twice as once, and refuses another event under a taken id', async () => {
        const a = account();
        await store.appendAudit(a, auditEvent('e1', 1000));
        await store.appendAudit(a, auditEvent('e1', 1000));
        expect(await store.listAudit(a)).toHaveLength(1);
        await expectStoreError(store.appendAudit(a, auditEvent('e1', 1000, 'different')), 'CONSTRAINT');
      });

      it('records an audit event per written row in the push\'s commit, none for conflicts', async () => {
        const a = account();
        const meta: PushMeta = {
          ...META,
          audit: (change) => ({ action: change.before ? 'update' : 'create', summary: `${change.id} by ${META.adminName}` }),
        };
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], meta);
        const events: CommitEvent[] = [];
        const off = store.onCommit((e) => events.push(e));
        await store.push(a, 'users', [
          { newDocumentState: state(user('DU1', { realname: 'clash' })) },
          { newDocumentState: state(user('DU2')) },
        ], meta);
        off();
        const listed = await store.listAudit(a);
        expect(listed.map((e) => [e.action, e.entity, e.entity_id, e.summary, e.admin_id, e.admin_name, e.time])).toEqual([
          ['create', 'users', 'DU1', 'DU1 by Olive Owner', META.adminId, META.adminName, META.time],
          ['create', 'users', 'DU2', 'DU2 by Olive Owner', META.adminId, META.adminName, META.time],
        ]);
        expect(new Set(listed.map((e) => e.event_id)).size).toBe(2);
        expect(events).toEqual([{ kind: 'commit', account: a, collections: ['users', 'audit'], seq: expect.any(Number) }]);
        const audits = await pullAll(store, a, 'audit');
        expect(events[0]?.kind === 'commit' && events[0].seq).toBe(audits.checkpoint.seq);
      });
    });

    describe('onCommit', () => {
      it('tells listeners of each commit with its account, collections and last seq; unsubscribing stops it', async () => {
        const a = account();
        const events: CommitEvent[] = [];
        const off = store.onCommit((e) => events.push(e));
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META);
        const seq = (await store.pull(a, 'users', null, 1)).checkpoint.seq;
        expect(events.filter((e) => e.kind === 'commit' && e.account === a)).toEqual([{ kind: 'commit', account: a, collections: ['users'], seq }]);
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1', { realname: 'conflict' })) }], META);
        expect(events.filter((e) => e.kind === 'commit' && e.account === a)).toHaveLength(1);
        off();
        await store.push(a, 'users', [{ newDocumentState: state(user('DU2')) }], META);
        expect(events.filter((e) => e.kind === 'commit' && e.account === a)).toHaveLength(1);
      });

      it('a listener that throws neither fails the push nor silences the others', async () => {
        const a = account();
        const heard: string[] = [];
        const offBad = store.onCommit(() => { throw new Error('listener bug'); });
        const offGood = store.onCommit((e) => { if (e.kind === 'commit') heard.push(e.account); });
        expect((await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META)).conflicts).toEqual([]);
        offBad();
        offGood();
        expect(heard).toContain(a);
      });

      it('another store instance on the same database hears the commit', async () => {
        const a = account();
        const heard: CommitEvent[] = [];
        const off = peer.onCommit((e) => heard.push(e));
        await store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META);
        const seq = (await store.pull(a, 'users', null, 1)).checkpoint.seq;
        await eventually(() => heard.some((e) => e.kind === 'commit' && e.account === a), 'the peer to hear the commit');
        off();
        expect(heard.filter((e) => e.kind === 'commit' && e.account === a)).toEqual([{ kind: 'commit', account: a, collections: ['users'], seq }]);
      });
    });

    describe('lifecycle and errors', () => {
      it('keeps documents and secrets across close and reopen', async () => {
        const fresh = await freshDatabase();
        const a = account();
        const first = await openStore(fresh.url);
        await first.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], META);
        await first.putSecret(a, 'token-seed', 'DH1', 'abc');
        await first.close();
        const second = await openStore(fresh.url);
        try {
          expect((await pullAll(second, a, 'users')).documents.map((d) => d['user_id'])).toEqual(['DU1']);
          expect(await second.getSecret(a, 'token-seed', 'DH1')).toBe('abc');
          await second.push(a, 'users', [{ newDocumentState: state(user('DU2')) }], META);
          const revs = (await pullAll(second, a, 'users')).documents.map((d) => d._hubRev);
          expect(revs[1]).toBeGreaterThan(revs[0] ?? Infinity);
        } finally {
          await second.close();
        }
      });

      it('refuses use after close with CLOSED; closing twice is harmless', async () => {
        const closing = await openStore(db.url);
        await closing.close();
        await closing.close();
        await expectStoreError(closing.pull(account(), 'users', null, 10), 'CLOSED');
        await expectStoreError(closing.push(account(), 'users', [{ newDocumentState: state(user('DU1')) }], META), 'CLOSED');
        await expectStoreError(closing.getSecret(account(), 'k', 'i'), 'CLOSED');
      });

      it('refuses a database migrated by a newer hub with SCHEMA_TOO_NEW', async () => {
        const fresh = await freshDatabase();
        await (await openStore(fresh.url)).close();
        await fresh.setSchemaVersion(999);
        const error = await expectStoreError(openStore(fresh.url), 'SCHEMA_TOO_NEW');
        expect(error.userMessage).toMatch(/newer|version 999/);
      });

      it('reports an unreachable database as UNAVAILABLE (retryable)', async () => {
        const error = await expectStoreError(openStore(await backend.unreachableUrl()), 'UNAVAILABLE');
        expect(error.retryable).toBe(true);
        expect(error.code).toBe('UNAVAILABLE');
      });

      it('refuses bad arguments with INVALID_ARGUMENT before touching the database', async () => {
        const a = account();
        await expectStoreError(store.pull(a, 'nope', null, 10), 'INVALID_ARGUMENT');
        await expectStoreError(store.pull(a, 'users', null, 0), 'INVALID_ARGUMENT');
        await expectStoreError(store.pull(a, 'users', null, 1.5), 'INVALID_ARGUMENT');
        await expectStoreError(store.pull(a, 'users', { seq: -1 }, 10), 'INVALID_ARGUMENT');
        await expectStoreError(store.pull('', 'users', null, 10), 'INVALID_ARGUMENT');
        await expectStoreError(store.push(a, 'nope', [], META), 'INVALID_ARGUMENT');
        await expectStoreError(store.push(a, 'users', [{ newDocumentState: state(user('DU1')) }], { ...META, time: -1 }), 'INVALID_ARGUMENT');
        await expectStoreError(store.listAudit(a, Number.NaN), 'INVALID_ARGUMENT');
        const error = await expectStoreError(store.pull(a, 'nope', null, 10), 'INVALID_ARGUMENT');
        expect(error.code).toBe('INVALID_INPUT');
      });

      it('maps each driver error to the same StoreError code', () => {
        for (const code of DRIVER_ERROR_CODES) {
          const mapped = backend.mapDriverError(backend.driverErrors[code]);
          expect(mapped, code).toBeInstanceOf(StoreError);
          expect((mapped as StoreError).storeCode, code).toBe(code);
          expect((mapped as StoreError).cause, code).toBe(backend.driverErrors[code]);
        }
        const own = new StoreError('CLOSED');
        expect(backend.mapDriverError(own)).toBe(own);
      });
    });

    describe('concurrent writers', () => {
      it('a puller pulling by checkpoint during many concurrent pushes sees every accepted document exactly once', async () => {
        const WRITERS = 4;
        const ROUNDS = 20;
        const IN_FLIGHT = 4;
        const a = account();
        const writers = await Promise.all(range(WRITERS).map(() => openStore(db.url)));
        const accepted = new Set<string>();
        const seen: string[] = [];
        let pushesDone = false;
        let pulls = 0;
        let lastRev = 0;
        const started = Date.now();
        try {
          const puller = (async () => {
            let checkpoint = null;
            for (;;) {
              // Read before pulling: when it was already true, this pull starts after every push committed.
              const finalPass = pushesDone;
              const page: Awaited<ReturnType<HubStore['pull']>> = await store.pull(a, 'users', checkpoint, 13);
              pulls += 1;
              for (const doc of page.documents) {
                expect(doc._hubRev).toBeGreaterThan(lastRev);
                lastRev = doc._hubRev;
                seen.push(String(doc['user_id']));
              }
              checkpoint = page.checkpoint;
              if (finalPass && page.documents.length === 0) return;
              if (page.documents.length === 0) await new Promise((resolve) => setImmediate(resolve));
            }
          })();
          await Promise.all(writers.map(async (writer, w) => {
            for (let round = 0; round < ROUNDS; round++) {
              await Promise.all(range(IN_FLIGHT).map(async (slot) => {
                const own = range(1 + ((round + slot) % 3)).map((k) => `DU-${w}-${round}-${slot}-${k}`);
                // Every writer also races to insert one shared id per round: one of them wins.
                const ids = slot === 0 ? [...own, `DU-shared-${round}`] : own;
                const result = await writer.push(a, 'users', ids.map((id) => ({ newDocumentState: state(user(id)) })), META);
                const lost = new Set(result.conflicts.map((d) => String(d['user_id'])));
                for (const id of ids) if (!lost.has(id)) accepted.add(id);
              }));
            }
          }));
          pushesDone = true;
          await puller;
        } finally {
          await Promise.all(writers.map((w) => w.close()));
        }
        console.log(`[${backend.name}] ${accepted.size} documents from ${WRITERS * ROUNDS * IN_FLIGHT} concurrent pushes, ` +
          `${pulls} pulls, ${Date.now() - started} ms`);
        expect(seen.length).toBe(new Set(seen).size);
        expect(new Set(seen)).toEqual(accepted);
        for (let round = 0; round < ROUNDS; round++) expect(accepted.has(`DU-shared-${round}`)).toBe(true);
      });
    });
  });
}

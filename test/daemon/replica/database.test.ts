import { afterEach, describe, expect, it } from 'vitest';
import { openReplica, type Replica, type ReplicaChange } from '../../../daemon/replica/database.js';
import type { User } from '../../../src/domain/schemas.js';
import { FactordeskError } from '../../../src/errors.js';
import { makePhone, makeUser, tempReplica } from './fixtures/docs.js';

// This file runs RxDB in dev-mode (schema validation, deep-frozen documents), as tests of the replica should.
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function openTemp(): Promise<Replica> {
  const t = tempReplica();
  cleanups.push(t.cleanup);
  const replica = await openReplica({ file: t.file, name: t.name, devMode: true });
  cleanups.push(() => replica.close());
  return replica;
}

/** Runs `write`, and records in order when each change arrives and when the write's promise resolves. */
async function orderOf(replica: Replica, write: () => Promise<unknown>): Promise<string[]> {
  const log: string[] = [];
  const sub = replica.changes('users').subscribe((c) => log.push(`${c.op} ${c.doc.user_id}`));
  try {
    await write().then(() => log.push('resolved'));
  } finally {
    sub.unsubscribe();
  }
  return log;
}

describe('openReplica', () => {
  it('opens every collection in dev-mode with schema validation', async () => {
    const replica = await openTemp();
    expect(Object.keys(replica.collections).sort()).toEqual(['admins', 'audit', 'phones', 'requests', 'tokens', 'u2f', 'users']);
    const bad = { ...makeUser(1), status: 'sleeping' } as unknown as User;
    await expect(replica.collections.users.insert(bad)).rejects.toMatchObject({ code: 'VD2' });
    expect(replica.allDocs('users')).toEqual([]);
  });

  it('closes idempotently and releases the file for the next open', async () => {
    const t = tempReplica();
    cleanups.push(t.cleanup);
    const first = await openReplica({ file: t.file, name: t.name, devMode: true });
    await first.collections.users.insert(makeUser(1));
    await Promise.all([first.close(), first.close()]);
    await first.close();
    const second = await openReplica({ file: t.file, name: t.name, devMode: true });
    cleanups.push(() => second.close());
    expect(second.allDocs('users').map((u) => u.user_id)).toEqual(['u000001']);
  });
});

describe('Replica.allDocs', () => {
  it('returns the live documents as plain objects without RxDB fields', async () => {
    const replica = await openTemp();
    await replica.bulkInsert('users', [makeUser(1), makeUser(2)]);
    await (await replica.collections.users.findOne('u000001').exec())!.incrementalRemove();
    const docs = replica.allDocs('users');
    expect(docs).toEqual([makeUser(2)]);
    // Fresh copies: the caller may keep or change them without touching the replica's frozen state.
    docs[0]!.realname = 'changed';
    expect(replica.allDocs('users')[0]!.realname).toBe('User 2');
  });
});

describe('Replica.changes', () => {
  it('reports INSERT, UPDATE and DELETE with plain documents and the previous state', async () => {
    const replica = await openTemp();
    const changes: ReplicaChange<User>[] = [];
    const sub = replica.changes('users').subscribe((c) => changes.push(c));
    await replica.collections.users.insert(makeUser(1));
    const doc = await replica.collections.users.findOne('u000001').exec();
    await doc!.incrementalPatch({ realname: 'Renamed' });
    await doc!.incrementalRemove();
    await replica.collections.phones.insert(makePhone(1));
    sub.unsubscribe();

    expect(changes).toEqual([
      { op: 'INSERT', doc: makeUser(1) },
      { op: 'UPDATE', doc: makeUser(1, { realname: 'Renamed' }), previous: makeUser(1) },
      { op: 'DELETE', doc: makeUser(1, { realname: 'Renamed' }), previous: makeUser(1, { realname: 'Renamed' }) },
    ]);
  });

  it('delivers the change before the write promise resolves (insert, bulkUpsert, incrementalPatch, remove, bulkInsert)', async () => {
    const replica = await openTemp();
    const users = replica.collections.users;
    expect(await orderOf(replica, () => users.insert(makeUser(1)))).toEqual(['INSERT u000001', 'resolved']);
    expect(await orderOf(replica, () => users.bulkUpsert([makeUser(1, { realname: 'x' }), makeUser(2)]))).toEqual([
      // bulkUpsert inserts the new documents first, then updates the existing ones: two writes, both reported.
      'INSERT u000002',
      'UPDATE u000001',
      'resolved',
    ]);
    const doc = await users.findOne('u000002').exec();
    expect(await orderOf(replica, () => doc!.incrementalPatch({ realname: 'y' }))).toEqual(['UPDATE u000002', 'resolved']);
    expect(await orderOf(replica, () => doc!.incrementalRemove())).toEqual(['DELETE u000002', 'resolved']);
    expect(await orderOf(replica, () => replica.bulkInsert('users', [makeUser(3)]))).toEqual(['INSERT u000003', 'resolved']);
  });
});

describe('Replica.bulkInsert', () => {
  it('inserts many documents across chunks', async () => {
    const replica = await openTemp();
    const users = Array.from({ length: 12_345 }, (_, i) => makeUser(i));
    await replica.bulkInsert('users', users);
    expect(replica.allDocs('users')).toHaveLength(12_345);
    expect(await replica.collections.users.count().exec()).toBe(12_345);
  });

  it('refuses an existing or repeated id with CONFLICT before writing anything', async () => {
    const replica = await openTemp();
    await replica.bulkInsert('users', [makeUser(1)]);
    const existing = replica.bulkInsert('users', [makeUser(2), makeUser(1)]);
    await expect(existing).rejects.toBeInstanceOf(FactordeskError);
    await expect(existing).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(replica.bulkInsert('users', [makeUser(3), makeUser(3)])).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(replica.allDocs('users').map((u) => u.user_id)).toEqual(['u000001']);
  });

  it('re-inserts a document that was deleted', async () => {
    const replica = await openTemp();
    await replica.bulkInsert('users', [makeUser(1)]);
    await (await replica.collections.users.findOne('u000001').exec())!.incrementalRemove();
    await replica.bulkInsert('users', [makeUser(1, { realname: 'Back' })]);
    expect(replica.allDocs('users')).toEqual([makeUser(1, { realname: 'Back' })]);
  });
});

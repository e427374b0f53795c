/**
 * The replica's replication against an in-memory hub (fixtures/fake-hub.ts): pull and push, the live stream,
 * refusals rolled back without a retry loop, conflicts merged by the policy and recorded, and offline edits kept
 * across a restart. RxDB runs in dev-mode, so a hub field leaking into the replica would fail schema validation.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../daemon/logger.js';
import { openReplica, type Replica } from '../../../daemon/replica/database.js';
import { pushOutcome, replicationIdentifier, rowsToSend, startReplication, toReplicaState, type ReplicationHandle } from '../../../daemon/replica/replication.js';
import { RefusalLog, syncConflictHandlers } from '../../../daemon/replica/sync-conflicts.js';
import type { ConflictRecord } from '../../../src/conflict-policy.js';
import { FakeHub } from './fixtures/fake-hub.js';
import { makeToken, makeUser, tempReplica } from './fixtures/docs.js';

const log = silentLogger();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Setup {
  replica: Replica;
  hub: FakeHub;
  refusals: RefusalLog;
  conflicts: ConflictRecord[];
  replication: ReplicationHandle;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function open(file: string, name: string, hub: FakeHub, refusals = new RefusalLog()): Promise<Setup> {
  const conflicts: ConflictRecord[] = [];
  const replica = await openReplica({
    file,
    name,
    devMode: true,
    conflictHandlers: syncConflictHandlers({ refusals, onConflicts: (r) => conflicts.push(...r), adminId: () => 'DEADMIN' }),
  });
  const replication = startReplication({ replica, transport: hub, hubKey: replicationIdentifier('HUB1'), refusals, log });
  const setup = { replica, hub, refusals, conflicts, replication };
  cleanups.push(async () => {
    await replication.stop();
    await replica.close();
  });
  return setup;
}

async function fresh(hub = new FakeHub()): Promise<Setup> {
  const t = tempReplica();
  cleanups.push(t.cleanup);
  return open(t.file, t.name, hub);
}

describe('replication with a hub', () => {
  it('pushes local edits, and pulls the hub\'s changes as the stream announces them, without hub fields', async () => {
    const { replica, hub, replication } = await fresh();
    await replica.collections.users.insert(makeUser(1));
    await waitFor('the push', () => hub.get('users', 'u000001') !== undefined);
    expect(hub.get('users', 'u000001')).toMatchObject({ username: 'user1', _deleted: false });

    hub.write('users', makeUser(2, { realname: 'From Elsewhere' }));
    await waitFor('the pull', () => replica.allDocs('users').some((u) => u.user_id === 'u000002'));
    const stored = replica.storedStates('users')!.get('u000002') as Record<string, unknown>;
    expect(stored.realname).toBe('From Elsewhere');
    expect(stored).not.toHaveProperty('_hubRev');
    await replication.awaitInSync();
    expect(replication.queued()).toBe(0);
  });

  it('rolls a refused update back to the hub\'s state, records why, and never pushes it again', async () => {
    const { replica, hub, refusals, replication } = await fresh();
    const token = makeToken(1);
    hub.write('tokens', token);
    await waitFor('the token', () => replica.allDocs('tokens').length === 1);
    hub.refuse = (_c, next) => ((next.admins as string[]).length > 0 ? { code: 'FORBIDDEN', reason: 'Only an Owner can attach hardware tokens to administrators' } : undefined);

    await replica.collections.tokens.bulkUpsert([{ ...token, admins: ['DEHELPDESK'], updated: token.updated + 1 }]);
    await waitFor('the rollback', () => replica.allDocs('tokens')[0]?.admins.length === 0);
    await replication.awaitInSync();
    expect(refusals.list()).toEqual([
      expect.objectContaining({ collection: 'tokens', id: token.token_id, code: 'FORBIDDEN', reason: expect.stringMatching(/Only an Owner/) }),
    ]);
    expect(hub.get('tokens', token.token_id)?.admins).toEqual([]);
    // Give a retry loop the chance to show itself: the refused state was sent once and only once.
    await new Promise((r) => setTimeout(r, 300));
    expect(hub.pushed.filter((p) => p.collection === 'tokens' && (p.doc.admins as string[]).length > 0)).toHaveLength(1);
    expect(replication.queued()).toBe(0);

    // A later, allowed edit of the same token goes through as usual.
    await replica.collections.tokens.bulkUpsert([{ ...token, users: ['u000001'], updated: token.updated + 2 }]);
    await waitFor('the allowed edit', () => (hub.get('tokens', token.token_id)?.users as string[] | undefined)?.length === 1);
  });

  it('removes a refused new document from the replica and does not push it again', async () => {
    const { replica, hub, refusals, replication } = await fresh();
    hub.refuse = (collection) => (collection === 'users' ? { code: 'FORBIDDEN', reason: 'Help Desk administrators cannot add users' } : undefined);
    await replica.collections.users.insert(makeUser(7));
    await waitFor('the rollback', () => replica.allDocs('users').length === 0);
    await replication.awaitInSync();
    await new Promise((r) => setTimeout(r, 300));
    expect(hub.get('users', 'u000007')).toBeUndefined();
    expect(hub.pushed.filter((p) => p.id === 'u000007')).toHaveLength(1);
    expect(refusals.list()[0]).toMatchObject({ id: 'u000007', reason: 'Help Desk administrators cannot add users' });
  });

  it('merges concurrent edits by the conflict policy, records the resolution, and pushes the merge', async () => {
    const { replica, hub, conflicts, replication } = await fresh();
    hub.write('users', makeUser(3));
    await waitFor('the user', () => replica.allDocs('users').length === 1);
    await replication.awaitInSync();

    hub.online = false;
    // Elsewhere: the real name and the e-mail; here: the e-mail differently and the status.
    hub.write('users', makeUser(3, { realname: 'Renamed Elsewhere', email: 'elsewhere@example.com', updated: 1_800_000_000_001 }));
    await replica.collections.users.bulkUpsert([makeUser(3, { status: 'disabled', email: 'here@example.com', updated: 1_800_000_000_002 })]);
    hub.reconnect();

    await waitFor('the merge at the hub', () => hub.get('users', 'u000003')?.status === 'disabled');
    await replication.awaitInSync();
    const merged = hub.get('users', 'u000003')!;
    expect(merged).toMatchObject({ realname: 'Renamed Elsewhere', status: 'disabled', email: 'elsewhere@example.com' });
    expect(replica.allDocs('users')[0]).toMatchObject({ realname: 'Renamed Elsewhere', status: 'disabled', email: 'elsewhere@example.com' });
    expect(conflicts.map((c) => c.rule)).toContain('first-accepted-wins');
    const lost = conflicts.find((c) => c.rule === 'first-accepted-wins')!;
    expect(lost).toMatchObject({ collection_name: 'users', doc_id: 'u000003', admin_id: 'DEADMIN' });
    expect(lost.lost).toContain('here@example.com');
  });

  it('keeps edits made while the hub is unreachable, counts them, and pushes them after a restart', async () => {
    const t = tempReplica();
    cleanups.push(t.cleanup);
    const hub = new FakeHub();
    hub.online = false;
    const first = await open(t.file, t.name, hub);
    await first.replica.collections.users.insert(makeUser(11));
    await first.replica.collections.users.insert(makeUser(12));
    await waitFor('the queue count', () => first.replication.queued() === 2);
    await first.replication.stop();
    await first.replica.close();

    hub.online = true;
    const second = await open(t.file, t.name, hub);
    await waitFor('the queued edits at the hub', () => hub.get('users', 'u000011') !== undefined && hub.get('users', 'u000012') !== undefined);
    await second.replication.awaitInSync();
    expect(second.replication.queued()).toBe(0);
  });
});

describe('push and pull helpers', () => {
  it('drops the hub\'s own fields from what the replica stores, and makes _deleted a boolean', () => {
    expect(toReplicaState({ user_id: 'u1', _hubRev: 7, _deleted: true })).toEqual({ user_id: 'u1', _deleted: true });
    expect(toReplicaState({ user_id: 'u1' })).toEqual({ user_id: 'u1', _deleted: false });
  });

  it('sends only rows that change something at the hub', () => {
    const a = { ...makeUser(1), _deleted: false };
    const b = { ...a, status: 'disabled' as const };
    const rows = [
      { assumedMasterState: a, newDocumentState: { ...a } },
      { assumedMasterState: a, newDocumentState: b },
      { newDocumentState: a },
    ];
    expect(rowsToSend(rows)).toEqual([rows[1], rows[2]]);
  });

  it('turns refusals into the states to go back to: the hub\'s document, or the new one deleted', () => {
    const refusals = new RefusalLog();
    const existing = { ...makeUser(1), _deleted: false };
    const created = { ...makeUser(2), _deleted: false };
    const sent = [
      { assumedMasterState: existing, newDocumentState: { ...existing, status: 'disabled' as const } },
      { newDocumentState: created },
    ];
    const outcome = pushOutcome('users', sent, {
      conflicts: [{ ...makeUser(3), _deleted: false, _hubRev: 9 }],
      refused: [
        { id: 'u000001', code: 'FORBIDDEN', reason: 'no', master: { ...existing, _hubRev: 4 } as never },
        { id: 'u000002', code: 'FORBIDDEN', reason: 'no', master: null },
        { id: 'never-sent', code: 'FORBIDDEN', reason: 'no', master: null },
      ],
    }, refusals);
    expect(outcome.masters).toEqual([{ ...makeUser(3), _deleted: false }, existing, { ...created, _deleted: true }]);
    expect(outcome.refused.map((r) => r.id)).toEqual(['u000001', 'u000002']);
    expect(refusals.takeRollback('users', 'u000002', created)).toBe(true);
  });
});

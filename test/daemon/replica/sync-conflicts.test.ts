/** The refusal log and the refusal-aware conflict handler, without a database. */
import { describe, expect, it } from 'vitest';
import { RefusalLog, syncConflictHandler } from '../../../daemon/replica/sync-conflicts.js';
import type { ConflictRecord } from '../../../src/conflict-policy.js';
import { makeToken, makeUser } from './fixtures/docs.js';

const refusal = (id: string) => ({ id, code: 'FORBIDDEN' as const, reason: 'Only an Owner can attach hardware tokens to administrators', master: null });

describe('RefusalLog', () => {
  it('rolls back exactly the refused state, once', () => {
    const log = new RefusalLog(() => 1000);
    const refused = { ...makeToken(1, { admins: ['DEX'] }), _deleted: false };
    log.record('tokens', refusal('t-1'), refused);
    expect(log.takeRollback('tokens', 't-1', { ...refused, admins: ['DEY'] })).toBe(false);
    expect(log.takeRollback('users', 't-1', refused)).toBe(false);
    // Key order and RxDB's own fields do not matter; the content does.
    expect(log.takeRollback('tokens', 't-1', { _rev: '1-x', ...refused })).toBe(true);
    expect(log.takeRollback('tokens', 't-1', refused)).toBe(false);
  });

  it('lists refusals newest first, keeping the last hundred', () => {
    let now = 0;
    const log = new RefusalLog(() => ++now);
    for (let i = 0; i < 105; i++) log.record('users', { ...refusal(`u${i}`), code: 'REFUSED' }, makeUser(i));
    const list = log.list();
    expect(list).toHaveLength(100);
    expect(list[0]).toEqual({ collection: 'users', id: 'u104', code: 'REFUSED', reason: refusal('x').reason, time: 105 });
    expect(list[99]?.id).toBe('u5');
  });
});

describe('syncConflictHandler', () => {
  it('answers the hub\'s state for a refused change, recording no conflict', async () => {
    const refusals = new RefusalLog();
    const records: ConflictRecord[] = [];
    const handler = syncConflictHandler('tokens', { refusals, onConflicts: (r) => records.push(...r), adminId: () => 'DEHD' });
    const master = { ...makeToken(1), _deleted: false };
    const refused = { ...master, admins: ['DEHD'], updated: master.updated + 1 };
    refusals.record('tokens', { ...refusal(master.token_id), master }, refused);
    const resolved = await handler.resolve({ newDocumentState: refused, assumedMasterState: master, realMasterState: master }, 'test');
    expect(resolved).toEqual(master);
    expect(records).toEqual([]);
  });

  it('merges anything else by the conflict policy and hands the records on, with the administrator', async () => {
    const records: ConflictRecord[] = [];
    const handler = syncConflictHandler('users', { refusals: new RefusalLog(), onConflicts: (r) => records.push(...r), adminId: () => 'DEME' });
    const base = { ...makeUser(1), _deleted: false };
    const ours = { ...base, email: 'ours@example.com', updated: base.updated + 2 };
    const theirs = { ...base, email: 'theirs@example.com', realname: 'Theirs', updated: base.updated + 1 };
    const merged = await handler.resolve({ newDocumentState: ours, assumedMasterState: base, realMasterState: theirs }, 'test');
    expect(merged).toMatchObject({ email: 'theirs@example.com', realname: 'Theirs', _deleted: false });
    expect(records).toEqual([expect.objectContaining({ rule: 'first-accepted-wins', doc_id: base.user_id, admin_id: 'DEME' })]);
    expect(handler.isEqual(base, { ...base, _rev: '2-y' } as never, 'test')).toBe(true);
  });
});

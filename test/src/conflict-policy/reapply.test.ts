import { describe, expect, it } from 'vitest';
import { keptBothSides, lostFields, planReapply, reapplyActions, reorderSteps } from '../../../src/conflict-policy/reapply.js';
import type { ConflictRecord } from '../../../src/conflict-policy/record.js';

function rec(over: Partial<ConflictRecord>): ConflictRecord {
  return { conflict_id: 'DC1', collection_name: 'phones', doc_id: 'P1', field: 'name', kept: '"theirs"', lost: '"mine"', rule: 'first-accepted-wins', time: 1, ...over };
}

describe('planReapply', () => {
  it('sets the lost device fields with one phones.update, leaving derived fields to follow', () => {
    const r = rec({ field: 'type,capabilities', kept: '{"capabilities":["sms"],"type":"landline"}', lost: '{"capabilities":["push"],"type":"tablet"}' });
    expect(planReapply(r, { phone_id: 'P1', type: 'landline', users: ['U1'] })).toEqual([
      { method: 'phones.update', params: { phone: 'P1', type: 'tablet' }, action: 'phones.update' },
    ]);
  });

  it('attaches before it detaches, so a device never runs out of users on the way', () => {
    const r = rec({ field: 'users', kept: '["U1","U2"]', lost: '["U1","U3"]', rule: 'first-accepted-wins' });
    expect(planReapply(r, { phone_id: 'P1', users: ['U1', 'U2'] }).map((s) => `${s.method} ${JSON.stringify(s.params)}`)).toEqual([
      'phones.attach {"phone":"P1","user":"U3"}',
      'phones.detach {"phone":"P1","user":"U2"}',
    ]);
  });

  it('plans nothing when the record already holds the lost side', () => {
    expect(planReapply(rec({}), { phone_id: 'P1', name: 'mine', users: ['U1'] })).toEqual([]);
  });

  it('sets a user status, and token users and administrators by assign/unassign and attach/detach', () => {
    expect(planReapply(rec({ collection_name: 'users', doc_id: 'U1', field: 'status', kept: '"active"', lost: '"disabled"' }), { user_id: 'U1', status: 'active', phone_order: [] })).toEqual([
      { method: 'users.setStatus', params: { user: 'U1', status: 'disabled' }, action: 'users.setStatus' },
    ]);
    const t = rec({ collection_name: 'tokens', doc_id: 'T1', field: 'admins,users', kept: '{"admins":["A1"],"users":[]}', lost: '{"admins":[],"users":["U1"]}', rule: 'same-serial' });
    expect(planReapply(t, { token_id: 'T1', users: [], admins: ['A1'] }).map((s) => s.method)).toEqual(['tokens.assign', 'tokens.detachAdmin']);
  });

  it('refuses what no command brings back, saying why', () => {
    expect(() => planReapply(rec({ rule: 'explicit-delete-wins' }), undefined)).toThrow(/a delete wins over edits/);
    expect(() => planReapply(rec({}), undefined)).toThrow(/no longer exists/);
    expect(() => planReapply(rec({ rule: 'set-merge', field: 'users' }), { users: [] })).toThrow(/kept both sides/);
    expect(() => planReapply(rec({ field: 'encrypted', lost: '"Encrypted"' }), { users: ['U1'] })).toThrow(/no command edits it/);
    expect(() => planReapply(rec({ collection_name: 'tokens', field: 'type', lost: '"t6"', rule: 'same-serial' }), { users: [] })).toThrow(/type is set when it is added/);
    expect(() => planReapply(rec({ rule: 'deleted-user-reference', field: 'users', lost: '["U1","UGONE"]' }), { users: ['U1'] })).toThrow(/deleted user cannot be attached/);
    expect(() => planReapply(rec({ field: 'users', lost: '[]' }), { users: ['U1'] })).toThrow(/delete the device instead/);
    expect(() => planReapply(rec({ collection_name: 'u2f' }), { registration_id: 'R1' })).toThrow(/not re-applied from here/);
  });
});

describe('reorderSteps', () => {
  it("moves phones into the lost order, skipping detached ones and keeping new ones after", () => {
    const steps = reorderSteps('U1', ['A', 'B', 'C', 'D'], ['C', 'X', 'A']);
    expect(steps.map((s) => (s.method === 'phones.reorder' ? `${s.params.phone}@${s.params.position}` : ''))).toEqual(['C@1']);
    // Applying the moves gives C, A, then B and D as they were.
    const order = ['A', 'B', 'C', 'D'];
    for (const s of steps) {
      if (s.method !== 'phones.reorder') continue;
      order.splice(order.indexOf(s.params.phone), 1);
      order.splice(s.params.position - 1, 0, s.params.phone);
    }
    expect(order).toEqual(['C', 'A', 'B', 'D']);
    expect(reorderSteps('U1', ['A', 'B'], ['A', 'B'])).toEqual([]);
    expect(reorderSteps('U1', ['A', 'B', 'C'], ['C', 'B', 'A']).map((s) => (s.method === 'phones.reorder' ? `${s.params.phone}@${s.params.position}` : ''))).toEqual(['C@1', 'B@2']);
  });
});

describe('the rest', () => {
  it('reads a lost side of one field or several, names the actions, and knows which rules kept both', () => {
    expect(lostFields({ field: 'name', lost: '"x"' })).toEqual({ name: 'x' });
    expect(lostFields({ field: 'model,name', lost: '{"name":"y"}' })).toEqual({ model: null, name: 'y' });
    expect(reapplyActions({ collection_name: 'phones', field: 'type,capabilities' })).toEqual(['phones.update']);
    expect(reapplyActions({ collection_name: 'users', field: 'phone_order' })).toEqual(['phones.reorder']);
    expect(keptBothSides('different-fields')).toBe(true);
    expect(keptBothSides('first-accepted-wins')).toBe(false);
  });
});

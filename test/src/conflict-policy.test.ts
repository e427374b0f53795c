/** The policy table of DESIGN.md, row by row, on hand-built documents, with the recorded conflicts. */
import { describe, expect, it } from 'vitest';
import {
  CONFLICT_RULES,
  mergeAdmins,
  mergeAudit,
  mergeDocument,
  mergeU2f,
  mergePhones,
  mergeTokens,
  mergeUsers,
  type ConflictRecord,
} from '../../src/conflict-policy.js';
import { attachUser, detachUser, markDeleted, updatePhone } from '../../src/domain/phone.js';
import type { Phone, Token, User } from '../../src/domain/schemas.js';
import { createToken, assignUser } from '../../src/domain/token.js';
import { movePhone, orderedPhones, setStatus } from '../../src/domain/user.js';
import { mobile, T0, tablet, user } from './domain/fixtures.js';

type Live<T> = T & { _deleted: boolean };
const live = <T>(doc: T): Live<T> => ({ ...doc, _deleted: false });
const tombstone = <T>(doc: T): Live<T> => ({ ...doc, _deleted: true });
const OPTS = { now: T0 + 999, adminId: 'DEADMIN' };

/** The JSON a record holds, decoded, for readable assertions. */
function decoded(c: ConflictRecord) {
  return { field: c.field, rule: c.rule, kept: JSON.parse(c.kept) as unknown, lost: JSON.parse(c.lost) as unknown };
}

/** A phone shared by the given users, created at T0. */
function shared(phoneId: string, users: string[]): Phone {
  return { ...mobile(phoneId, users[0] ?? 'U-x'), users };
}

/** The phone removed from one user; a tombstone when it was the last. */
function detached(phone: Phone, userId: string, now: number): Live<Phone> {
  const r = detachUser(phone, userId, now);
  return r.deleted ? tombstone(r.phone) : live(r.phone);
}

/** The phone deleted by an administrator, as RxDB stores it. */
function deletedExplicitly(phone: Phone, now: number): Live<Phone> {
  return tombstone(markDeleted(phone, now));
}

describe('different fields of one record: both kept', () => {
  it('keeps a rename and a platform change made concurrently, and records both sides', () => {
    const base = mobile('P1', 'U-alice');
    const ours = updatePhone(base, { name: 'Work' }, T0 + 1);
    const theirs = updatePhone(base, { platform: 'ios' }, T0 + 2);
    const { merged, conflicts } = mergePhones(live(base), live(ours), live(theirs), OPTS);
    expect(merged).toMatchObject({ name: 'Work', platform: 'apple ios', os_family: 'iOS', updated: T0 + 2, _deleted: false });
    expect(conflicts.map(decoded)).toEqual([
      {
        field: 'name,os_family,platform',
        rule: 'different-fields',
        kept: { name: 'Work', os_family: 'iOS', platform: 'apple ios' },
        lost: { name: 'Work', os_family: '', platform: 'unknown' },
      },
    ]);
  });

  it("keeps a user's status change and a concurrent reorder", () => {
    const alice = { ...user('alice'), phone_order: ['P1', 'P2'] };
    const ours = setStatus(alice, 'disabled', T0 + 1);
    const theirs = { ...alice, phone_order: ['P2', 'P1'], updated: T0 + 2 };
    const { merged, conflicts } = mergeUsers(live(alice), live(ours), live(theirs), OPTS);
    expect(merged).toMatchObject({ status: 'disabled', phone_order: ['P2', 'P1'], updated: T0 + 2 });
    expect(conflicts.map((c) => [c.rule, c.field])).toEqual([['different-fields', 'phone_order,status']]);
  });
});

describe('attach/detach of different users on one device: both kept (set merge)', () => {
  it('keeps an attach on one side and a detach on the other', () => {
    const base = shared('P1', ['U-a', 'U-b']);
    const ours = attachUser(base, 'U-c', T0 + 1);
    const theirs = detachUser(base, 'U-b', T0 + 2).phone;
    const { merged, conflicts } = mergePhones(live(base), live(ours), live(theirs), OPTS);
    expect(merged.users).toEqual(['U-a', 'U-c']);
    expect(merged._deleted).toBe(false);
    expect(conflicts.map(decoded)).toEqual([
      { field: 'users', rule: 'set-merge', kept: ['U-a', 'U-c'], lost: ['U-a', 'U-b', 'U-c'] },
    ]);
  });

  it('unions two attaches of different users', () => {
    const base = shared('P1', ['U-a']);
    const { merged } = mergePhones(live(base), live(attachUser(base, 'U-b', T0 + 1)), live(attachUser(base, 'U-c', T0 + 2)));
    expect(merged.users).toEqual(['U-a', 'U-c', 'U-b']);
  });

  it("merges a token's users and administrators as sets too", () => {
    const base = createToken({ serial: 'S1', type: 'h6' }, T0);
    const ours = assignUser(base, 'U-a', T0 + 1);
    const theirs = { ...assignUser(base, 'U-b', T0 + 2), admins: ['DE1'] };
    const { merged } = mergeTokens(live(base), live(ours), live(theirs), OPTS);
    expect(merged.users).toEqual(['U-b', 'U-a']);
    expect(merged.admins).toEqual(['DE1']);
  });

  it('deletes the device (implicitly) when two detaches together remove every user, and says so', () => {
    const base = shared('P1', ['U-a', 'U-b']);
    const ours = detachUser(base, 'U-a', T0 + 1).phone;
    const theirs = detachUser(base, 'U-b', T0 + 2).phone;
    const { merged, conflicts } = mergePhones(live(base), live(ours), live(theirs), OPTS);
    expect(merged).toMatchObject({ users: [], deletion: 'implicit', _deleted: true });
    expect(conflicts.map(decoded)).toEqual([{ field: 'users', rule: 'last-user-removed', kept: [], lost: ['U-b'] }]);
  });
});

describe("two reorders of one user's phones: one order keeping each side's intent", () => {
  const phones = ['P1', 'P2', 'P3', 'P4'].map((id, i) => mobile(id, 'U-alice', T0 + i));
  const alice: User = { ...user('alice'), phone_order: ['P1', 'P2', 'P3', 'P4'] };

  it('applies both moves when they touch different phones; aliases stay contiguous', () => {
    const ours = movePhone(alice, phones, 'P4', 1, T0 + 1); // P4 P1 P2 P3
    const theirs = movePhone(alice, phones, 'P2', 4, T0 + 2); // P1 P3 P4 P2
    const { merged, conflicts } = mergeUsers(live(alice), live(ours), live(theirs), OPTS);
    expect(merged.phone_order).toEqual(['P4', 'P1', 'P3', 'P2']);
    expect(orderedPhones(merged, phones).map((o) => `${o.alias}=${o.phone.phone_id}`)).toEqual([
      'phone1=P4',
      'phone2=P1',
      'phone3=P3',
      'phone4=P2',
    ]);
    expect(conflicts.map(decoded)).toEqual([
      { field: 'phone_order', rule: 'reorder-merge', kept: ['P4', 'P1', 'P3', 'P2'], lost: ['P4', 'P1', 'P2', 'P3'] },
    ]);
  });

  it('keeps the place the hub accepted first when both moved the same phone', () => {
    const ours = movePhone(alice, phones, 'P3', 1, T0 + 1); // P3 P1 P2 P4
    const theirs = movePhone(alice, phones, 'P3', 4, T0 + 2); // P1 P2 P4 P3
    const { merged, conflicts } = mergeUsers(live(alice), live(ours), live(theirs), OPTS);
    expect(merged.phone_order).toEqual(['P1', 'P2', 'P4', 'P3']);
    expect(conflicts.map((c) => c.rule)).toEqual(['reorder-merge']);
  });

  it('keeps a reorder on one side and a newly attached phone on the other (appended last)', () => {
    const ours = { ...alice, phone_order: ['P1', 'P2', 'P3', 'P4', 'P5'], updated: T0 + 1 };
    const theirs = movePhone(alice, phones, 'P1', 4, T0 + 2); // P2 P3 P4 P1
    const { merged } = mergeUsers(live(alice), live(ours), live(theirs), OPTS);
    expect(merged.phone_order).toEqual(['P2', 'P3', 'P4', 'P1', 'P5']);
  });
});

describe('explicit delete of a device vs any edit of it: delete wins, the lost edit is recorded', () => {
  const base = mobile('P1', 'U-alice');

  it('keeps the delete the hub accepted over this replica’s rename', () => {
    const ours = updatePhone(base, { name: 'Renamed' }, T0 + 1);
    const theirs = deletedExplicitly(base, T0 + 2);
    const { merged, conflicts } = mergePhones(live(base), live(ours), theirs, OPTS);
    expect(merged).toMatchObject({ deletion: 'explicit', _deleted: true, name: '' });
    expect(conflicts.map(decoded)).toEqual([{ field: 'name', rule: 'explicit-delete-wins', kept: '', lost: 'Renamed' }]);
  });

  it('keeps this replica’s delete over an attach the hub accepted first', () => {
    const ours = deletedExplicitly(base, T0 + 1);
    const theirs = attachUser(base, 'U-bob', T0 + 2);
    const { merged, conflicts } = mergePhones(live(base), ours, live(theirs), OPTS);
    expect(merged).toMatchObject({ deletion: 'explicit', _deleted: true });
    expect(conflicts.map(decoded)).toEqual([
      { field: 'users', rule: 'explicit-delete-wins', kept: [], lost: ['U-alice', 'U-bob'] },
    ]);
  });

  it('wins over a concurrent implicit delete too (delete vs delete: explicit, no conflict)', () => {
    const ours = detached(base, 'U-alice', T0 + 1);
    const theirs = deletedExplicitly(base, T0 + 2);
    for (const [o, t] of [
      [ours, theirs],
      [theirs, ours],
    ] as const) {
      const { merged, conflicts } = mergePhones(live(base), o, t, OPTS);
      expect(merged).toMatchObject({ deletion: 'explicit', _deleted: true });
      expect(conflicts).toEqual([]);
    }
  });

  it('treats a tombstone without a reason as an explicit delete', () => {
    const theirs = tombstone(base);
    const ours = attachUser(base, 'U-bob', T0 + 1);
    const { merged } = mergePhones(live(base), live(ours), theirs, OPTS);
    expect(merged).toMatchObject({ deletion: 'explicit', _deleted: true });
  });

  it('applies to the other collections: a deleted user wins over a status change', () => {
    const alice = user('alice');
    const { merged, conflicts } = mergeUsers(live(alice), live(setStatus(alice, 'bypass', T0 + 1)), tombstone(alice), OPTS);
    expect(merged._deleted).toBe(true);
    expect(merged.status).toBe('active');
    expect(conflicts.map(decoded)).toEqual([{ field: 'status', rule: 'explicit-delete-wins', kept: 'active', lost: 'bypass' }]);
  });
});

describe('implicit delete (last user removed) vs a concurrent attach: the attach wins', () => {
  const base = mobile('P1', 'U-alice');

  it('revives the device with the merged users when the hub accepted the removal first', () => {
    const ours = attachUser(base, 'U-bob', T0 + 1);
    const theirs = detached(base, 'U-alice', T0 + 2);
    const { merged, conflicts } = mergePhones(live(base), live(ours), theirs, OPTS);
    expect(merged).toMatchObject({ users: ['U-bob'], deletion: '', _deleted: false });
    expect(conflicts.map(decoded)).toEqual([
      { field: 'users', rule: 'attach-beats-implicit-delete', kept: ['U-bob'], lost: [] },
    ]);
  });

  it('revives it when the hub accepted the attach first', () => {
    const ours = detached(base, 'U-alice', T0 + 1);
    const theirs = attachUser(base, 'U-bob', T0 + 2);
    const { merged, conflicts } = mergePhones(live(base), ours, live(theirs), OPTS);
    expect(merged).toMatchObject({ users: ['U-bob'], deletion: '', _deleted: false });
    expect(conflicts.map((c) => c.rule)).toEqual(['attach-beats-implicit-delete']);
  });

  it('does not revive it for an edit that is not an attach; the edit is recorded', () => {
    const ours = updatePhone(base, { name: 'Desk' }, T0 + 1);
    const theirs = detached(base, 'U-alice', T0 + 2);
    const { merged, conflicts } = mergePhones(live(base), live(ours), theirs, OPTS);
    expect(merged).toMatchObject({ users: [], deletion: 'implicit', _deleted: true });
    expect(conflicts.map(decoded)).toEqual([{ field: 'name', rule: 'last-user-removed', kept: '', lost: 'Desk' }]);
  });
});

describe('same scalar field: the one the hub accepted first wins', () => {
  it('keeps theirs and records ours as lost', () => {
    const base = mobile('P1', 'U-alice');
    const ours = updatePhone(base, { name: 'Ours' }, T0 + 1);
    const theirs = updatePhone(base, { name: 'Theirs' }, T0 + 2);
    const { merged, conflicts } = mergePhones(live(base), live(ours), live(theirs), OPTS);
    expect(merged.name).toBe('Theirs');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({
      collection_name: 'phones',
      doc_id: 'P1',
      field: 'name',
      kept: '"Theirs"',
      lost: '"Ours"',
      rule: 'first-accepted-wins',
      admin_id: 'DEADMIN',
      time: T0 + 999,
    });
    expect(conflicts[0]?.conflict_id).toMatch(/^DC[0-9A-HJKMNP-TV-Z]{18}$/);
  });

  it("merges a type change with its derived capabilities as one field", () => {
    const base = mobile('P1', 'U-alice');
    const ours = updatePhone(base, { type: 'landline' }, T0 + 1);
    const theirs = updatePhone(base, { type: 'tablet' }, T0 + 2);
    const { merged, conflicts } = mergePhones(live(base), live(ours), live(theirs), OPTS);
    expect(merged).toMatchObject({ type: 'tablet', capabilities: theirs.capabilities });
    expect(conflicts.map(decoded)).toEqual([{ field: 'type', rule: 'first-accepted-wins', kept: 'tablet', lost: 'landline' }]);
  });

  it('keeps the accepted values when two valid edits merge into an invalid device (mobile without a number)', () => {
    const base = tablet('P1', 'U-alice');
    const withNumber = updatePhone(base, { number: '+15550100000' }, T0);
    const ours = updatePhone(withNumber, { type: 'mobile' }, T0 + 1);
    const theirs = updatePhone(withNumber, { number: '' }, T0 + 2);
    const { merged, conflicts } = mergePhones(live(withNumber), live(ours), live(theirs), OPTS);
    expect(merged).toMatchObject({ type: 'tablet', number: '' });
    expect(conflicts.at(-1)).toMatchObject({ rule: 'first-accepted-wins', field: 'type,capabilities' });
  });
});

describe('same token serial imported twice: one token, the first import kept', () => {
  it('keeps theirs’ type and records the other import', () => {
    const ours = createToken({ serial: 'SN-1', type: 'h6' }, T0 + 1);
    const theirs = createToken({ serial: 'SN-1', type: 't6' }, T0 + 2);
    expect(ours.token_id).toBe(theirs.token_id);
    const { merged, conflicts } = mergeTokens(undefined, live(ours), live(theirs), OPTS);
    expect(merged).toMatchObject({ token_id: theirs.token_id, type: 't6', totp_step: 30, created: T0 + 2 });
    expect(conflicts.map(decoded)).toEqual([{ field: 'type', rule: 'same-serial', kept: 't6', lost: 'h6' }]);
  });

  it('records nothing when the two imports agree, and unions their users', () => {
    const ours = assignUser(createToken({ serial: 'SN-1', type: 'h6' }, T0 + 1), 'U-a', T0 + 1);
    const theirs = createToken({ serial: 'SN-1', type: 'h6' }, T0 + 2);
    const { merged, conflicts } = mergeTokens(undefined, live(ours), live(theirs), OPTS);
    expect(merged.users).toEqual(['U-a']);
    expect(conflicts.filter((c) => c.field !== 'users')).toEqual([]);
  });

  it('treats a re-import after a delete as an import (the tombstone is no base)', () => {
    const old: Token = createToken({ serial: 'SN-1', type: 'h6' }, T0);
    const ours = createToken({ serial: 'SN-1', type: 'h8' }, T0 + 1);
    const theirs = createToken({ serial: 'SN-1', type: 'yk' }, T0 + 2);
    const { merged, conflicts } = mergeTokens(tombstone(old), live(ours), live(theirs), OPTS);
    expect(merged).toMatchObject({ type: 'yk', _deleted: false });
    expect(conflicts.map((c) => c.rule)).toEqual(['same-serial']);
  });

  it('lets a re-import win over a replica that still holds the old tombstone', () => {
    const old = tombstone(createToken({ serial: 'SN-1', type: 'h6' }, T0));
    const theirs = live(createToken({ serial: 'SN-1', type: 'h8' }, T0 + 2));
    const { merged, conflicts } = mergeTokens(old, old, theirs, OPTS);
    expect(merged).toEqual(theirs);
    expect(conflicts).toEqual([]);
  });
});

describe('scalar-only collections: u2f, administrators, audit', () => {
  it('merges an administrator field by field, the hub first on the same field', () => {
    const base = { admin_id: 'DE1', name: 'Ann', email: 'ann@example.com', role: 'Help Desk' as const, status: 'Active' as const, created: T0 };
    const ours = { ...base, role: 'Administrator' as const, email: 'ann@corp.example' };
    const theirs = { ...base, role: 'Read-only' as const };
    const { merged, conflicts } = mergeAdmins(live(base), live(ours), live(theirs), OPTS);
    expect(merged).toMatchObject({ role: 'Read-only', email: 'ann@corp.example' });
    expect(conflicts.map((c) => [c.rule, c.field])).toEqual([['first-accepted-wins', 'role']]);
  });

  it('lets a deleted U2F registration win over a label edit', () => {
    const base = { registration_id: 'DR1', kind: 'u2f' as const, user_id: 'U-a', credential_name: 'key', label: 'old', date_added: 1 };
    const { merged, conflicts } = mergeU2f(live(base), live({ ...base, label: 'new' }), tombstone(base), OPTS);
    expect(merged._deleted).toBe(true);
    expect(conflicts.map((c) => [c.rule, c.field, c.lost])).toEqual([['explicit-delete-wins', 'label', '"new"']]);
  });

  it('meets a replayed audit event without a conflict', () => {
    const event = { event_id: 'E1', time: T0, admin_id: 'DE1', admin_name: 'Ann', action: 'x', entity: 'user', entity_id: 'U-a', summary: 's' };
    expect(mergeAudit(undefined, live(event), live(event), OPTS)).toEqual({ merged: live(event), conflicts: [] });
  });

  it('dispatches by collection name', () => {
    const base = mobile('P1', 'U-alice');
    const viaName = mergeDocument('phones', live(base), live(updatePhone(base, { name: 'A' }, T0 + 1)), live(base), OPTS);
    expect(viaName.merged.name).toBe('A');
  });
});

describe('edge cases', () => {
  it('records no conflict when both sides made the same change', () => {
    const base = mobile('P1', 'U-alice');
    const ours = updatePhone(attachUser(base, 'U-bob', T0 + 1), { name: 'Same' }, T0 + 1);
    const theirs = updatePhone(attachUser(base, 'U-bob', T0 + 5), { name: 'Same' }, T0 + 5);
    const { merged, conflicts } = mergePhones(live(base), live(ours), live(theirs), OPTS);
    expect(merged).toEqual({ ...theirs, _deleted: false });
    expect(conflicts).toEqual([]);
  });

  it('merges two implicit deletes into one, with no conflict', () => {
    const base = shared('P1', ['U-a', 'U-b']);
    const ours = detached(detachUser(base, 'U-a', T0 + 1).phone, 'U-b', T0 + 1);
    const theirs = detached(detachUser(base, 'U-b', T0 + 2).phone, 'U-a', T0 + 2);
    const { merged, conflicts } = mergePhones(live(base), ours, theirs, OPTS);
    expect(merged).toMatchObject({ deletion: 'implicit', _deleted: true });
    expect(conflicts).toEqual([]);
  });

  it('merges a concurrent insert of one id (no base): equal fields silently, differing ones by the hub', () => {
    const ours = { ...user('alice', T0 + 1), realname: 'Alice A.' };
    const theirs = { ...user('alice', T0 + 2), realname: 'Alice B.' };
    const { merged, conflicts } = mergeUsers(undefined, live(ours), live(theirs), OPTS);
    expect(merged).toMatchObject({ realname: 'Alice B.', created: T0 + 2, updated: T0 + 2 });
    expect(conflicts.map(decoded)).toEqual([
      { field: 'realname', rule: 'first-accepted-wins', kept: 'Alice B.', lost: 'Alice A.' },
    ]);
  });

  it('is deterministic: the same inputs give the same document and the same conflict ids', () => {
    const base = mobile('P1', 'U-alice');
    const run = () =>
      mergePhones(live(base), live(updatePhone(base, { name: 'A' }, T0 + 1)), live(updatePhone(base, { name: 'B' }, T0 + 2)));
    expect(run()).toEqual(run());
    expect(run().conflicts[0]?.time).toBe(T0 + 2);
    expect(run().conflicts[0]?.admin_id).toBeUndefined();
  });

  it('ignores RxDB bookkeeping fields in its inputs and never returns them', () => {
    const base = { ...live(mobile('P1', 'U-alice')), _rev: '1-a', _meta: { lwt: 1 } };
    const ours = { ...live(updatePhone(base, { name: 'A' }, T0 + 1)), _rev: '2-b', _meta: { lwt: 2 } };
    const { merged } = mergeDocument('phones', base, ours, base);
    expect(Object.keys(merged).filter((k) => k.startsWith('_'))).toEqual(['_deleted']);
    expect(merged.name).toBe('A');
  });

  it('only produces rules of the table', () => {
    const base = mobile('P1', 'U-alice');
    const { conflicts } = mergePhones(live(base), live(updatePhone(base, { name: 'A' }, 1)), live(updatePhone(base, { name: 'B' }, 2)));
    for (const c of conflicts) expect(CONFLICT_RULES).toContain(c.rule);
  });
});

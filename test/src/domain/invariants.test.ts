import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isFactordeskError } from '../../../src/errors.js';
import { checkInvariants, type DataSet } from '../../../src/domain/invariants.js';
import { attachUser, createPhone, detachUser, isDeleted, markDeleted } from '../../../src/domain/phone.js';
import type { Phone, Token, User } from '../../../src/domain/schemas.js';
import { assignUser, createToken, unassignUser } from '../../../src/domain/token.js';
import { movePhone, orderedPhones, withPhoneAppended, withPhoneRemoved } from '../../../src/domain/user.js';
import { mobile, T0, user } from './fixtures.js';

const kinds = (d: DataSet) => checkInvariants(d).map((v) => v.kind);

describe('checkInvariants', () => {
  const alice = { ...user('alice'), phone_order: ['P1'] };
  const p1 = mobile('P1', alice.user_id);
  const token = assignUser(createToken({ serial: 'S1', type: 'h6' }, T0), alice.user_id, T0);

  it('is empty for a consistent data set', () => {
    expect(checkInvariants({ users: [alice], phones: [p1], tokens: [token] })).toEqual([]);
  });

  it('reports a live device without a user, but not a deleted one', () => {
    const orphan = { ...p1, users: [] };
    const v = checkInvariants({ users: [alice], phones: [orphan], tokens: [] });
    expect(v).toEqual([{ kind: 'orphan-device', id: 'P1', message: 'device P1 is live but has no user' }]);
    expect(kinds({ users: [alice], phones: [detachUser(p1, alice.user_id, T0).phone], tokens: [] })).toEqual([]);
    expect(kinds({ users: [alice], phones: [markDeleted(p1, T0)], tokens: [] })).toEqual([]);
  });

  it('reports a device attached to a missing user', () => {
    const v = checkInvariants({ users: [alice], phones: [attachUser(p1, 'U-ghost', T0)], tokens: [] });
    expect(v.map((x) => x.kind)).toEqual(['device-user-missing']);
    expect(v[0]?.message).toContain('U-ghost');
  });

  it('reports a user listed twice on one device', () => {
    expect(kinds({ users: [alice], phones: [{ ...p1, users: ['U-alice', 'U-alice'] }], tokens: [] })).toContain(
      'duplicate-attachment',
    );
  });

  it('reports duplicate token serials', () => {
    const v = checkInvariants({ users: [alice], phones: [], tokens: [token, { ...token }] });
    expect(v.map((x) => x.kind)).toEqual(['duplicate-serial']);
    expect(v[0]?.message).toContain('serial S1');
  });

  it('reports a token_id that does not match its serial', () => {
    const v = checkInvariants({ users: [alice], phones: [], tokens: [{ ...token, token_id: 'DHWRONG' }] });
    expect(v.map((x) => x.kind)).toEqual(['token-id-mismatch']);
    expect(v[0]?.message).toContain(token.token_id);
  });

  it('reports a token assigned to a missing user', () => {
    expect(kinds({ users: [], phones: [], tokens: [token] })).toEqual(['token-user-missing']);
  });

  it('reports usernames that differ only by case', () => {
    const other = { ...user('ALICE'), user_id: 'U-2' };
    expect(kinds({ users: [user('alice'), other], phones: [], tokens: [] })).toEqual(['duplicate-username']);
  });

  it('reports aliases that are not contiguous (a phone listed twice breaks phone1..n)', () => {
    expect(kinds({ users: [alice], phones: [p1, { ...p1 }], tokens: [] })).toContain('aliases-not-contiguous');
  });
});

/** A tiny in-memory store applying commands the way the daemon does, through the domain functions. */
interface State {
  users: User[];
  phones: Phone[];
  tokens: Token[];
  nextId: number;
  now: number;
}

type Command =
  | { kind: 'addUser' }
  | { kind: 'addPhone'; u: number; tablet: boolean }
  | { kind: 'attach'; p: number; u: number }
  | { kind: 'detach'; p: number; u: number }
  | { kind: 'reorder'; u: number; p: number; position: number }
  | { kind: 'deletePhone'; p: number }
  | { kind: 'deleteUser'; u: number }
  | { kind: 'addToken'; serial: number }
  | { kind: 'assignToken'; t: number; u: number }
  | { kind: 'unassignToken'; t: number; u: number };

const idx = fc.nat({ max: 12 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.constant<Command>({ kind: 'addUser' }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('addPhone' as const), u: idx, tablet: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('attach' as const), p: idx, u: idx }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('detach' as const), p: idx, u: idx }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant('reorder' as const), u: idx, p: idx, position: fc.integer({ min: 0, max: 6 }) }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('deletePhone' as const), p: idx }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('deleteUser' as const), u: idx }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('addToken' as const), serial: fc.nat({ max: 5 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('assignToken' as const), t: idx, u: idx }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('unassignToken' as const), t: idx, u: idx }), weight: 1 },
);

const pick = <T>(list: readonly T[], i: number): T | undefined => (list.length ? list[i % list.length] : undefined);
const put = <T, K extends keyof T>(list: T[], item: T, key: K): T[] => {
  const rest = list.filter((x) => x[key] !== item[key]);
  return [...rest, item];
};

function apply(s: State, c: Command): State {
  const now = s.now + 1;
  const fresh = (p: string) => `${p}${s.nextId}`;
  const next = { ...s, now, nextId: s.nextId + 1 };
  const livePhones = s.phones.filter((p) => !isDeleted(p));
  switch (c.kind) {
    case 'addUser':
      return { ...next, users: [...s.users, { ...user(fresh('u'), now), user_id: fresh('U') }] };
    case 'addPhone': {
      const u = pick(s.users, c.u);
      if (!u) return s;
      const fields = c.tablet ? { type: 'tablet' } : { type: 'mobile', number: `+1555${String(s.nextId).padStart(7, '0')}` };
      const phone = createPhone(fields, u.user_id, now, fresh('P'));
      return { ...next, phones: [...s.phones, phone], users: put(s.users, withPhoneAppended(u, phone.phone_id, now), 'user_id') };
    }
    case 'attach': {
      const p = pick(s.phones, c.p);
      const u = pick(s.users, c.u);
      if (!p || !u) return s;
      const phone = attachUser(p, u.user_id, now);
      return { ...next, phones: put(s.phones, phone, 'phone_id'), users: put(s.users, withPhoneAppended(u, p.phone_id, now), 'user_id') };
    }
    case 'detach': {
      const p = pick(livePhones, c.p);
      const u = p && pick(p.users, c.u);
      const owner = u && s.users.find((x) => x.user_id === u);
      if (!p || !owner) return s;
      const { phone } = detachUser(p, owner.user_id, now);
      return { ...next, phones: put(s.phones, phone, 'phone_id'), users: put(s.users, withPhoneRemoved(owner, p.phone_id, now), 'user_id') };
    }
    case 'reorder': {
      const u = pick(s.users, c.u);
      const mine = u ? orderedPhones(u, s.phones) : [];
      const p = pick(mine, c.p);
      if (!u || !p) return s;
      // Mostly valid positions; position 0 stays as an out-of-range move that must change nothing.
      const position = c.position === 0 ? 0 : 1 + (c.position % mine.length);
      return { ...next, users: put(s.users, movePhone(u, s.phones, p.phone.phone_id, position, now), 'user_id') };
    }
    case 'deletePhone': {
      const p = pick(livePhones, c.p);
      if (!p) return s;
      let users = s.users;
      for (const id of p.users) {
        const u = users.find((x) => x.user_id === id);
        if (u) users = put(users, withPhoneRemoved(u, p.phone_id, now), 'user_id');
      }
      return { ...next, users, phones: put(s.phones, markDeleted(p, now), 'phone_id') };
    }
    case 'deleteUser': {
      const u = pick(s.users, c.u);
      if (!u) return s;
      const phones = s.phones.map((p) => (!isDeleted(p) && p.users.includes(u.user_id) ? detachUser(p, u.user_id, now).phone : p));
      const tokens = s.tokens.map((t) => (t.users.includes(u.user_id) ? unassignUser(t, u.user_id, now) : t));
      return { ...next, phones, tokens, users: s.users.filter((x) => x.user_id !== u.user_id) };
    }
    case 'addToken': {
      const serial = `SER-${c.serial}`;
      // Like the daemon: a serial that exists is refused, so serials stay unique.
      if (s.tokens.some((t) => t.serial === serial)) return s;
      return { ...next, tokens: [...s.tokens, createToken({ serial, type: c.serial % 2 ? 'h6' : 't6' }, now)] };
    }
    case 'assignToken': {
      const t = pick(s.tokens, c.t);
      const u = pick(s.users, c.u);
      if (!t || !u) return s;
      return { ...next, tokens: put(s.tokens, assignUser(t, u.user_id, now), 'token_id') };
    }
    case 'unassignToken': {
      const t = pick(s.tokens, c.t);
      const u = t && pick(t.users, c.u);
      if (!t || !u) return s;
      return { ...next, tokens: put(s.tokens, unassignUser(t, u, now), 'token_id') };
    }
  }
}

/** Applies a command; a refusal by the domain (bad position, already attached...) leaves the state unchanged. */
function step(s: State, c: Command): State {
  try {
    return apply(s, c);
  } catch (e) {
    if (isFactordeskError(e) && ['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT'].includes(e.code)) return s;
    throw e;
  }
}

describe('property: random command sequences keep the invariants', () => {
  it('checkInvariants stays empty and every user has aliases phone1..n over exactly its live devices', () => {
    const applied: Record<string, number> = {};
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 60, size: 'max' }), (commands) => {
        let s: State = { users: [], phones: [], tokens: [], nextId: 1, now: T0 };
        for (const c of commands) {
          const before = s;
          s = step(s, c);
          if (s !== before) applied[c.kind] = (applied[c.kind] ?? 0) + 1;
          const violations = checkInvariants(s);
          if (violations.length) throw new Error(`after ${JSON.stringify(c)}: ${JSON.stringify(violations)}`);
          for (const u of s.users) {
            const ordered = orderedPhones(u, s.phones);
            const live = s.phones.filter((p) => !isDeleted(p) && p.users.includes(u.user_id)).map((p) => p.phone_id);
            expect(ordered.map((o) => o.alias)).toEqual(live.map((_, i) => `phone${i + 1}`));
            expect(ordered.map((o) => o.phone.phone_id).sort()).toEqual([...live].sort());
          }
        }
      }),
      { numRuns: 200 },
    );
    // Commands that changed the state, by kind: shows the sequences exercise every transition.
    console.log('invariant property, applied commands:', applied);
    for (const kind of ['addPhone', 'attach', 'detach', 'reorder', 'deletePhone', 'deleteUser', 'assignToken']) {
      expect(applied[kind] ?? 0).toBeGreaterThan(0);
    }
  });

  it('a reorder puts the moved phone at the asked alias and keeps the others in their relative order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), fc.nat(), (n, from, to) => {
        const u0 = user('alice');
        const phones = Array.from({ length: n }, (_, i) => mobile(`P${i}`, u0.user_id, T0 + i));
        const u = { ...u0, phone_order: phones.map((p) => p.phone_id) };
        const moved = `P${from % n}`;
        const position = (to % n) + 1;
        const after = orderedPhones(movePhone(u, phones, moved, position, T0), phones);
        expect(after[position - 1]?.phone.phone_id).toBe(moved);
        const othersBefore = phones.map((p) => p.phone_id).filter((id) => id !== moved);
        expect(after.map((o) => o.phone.phone_id).filter((id) => id !== moved)).toEqual(othersBefore);
      }),
    );
  });
});

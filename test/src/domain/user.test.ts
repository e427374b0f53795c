import { describe, it, expect } from 'vitest';
import { attachUser, detachUser, markDeleted } from '../../../src/domain/phone.js';
import type { Phone, User } from '../../../src/domain/schemas.js';
import {
  createUser,
  movePhone,
  normalizeUserInput,
  orderedPhones,
  phoneIdForAlias,
  sameUsername,
  setStatus,
  usernameKey,
  withPhoneAppended,
  withPhoneRemoved,
} from '../../../src/domain/user.js';
import { mobile, T0, tablet, thrown, user } from './fixtures.js';

const aliases = (u: User, phones: Phone[]) => orderedPhones(u, phones).map((o) => `${o.alias}=${o.phone.phone_id}`);

describe('normalizeUserInput', () => {
  it('trims fields and defaults realname and email to empty', () => {
    expect(normalizeUserInput({ username: '  Alice ' })).toEqual({ username: 'Alice', realname: '', email: '' });
    expect(normalizeUserInput({ username: 'bob', realname: ' Bob B ', email: ' bob@example.com ' })).toEqual({
      username: 'bob',
      realname: 'Bob B',
      email: 'bob@example.com',
    });
  });

  it('requires a username', () => {
    const e = thrown(() => normalizeUserInput({ username: '   ' }));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toBe('username is required');
  });

  it('limits usernames to 128 characters', () => {
    expect(normalizeUserInput({ username: 'a'.repeat(128) }).username).toHaveLength(128);
    expect(thrown(() => normalizeUserInput({ username: 'a'.repeat(129) })).userMessage).toBe(
      'username is 129 characters; at most 128 are allowed',
    );
  });

  it('refuses whitespace and control characters in usernames', () => {
    for (const bad of ['alice smith', 'tab\there', 'bell\u0007']) {
      const e = thrown(() => normalizeUserInput({ username: bad }));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.userMessage).toContain('contains spaces or control characters');
    }
  });

  it('validates e-mail loosely', () => {
    for (const ok of ['a@b', 'first.last+tag@sub.example.org']) expect(normalizeUserInput({ username: 'a', email: ok }).email).toBe(ok);
    for (const bad of ['alice', 'a@', '@b', 'a b@c', 'a@b@c']) {
      const e = thrown(() => normalizeUserInput({ username: 'a', email: bad }));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.userMessage).toContain('name@example.com');
    }
  });
});

describe('usernames compare case-insensitively but are stored as typed', () => {
  it('keeps the case given', () => {
    expect(createUser({ username: 'Alice' }, T0, 'U1').username).toBe('Alice');
  });

  it('compares without case', () => {
    expect(sameUsername('Alice', 'alice')).toBe(true);
    expect(sameUsername('alice', 'alicia')).toBe(false);
    expect(usernameKey('ALICE')).toBe('alice');
  });
});

describe('createUser', () => {
  it('creates an active user with no devices', () => {
    expect(createUser({ username: 'alice', email: 'a@example.com' }, T0, 'U1')).toEqual({
      user_id: 'U1',
      username: 'alice',
      realname: '',
      email: 'a@example.com',
      status: 'active',
      phone_order: [],
      created: T0,
      updated: T0,
    });
  });
});

describe('orderedPhones', () => {
  const alice = user('alice');
  const a = mobile('PA', alice.user_id, T0 + 2);
  const b = mobile('PB', alice.user_id, T0 + 1);
  const c = tablet('PC', alice.user_id, T0 + 1);

  it('follows phone_order and numbers aliases from phone1', () => {
    const u = { ...alice, phone_order: ['PC', 'PA', 'PB'] };
    expect(aliases(u, [a, b, c])).toEqual(['phone1=PC', 'phone2=PA', 'phone3=PB']);
  });

  it('puts phones missing from phone_order last, by created then phone_id', () => {
    const u = { ...alice, phone_order: ['PA'] };
    expect(aliases(u, [a, c, b])).toEqual(['phone1=PA', 'phone2=PB', 'phone3=PC']);
  });

  it('ignores ids in phone_order that are not attached, keeping aliases contiguous', () => {
    const u = { ...alice, phone_order: ['GONE', 'PB', 'OTHER', 'PA'] };
    expect(aliases(u, [a, b])).toEqual(['phone1=PB', 'phone2=PA']);
  });

  it('ignores phones of other users and deleted phones, and duplicate ids in phone_order', () => {
    const other = mobile('PX', 'U-bob');
    const gone = markDeleted(mobile('PD', alice.user_id), T0);
    const u = { ...alice, phone_order: ['PB', 'PB', 'PA', 'PD', 'PX'] };
    expect(aliases(u, [a, b, other, gone])).toEqual(['phone1=PB', 'phone2=PA']);
  });

  it('finds a phone by alias', () => {
    const u = { ...alice, phone_order: ['PB', 'PA'] };
    expect(phoneIdForAlias(u, [a, b], 'phone2')).toBe('PA');
    expect(phoneIdForAlias(u, [a, b], 'PHONE1')).toBe('PB');
    expect(phoneIdForAlias(u, [a, b], 'phone3')).toBeUndefined();
  });
});

describe('movePhone', () => {
  const alice = { ...user('alice'), phone_order: ['P1', 'P2', 'P3'] };
  const phones = ['P1', 'P2', 'P3'].map((id, i) => mobile(id, alice.user_id, T0 + i));

  it('moves a phone to a 1-based position; the aliases follow (phone2 becomes phone1)', () => {
    const next = movePhone(alice, phones, 'P2', 1, T0 + 10);
    expect(next.phone_order).toEqual(['P2', 'P1', 'P3']);
    expect(next.updated).toBe(T0 + 10);
    expect(aliases(next, phones)).toEqual(['phone1=P2', 'phone2=P1', 'phone3=P3']);
  });

  it('moves down as well as up, and to the same place', () => {
    expect(movePhone(alice, phones, 'P1', 3, T0).phone_order).toEqual(['P2', 'P3', 'P1']);
    expect(movePhone(alice, phones, 'P2', 2, T0).phone_order).toEqual(['P1', 'P2', 'P3']);
  });

  it('rewrites phone_order to the full order, dropping stale ids and adding unordered phones', () => {
    const u = { ...alice, phone_order: ['STALE', 'P3'] };
    expect(movePhone(u, phones, 'P1', 1, T0).phone_order).toEqual(['P1', 'P3', 'P2']);
  });

  it('refuses an out-of-range position, naming the user and the valid range', () => {
    const two = phones.slice(0, 2);
    const e = thrown(() => movePhone(alice, two, 'P1', 5, T0));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toBe('position 5 is out of range: alice has 2 phones (1–2)');
    expect(thrown(() => movePhone(alice, two, 'P1', 0, T0)).userMessage).toContain('position 0 is out of range');
    expect(thrown(() => movePhone(alice, two, 'P1', 1.5, T0)).code).toBe('INVALID_INPUT');
    expect(thrown(() => movePhone(alice, phones.slice(0, 1), 'P1', 2, T0)).userMessage).toBe(
      'position 2 is out of range: alice has 1 phone (1–1)',
    );
  });

  it('refuses a phone that is not attached to the user with NOT_FOUND', () => {
    const other = mobile('PX', 'U-bob');
    const e = thrown(() => movePhone(alice, [...phones, other], 'PX', 1, T0));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.userMessage).toBe('device +15550100000 is not attached to alice');
    expect(thrown(() => movePhone(alice, phones, 'NOPE', 1, T0)).userMessage).toBe('device NOPE is not attached to alice');
  });
});

describe('withPhoneAppended / withPhoneRemoved', () => {
  it('appends a phone last, moving it if it was already listed', () => {
    const u = { ...user('alice'), phone_order: ['P1', 'P2'] };
    expect(withPhoneAppended(u, 'P3', T0 + 1).phone_order).toEqual(['P1', 'P2', 'P3']);
    expect(withPhoneAppended(u, 'P1', T0 + 1).phone_order).toEqual(['P2', 'P1']);
    expect(withPhoneAppended(u, 'P3', T0 + 1).updated).toBe(T0 + 1);
  });

  it('removes a phone from the order', () => {
    const u = { ...user('alice'), phone_order: ['P1', 'P2', 'P3'] };
    expect(withPhoneRemoved(u, 'P2', T0).phone_order).toEqual(['P1', 'P3']);
    expect(withPhoneRemoved(u, 'P9', T0).phone_order).toEqual(['P1', 'P2', 'P3']);
  });
});

describe('aliases stay contiguous after add / remove / reorder sequences', () => {
  it('keeps phone1..n after each step of a scripted sequence', () => {
    let alice = user('alice');
    let phones: Phone[] = [];
    const check = (expected: string[]) => {
      const got = aliases(alice, phones);
      expect(got).toEqual(expected);
    };
    const add = (id: string) => {
      phones = [...phones, mobile(id, alice.user_id, T0 + phones.length)];
      alice = withPhoneAppended(alice, id, T0);
    };
    const replace = (p: Phone) => {
      phones = phones.map((q) => (q.phone_id === p.phone_id ? p : q));
    };

    add('P1');
    add('P2');
    add('P3');
    check(['phone1=P1', 'phone2=P2', 'phone3=P3']);

    alice = movePhone(alice, phones, 'P3', 1, T0);
    check(['phone1=P3', 'phone2=P1', 'phone3=P2']);

    // Detaching the middle phone: P2 moves up to phone2.
    replace(detachUser(phones.find((p) => p.phone_id === 'P1')!, alice.user_id, T0).phone);
    alice = withPhoneRemoved(alice, 'P1', T0);
    check(['phone1=P3', 'phone2=P2']);

    add('P4');
    check(['phone1=P3', 'phone2=P2', 'phone3=P4']);

    // Explicitly deleting phone1 (without touching the order): P2 becomes phone1.
    replace(markDeleted(phones.find((p) => p.phone_id === 'P3')!, T0));
    check(['phone1=P2', 'phone2=P4']);

    // Another user's attach of P2 does not change alice's aliases.
    replace(attachUser(phones.find((p) => p.phone_id === 'P2')!, 'U-bob', T0));
    check(['phone1=P2', 'phone2=P4']);

    alice = movePhone(alice, phones, 'P2', 2, T0);
    check(['phone1=P4', 'phone2=P2']);
  });
});

describe('setStatus', () => {
  it('sets active, bypass or disabled in any case', () => {
    const u = user('alice');
    expect(setStatus(u, 'disabled', T0 + 1)).toMatchObject({ status: 'disabled', updated: T0 + 1 });
    expect(setStatus(u, 'Bypass', T0).status).toBe('bypass');
    expect(setStatus({ ...u, status: 'disabled' }, 'active', T0).status).toBe('active');
  });

  it('refuses locked out, which only the service sets, explaining why', () => {
    const e = thrown(() => setStatus(user('alice'), 'locked out', T0));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toContain('set by the service');
    expect(e.userMessage).toContain('active, bypass, disabled');
  });

  it('refuses unknown statuses, listing the accepted ones', () => {
    const e = thrown(() => setStatus(user('alice'), 'frozen', T0));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toBe("status 'frozen' is not a user status; use one of: active, bypass, disabled");
  });
});

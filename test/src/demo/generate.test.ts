import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { getValidator } from 'rxdb/plugins/validate-ajv';
import type { RxJsonSchema } from 'rxdb';
import { ROLES, TOKEN_TYPES, USER_STATUSES } from '../../../src/domain/enums.js';
import { COLLECTIONS } from '../../../src/domain/schemas.js';
import { FactordeskError } from '../../../src/errors.js';
import { generateDemoData, type DemoData } from '../../../src/demo/generate.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const DAY = 86_400_000;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID_PATTERNS = new Map(['DU', 'DP', 'DE', 'DR'].map((p) => [p, new RegExp(`^${p}[${CROCKFORD}]{18}$`)]));
const idPattern = (prefix: 'DU' | 'DP' | 'DE' | 'DR') => ID_PATTERNS.get(prefix)!;

/** Independent of the generator's code: sha256 → bits → 5-bit groups → Crockford base32. */
function expectedTokenId(serial: string): string {
  const bits = [...createHash('sha256').update(serial).digest()].map((b) => b.toString(2).padStart(8, '0')).join('');
  let body = '';
  for (let i = 0; i < 18; i++) body += CROCKFORD[parseInt(bits.slice(i * 5, i * 5 + 5), 2)];
  return `DH${body}`;
}

/** Validates with RxDB's own ajv setup; unknown fields are refused so nothing stray (or secret) slips in. */
function validatorFor(collection: keyof typeof COLLECTIONS): (doc: unknown) => unknown[] {
  const schema = { ...COLLECTIONS[collection], additionalProperties: false } as RxJsonSchema<unknown>;
  const validate = getValidator(schema);
  return (doc) => validate(doc as never) as unknown[];
}

function schemaProblems(data: DemoData): unknown[] {
  const problems: unknown[] = [];
  const pairs = [
    ['users', data.users],
    ['phones', data.phones],
    ['tokens', data.tokens],
    ['u2f', data.u2f],
    ['admins', data.admins],
  ] as const;
  for (const [collection, docs] of pairs) {
    const validate = validatorFor(collection);
    for (const doc of docs) {
      const errors = validate(doc);
      if (errors.length > 0 && problems.length < 5) problems.push({ collection, doc, errors });
    }
  }
  return problems;
}

function share<T>(items: readonly T[], pred: (t: T) => boolean): number {
  return items.filter(pred).length / items.length;
}

/**
 * The invariants every generated set must keep, whatever its size. Problems are collected and asserted
 * once: a million separate expect() calls would take most of a minute on the enterprise set.
 */
function consistencyProblems(data: DemoData): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: () => string) => {
    if (!ok && problems.length < 20) problems.push(what());
  };
  const userIds = new Set(data.users.map((u) => u.user_id));
  const adminIds = new Set(data.admins.map((a) => a.admin_id));
  check(userIds.size === data.users.length, () => 'user ids repeat');
  check(new Set(data.phones.map((p) => p.phone_id)).size === data.phones.length, () => 'phone ids repeat');
  check(new Set(data.users.map((u) => u.username)).size === data.users.length, () => 'usernames repeat');
  check(new Set(data.tokens.map((t) => t.serial)).size === data.tokens.length, () => 'serials repeat');
  check(new Set(data.tokens.map((t) => t.token_id)).size === data.tokens.length, () => 'token ids repeat');
  const numbers = data.phones.map((p) => p.number).filter((n) => n !== '');
  check(new Set(numbers).size === numbers.length, () => 'phone numbers repeat');

  // phone_order is exactly the set of phones whose `users` name the user, without repeats.
  const attached = new Map<string, Set<string>>();
  for (const phone of data.phones) {
    const id = phone.phone_id;
    check(idPattern('DP').test(id), () => `bad phone id ${id}`);
    check(phone.users.length >= 1 && phone.users.length <= 3, () => `${id} has ${phone.users.length} users`);
    check(new Set(phone.users).size === phone.users.length, () => `${id} lists a user twice`);
    for (const u of phone.users) {
      check(userIds.has(u), () => `${id} names unknown user ${u}`);
      if (!attached.has(u)) attached.set(u, new Set());
      attached.get(u)!.add(id);
    }
    check(phone.number === '' || /^\+1555[2-9]\d{6}$/.test(phone.number), () => `${id} number ${phone.number}`);
    check(phone.deletion === '', () => `${id} deletion '${phone.deletion}'`);
    check(phone.created <= phone.updated && phone.updated <= NOW, () => `${id} times out of order`);
    if (phone.last_seen !== '') {
      const seen = Date.parse(phone.last_seen);
      check(seen <= NOW && seen >= NOW - 90 * DAY, () => `${id} last seen ${phone.last_seen}`);
    }
    const flags = [phone.encrypted, phone.fingerprint, phone.screenlock, phone.tampered];
    if (phone.type === 'landline') {
      check(phone.platform === 'unknown' && phone.number !== '', () => `landline ${id} has a platform or no number`);
      check(flags.every((f) => f === 'Unknown'), () => `landline ${id} reports security flags`);
    }
    if (phone.type === 'tablet') check(phone.number === '', () => `tablet ${id} has a number`);
    if (!phone.activated) check(flags.every((f) => f === 'Unknown'), () => `inactive ${id} reports security flags`);
    if (phone.activated && phone.platform === 'apple ios') {
      const major = Number(phone.os_version.split('.')[0]);
      check((phone.type === 'tablet' ? /^iPad/ : /^iPhone/).test(phone.model), () => `${id} iOS ${phone.type} is a ${phone.model}`);
      check(major >= 15 && major <= 18, () => `${id} runs iOS ${phone.os_version}`);
    }
    if (phone.activated && phone.platform === 'google android') {
      const major = Number(phone.os_version);
      check(!/^iP(hone|ad)/.test(phone.model), () => `${id} Android is a ${phone.model}`);
      check(major >= 10 && major <= 15, () => `${id} runs Android ${phone.os_version}`);
    }
  }
  for (const user of data.users) {
    const id = user.user_id;
    check(idPattern('DU').test(id), () => `bad user id ${id}`);
    check(user.phone_order.length <= 3, () => `${id} has ${user.phone_order.length} phones`);
    const order = new Set(user.phone_order);
    const expected = attached.get(id) ?? new Set<string>();
    check(order.size === user.phone_order.length, () => `${id} phone_order repeats a phone`);
    check(order.size === expected.size && [...order].every((p) => expected.has(p)), () => `${id} phone_order differs from attachments`);
    check(user.email === `${user.username}@example.com`, () => `${id} e-mail ${user.email}`);
    // first.last, or first.m.last for a repeated name pair, matching the real name.
    check(/^[a-z-]+(\.[a-z])?\.[a-z-]+$/.test(user.username), () => `${id} username ${user.username}`);
    const fromRealname = user.realname.toLowerCase().replace(/[^a-z -]/g, '').split(' ').join('.');
    check(fromRealname === user.username, () => `${id} ${user.realname} is not ${user.username}`);
    check(user.created <= user.updated && user.updated <= NOW, () => `${id} times out of order`);
  }
  for (const token of data.tokens) {
    const id = token.token_id;
    const totp = token.type === 't6' || token.type === 't8';
    check(id === expectedTokenId(token.serial), () => `${id} is not derived from serial ${token.serial}`);
    check(totp ? [30, 60].includes(token.totp_step) : token.totp_step === 0, () => `${id} ${token.type} step ${token.totp_step}`);
    check(token.origin === (token.type === 'd1' ? 'vendor' : 'third-party'), () => `${id} ${token.type} origin ${token.origin}`);
    check(token.users.every((u) => userIds.has(u)), () => `${id} names an unknown user`);
    check(token.admins.every((a) => adminIds.has(a)), () => `${id} names an unknown admin`);
    // Only the schema's fields: no seed, key or other secret travels with a demo token.
    check(Object.keys(token).sort().join() === Object.keys(COLLECTIONS.tokens.properties).sort().join(), () => `${id} has other fields`);
  }
  for (const reg of data.u2f) {
    check(idPattern('DR').test(reg.registration_id), () => `bad registration id ${reg.registration_id}`);
    check(userIds.has(reg.user_id), () => `${reg.registration_id} names an unknown user`);
    check(reg.date_added <= NOW / 1000, () => `${reg.registration_id} added in the future`);
  }
  for (const admin of data.admins) check(idPattern('DE').test(admin.admin_id), () => `bad admin id ${admin.admin_id}`);
  return problems;
}

describe('generateDemoData: small', () => {
  const small = generateDemoData({ size: 'small', now: NOW });

  it('is deterministic: the same options give deep-equal data', () => {
    expect(generateDemoData({ size: 'small', now: NOW })).toEqual(small);
    expect(generateDemoData({ size: 'small', now: NOW, seed: 7 })).toEqual(generateDemoData({ size: 'small', now: NOW, seed: 7 }));
  });

  it('gives different data for a different seed', () => {
    const other = generateDemoData({ size: 'small', now: NOW, seed: 'another' });
    expect(other.users.map((u) => u.user_id)).not.toEqual(small.users.map((u) => u.user_id));
    expect(other.users.map((u) => u.username)).not.toEqual(small.users.map((u) => u.username));
  });

  it('has the small counts: 40 users, 50 phones, 24 tokens, 8 U2F, one administrator per role', () => {
    expect(small.users).toHaveLength(40);
    expect(small.phones).toHaveLength(50);
    expect(small.tokens).toHaveLength(24);
    expect(small.u2f).toHaveLength(8);
    expect(small.admins.map((a) => a.role).sort()).toEqual([...ROLES].sort());
  });

  it('shows every case a demo should: all token types, statuses, device kinds, shared devices, flags', () => {
    expect(new Set(small.tokens.map((t) => t.type))).toEqual(new Set(TOKEN_TYPES));
    expect(new Set(small.users.map((u) => u.status))).toEqual(new Set(USER_STATUSES));
    expect(new Set(small.phones.map((p) => p.type))).toEqual(new Set(['mobile', 'tablet', 'landline']));
    expect(small.phones.some((p) => p.users.length > 1)).toBe(true);
    expect(small.users.some((u) => u.phone_order.length === 0)).toBe(true);
    expect(small.users.some((u) => u.phone_order.length >= 2)).toBe(true);
    expect(small.phones.some((p) => p.tampered === 'Tampered')).toBe(true);
    expect(small.phones.some((p) => p.encrypted === 'Unencrypted')).toBe(true);
    expect(small.phones.some((p) => p.last_seen === '')).toBe(true);
    expect(small.tokens.some((t) => t.admins.length > 0)).toBe(true);
    expect(small.tokens.some((t) => t.users.length > 0)).toBe(true);
    expect(new Set(small.u2f.map((r) => r.kind))).toEqual(new Set(['u2f', 'webauthn']));
  });

  it('satisfies every RxDB schema', () => {
    expect(schemaProblems(small)).toEqual([]);
  });

  it('keeps attachments, uniqueness and field rules consistent', () => {
    expect(consistencyProblems(small)).toEqual([]);
  });

  it('(the consistency and schema checks do catch a broken set)', () => {
    const broken = structuredClone(small);
    const holder = broken.users.find((u) => u.phone_order.length > 0)!;
    holder.phone_order.push(broken.phones.find((p) => !p.users.includes(holder.user_id))!.phone_id);
    broken.tokens[0]!.totp_step = 45;
    broken.users[0]!.status = 'zombie' as never;
    (broken.tokens[1] as unknown as Record<string, unknown>).secret = 'JBSWY3DPEHPK3PXP';
    expect(consistencyProblems(broken).join('\n')).toMatch(/phone_order differs[\s\S]*step 45[\s\S]*has other fields/);
    expect(schemaProblems(broken)).toHaveLength(2);
  });
});

describe('generateDemoData: enterprise', () => {
  let data: DemoData;
  beforeAll(() => {
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    data = generateDemoData({ size: 'enterprise', now: NOW });
    const ms = performance.now() - t0;
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    console.log(`enterprise demo data: ${ms.toFixed(0)} ms, heap +${heapMb.toFixed(0)} MB`);
  });

  it('has the enterprise counts and a few dozen administrators of every role', () => {
    expect(data.users).toHaveLength(100_000);
    expect(data.phones).toHaveLength(120_000);
    expect(data.tokens).toHaveLength(20_000);
    expect(data.u2f).toHaveLength(5_000);
    expect(data.admins.length).toBeGreaterThanOrEqual(24);
    expect(data.admins.length).toBeLessThanOrEqual(60);
    expect(new Set(data.admins.map((a) => a.role))).toEqual(new Set(ROLES));
    expect(data.admins.filter((a) => a.role === 'Owner').every((a) => a.status === 'Active')).toBe(true);
    expect(data.admins.some((a) => a.status === 'Disabled')).toBe(true);
  });

  it('shares about 10% of phones with 2–3 users and leaves some users without phones', () => {
    const shared = share(data.phones, (p) => p.users.length > 1);
    expect(shared).toBeGreaterThan(0.09);
    expect(shared).toBeLessThan(0.11);
    expect(data.phones.some((p) => p.users.length === 3)).toBe(true);
    const without = share(data.users, (u) => u.phone_order.length === 0);
    expect(without).toBeGreaterThan(0.05);
    expect(without).toBeLessThan(0.12);
    expect(data.users.some((u) => u.phone_order.length === 3)).toBe(true);
  });

  it('has platforms in fleet proportions: iOS ~55%, Android ~40%, landlines, tablets and others', () => {
    expect(share(data.phones, (p) => p.platform === 'apple ios')).toBeCloseTo(0.55, 2);
    expect(share(data.phones, (p) => p.platform === 'google android')).toBeCloseTo(0.4, 2);
    expect(share(data.phones, (p) => p.type === 'tablet')).toBeCloseTo(0.085, 2);
    expect(share(data.phones, (p) => p.type === 'landline')).toBeCloseTo(0.03, 2);
    for (const platform of ['windows phone', 'rim blackberry', 'generic smartphone']) {
      expect(data.phones.some((p) => p.platform === platform)).toBe(true);
    }
    // Recent iOS majors dominate.
    const ios = data.phones.filter((p) => p.platform === 'apple ios' && p.os_version !== '');
    expect(share(ios, (p) => p.os_version.startsWith('18.'))).toBeGreaterThan(share(ios, (p) => p.os_version.startsWith('15.')));
    const models = new Set(data.phones.map((p) => p.model));
    for (const m of ['iPhone 15', 'Pixel 8', 'Galaxy S23', 'iPad Air (5th generation)']) expect(models.has(m)).toBe(true);
  });

  it('has security flags in realistic shares: most encrypted and locked, a few tampered', () => {
    const reporting = data.phones.filter((p) => p.activated);
    expect(share(reporting, (p) => p.encrypted === 'Encrypted')).toBeGreaterThan(0.9);
    expect(share(reporting, (p) => p.screenlock === 'Locked')).toBeGreaterThan(0.9);
    const tampered = share(reporting, (p) => p.tampered === 'Tampered');
    expect(tampered).toBeGreaterThan(0);
    expect(tampered).toBeLessThan(0.03);
    expect(share(data.phones, (p) => p.last_seen === '')).toBeGreaterThan(0);
    expect(share(data.phones, (p) => p.last_seen === '')).toBeLessThan(0.2);
  });

  it('has users mostly active, with some disabled, bypass and locked out', () => {
    expect(share(data.users, (u) => u.status === 'active')).toBeGreaterThan(0.85);
    for (const status of USER_STATUSES) expect(data.users.some((u) => u.status === status)).toBe(true);
  });

  it('has tokens of every type, some assigned to users, some to administrators', () => {
    for (const type of TOKEN_TYPES) expect(data.tokens.some((t) => t.type === type)).toBe(true);
    expect(share(data.tokens, (t) => t.users.length > 0)).toBeGreaterThan(0.5);
    expect(data.tokens.some((t) => t.users.length === 0)).toBe(true);
    expect(data.tokens.filter((t) => t.admins.length > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps attachments, uniqueness and field rules consistent', () => {
    expect(consistencyProblems(data)).toEqual([]);
  });

  it('satisfies every RxDB schema', () => {
    expect(schemaProblems(data)).toEqual([]);
  });
});

describe('generateDemoData: custom counts', () => {
  it('generates the requested counts', () => {
    const data = generateDemoData({ size: { users: 5, phones: 15, tokens: 3, u2f: 2, admins: 1 }, now: NOW });
    expect([data.users.length, data.phones.length, data.tokens.length, data.u2f.length, data.admins.length]).toEqual([5, 15, 3, 2, 1]);
    expect(consistencyProblems(data)).toEqual([]);
    expect(schemaProblems(data)).toEqual([]);
  });

  it('generates an empty set for zero counts', () => {
    expect(generateDemoData({ size: { users: 0, phones: 0, tokens: 0, u2f: 0, admins: 0 }, now: NOW })).toEqual({
      users: [],
      phones: [],
      tokens: [],
      u2f: [],
      admins: [],
    });
  });

  it.each([
    [{ users: 2, phones: 7, tokens: 0, u2f: 0, admins: 0 }, /at most 3/],
    [{ users: -1, phones: 0, tokens: 0, u2f: 0, admins: 0 }, /whole number/],
    [{ users: 1.5, phones: 0, tokens: 0, u2f: 0, admins: 0 }, /whole number/],
    [{ users: 0, phones: 0, tokens: 0, u2f: 1, admins: 0 }, /need at least one user/],
  ])('refuses impossible counts %o with INVALID_INPUT', (size, message) => {
    const attempt = () => generateDemoData({ size, now: NOW });
    expect(attempt).toThrow(FactordeskError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (e) {
      expect((e as FactordeskError).code).toBe('INVALID_INPUT');
    }
  });

  it('refuses a `now` that is not epoch milliseconds', () => {
    expect(() => generateDemoData({ size: 'small', now: Number.NaN })).toThrow(FactordeskError);
    expect(() => generateDemoData({ size: 'small', now: 12.5 })).toThrow(FactordeskError);
  });
});

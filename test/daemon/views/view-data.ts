/**
 * Test data for the views: hand-sized builders with readable ids, and a seeded generator of large data
 * sets (users with 1–3 devices, some shared devices, tokens, U2F, administrators, audit events).
 */
import type { Admin, AuditEvent, Phone, Token, U2fRegistration, User } from '../../../src/domain/schemas.js';
import type { Platform } from '../../../src/domain/enums.js';

export const T0 = Date.UTC(2024, 5, 1); // 2024-06-01T00:00:00Z
export const DAY = 86_400_000;

/** A user `U-<username>` with the given phone order. */
export function makeUser(username: string, fields: Partial<User> = {}): User {
  return {
    user_id: `U-${username}`,
    username,
    realname: '',
    email: `${username}@example.com`,
    status: 'active',
    phone_order: [],
    created: T0,
    updated: T0,
    ...fields,
  };
}

/** A mobile device attached to `users` (user_ids). */
export function makePhone(phoneId: string, users: string[], fields: Partial<Phone> = {}): Phone {
  return {
    phone_id: phoneId,
    number: '',
    extension: '',
    name: '',
    type: 'mobile',
    platform: 'apple ios',
    model: '',
    os_family: '',
    os_version: '',
    activated: true,
    sms_passcodes_sent: false,
    capabilities: ['auto', 'push', 'sms'],
    encrypted: 'Unknown',
    fingerprint: 'Unknown',
    screenlock: 'Unknown',
    tampered: 'Unknown',
    last_seen: '',
    users,
    deletion: '',
    created: T0,
    updated: T0,
    ...fields,
  };
}

/** A hardware token with id `T-<serial>`. */
export function makeToken(serial: string, fields: Partial<Token> = {}): Token {
  return {
    token_id: `T-${serial}`,
    serial,
    type: 'h6',
    totp_step: 0,
    users: [],
    admins: [],
    origin: 'third-party',
    created: T0,
    updated: T0,
    ...fields,
  };
}

/** A U2F registration `R-<id>` of a user. */
export function makeU2f(id: string, userId: string, fields: Partial<U2fRegistration> = {}): U2fRegistration {
  return { registration_id: `R-${id}`, kind: 'webauthn', user_id: userId, credential_name: '', label: '', date_added: T0 / 1000, ...fields };
}

/** An administrator `A-<id>`. */
export function makeAdmin(id: string, name: string, fields: Partial<Admin> = {}): Admin {
  return { admin_id: `A-${id}`, name, email: `${id}@corp.example`, role: 'Administrator', status: 'Active', created: T0, ...fields };
}

/** An audit event `E-<id>`. */
export function makeAudit(id: string, time: number, fields: Partial<AuditEvent> = {}): AuditEvent {
  return {
    event_id: `E-${id}`,
    time,
    admin_id: 'A-1',
    admin_name: 'Jane Admin',
    action: 'phone.attach',
    entity: 'phone',
    entity_id: 'P-1',
    summary: '',
    ...fields,
  };
}

/** A small seeded PRNG (mulberry32), so generated data is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DataSet {
  users: User[];
  phones: Phone[];
  tokens: Token[];
  u2f: U2fRegistration[];
  admins: Admin[];
  audit: AuditEvent[];
}

export interface DataSetSize {
  users: number;
  phones: number;
  tokens?: number;
  u2f?: number;
  admins?: number;
  audit?: number;
}

const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'zoe'];
const LAST = ['smith', 'jones', 'garcia', 'miller', 'davis', 'lopez', 'wilson', 'moore', 'taylor', 'thomas', 'white', 'harris'];
const MODELS: [Platform, string, string[]][] = [
  ['apple ios', 'iPhone 15', ['17.4.1', '17.2', '16.7.5', '15.8']],
  ['apple ios', 'iPad Air', ['17.1', '16.6', '16.2']],
  ['google android', 'Pixel 8', ['14', '13', '12']],
  ['google android', 'Galaxy S23', ['14', '13.1']],
  ['windows phone', 'Lumia 950', ['10.0']],
  ['generic smartphone', '', ['']],
];
const ENCRYPTED = ['Encrypted', 'Unencrypted', 'Unknown'] as const;
const FINGERPRINT = ['Configured', 'Disabled', 'Unknown'] as const;
const SCREENLOCK = ['Locked', 'Unlocked', 'Unknown'] as const;
const TAMPERED = ['Tampered', 'Not Tampered', 'Unknown'] as const;

/**
 * A data set of the given size, the same for the same seed. Each phone belongs to a random user; about
 * 5% of phones are shared with a second user. Users' phone_order lists their phones (some in reverse).
 */
export function generateDataSet(size: DataSetSize, seed = 1): DataSet {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const users: User[] = [];
  for (let i = 0; i < size.users; i++) {
    const username = `${pick(FIRST)}.${pick(LAST)}${i}`;
    users.push(makeUser(username, { user_id: `U${String(i).padStart(7, '0')}`, realname: username.replace('.', ' '), created: T0 + i }));
  }
  const phones: Phone[] = [];
  for (let i = 0; i < size.phones; i++) {
    const owner = users[i < size.users ? i : Math.floor(random() * size.users)]!;
    const members = [owner.user_id];
    if (random() < 0.05) {
      const other = pick(users).user_id;
      if (other !== owner.user_id) members.push(other);
    }
    const [platform, model, versions] = pick(MODELS);
    const seen = random() < 0.1 ? '' : new Date(T0 - Math.floor(random() * 200) * DAY).toISOString();
    const phone = makePhone(`P${String(i).padStart(7, '0')}`, members, {
      number: random() < 0.8 ? `+1555${String(Math.floor(random() * 1e7)).padStart(7, '0')}` : '',
      name: random() < 0.3 ? `${owner.username.split('.')[0]}'s ${model || 'phone'}` : '',
      type: model.startsWith('iPad') ? 'tablet' : 'mobile',
      platform,
      model,
      os_family: platform === 'apple ios' ? 'iOS' : platform === 'google android' ? 'Android' : '',
      os_version: pick(versions),
      activated: random() < 0.85,
      encrypted: pick(ENCRYPTED),
      fingerprint: pick(FINGERPRINT),
      screenlock: pick(SCREENLOCK),
      tampered: random() < 0.02 ? 'Tampered' : pick(TAMPERED),
      last_seen: seen,
      created: T0 + i,
    });
    phones.push(phone);
    for (const m of members) {
      const u = users[Number(m.slice(1))]!;
      u.phone_order.push(phone.phone_id);
    }
  }
  for (const u of users) if (u.phone_order.length > 1 && random() < 0.3) u.phone_order.reverse();
  const admins: Admin[] = [];
  for (let i = 0; i < (size.admins ?? 10); i++) admins.push(makeAdmin(String(i), `${pick(FIRST)} ${pick(LAST)}`));
  const tokens: Token[] = [];
  for (let i = 0; i < (size.tokens ?? 0); i++) {
    tokens.push(
      makeToken(String(100000 + i), {
        type: pick(['h6', 'h8', 't6', 'yk', 'd1'] as const),
        users: random() < 0.7 ? [pick(users).user_id] : [],
        admins: random() < 0.01 && admins.length > 0 ? [pick(admins).admin_id] : [],
        origin: random() < 0.2 ? 'vendor' : 'third-party',
      }),
    );
  }
  const u2f: U2fRegistration[] = [];
  for (let i = 0; i < (size.u2f ?? 0); i++) u2f.push(makeU2f(String(i), pick(users).user_id, { kind: pick(['u2f', 'webauthn'] as const), label: `key ${i}` }));
  const audit: AuditEvent[] = [];
  for (let i = 0; i < (size.audit ?? 0); i++) {
    audit.push(makeAudit(String(i).padStart(7, '0'), T0 - i * 60_000, { action: pick(['phone.attach', 'phone.delete', 'user.add', 'token.assign']) }));
  }
  return { users, phones, tokens, u2f, admins, audit };
}

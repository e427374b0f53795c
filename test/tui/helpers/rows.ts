/** Row builders for TUI tests: complete rows with sensible defaults, overridden per test. */
import type { Phone, Token, User } from '../../../src/domain/schemas.js';
import type { AdminRow, AuditRow, DeviceRow, DeviceUserRef, TokenRow, U2fRow, UserDetail, UserRow } from '../../../src/rpc/contract.js';

const T0 = Date.UTC(2024, 3, 1);

/** A phone document. */
export function phone(over: Partial<Phone> & { phone_id: string }): Phone {
  return {
    number: '',
    extension: '',
    name: '',
    type: 'mobile',
    platform: 'apple ios',
    model: 'iPhone 15',
    os_family: 'iOS',
    os_version: '17.4',
    activated: true,
    sms_passcodes_sent: false,
    capabilities: ['push', 'sms'],
    encrypted: 'Encrypted',
    fingerprint: 'Configured',
    screenlock: 'Locked',
    tampered: 'Not Tampered',
    last_seen: '2024-04-30T10:00:00Z',
    users: [],
    deletion: '',
    created: T0,
    updated: T0,
    ...over,
  };
}

/** A devices-view row: the phone with its users (user_id, username, alias). */
export function deviceRow(p: Phone, refs: DeviceUserRef[]): DeviceRow {
  return { ...p, users: refs.map((r) => r.user_id), user_refs: refs, shared: refs.length > 1 };
}

/** A user document. */
export function user(over: Partial<User> & { user_id: string; username: string }): User {
  return { realname: '', email: '', status: 'active', phone_order: [], created: T0, updated: T0, ...over };
}

/** A users-view row. */
export function userRow(u: User, counts: Partial<Pick<UserRow, 'phone_count' | 'token_count' | 'u2f_count'>> = {}): UserRow {
  return { ...u, phone_count: 0, token_count: 0, u2f_count: 0, ...counts };
}

/** A token document. */
export function token(over: Partial<Token> & { token_id: string; serial: string }): Token {
  return { type: 'h6', totp_step: 0, users: [], admins: [], origin: 'third-party', created: T0, updated: T0, ...over };
}

/** A tokens-view row. */
export function tokenRow(t: Token, usernames: string[] = [], adminNames: string[] = []): TokenRow {
  return { ...t, usernames, admin_names: adminNames };
}

/** A U2F-view row. */
export function u2fRow(over: Partial<U2fRow> & { registration_id: string; user_id: string; username: string }): U2fRow {
  return { kind: 'webauthn', credential_name: 'YubiKey 5 NFC', label: 'Work key', date_added: 1714000000, ...over };
}

/** An administrators-view row. */
export function adminRow(over: Partial<AdminRow> & { admin_id: string; name: string }): AdminRow {
  return { email: `${over.name.toLowerCase().replace(/\s+/g, '.')}@example.com`, role: 'Administrator', status: 'Active', created: T0, token_serials: [], ...over };
}

/** An audit row. */
export function auditRow(over: Partial<AuditRow> & { event_id: string; summary: string }): AuditRow {
  return { time: T0, admin_id: 'DEADMIN0000000000001', admin_name: 'ada', action: 'phone.add', entity: 'phone', entity_id: 'DP1', ...over };
}

/** users.get for a user and their phones in order. */
export function userDetail(u: User, phones: Phone[], tokens: Token[] = []): UserDetail {
  return { user: u, phones: phones.map((p, i) => ({ alias: `phone${i + 1}`, phone: p })), tokens, u2f: [] };
}

import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/filter/parse.js';
import { ageSign, compileFilter, filterKey, holds, narrows, timeHolds, usesClock, versionMatcher } from '../../../src/filter/match.js';
import { indexRow, versionCode } from '../../../src/filter/indexed-row.js';
import type { AdminRow, AuditRow, DeviceRow, EntityName, RowTypes, TokenRow, U2fRow, UserRow } from '../../../src/rpc/contract.js';
import { DAY, T0, makeAdmin, makeAudit, makePhone, makeToken, makeU2f, makeUser } from '../../daemon/views/view-data.js';

const NOW = T0;
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

function device(id: string, usernames: string[], fields: Parameters<typeof makePhone>[2] = {}): DeviceRow {
  const phone = makePhone(id, usernames.map((u) => `U-${u}`), fields);
  return {
    ...phone,
    user_refs: usernames.map((u, i) => ({ user_id: `U-${u}`, username: u, alias: `phone${i + 1}` })),
    shared: usernames.length > 1,
  };
}

const DEVICES: DeviceRow[] = [
  device('P-a', ['alice'], {
    platform: 'apple ios', os_version: '17.4.1', model: 'iPhone 15', name: "Alice's iPhone", number: '+15550100001',
    encrypted: 'Encrypted', fingerprint: 'Configured', screenlock: 'Locked', tampered: 'Not Tampered', last_seen: ago(1),
  }),
  device('P-b', ['bob', 'alice'], {
    platform: 'apple ios', os_version: '16.2', model: 'iPad Air', type: 'tablet', name: 'Front desk iPad',
    encrypted: 'Unencrypted', tampered: 'Tampered', activated: false, last_seen: ago(45),
  }),
  device('P-c', ['carol'], {
    platform: 'google android', os_version: '14', model: 'Pixel 8', number: '+44 20 7946 0000', encrypted: 'Unknown', last_seen: '',
  }),
  device('P-d', ['dave'], { platform: 'windows phone', os_version: '', type: 'landline', number: '+1 (555) 010-0002', last_seen: ago(10) }),
  device('P-e', ['alicia'], { platform: 'generic smartphone', os_version: '9.3', model: 'Nokia', last_seen: ago(400) }),
];

/** The ids of the rows of `entity` matching `filter`. */
function ids<E extends EntityName>(entity: E, rows: RowTypes[E][], filter: string, idOf: (row: RowTypes[E]) => string): string[] {
  const match = compileFilter(parseFilter(entity, filter), { now: NOW });
  return rows.filter((row) => match(indexRow(entity, row))).map(idOf);
}

const devices = (filter: string) => ids('devices', DEVICES, filter, (r) => r.phone_id);

describe('compileFilter on devices', () => {
  it('matches everything with an empty filter', () => {
    expect(devices('')).toEqual(['P-a', 'P-b', 'P-c', 'P-d', 'P-e']);
  });

  it('matches platform by alias and by part of a label', () => {
    expect(devices('platform:ios')).toEqual(['P-a', 'P-b']);
    expect(devices('platform:windows')).toEqual(['P-d']);
    expect(devices('-platform:ios')).toEqual(['P-c', 'P-d', 'P-e']);
  });

  it('matches the type', () => {
    expect(devices('type:tablet')).toEqual(['P-b']);
    expect(devices('type:landline')).toEqual(['P-d']);
  });

  it('compares OS versions on the precision given', () => {
    expect(devices('os:17')).toEqual(['P-a']);
    expect(devices('os:<17')).toEqual(['P-b', 'P-c', 'P-e']);
    expect(devices('os:<=17')).toEqual(['P-a', 'P-b', 'P-c', 'P-e']);
    expect(devices('os:>16')).toEqual(['P-a']);
    expect(devices('os:>=16.2')).toEqual(['P-a', 'P-b']);
    expect(devices('os:16.2')).toEqual(['P-b']);
    expect(devices('os:>9')).toEqual(['P-a', 'P-b', 'P-c']);
    expect(devices('os:<10')).toEqual(['P-e']);
  });

  it('matches devices without an OS version with os:unknown, and no comparison matches them', () => {
    expect(devices('os:unknown')).toEqual(['P-d']);
    expect(devices('os:<100')).not.toContain('P-d');
    expect(devices('-os:<100')).toEqual(['P-d']);
  });

  it('matches yes/no/unknown security properties', () => {
    expect(devices('encrypted:yes')).toEqual(['P-a']);
    expect(devices('encrypted:no')).toEqual(['P-b']);
    expect(devices('encrypted:unknown')).toEqual(['P-c', 'P-d', 'P-e']);
    expect(devices('tampered:yes')).toEqual(['P-b']);
    expect(devices('tampered:no')).toEqual(['P-a']);
    expect(devices('fingerprint:yes screenlock:yes')).toEqual(['P-a']);
  });

  it('matches activated and shared', () => {
    expect(devices('activated:no')).toEqual(['P-b']);
    expect(devices('shared:yes')).toEqual(['P-b']);
    expect(devices('shared:no')).toEqual(['P-a', 'P-c', 'P-d', 'P-e']);
  });

  it('matches an attached username by prefix, or exactly with =', () => {
    expect(devices('user:alice')).toEqual(['P-a', 'P-b']);
    expect(devices('user:ali')).toEqual(['P-a', 'P-b', 'P-e']);
    expect(devices('user:=ali')).toEqual([]);
    expect(devices('user:=alicia')).toEqual(['P-e']);
    expect(devices('user:lice')).toEqual([]);
    expect(devices('-user:alice')).toEqual(['P-c', 'P-d', 'P-e']);
  });

  it('compares the number of users', () => {
    expect(devices('users:>1')).toEqual(['P-b']);
    expect(devices('users:1')).toEqual(['P-a', 'P-c', 'P-d', 'P-e']);
  });

  it('matches last_seen ages, counting never-seen devices as the oldest', () => {
    expect(devices('last_seen:>30d')).toEqual(['P-b', 'P-c', 'P-e']);
    expect(devices('last_seen:<7d')).toEqual(['P-a']);
    expect(devices('last_seen:<=2w')).toEqual(['P-a', 'P-d']);
    expect(devices('last_seen:never')).toEqual(['P-c']);
    expect(devices('last_seen:>30d -last_seen:never')).toEqual(['P-b', 'P-e']);
    expect(devices('last_seen:>1y')).toEqual(['P-c', 'P-e']);
  });

  it('matches last_seen against dates', () => {
    const day = (d: number) => new Date(NOW - d * DAY).toISOString().slice(0, 10);
    expect(devices(`last_seen:${day(10)}`)).toEqual(['P-d']);
    expect(devices(`last_seen:<${day(10)}`)).toEqual(['P-b', 'P-c', 'P-e']);
    expect(devices(`last_seen:<=${day(10)}`)).toEqual(['P-b', 'P-c', 'P-d', 'P-e']);
    expect(devices(`last_seen:>${day(10)}`)).toEqual(['P-a']);
    expect(devices(`last_seen:>=${day(10)}`)).toEqual(['P-a', 'P-d']);
  });

  it('matches model, name and number text', () => {
    expect(devices('model:ipad')).toEqual(['P-b']);
    expect(devices(`name:"alice's iphone"`)).toEqual(['P-a']);
    expect(devices('name:ipad')).toEqual(['P-b']);
    expect(devices('number:555')).toEqual(['P-a', 'P-d']);
    expect(devices('number:"555-010-0002"')).toEqual(['P-d']);
    expect(devices('number:=442079460000')).toEqual(['P-c']);
  });

  it('matches free words anywhere in the row, case-insensitively, all of them', () => {
    expect(devices('ALICE')).toEqual(['P-a', 'P-b']);
    expect(devices('alic')).toEqual(['P-a', 'P-b', 'P-e']);
    expect(devices('pixel')).toEqual(['P-c']);
    expect(devices('P-D')).toEqual(['P-d']);
    expect(devices('google')).toEqual(['P-c']);
    expect(devices('"front desk"')).toEqual(['P-b']);
    expect(devices('alice ipad')).toEqual(['P-b']);
    expect(devices('alic -ipad')).toEqual(['P-a', 'P-e']);
  });

  it('does not match a phrase across two fields', () => {
    // The model "iPad Air" and the name "Front desk iPad" are separate fields of P-b.
    expect(devices('"ipad front"')).toEqual([]);
  });

  it('ANDs key terms and free words', () => {
    expect(devices('platform:ios os:<17 encrypted:no tampered:yes shared:yes user:alice front desk')).toEqual(['P-b']);
  });
});

describe('compileFilter on the other entities', () => {
  it('matches users by username, name, email, status and counts', () => {
    const rows: UserRow[] = [
      { ...makeUser('alice', { realname: 'Alice Smith', status: 'active' }), phone_count: 2, token_count: 0, u2f_count: 1 },
      { ...makeUser('bob', { realname: 'Bob Jones', email: 'bob@corp.example', status: 'locked out' }), phone_count: 0, token_count: 1, u2f_count: 0 },
    ];
    const users = (f: string) => ids('users', rows, f, (r) => r.username);
    expect(users('username:al')).toEqual(['alice']);
    expect(users('name:jones')).toEqual(['bob']);
    expect(users('email:corp')).toEqual(['bob']);
    expect(users('status:locked')).toEqual(['bob']);
    expect(users('phones:0')).toEqual(['bob']);
    expect(users('tokens:>=1')).toEqual(['bob']);
    expect(users('u2f:>0')).toEqual(['alice']);
    expect(users('smith')).toEqual(['alice']);
  });

  it('matches tokens by type, serial, user, admin and origin', () => {
    const rows: TokenRow[] = [
      { ...makeToken('123456', { type: 'h6', users: ['U-alice'] }), usernames: ['alice'], admin_names: [] },
      { ...makeToken('YK-9', { type: 'yk', admins: ['A-1'], origin: 'vendor' }), usernames: [], admin_names: ['Jane Admin'] },
    ];
    const tokens = (f: string) => ids('tokens', rows, f, (r) => r.serial);
    expect(tokens('type:hotp')).toEqual(['123456']);
    expect(tokens('type:yubikey')).toEqual(['YK-9']);
    expect(tokens('serial:345')).toEqual(['123456']);
    expect(tokens('user:ali')).toEqual(['123456']);
    expect(tokens('users:0')).toEqual(['YK-9']);
    expect(tokens('admin:jane')).toEqual(['YK-9']);
    expect(tokens('origin:vendor')).toEqual(['YK-9']);
    expect(tokens('origin:third')).toEqual(['123456']);
  });

  it('matches U2F registrations by kind, user and name', () => {
    const rows: U2fRow[] = [
      { ...makeU2f('1', 'U-alice', { kind: 'u2f', credential_name: 'YubiKey 5' }), username: 'alice' },
      { ...makeU2f('2', 'U-bob', { kind: 'webauthn', label: 'Touch ID' }), username: 'bob' },
    ];
    const u2f = (f: string) => ids('u2f', rows, f, (r) => r.registration_id);
    expect(u2f('kind:webauthn')).toEqual(['R-2']);
    expect(u2f('user:bo')).toEqual(['R-2']);
    expect(u2f('name:yubikey')).toEqual(['R-1']);
    expect(u2f('name:touch')).toEqual(['R-2']);
  });

  it('matches administrators by role, name, email, status and token', () => {
    const rows: AdminRow[] = [
      { ...makeAdmin('1', 'Jane Admin', { role: 'Owner' }), token_serials: ['123456'] },
      { ...makeAdmin('2', 'Hal Desk', { role: 'Help Desk', status: 'Disabled' }), token_serials: [] },
    ];
    const admins = (f: string) => ids('admins', rows, f, (r) => r.admin_id);
    expect(admins('role:owner')).toEqual(['A-1']);
    expect(admins('role:help')).toEqual(['A-2']);
    expect(admins('status:disabled')).toEqual(['A-2']);
    expect(admins('name:hal')).toEqual(['A-2']);
    expect(admins('email:1@')).toEqual(['A-1']);
    expect(admins('token:123')).toEqual(['A-1']);
  });

  it('matches audit events by admin, action, entity, id and time bounds', () => {
    const rows: AuditRow[] = [
      makeAudit('1', Date.UTC(2024, 0, 31, 23, 59), { action: 'phone.delete', entity: 'phone', entity_id: 'DP123' }),
      makeAudit('2', Date.UTC(2024, 1, 1, 0, 0), { admin_name: 'Hal Desk', admin_id: 'A-2', action: 'user.add', entity: 'user', entity_id: 'DU9' }),
      makeAudit('3', NOW - 2 * DAY, { action: 'token.assign', entity: 'token', entity_id: 'DH1' }),
    ];
    const audit = (f: string) => ids('audit', rows, f, (r) => r.event_id);
    expect(audit('admin:hal')).toEqual(['E-2']);
    expect(audit('admin:a-2')).toEqual(['E-2']);
    expect(audit('action:delete')).toEqual(['E-1']);
    expect(audit('entity:user')).toEqual(['E-2']);
    expect(audit('id:DP')).toEqual(['E-1']);
    expect(audit('until:2024-01-31')).toEqual(['E-1']);
    expect(audit('since:2024-02-01')).toEqual(['E-2', 'E-3']);
    expect(audit('since:2024-01-31 until:2024-02-01')).toEqual(['E-1', 'E-2']);
    expect(audit('since:7d')).toEqual(['E-3']);
    expect(audit('until:7d')).toEqual(['E-1', 'E-2']);
  });
});

describe('primitives', () => {
  it('applies comparisons to a sign, NaN holding for none', () => {
    expect([holds('<', -1), holds('<=', 0), holds('>', 1), holds('>=', 0), holds('=', 0)]).toEqual([true, true, true, true, true]);
    expect([holds('<', 0), holds('>', 0), holds('=', 1)]).toEqual([false, false, false]);
    expect(['<', '<=', '>', '>=', '='].map((op) => holds(op as '<', NaN))).toEqual([false, false, false, false, false]);
  });

  it('compares versions on the precision of the query', () => {
    const v = versionCode([17, 4, 1]);
    expect(versionMatcher('=', [17])(v)).toBe(true);
    expect(versionMatcher('=', [17, 4])(v)).toBe(true);
    expect(versionMatcher('=', [17, 5])(v)).toBe(false);
    expect(versionMatcher('<', [17])(v)).toBe(false);
    expect(versionMatcher('<', [17, 5])(v)).toBe(true);
    expect(versionMatcher('>', [9])(versionCode([10]))).toBe(true);
  });

  it('treats a missing time as older than any age and before any date', () => {
    expect(ageSign(NOW, null)).toBe(Infinity);
    expect(ageSign(NOW, NaN)).toBe(Infinity);
    expect(timeHolds('<', 0, 1, null)).toBe(true);
    expect(timeHolds('>=', 0, 1, null)).toBe(false);
  });

  it('says which filters depend on the clock', () => {
    expect(usesClock(parseFilter('devices', 'last_seen:>30d'))).toBe(true);
    expect(usesClock(parseFilter('audit', 'since:7d'))).toBe(true);
    expect(usesClock(parseFilter('devices', 'last_seen:<2024-01-01 alice'))).toBe(false);
  });

  it('gives two spellings of one filter the same key', () => {
    expect(filterKey(parseFilter('devices', 'PLATFORM:iOS   alice'))).toBe(filterKey(parseFilter('devices', 'platform:ios Alice')));
    expect(filterKey(parseFilter('devices', 'platform:ios'))).not.toBe(filterKey(parseFilter('devices', '-platform:ios')));
  });
});

describe('narrows', () => {
  const n = (a: string, b: string, entity: EntityName = 'devices') => narrows(parseFilter(entity, a), parseFilter(entity, b));

  it('is true when the new filter adds a term or lengthens a word', () => {
    expect(n('', 'alice')).toBe(true);
    expect(n('ali', 'alic')).toBe(true);
    expect(n('ali', 'xalix')).toBe(true);
    expect(n('platform:ios', 'platform:ios os:<17')).toBe(true);
    expect(n('user:al', 'user:ali')).toBe(true);
    expect(n('name:pad', 'name:ipad')).toBe(true);
    expect(n('user:al', 'user:=alice')).toBe(true);
    expect(n('platform:i', 'platform:ios')).toBe(true);
    expect(n('-alice', '-ali')).toBe(true);
    expect(n('-platform:ios', '-platform:i')).toBe(true);
  });

  it('is false when the new filter may match rows the old one did not', () => {
    expect(n('alice', 'ali')).toBe(false);
    expect(n('user:ali', 'user:xali')).toBe(false);
    expect(n('-ali', '-alice')).toBe(false);
    expect(n('os:<1', 'os:<17')).toBe(false);
    expect(n('platform:ios', 'platform:i')).toBe(false);
    expect(n('alice', '-alice')).toBe(false);
    expect(n('platform:ios', 'alice')).toBe(false);
    expect(n('name:ipad', 'model:ipad')).toBe(false);
    expect(n('a', 'a', 'users')).toBe(true);
    expect(narrows(parseFilter('users', 'a'), parseFilter('devices', 'a'))).toBe(false);
  });
});

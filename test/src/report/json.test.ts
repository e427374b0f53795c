import { describe, expect, it } from 'vitest';
import { reportColumns } from '../../../src/report/columns.js';
import { toCsv } from '../../../src/report/csv.js';
import { toJson } from '../../../src/report/json.js';
import { ENTITIES } from '../../../src/rpc/contract.js';
import { adminRow, auditRow, deviceRow, hotpRow, landlineRow, tokenRow, u2fRow, userRow } from './fixtures.js';

describe('toJson', () => {
  it('writes devices field by field with typed values, labels and user refs as objects', () => {
    expect(JSON.parse(toJson('devices', [deviceRow, landlineRow]))).toEqual([
      {
        phone_id: 'DPFZRS9FB0D46QFTM899',
        name: "Alice's iPhone, work",
        number: '+15552010100',
        extension: '',
        type: 'Mobile',
        platform: 'Apple iOS',
        model: 'iPhone 15',
        os_version: '17.5.1',
        activated: true,
        encrypted: 'Encrypted',
        fingerprint: 'Configured',
        screenlock: 'Locked',
        tampered: 'Not Tampered',
        last_seen: '2025-05-30T08:15:00.000Z',
        users: [
          { user_id: 'DUAAAAAAAAAAAAAAAAAA', username: 'alice', alias: 'phone1' },
          { user_id: 'DUBBBBBBBBBBBBBBBBBB', username: 'bob', alias: 'phone2' },
        ],
        shared: true,
      },
      {
        phone_id: 'DPLANDLINE0000000000',
        name: 'Front desk',
        number: '+15553000001',
        extension: '1234',
        type: 'Landline',
        platform: 'Unknown',
        model: 'Unknown',
        os_version: '',
        activated: false,
        encrypted: 'Unknown',
        fingerprint: 'Unknown',
        screenlock: 'Unknown',
        tampered: 'Unknown',
        last_seen: null,
        users: [{ user_id: 'DUAAAAAAAAAAAAAAAAAA', username: 'alice', alias: 'phone2' }],
        shared: false,
      },
    ]);
  });

  it('writes users, tokens, U2F, administrators and audit with numbers, nulls and arrays', () => {
    expect(JSON.parse(toJson('users', [userRow]))).toEqual([
      {
        user_id: 'DUAAAAAAAAAAAAAAAAAA',
        username: 'alice',
        realname: 'Alice "Al" Smith',
        email: 'alice@example.com',
        status: 'locked out',
        phone_count: 2,
        token_count: 1,
        u2f_count: 0,
      },
    ]);
    expect(JSON.parse(toJson('tokens', [tokenRow, hotpRow]))).toEqual([
      {
        token_id: 'DH0123456789ABCDEFGH',
        serial: 'T2C000000042',
        type: 't6',
        totp_step: 30,
        origin: 'third-party',
        usernames: ['alice', 'bob'],
        admin_names: ['Olga Owner'],
      },
      {
        token_id: 'DH9999999999999999AA',
        serial: '1000000001',
        type: 'd1',
        totp_step: null,
        origin: 'vendor',
        usernames: [],
        admin_names: [],
      },
    ]);
    expect(JSON.parse(toJson('u2f', [u2fRow]))).toEqual([
      {
        registration_id: 'DRAAAAAAAAAAAAAAAAAA',
        kind: 'webauthn',
        username: 'alice',
        user_id: 'DUAAAAAAAAAAAAAAAAAA',
        credential_name: 'YubiKey 5 NFC',
        label: 'Work key',
        date_added: 1_717_243_200,
      },
    ]);
    expect(JSON.parse(toJson('admins', [adminRow]))).toEqual([
      {
        admin_id: 'DEAAAAAAAAAAAAAAAAAA',
        name: 'Olga Owner',
        email: 'olga@example.com',
        role: 'Owner',
        status: 'Active',
        token_serials: ['T2C000000042', 'C20000000007'],
      },
    ]);
    expect(JSON.parse(toJson('audit', [auditRow]))).toEqual([
      {
        event_id: '00lxyz12340000000000',
        time: 1_717_243_200_123,
        admin_id: 'DEAAAAAAAAAAAAAAAAAA',
        admin_name: 'Olga Owner',
        action: 'phones.delete',
        entity: 'phone',
        entity_id: 'DPFZRS9FB0D46QFTM899',
        summary: 'deleted +15552010100 (alice phone1, bob phone2)',
      },
    ]);
  });

  it('keeps column order and leaves out everything else, including stray secrets and extra ref fields', () => {
    const leaky = {
      ...deviceRow,
      secret: 'JBSWY3DPEHPK3PXP',
      user_refs: [{ user_id: 'DUAAAAAAAAAAAAAAAAAA', username: 'alice', alias: 'phone1', activation_code: 'abc' }],
    };
    const [obj] = JSON.parse(toJson('devices', [leaky])) as Record<string, unknown>[];
    expect(Object.keys(obj!)).toEqual(reportColumns('devices').map((c) => c.key));
    const text = toJson('devices', [leaky]);
    expect(text).not.toContain('JBSWY3DPEHPK3PXP');
    expect(text).not.toContain('activation_code');
    // Internal fields of the row are not report columns either.
    expect(text).not.toContain('capabilities');
    expect(text).not.toContain('"deletion"');
  });

  it('is pretty-printed with two spaces and ends with a newline; no rows give an empty array', () => {
    expect(toJson('users', [userRow])).toMatch(/^\[\n  \{\n    "user_id": "DUAAAAAAAAAAAAAAAAAA",\n/);
    expect(toJson('users', [userRow]).endsWith('}\n]\n')).toBe(true);
    expect(toJson('audit', [])).toBe('[]\n');
  });

  it('has the same columns as the CSV report for every entity', () => {
    const rows = { devices: deviceRow, users: userRow, tokens: tokenRow, u2f: u2fRow, admins: adminRow, audit: auditRow };
    for (const entity of ENTITIES) {
      const header = toCsv(entity, []).trimEnd().split(',');
      const [obj] = JSON.parse(toJson(entity, [rows[entity] as never])) as Record<string, unknown>[];
      expect(Object.keys(obj!)).toEqual(header);
    }
  });
});

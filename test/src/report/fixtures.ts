/** Hand-built report rows shared by the report tests. */
import type { AdminRow, AuditRow, DeviceRow, TokenRow, U2fRow, UserRow } from '../../../src/rpc/contract.js';

export const deviceRow: DeviceRow = {
  phone_id: 'DPFZRS9FB0D46QFTM899',
  number: '+15552010100',
  extension: '',
  name: "Alice's iPhone, work",
  type: 'mobile',
  platform: 'apple ios',
  model: 'iPhone 15',
  os_family: 'Apple iOS',
  os_version: '17.5.1',
  activated: true,
  sms_passcodes_sent: false,
  capabilities: ['auto', 'push', 'sms', 'phone', 'mobile_otp'],
  encrypted: 'Encrypted',
  fingerprint: 'Configured',
  screenlock: 'Locked',
  tampered: 'Not Tampered',
  last_seen: '2025-05-30T08:15:00.000Z',
  users: ['DUAAAAAAAAAAAAAAAAAA', 'DUBBBBBBBBBBBBBBBBBB'],
  deletion: '',
  created: 1_700_000_000_000,
  updated: 1_710_000_000_000,
  user_refs: [
    { user_id: 'DUAAAAAAAAAAAAAAAAAA', username: 'alice', alias: 'phone1' },
    { user_id: 'DUBBBBBBBBBBBBBBBBBB', username: 'bob', alias: 'phone2' },
  ],
  shared: true,
};

export const landlineRow: DeviceRow = {
  ...deviceRow,
  phone_id: 'DPLANDLINE0000000000',
  number: '+15553000001',
  extension: '1234',
  name: 'Front desk',
  type: 'landline',
  platform: 'unknown',
  model: 'Unknown',
  os_family: '',
  os_version: '',
  activated: false,
  capabilities: ['auto', 'phone'],
  encrypted: 'Unknown',
  fingerprint: 'Unknown',
  screenlock: 'Unknown',
  tampered: 'Unknown',
  last_seen: '',
  users: ['DUAAAAAAAAAAAAAAAAAA'],
  user_refs: [{ user_id: 'DUAAAAAAAAAAAAAAAAAA', username: 'alice', alias: 'phone2' }],
  shared: false,
};

export const userRow: UserRow = {
  user_id: 'DUAAAAAAAAAAAAAAAAAA',
  username: 'alice',
  realname: 'Alice "Al" Smith',
  email: 'alice@example.com',
  status: 'locked out',
  phone_order: ['DPFZRS9FB0D46QFTM899', 'DPLANDLINE0000000000'],
  created: 1_700_000_000_000,
  updated: 1_700_000_000_000,
  phone_count: 2,
  token_count: 1,
  u2f_count: 0,
};

export const tokenRow: TokenRow = {
  token_id: 'DH0123456789ABCDEFGH',
  serial: 'T2C000000042',
  type: 't6',
  totp_step: 30,
  users: ['DUAAAAAAAAAAAAAAAAAA', 'DUBBBBBBBBBBBBBBBBBB'],
  admins: ['DEAAAAAAAAAAAAAAAAAA'],
  origin: 'third-party',
  created: 1_700_000_000_000,
  updated: 1_700_000_000_000,
  usernames: ['alice', 'bob'],
  admin_names: ['Olga Owner'],
};

export const hotpRow: TokenRow = {
  ...tokenRow,
  token_id: 'DH9999999999999999AA',
  serial: '1000000001',
  type: 'd1',
  totp_step: 0,
  users: [],
  admins: [],
  origin: 'vendor',
  usernames: [],
  admin_names: [],
};

export const u2fRow: U2fRow = {
  registration_id: 'DRAAAAAAAAAAAAAAAAAA',
  kind: 'webauthn',
  user_id: 'DUAAAAAAAAAAAAAAAAAA',
  credential_name: 'YubiKey 5 NFC',
  label: 'Work key',
  date_added: 1_717_243_200,
  username: 'alice',
};

export const adminRow: AdminRow = {
  admin_id: 'DEAAAAAAAAAAAAAAAAAA',
  name: 'Olga Owner',
  email: 'olga@example.com',
  role: 'Owner',
  status: 'Active',
  created: 1_700_000_000_000,
  token_serials: ['T2C000000042', 'C20000000007'],
};

export const auditRow: AuditRow = {
  event_id: '00lxyz12340000000000',
  time: 1_717_243_200_123,
  admin_id: 'DEAAAAAAAAAAAAAAAAAA',
  admin_name: 'Olga Owner',
  action: 'phones.delete',
  entity: 'phone',
  entity_id: 'DPFZRS9FB0D46QFTM899',
  summary: 'deleted +15552010100 (alice phone1, bob phone2)',
};

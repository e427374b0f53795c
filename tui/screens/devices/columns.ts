/** The devices table: type, platform, OS version, model, security flags, last seen, attached users, shared. */
import { PHONE_TYPE_LABELS, PLATFORM_LABELS } from '../../../src/domain/enums.js';
import { phoneLabel } from '../../../src/domain/phone.js';
import type { DeviceRow } from '../../../src/rpc/contract.js';
import type { Column } from '../../components/table.js';
import { ago, tri } from '../shared/format.js';

const warnNo = (v: string) => (v === 'no' ? 'yellow' : undefined);

/** Platform as Duo labels it; landlines have none. */
export function platformText(row: Pick<DeviceRow, 'type' | 'platform'>): string {
  return row.type === 'landline' ? '' : (PLATFORM_LABELS[row.platform] ?? row.platform);
}

const SHORT_PLATFORMS: Readonly<Record<string, string>> = {
  'apple ios': 'iOS',
  'google android': 'Android',
  'windows phone': 'WinPhone',
  'rim blackberry': 'BlackBerry',
  'java j2me': 'J2ME',
  'palm webos': 'webOS',
  'symbian os': 'Symbian',
  'windows mobile': 'WinMobile',
  'generic smartphone': 'Generic',
  unknown: 'Unknown',
};

/** The platform in a table cell: the short name people say (iOS, Android). */
export function shortPlatform(row: Pick<DeviceRow, 'type' | 'platform'>): string {
  return row.type === 'landline' ? '' : (SHORT_PLATFORMS[row.platform] ?? row.platform);
}

/** "alice:phone1, bob:phone2". */
export function usersText(row: Pick<DeviceRow, 'user_refs'>): string {
  return row.user_refs.map((u) => `${u.username}:${u.alias}`).join(', ');
}

export const DEVICE_COLUMNS: readonly Column<DeviceRow>[] = [
  { id: 'device', title: 'Device', width: 16, priority: 1, cell: (r) => phoneLabel(r) },
  { id: 'type', title: 'Type', width: 8, priority: 3, cell: (r) => PHONE_TYPE_LABELS[r.type] ?? r.type },
  { id: 'platform', title: 'Platform', width: 10, priority: 2, cell: shortPlatform },
  { id: 'os', title: 'OS', width: 7, priority: 2, cell: (r) => r.os_version },
  { id: 'model', title: 'Model', width: 14, priority: 6, cell: (r) => r.model },
  {
    id: 'encrypted',
    title: 'Enc',
    width: 4,
    priority: 2,
    cell: (r) => tri(r.encrypted, 'Encrypted', 'Unencrypted'),
    color: (r) => warnNo(tri(r.encrypted, 'Encrypted', 'Unencrypted')),
  },
  {
    id: 'screenlock',
    title: 'Lock',
    width: 4,
    priority: 5,
    cell: (r) => tri(r.screenlock, 'Locked', 'Unlocked'),
    color: (r) => warnNo(tri(r.screenlock, 'Locked', 'Unlocked')),
  },
  { id: 'fingerprint', title: 'FP', width: 3, priority: 7, cell: (r) => tri(r.fingerprint, 'Configured', 'Disabled') },
  {
    id: 'tampered',
    title: 'Tamp',
    width: 4,
    priority: 4,
    cell: (r) => tri(r.tampered, 'Tampered', 'Not Tampered'),
    color: (r) => (r.tampered === 'Tampered' ? 'red' : undefined),
  },
  { id: 'seen', title: 'Seen', width: 5, priority: 5, align: 'right', cell: (r) => ago(r.last_seen, Date.now()) },
  { id: 'users', title: 'Users', width: 20, priority: 1, flex: true, cell: usersText },
  { id: 'shared', title: 'Shared', width: 6, priority: 2, cell: (r) => (r.shared ? 'shared' : ''), color: () => 'cyan' },
];

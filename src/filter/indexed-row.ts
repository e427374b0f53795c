/**
 * Rows prepared for filtering: the lower-case text free words search, and one value per filter field,
 * parsed once (versions as numbers, times as epoch ms, yes/no/unknown as words) so that matching a row
 * is a few comparisons and one `includes`. The daemon keeps one per row and rebuilds it when the row changes.
 */
import { PLATFORM_LABELS, TOKEN_TYPE_LABELS } from '../domain/enums.js';
import type { AdminRow, AuditRow, DeviceRow, EntityName, RowTypes, TokenRow, U2fRow, UserRow } from '../rpc/contract.js';

/** A prepared value: lower-case text, a list of texts, a number (counts, version codes, epoch ms), a yes/no, or null (none). */
export type IndexValue = string | number | boolean | null | readonly string[];

export interface IndexedRow {
  /** Lower-case searchable text; fields are separated by newlines so a phrase never spans two fields. */
  readonly text: string;
  /** The prepared value of each filter field of the entity (see keys.ts). */
  readonly values: Readonly<Record<string, IndexValue>>;
}

const SEPARATOR = '\n';

/** Version parts kept: major.minor.patch; each part is capped at 9999 (more parts are ignored). */
export const VERSION_PARTS = 3;
const PART = 10_000;

/** The numbers of a version string (`17.4.1` → [17, 4, 1]); null when it does not start with a number. */
export function parseVersion(version: string): number[] | null {
  const m = /^\s*v?(\d+(?:\.\d+)*)/i.exec(version);
  return m ? m[1]!.split('.').map(Number) : null;
}

/**
 * A version as one number that compares like the version: major·10⁸ + minor·10⁴ + patch. Missing parts
 * are 0, so `17` and `17.0.0` are equal. Stored as a number so a column of versions is a Float64Array.
 */
export function versionCode(parts: readonly number[]): number {
  let code = 0;
  for (let i = 0; i < VERSION_PARTS; i++) code = code * PART + Math.min(parts[i] ?? 0, PART - 1);
  return code;
}

/** A version code cut to its first `precision` parts, to compare `17.4.1` with `17` as equal. */
export function versionPrefix(code: number, precision: number): number {
  return Math.floor(code / PART ** (VERSION_PARTS - Math.min(precision, VERSION_PARTS)));
}

/** The version codes whose first `precision` parts are `prefix` (see versionPrefix): [start, end). */
export function versionPrefixCodes(prefix: number, precision: number): [number, number] {
  const scale = PART ** (VERSION_PARTS - Math.min(precision, VERSION_PARTS));
  return [prefix * scale, (prefix + 1) * scale];
}

/** An ISO time as epoch ms; null when empty or unreadable (a device never seen). */
export function parseTime(iso: string): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** The digits of a phone number, for digit-only matching. */
export function numberDigits(number: string): string {
  return number.replace(/\D/g, '');
}

const lowerList = (items: readonly string[]): string[] => items.map((s) => s.toLowerCase());

/** Duo's three-state device properties as yes / no / unknown. */
function tri(value: string, yes: string, no: string): string {
  return value === yes ? 'yes' : value === no ? 'no' : 'unknown';
}

function joinText(parts: readonly (string | readonly string[])[]): string {
  const flat: string[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      if (p) flat.push(p);
    } else {
      for (const s of p) if (s) flat.push(s);
    }
  }
  return flat.join(SEPARATOR).toLowerCase();
}

function osVersionCode(version: string): number | null {
  const parts = parseVersion(version);
  return parts ? versionCode(parts) : null;
}

function deviceIndex(row: DeviceRow): IndexedRow {
  const usernames = row.user_refs.map((r) => r.username);
  return {
    text: joinText([
      row.phone_id, row.name, row.number, row.extension, row.model, PLATFORM_LABELS[row.platform] ?? row.platform,
      row.type, row.os_family, row.os_version, usernames,
    ]),
    values: {
      platform: row.platform,
      type: row.type,
      os: osVersionCode(row.os_version),
      model: row.model.toLowerCase(),
      name: row.name.toLowerCase(),
      number: numberDigits(row.number),
      encrypted: tri(row.encrypted, 'Encrypted', 'Unencrypted'),
      fingerprint: tri(row.fingerprint, 'Configured', 'Disabled'),
      screenlock: tri(row.screenlock, 'Locked', 'Unlocked'),
      tampered: tri(row.tampered, 'Tampered', 'Not Tampered'),
      activated: row.activated,
      shared: row.shared,
      user: lowerList(usernames),
      users: row.users.length,
      last_seen: parseTime(row.last_seen),
      id: row.phone_id.toLowerCase(),
    },
  };
}

function userIndex(row: UserRow): IndexedRow {
  return {
    text: joinText([row.user_id, row.username, row.realname, row.email, row.status]),
    values: {
      username: row.username.toLowerCase(),
      name: row.realname.toLowerCase(),
      email: row.email.toLowerCase(),
      status: row.status,
      phones: row.phone_count,
      tokens: row.token_count,
      u2f: row.u2f_count,
      id: row.user_id.toLowerCase(),
    },
  };
}

function tokenIndex(row: TokenRow): IndexedRow {
  return {
    text: joinText([row.token_id, row.serial, row.type, TOKEN_TYPE_LABELS[row.type] ?? '', row.origin, row.usernames, row.admin_names]),
    values: {
      type: row.type,
      serial: row.serial.toLowerCase(),
      user: lowerList(row.usernames),
      users: row.users.length,
      admin: lowerList(row.admin_names),
      origin: row.origin,
      id: row.token_id.toLowerCase(),
    },
  };
}

function u2fIndex(row: U2fRow): IndexedRow {
  return {
    text: joinText([row.registration_id, row.username, row.credential_name, row.label, row.kind]),
    values: {
      kind: row.kind,
      user: row.username.toLowerCase(),
      name: lowerList([row.credential_name, row.label]),
      id: row.registration_id.toLowerCase(),
    },
  };
}

function adminIndex(row: AdminRow): IndexedRow {
  return {
    text: joinText([row.admin_id, row.name, row.email, row.role, row.status, row.token_serials]),
    values: {
      role: row.role.toLowerCase(),
      name: row.name.toLowerCase(),
      email: row.email.toLowerCase(),
      status: row.status.toLowerCase(),
      token: lowerList(row.token_serials),
      id: row.admin_id.toLowerCase(),
    },
  };
}

function auditIndex(row: AuditRow): IndexedRow {
  return {
    text: joinText([row.admin_name, row.action, row.entity, row.entity_id, row.summary]),
    values: {
      admin: lowerList([row.admin_name, row.admin_id]),
      action: row.action.toLowerCase(),
      entity: row.entity.toLowerCase(),
      id: row.entity_id.toLowerCase(),
      time: row.time,
    },
  };
}

const BUILDERS: { [E in EntityName]: (row: RowTypes[E]) => IndexedRow } = {
  devices: deviceIndex,
  users: userIndex,
  tokens: tokenIndex,
  u2f: u2fIndex,
  admins: adminIndex,
  audit: auditIndex,
};

/** Prepares a row of `entity` for filtering. */
export function indexRow<E extends EntityName>(entity: E, row: RowTypes[E]): IndexedRow {
  return (BUILDERS[entity] as (row: RowTypes[E]) => IndexedRow)(row);
}

/**
 * The columns of each report, as an explicit allowlist: a report shows these fields and nothing else, so a
 * field added to a row later (or a secret that should never have been there) cannot leak into an export.
 *
 * Every column gives two forms of a cell:
 * - `text` for CSV: Duo's output labels for phone type and platform ('Mobile', 'Apple iOS'), booleans as
 *   `true`/`false`, lists joined with '; ', epoch times as ISO 8601 UTC, absent values as ''.
 * - `value` for JSON: typed values (booleans, numbers, arrays, objects), epoch times as stored (audit `time`
 *   in milliseconds, U2F `date_added` in seconds, as Duo reports it), and null where there is no value
 *   (a device never seen, the TOTP step of a non-TOTP token). Type and platform use the same labels as CSV,
 *   which is also what the Duo Admin API returns for them; token types stay codes (`h6`), as in Duo's API.
 */
import { PHONE_TYPE_LABELS, PLATFORM_LABELS } from '../domain/enums.js';
import { invalid } from '../errors.js';
import { ENTITIES, type DeviceRow, type EntityName, type RowTypes } from '../rpc/contract.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ReportColumn<R> {
  /** The CSV header and the JSON property name (Duo Admin API field names where one exists). */
  key: string;
  /** The cell in a CSV report. */
  text(row: R): string;
  /** The value in a JSON report. */
  value(row: R): JsonValue;
}

const LIST_SEPARATOR = '; ';

type StringKeys<R> = { [K in keyof R]-?: R[K] extends string ? K : never }[keyof R] & string;
type NumberKeys<R> = { [K in keyof R]-?: R[K] extends number ? K : never }[keyof R] & string;
type BooleanKeys<R> = { [K in keyof R]-?: R[K] extends boolean ? K : never }[keyof R] & string;
type StringListKeys<R> = { [K in keyof R]-?: R[K] extends readonly string[] ? K : never }[keyof R] & string;

function text<R>(key: StringKeys<R>): ReportColumn<R> {
  const get = (row: R): string => String(row[key] ?? '');
  return { key, text: get, value: get };
}

function count<R>(key: NumberKeys<R>): ReportColumn<R> {
  return { key, text: (row) => String(row[key]), value: (row) => Number(row[key]) };
}

function flag<R>(key: BooleanKeys<R>): ReportColumn<R> {
  return { key, text: (row) => String(Boolean(row[key])), value: (row) => Boolean(row[key]) };
}

function list<R>(key: StringListKeys<R>): ReportColumn<R> {
  const get = (row: R): string[] => [...((row[key] as readonly string[] | undefined) ?? [])];
  return { key, text: (row) => get(row).join(LIST_SEPARATOR), value: get };
}

/** An epoch time column: ISO 8601 in CSV, the stored number in JSON. */
function epoch<R>(key: NumberKeys<R>, unitMs: number): ReportColumn<R> {
  return {
    key,
    text: (row) => new Date(Number(row[key]) * unitMs).toISOString(),
    value: (row) => Number(row[key]),
  };
}

/** `alice (phone1); bob (phone2)` in CSV; the refs as objects in JSON. */
const deviceUsers: ReportColumn<DeviceRow> = {
  key: 'users',
  text: (row) => row.user_refs.map((ref) => `${ref.username} (${ref.alias})`).join(LIST_SEPARATOR),
  value: (row) => row.user_refs.map((ref) => ({ user_id: ref.user_id, username: ref.username, alias: ref.alias })),
};

const COLUMNS: { [E in EntityName]: readonly ReportColumn<RowTypes[E]>[] } = {
  devices: [
    text('phone_id'),
    text('name'),
    text('number'),
    text('extension'),
    { key: 'type', text: (row) => PHONE_TYPE_LABELS[row.type], value: (row) => PHONE_TYPE_LABELS[row.type] },
    { key: 'platform', text: (row) => PLATFORM_LABELS[row.platform], value: (row) => PLATFORM_LABELS[row.platform] },
    text('model'),
    text('os_version'),
    flag('activated'),
    text('encrypted'),
    text('fingerprint'),
    text('screenlock'),
    text('tampered'),
    { key: 'last_seen', text: (row) => row.last_seen, value: (row) => (row.last_seen === '' ? null : row.last_seen) },
    deviceUsers,
    flag('shared'),
  ],
  users: [
    text('user_id'),
    text('username'),
    text('realname'),
    text('email'),
    text('status'),
    count('phone_count'),
    count('token_count'),
    count('u2f_count'),
  ],
  tokens: [
    text('token_id'),
    text('serial'),
    text('type'),
    {
      key: 'totp_step',
      text: (row) => (row.totp_step > 0 ? String(row.totp_step) : ''),
      value: (row) => (row.totp_step > 0 ? row.totp_step : null),
    },
    text('origin'),
    list('usernames'),
    list('admin_names'),
  ],
  u2f: [
    text('registration_id'),
    text('kind'),
    text('username'),
    text('user_id'),
    text('credential_name'),
    text('label'),
    epoch('date_added', 1000),
  ],
  admins: [text('admin_id'), text('name'), text('email'), text('role'), text('status'), list('token_serials')],
  audit: [
    text('event_id'),
    epoch('time', 1),
    text('admin_id'),
    text('admin_name'),
    text('action'),
    text('entity'),
    text('entity_id'),
    text('summary'),
  ],
};

/** The report columns of an entity, in report order. */
export function reportColumns<E extends EntityName>(entity: E): readonly ReportColumn<RowTypes[E]>[] {
  const columns = COLUMNS[entity] as readonly ReportColumn<RowTypes[E]>[] | undefined;
  if (columns === undefined) {
    throw invalid(`There is no report of '${String(entity)}'.`, `Reports exist for ${ENTITIES.join(', ')}.`);
  }
  return columns;
}

/**
 * What a view can be sorted by: any column of its rows, and the default order of each view.
 * Sort values are computed from the document and its prepared filter values (not from a built row), so
 * ordering 120k devices never builds 120k rows. Text sorts case-insensitively, versions numerically
 * (10 after 9), yes/no as 0/1, lists of ids by their length, lists of names by their joined text.
 *
 * Default orders: devices by last_seen, most recent first (never seen last); users by username;
 * tokens by serial; U2F by username; administrators by name; audit by time, newest first.
 * Ties are always broken by the row's id, ascending, so an order is total and stable across updates.
 */
import {
  adminSchemaLiteral,
  auditSchemaLiteral,
  phoneSchemaLiteral,
  tokenSchemaLiteral,
  u2fSchemaLiteral,
  userSchemaLiteral,
} from '../../src/domain/schemas.js';
import { invalid } from '../../src/errors.js';
import type { EntityName, SortSpec } from '../../src/rpc/contract.js';
import { parseVersion, type IndexValue } from '../../src/filter/indexed-row.js';
import type { DocOf } from './read-model.js';

export type SortValue = string | number;
/** A prepared filter value of the row being sorted (see indexed-row.ts), by field. */
export type FieldReader = (field: string) => IndexValue;
export type SortExtractor<E extends EntityName = EntityName> = (doc: DocOf<E>, field: FieldReader) => SortValue;

/** The default order of each view (see the file comment). */
export const DEFAULT_SORT: Readonly<Record<EntityName, SortSpec>> = {
  devices: { key: 'last_seen', dir: 'desc' },
  users: { key: 'username', dir: 'asc' },
  tokens: { key: 'serial', dir: 'asc' },
  u2f: { key: 'username', dir: 'asc' },
  admins: { key: 'name', dir: 'asc' },
  audit: { key: 'time', dir: 'desc' },
};

const SCHEMA_COLUMNS: Readonly<Record<EntityName, readonly string[]>> = {
  devices: Object.keys(phoneSchemaLiteral.properties),
  users: Object.keys(userSchemaLiteral.properties),
  tokens: Object.keys(tokenSchemaLiteral.properties),
  u2f: Object.keys(u2fSchemaLiteral.properties),
  admins: Object.keys(adminSchemaLiteral.properties),
  audit: Object.keys(auditSchemaLiteral.properties),
};

/** A zero-padded version so that text order is numeric order: 9.3 → `000009.000003`. */
export function versionSortKey(version: string): string {
  const parts = parseVersion(version);
  return parts ? parts.map((p) => String(p).padStart(6, '0')).join('.') : '';
}

const joined = (v: IndexValue | undefined): string => (Array.isArray(v) ? v.join(',') : String(v ?? ''));
const num = (v: IndexValue | undefined): number => (typeof v === 'number' ? v : 0);

/** Columns that are not plain document fields, or whose plain order would be wrong. */
const SPECIAL: { [E in EntityName]: Record<string, SortExtractor<E>> } = {
  devices: {
    user_refs: (_d, field) => joined(field('user')),
    shared: (_d, field) => (field('shared') ? 1 : 0),
    os_version: (d) => versionSortKey(d.os_version),
    // Epoch ms from the prepared values; never seen sorts as the oldest.
    last_seen: (_d, field) => {
      const t = field('last_seen');
      return typeof t === 'number' ? t : -Infinity;
    },
    capabilities: (d) => d.capabilities.join(','),
  },
  users: {
    phone_count: (_d, field) => num(field('phones')),
    token_count: (_d, field) => num(field('tokens')),
    u2f_count: (_d, field) => num(field('u2f')),
  },
  tokens: {
    usernames: (_d, field) => joined(field('user')),
    admin_names: (_d, field) => joined(field('admin')),
  },
  u2f: { username: (_d, field) => joined(field('user')) },
  admins: { token_serials: (_d, field) => joined(field('token')) },
  audit: {},
};

/** A document field as a sort value. */
function fieldValue(value: unknown): SortValue {
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value)) return value.length;
  return '';
}

/** The columns a view can be sorted by. */
export function sortColumns(entity: EntityName): string[] {
  return [...SCHEMA_COLUMNS[entity], ...Object.keys(SPECIAL[entity]).filter((k) => !SCHEMA_COLUMNS[entity].includes(k))];
}

/** The sort of a spec, defaulted and checked: INVALID_INPUT names the columns for an unknown key. */
export function resolveSort(entity: EntityName, sort: SortSpec | undefined): SortSpec {
  if (!sort) return DEFAULT_SORT[entity];
  const key = String(sort.key ?? '').trim();
  const dir = sort.dir ?? 'asc';
  if (!sortColumns(entity).includes(key)) {
    throw invalid(`Cannot sort ${entity} by "${key}".`, `Columns: ${sortColumns(entity).join(', ')}.`);
  }
  if (dir !== 'asc' && dir !== 'desc') throw invalid(`Sort direction "${String(dir)}" is neither asc nor desc.`);
  return { key, dir };
}

/** How to read a column's sort value from a document and its prepared values. */
export function sortExtractor<E extends EntityName>(entity: E, key: string): SortExtractor<E> {
  const special = (SPECIAL[entity] as Record<string, SortExtractor<E>>)[key];
  if (special) return special;
  return (doc) => fieldValue((doc as Record<string, unknown>)[key]);
}

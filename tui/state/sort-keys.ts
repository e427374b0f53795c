/**
 * The orders a list offers with `s` (next column) and `S` (reverse). The first entry is the daemon's
 * default order of that view; the others are columns a person sorts by.
 */
import type { EntityName, SortSpec } from '../../src/rpc/contract.js';

export interface SortKey {
  key: string;
  label: string;
  /** The direction a first press sorts in (newest first for times). */
  dir: 'asc' | 'desc';
}

export const SORT_KEYS: Readonly<Record<EntityName, readonly SortKey[]>> = {
  devices: [
    { key: 'last_seen', label: 'last seen', dir: 'desc' },
    { key: 'name', label: 'name', dir: 'asc' },
    { key: 'number', label: 'number', dir: 'asc' },
    { key: 'platform', label: 'platform', dir: 'asc' },
    { key: 'os_version', label: 'OS version', dir: 'asc' },
    { key: 'type', label: 'type', dir: 'asc' },
    { key: 'model', label: 'model', dir: 'asc' },
    { key: 'user_refs', label: 'users', dir: 'asc' },
  ],
  users: [
    { key: 'username', label: 'username', dir: 'asc' },
    { key: 'realname', label: 'name', dir: 'asc' },
    { key: 'email', label: 'e-mail', dir: 'asc' },
    { key: 'status', label: 'status', dir: 'asc' },
    { key: 'phone_count', label: 'devices', dir: 'desc' },
    { key: 'token_count', label: 'tokens', dir: 'desc' },
  ],
  tokens: [
    { key: 'serial', label: 'serial', dir: 'asc' },
    { key: 'type', label: 'type', dir: 'asc' },
    { key: 'origin', label: 'origin', dir: 'asc' },
    { key: 'usernames', label: 'users', dir: 'asc' },
  ],
  u2f: [
    { key: 'username', label: 'user', dir: 'asc' },
    { key: 'kind', label: 'kind', dir: 'asc' },
    { key: 'credential_name', label: 'name', dir: 'asc' },
    { key: 'date_added', label: 'added', dir: 'desc' },
  ],
  admins: [
    { key: 'name', label: 'name', dir: 'asc' },
    { key: 'email', label: 'e-mail', dir: 'asc' },
    { key: 'role', label: 'role', dir: 'asc' },
    { key: 'status', label: 'status', dir: 'asc' },
  ],
  audit: [
    { key: 'time', label: 'time', dir: 'desc' },
    { key: 'admin_name', label: 'administrator', dir: 'asc' },
    { key: 'action', label: 'action', dir: 'asc' },
  ],
};

/** The sort in effect: the chosen one, else the view's default. */
export function effectiveSort(entity: EntityName, sort: SortSpec | null): SortSpec {
  if (sort) return sort;
  const first = SORT_KEYS[entity][0]!;
  return { key: first.key, dir: first.dir };
}

/** The next column's order (wrapping back to the default). */
export function nextSort(entity: EntityName, sort: SortSpec | null): SortSpec | null {
  const keys = SORT_KEYS[entity];
  const i = keys.findIndex((k) => k.key === effectiveSort(entity, sort).key);
  const next = keys[(i + 1) % keys.length]!;
  return (i + 1) % keys.length === 0 ? null : { key: next.key, dir: next.dir };
}

/** The same column, the other way round. */
export function reversedSort(entity: EntityName, sort: SortSpec | null): SortSpec {
  const cur = effectiveSort(entity, sort);
  return { key: cur.key, dir: cur.dir === 'asc' ? 'desc' : 'asc' };
}

/** "last seen ↓". */
export function sortLabel(entity: EntityName, sort: SortSpec | null): string {
  const cur = effectiveSort(entity, sort);
  const label = SORT_KEYS[entity].find((k) => k.key === cur.key)?.label ?? cur.key;
  return `${label} ${cur.dir === 'asc' ? '↑' : '↓'}`;
}

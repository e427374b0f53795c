import { describe, expect, it } from 'vitest';
import { DEFAULT_SORT, resolveSort, sortColumns, sortExtractor, versionSortKey } from '../../../daemon/views/sort-columns.js';
import { ENTITIES } from '../../../src/rpc/contract.js';
import { FactordeskError } from '../../../src/errors.js';
import { makePhone } from './view-data.js';

describe('sort columns', () => {
  it('offers every row column, derived ones included', () => {
    expect(sortColumns('devices')).toEqual(expect.arrayContaining(['phone_id', 'name', 'last_seen', 'os_version', 'user_refs', 'shared']));
    expect(sortColumns('users')).toEqual(expect.arrayContaining(['username', 'phone_count', 'token_count', 'u2f_count']));
    expect(sortColumns('tokens')).toEqual(expect.arrayContaining(['serial', 'usernames', 'admin_names']));
    expect(sortColumns('u2f')).toContain('username');
    expect(sortColumns('admins')).toContain('token_serials');
    expect(sortColumns('audit')).toContain('time');
  });

  it('defaults each view to its documented order, and every default is a column', () => {
    expect(resolveSort('devices', undefined)).toEqual({ key: 'last_seen', dir: 'desc' });
    expect(resolveSort('audit', undefined)).toEqual({ key: 'time', dir: 'desc' });
    expect(resolveSort('users', undefined)).toEqual({ key: 'username', dir: 'asc' });
    for (const entity of ENTITIES) expect(sortColumns(entity)).toContain(DEFAULT_SORT[entity].key);
  });

  it('refuses an unknown column, listing the columns', () => {
    try {
      resolveSort('tokens', { key: 'colour', dir: 'asc' });
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(FactordeskError);
      expect((e as FactordeskError).hint).toContain('serial');
    }
  });

  it('orders versions numerically and text case-insensitively', () => {
    expect(versionSortKey('9.3') < versionSortKey('10.0')).toBe(true);
    expect(versionSortKey('')).toBe('');
    const name = sortExtractor('devices', 'name');
    expect(name(makePhone('P', [], { name: 'Bob' }), () => null)).toBe('bob');
    const lastSeen = sortExtractor('devices', 'last_seen');
    expect(lastSeen(makePhone('P', []), () => null)).toBe(-Infinity);
    expect(sortExtractor('devices', 'activated')(makePhone('P', []), () => null)).toBe(1);
    expect(sortExtractor('devices', 'users')(makePhone('P', ['a', 'b']), () => null)).toBe(2);
  });
});

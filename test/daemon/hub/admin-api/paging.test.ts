import { describe, expect, it } from 'vitest';
import { pageOf, parsePaging } from '../../../../daemon/hub/admin-api/paging.js';
import { ApiParams } from '../../../../daemon/hub/admin-api/params.js';

describe('parsePaging', () => {
  it('defaults to 100 from 0 and cuts a limit above 500', () => {
    expect(parsePaging(undefined, undefined)).toEqual({ limit: 100, offset: 0 });
    expect(parsePaging('1000', '7')).toEqual({ limit: 500, offset: 7 });
  });

  it('refuses what is not a whole number, and a limit of 0', () => {
    for (const [limit, offset] of [['x', '0'], ['-1', '0'], ['10', '1.5'], ['0', '0']] as const) {
      expect(() => parsePaging(limit, offset)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});

describe('pageOf', () => {
  const items = Array.from({ length: 250 }, (_, i) => i);

  it('says where the next page starts until the last one', () => {
    expect(pageOf(items, { limit: 100, offset: 0 }).metadata).toEqual({ total_objects: 250, next_offset: 100 });
    expect(pageOf(items, { limit: 100, offset: 100 }).metadata).toEqual({ total_objects: 250, next_offset: 200, prev_offset: 0 });
    const last = pageOf(items, { limit: 100, offset: 200 });
    expect(last.items).toHaveLength(50);
    expect(last.metadata).toEqual({ total_objects: 250, prev_offset: 100 });
  });
});

describe('ApiParams', () => {
  it('reads the query, form fields and JSON values (numbers and booleans as text); the body wins', () => {
    const params = ApiParams.of('/admin/v1/tokens?type=h6&serial=q', { serial: 'S-1', counter: 5, install: true, repeated: ['a', 'b'] });
    expect([params.get('type'), params.get('serial'), params.integer('counter', 0, 10), params.flag('install'), params.get('repeated')]).toEqual(['h6', 'S-1', 5, true, 'b']);
  });

  it('refuses an object value and a missing required parameter', () => {
    expect(() => ApiParams.of('/x', { name: { nested: 1 } })).toThrow(/single value/);
    expect(() => ApiParams.of('/x', {}).required('username')).toThrow(/username is required/);
  });
});

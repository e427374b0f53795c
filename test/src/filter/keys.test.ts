import { describe, expect, it } from 'vitest';
import { FILTER_KEYS, fieldOf, filterKeys, findKey } from '../../../src/filter/keys.js';
import { ENTITIES } from '../../../src/rpc/contract.js';

describe('filter keys', () => {
  it('finds a key case-insensitively, only in its entity', () => {
    expect(findKey('devices', 'Platform')?.key).toBe('platform');
    expect(findKey('users', 'platform')).toBeUndefined();
  });

  it('reads since and until from the audit time, every other key from its own field', () => {
    expect(fieldOf(findKey('audit', 'since')!)).toBe('time');
    expect(fieldOf(findKey('audit', 'until')!)).toBe('time');
    expect(fieldOf(findKey('devices', 'os')!)).toBe('os');
  });

  it('has no key twice in an entity, and choices for every choice key', () => {
    for (const entity of ENTITIES) {
      const keys = FILTER_KEYS[entity].map((k) => k.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const def of FILTER_KEYS[entity]) if (def.kind === 'choice') expect(def.choices?.length).toBeGreaterThan(1);
    }
  });

  it('gives the help a copy it cannot use to change the tables', () => {
    const keys = filterKeys('devices');
    keys[0]!.key = 'changed';
    expect(filterKeys('devices')[0]!.key).toBe('platform');
  });
});

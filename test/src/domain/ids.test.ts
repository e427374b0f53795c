import { describe, it, expect } from 'vitest';
import { base32, newEventId, newId, tokenIdForSerial } from '../../../src/domain/ids.js';

const CROCKFORD_ID = /^(DU|DP|DE|DR)[0-9A-HJKMNP-TV-Z]{18}$/;

describe('newId', () => {
  it('gives the prefix and 18 upper-case Crockford base32 characters', () => {
    for (const prefix of ['DU', 'DP', 'DE', 'DR'] as const) {
      const id = newId(prefix);
      expect(id).toMatch(CROCKFORD_ID);
      expect(id.startsWith(prefix)).toBe(true);
      expect(id).toHaveLength(20);
    }
  });

  it('is random by default (no repeats in 1000 ids)', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('DP')));
    expect(ids.size).toBe(1000);
  });

  it('uses the injected random source, so tests can be deterministic', () => {
    const zeros = () => new Uint8Array(12);
    expect(newId('DU', zeros)).toBe('DU' + '0'.repeat(18));
    const ones = () => new Uint8Array(12).fill(0xff);
    expect(newId('DU', ones)).toBe('DU' + 'Z'.repeat(18));
  });

  it('refuses a random source that gives too few bytes instead of making colliding ids', () => {
    expect(() => newId('DU', () => new Uint8Array(4))).toThrow(/4 bytes; 12 are needed/);
  });
});

describe('base32', () => {
  it('encodes most significant bits first in the Crockford alphabet', () => {
    // 0b00001 00010 00011 ... : 0x08 0x86 0x42 → '1','2','3' then padding bits
    expect(base32(new Uint8Array([0x08, 0x86, 0x42]), 4)).toBe('1234');
  });
});

describe('tokenIdForSerial', () => {
  it('is deterministic: one serial always gives one id', () => {
    expect(tokenIdForSerial('123456')).toBe(tokenIdForSerial('123456'));
  });

  it('is DH + 18 base32 characters', () => {
    expect(tokenIdForSerial('ABC-1')).toMatch(/^DH[0-9A-HJKMNP-TV-Z]{18}$/);
  });

  it('differs for different serials, including by case', () => {
    expect(tokenIdForSerial('abc')).not.toBe(tokenIdForSerial('ABC'));
    expect(tokenIdForSerial('1')).not.toBe(tokenIdForSerial('2'));
  });
});

describe('newEventId', () => {
  it('sorts as strings in time order', () => {
    const times = [0, 1, 35, 36, 1_000, 1_700_000_000_000, 1_700_000_000_001, 999_999_999_999_999];
    const ids = times.map((t) => newEventId(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs for two events in the same millisecond', () => {
    expect(newEventId(1_700_000_000_000)).not.toBe(newEventId(1_700_000_000_000));
  });

  it('starts with the zero-padded base36 time and fits the 64-character id limit', () => {
    const id = newEventId(36 ** 2, () => new Uint8Array(10));
    expect(id).toBe('0000000100' + '0'.repeat(10));
    expect(id.length).toBeLessThanOrEqual(64);
  });

  it('refuses a negative or fractional time', () => {
    expect(() => newEventId(-1)).toThrow(/non-negative integer/);
    expect(() => newEventId(1.5)).toThrow(/non-negative integer/);
  });
});

import { describe, it, expect } from 'vitest';
import {
  oathTokenType,
  parseAlgorithm,
  parseCounter,
  parseDigits,
  parseOathKind,
  parseSerial,
  parseStep,
} from '../../../src/import/fields.js';

describe('token file fields', () => {
  it('reads counters from 0, empty meaning 0, and refuses others', () => {
    expect(parseCounter('')).toBe(0);
    expect(parseCounter(undefined)).toBe(0);
    expect(parseCounter('42')).toBe(42);
    expect(() => parseCounter('-1')).toThrow(/not a whole number/);
    expect(() => parseCounter('1.5')).toThrow(/not a whole number/);
    expect(() => parseCounter('9007199254740993')).toThrow(/too large/);
  });

  it('reads steps from 1 to 300 s, empty meaning 30', () => {
    expect(parseStep('')).toBe(30);
    expect(parseStep('60')).toBe(60);
    expect(parseStep('300')).toBe(300);
    expect(() => parseStep('0')).toThrow(/out of range/);
    expect(() => parseStep('301')).toThrow(/out of range/);
    expect(() => parseStep('thirty')).toThrow(/out of range/);
  });

  it('reads 6 or 8 digits only', () => {
    expect(parseDigits('')).toBe(6);
    expect(parseDigits('8')).toBe(8);
    expect(() => parseDigits('7')).toThrow(/6 or 8/);
  });

  it('reads hash names in their usual spellings', () => {
    expect(parseAlgorithm('')).toBe('sha1');
    expect(parseAlgorithm('SHA256')).toBe('sha256');
    expect(parseAlgorithm('sha-512')).toBe('sha512');
    expect(parseAlgorithm('HMAC-SHA1')).toBe('sha1');
    expect(() => parseAlgorithm('md5')).toThrow(/not supported/);
  });

  it('maps kind and digits to the type code', () => {
    expect(oathTokenType(parseOathKind('HOTP'), 8)).toBe('h8');
    expect(oathTokenType(parseOathKind('totp'), 6)).toBe('t6');
    expect(() => parseOathKind('ocra')).toThrow(/hotp or totp/);
  });

  it('applies the domain serial rule', () => {
    expect(parseSerial(' 123 ')).toBe('123');
    expect(() => parseSerial('s'.repeat(129))).toThrow(/at most 128/);
  });
});

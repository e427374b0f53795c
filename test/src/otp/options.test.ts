import { describe, it, expect } from 'vitest';
import { isCodeShaped, secretBytes, withDefaults } from '../../../src/otp/options.js';

describe('OTP options', () => {
  it('defaults to 6 digits and SHA-1', () => {
    expect(withDefaults()).toEqual({ digits: 6, algorithm: 'sha1' });
    expect(withDefaults({ digits: 8 })).toEqual({ digits: 8, algorithm: 'sha1' });
  });

  it('reads a secret string as hex, never as base32', () => {
    expect(Buffer.from(secretBytes('00ff')).toString('hex')).toBe('00ff');
    const bytes = new Uint8Array([1, 2, 3]);
    expect(secretBytes(bytes)).toBe(bytes);
    expect(() => secretBytes('GEZDGNBV')).toThrow(/hex/);
    expect(() => secretBytes('abc')).toThrow(/hex/);
  });

  it('checks the shape of a code before any HMAC is spent', () => {
    expect(isCodeShaped('012345', 6)).toBe(true);
    expect(isCodeShaped('01234567', 6)).toBe(false);
    expect(isCodeShaped('0123456a', 8)).toBe(false);
  });
});

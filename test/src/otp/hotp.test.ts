import { describe, it, expect } from 'vitest';
import { hotpCode, verifyHotp } from '../../../src/otp/hotp.js';

// RFC 4226 appendix D: secret "12345678901234567890" (ASCII), counters 0 to 9.
const RFC4226_SECRET_HEX = Buffer.from('12345678901234567890').toString('hex');
const RFC4226_CODES = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

describe('hotpCode', () => {
  it('gives the ten HOTP values of RFC 4226 appendix D', () => {
    expect(RFC4226_CODES.map((_, counter) => hotpCode(RFC4226_SECRET_HEX, counter))).toEqual(RFC4226_CODES);
  });

  it('takes the secret as hex or as bytes alike', () => {
    const bytes = new Uint8Array(Buffer.from('12345678901234567890'));
    expect(hotpCode(bytes, 5)).toBe('254676');
    expect(hotpCode(RFC4226_SECRET_HEX.toUpperCase(), 5)).toBe('254676');
  });

  it('gives 8-digit codes whose last six digits are the 6-digit code', () => {
    const eight = hotpCode(RFC4226_SECRET_HEX, 0, { digits: 8 });
    expect(eight).toHaveLength(8);
    expect(eight.slice(2)).toBe('755224');
  });

  it('uses the requested hash', () => {
    expect(hotpCode(RFC4226_SECRET_HEX, 0, { algorithm: 'sha256' })).not.toBe('755224');
  });

  it('refuses a negative counter and a secret that is not hex', () => {
    expect(() => hotpCode(RFC4226_SECRET_HEX, -1)).toThrow(/out of range/);
    expect(() => hotpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 0)).toThrow(/hex/);
  });
});

describe('verifyHotp', () => {
  it('finds the counter of a code within the look-ahead window', () => {
    expect(verifyHotp(RFC4226_SECRET_HEX, '755224', 0, 10)).toBe(0);
    expect(verifyHotp(RFC4226_SECRET_HEX, '520489', 0, 10)).toBe(9);
    expect(verifyHotp(RFC4226_SECRET_HEX, '520489', 9, 0)).toBe(9);
  });

  it('does not look behind the stored counter nor beyond the window', () => {
    expect(verifyHotp(RFC4226_SECRET_HEX, '755224', 1, 10)).toBeNull();
    expect(verifyHotp(RFC4226_SECRET_HEX, '520489', 0, 8)).toBeNull();
  });

  it('accepts windows wider than the library default of 99 checks', () => {
    const far = hotpCode(RFC4226_SECRET_HEX, 250);
    expect(verifyHotp(RFC4226_SECRET_HEX, far, 0, 300)).toBe(250);
  });

  it('answers null, without throwing, for a code of the wrong shape', () => {
    expect(verifyHotp(RFC4226_SECRET_HEX, '75522', 0, 10)).toBeNull();
    expect(verifyHotp(RFC4226_SECRET_HEX, '75522a', 0, 10)).toBeNull();
    expect(verifyHotp(RFC4226_SECRET_HEX, '755224', 0, 10, { digits: 8 })).toBeNull();
  });
});

import { describe, it, expect } from 'vitest';
import { isFactordeskError } from '../../../src/errors.js';
import { parseFixedHex, parseOtpSecret, secretBytesToHex, secretEncoding } from '../../../src/import/secret.js';

const RFC4226_HEX = '3132333435363738393031323334353637383930';

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (isFactordeskError(e)) return e.userMessage;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseOtpSecret', () => {
  it('normalises hex to lower case', () => {
    expect(parseOtpSecret(RFC4226_HEX.toUpperCase())).toBe(RFC4226_HEX);
  });

  it('converts base32 to hex, in any case, with padding or blanks', () => {
    expect(parseOtpSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toBe(RFC4226_HEX);
    expect(parseOtpSecret('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).toBe(RFC4226_HEX);
    // 17 bytes do not fill whole base32 blocks: 28 characters, padded to 32 with '='.
    const seventeen = Buffer.from('12345678901234567').toString('hex');
    expect(parseOtpSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3Q====')).toBe(seventeen);
    expect(parseOtpSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3Q')).toBe(seventeen);
  });

  it('refuses seeds under 16 bytes, as RFC 4226 does', () => {
    expect(reasonOf(() => parseOtpSecret('JBSWY3DPEHPK3PXP'))).toBe(
      'secret is 10 bytes; at least 16 (128 bits, RFC 4226) are needed',
    );
    expect(reasonOf(() => parseOtpSecret('00'.repeat(15)))).toMatch(/15 bytes/);
  });

  it('refuses seeds over 64 bytes', () => {
    expect(reasonOf(() => parseOtpSecret('ab'.repeat(65)))).toBe('secret is 65 bytes; at most 64 are allowed');
  });

  it('refuses text that is neither hex nor base32, and odd hex, without quoting it', () => {
    const junk = 'not-a-secret-at-all!';
    const odd = '0123456789abcdef0123456789abcdef0';
    expect(reasonOf(() => parseOtpSecret(junk))).toBe('secret is neither hex (0-9, a-f) nor base32 (A-Z, 2-7)');
    expect(reasonOf(() => parseOtpSecret(odd))).toBe('secret has an odd number of hex digits');
    expect(reasonOf(() => parseOtpSecret(junk))).not.toContain(junk);
    expect(reasonOf(() => parseOtpSecret(''))).toBe('secret is missing');
  });

  it('refuses base32 whose length cannot hold whole bytes', () => {
    expect(reasonOf(() => parseOtpSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQG'))).toMatch(/not valid base32/);
  });
});

describe('secretEncoding', () => {
  it('prefers hex when a value reads both ways', () => {
    expect(secretEncoding('ABCDEF234567ABCD')).toBe('hex');
    expect(secretEncoding('GEZDGNBV')).toBe('base32');
    expect(secretEncoding('z!')).toBeNull();
    expect(secretEncoding('')).toBeNull();
  });
});

describe('secretBytesToHex and parseFixedHex', () => {
  it('checks a byte seed length', () => {
    expect(secretBytesToHex(Buffer.from('12345678901234567890'))).toBe(RFC4226_HEX);
    expect(reasonOf(() => secretBytesToHex(Buffer.from('1234')))).toMatch(/4 bytes/);
  });

  it('reads fixed-size hex values and says how long they must be', () => {
    expect(parseFixedHex('9BE51D7BAB4B', 6, 'private id')).toBe('9be51d7bab4b');
    expect(reasonOf(() => parseFixedHex('9be51d7bab', 6, 'private id'))).toBe(
      'private id has 10 hex digits; it must have 12 (6 bytes)',
    );
    expect(reasonOf(() => parseFixedHex('vvcccccccccb', 6, 'private id'))).toBe('private id is not hex (0-9, a-f)');
  });
});

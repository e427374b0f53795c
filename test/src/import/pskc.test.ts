import { describe, it, expect } from 'vitest';
import { parsePskc } from '../../../src/import/pskc.js';
import { readFixture } from './read-fixture.js';

// RFC 6030's examples (figures 2 to 7) live in fixtures/rfc6030-figure*.pskcxml. Figures 6 and 7 both
// protect the secret "12345678901234567890": under the pre-shared key 1234…9012, and under a key derived
// from the password "qwerty".
const RFC_SECRET = '3132333435363738393031323334353637383930';
const PRE_SHARED_KEY = '12345678901234567890123456789012';
const RFC_TOKEN = { serial: '987654321', type: 'h8', digits: 8, counter: 0, algorithm: 'sha1', secret_hex: RFC_SECRET };

describe('parsePskc: RFC 6030 examples', () => {
  it('figure 2: reads the minimal container, whose 4-byte secret is then too short to import', () => {
    expect(parsePskc(readFixture('rfc6030-figure2.pskcxml'))).toEqual({
      rows: [],
      errors: [{ line: 6, field: 'secret', reason: 'secret is 4 bytes; at least 16 (128 bits, RFC 4226) are needed' }],
    });
  });

  it('figure 3: reads a plain HOTP key with its device serial, code length and counter', () => {
    const { rows, errors } = parsePskc(readFixture('rfc6030-figure3.pskcxml'));
    expect(errors).toEqual([]);
    expect(rows).toEqual([{ line: 6, token: expect.objectContaining(RFC_TOKEN) }]);
  });

  it('figure 4: refuses a key derived from a master key, naming it', () => {
    const { rows, errors } = parsePskc(readFixture('rfc6030-figure4.pskcxml'));
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      {
        line: 6,
        field: 'secret',
        reason: "the key carries no secret: it is derived from master key 'MasterKeyLabel' (KeyReference), which this import cannot use",
      },
    ]);
  });

  it('figure 5: imports the HOTP key and skips its PIN key', () => {
    const { rows, errors } = parsePskc(readFixture('rfc6030-figure5.pskcxml'));
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.token)).toEqual([expect.objectContaining(RFC_TOKEN)]);
  });

  it('figure 6: decrypts AES-128-CBC under the pre-shared key once the HMAC-SHA1 MAC is checked', () => {
    const { rows, errors } = parsePskc(readFixture('rfc6030-figure6.pskcxml'), { preSharedKey: PRE_SHARED_KEY });
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.token)).toEqual([expect.objectContaining(RFC_TOKEN)]);
  });

  it('figure 7: derives the key from the password with PBKDF2 and decrypts', () => {
    const { rows, errors } = parsePskc(readFixture('rfc6030-figure7.pskcxml'), { password: 'qwerty' });
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.token)).toEqual([expect.objectContaining(RFC_TOKEN)]);
  });
});

describe('parsePskc: integrity and keys', () => {
  const figure6 = readFixture('rfc6030-figure6.pskcxml');

  it('rejects a tampered MAC value', () => {
    const tampered = figure6.replace('Su+NvtQfmvfJzF6bmQiJqoLRExc=', 'Tu+NvtQfmvfJzF6bmQiJqoLRExc=');
    expect(tampered).not.toBe(figure6);
    const { rows, errors } = parsePskc(tampered, { preSharedKey: PRE_SHARED_KEY });
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      { line: 26, field: 'mac', reason: 'the MAC of secret does not match: wrong key or password, or the file was altered' },
    ]);
  });

  it('rejects a tampered cipher text, whose MAC no longer matches', () => {
    const tampered = figure6.replace('AAECAwQFBgcICQoLDA0OD+cI', 'AAECAwQFBgcICQoLDA0OD+cJ');
    const { errors } = parsePskc(tampered, { preSharedKey: PRE_SHARED_KEY });
    expect(errors.map((e) => e.field)).toEqual(['mac']);
  });

  it('asks for the pre-shared key or the password when none is given', () => {
    expect(parsePskc(figure6).errors).toEqual([
      { line: 12, field: 'key', reason: "the secrets are encrypted with a pre-shared key ('Pre-shared-key'); give that key in hex" },
    ]);
    expect(parsePskc(readFixture('rfc6030-figure7.pskcxml')).errors).toEqual([
      { line: 12, field: 'password', reason: "the secrets are protected by a password ('My Password 1'); give the password" },
    ]);
  });

  it('reports a wrong key or password once for the file, with no tokens', () => {
    const wrongKey = parsePskc(figure6, { preSharedKey: 'ff'.repeat(16) });
    expect(wrongKey.rows).toEqual([]);
    expect(wrongKey.errors).toHaveLength(1);
    expect(wrongKey.errors[0]!.field).toBe('mac');
    const wrongPassword = parsePskc(readFixture('rfc6030-figure7.pskcxml'), { password: 'azerty' });
    expect(wrongPassword.errors).toHaveLength(1);
    expect(wrongPassword.errors[0]!.reason).toMatch(/wrong key or password/);
  });

  it('refuses encrypted values that carry no MAC', () => {
    const withoutMethod = figure6.replace(/<MACMethod[\s\S]*<\/MACMethod>/, '');
    expect(parsePskc(withoutMethod, { preSharedKey: PRE_SHARED_KEY }).errors[0]).toMatchObject({
      field: 'mac',
      reason: 'secret is encrypted but the file has no MAC method, so it cannot be checked',
    });
    const withoutValueMac = figure6.replace(/<ValueMAC>[\s\S]*<\/ValueMAC>/, '');
    expect(parsePskc(withoutValueMac, { preSharedKey: PRE_SHARED_KEY }).errors[0]).toMatchObject({
      field: 'mac',
      reason: 'secret is encrypted but has no ValueMAC, so it cannot be checked',
    });
  });

  it('refuses a pre-shared key that is not hex', () => {
    expect(parsePskc(figure6, { preSharedKey: 'not hex' }).errors[0]).toMatchObject({ field: 'key' });
  });
});

describe('parsePskc: other content', () => {
  it('reads TOTP keys with their step and hash', () => {
    const { rows, errors } = parsePskc(readFixture('pskc-totp.pskcxml'));
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.token)).toMatchObject([
      { serial: 'TOTP-0001', type: 't6', totp_step: 30, algorithm: 'sha1', counter: 0 },
      { serial: 'TOTP-0002', type: 't8', totp_step: 60, algorithm: 'sha256', secret_hex: Buffer.from('12345678901234567890123456789012').toString('hex') },
    ]);
  });

  it('reads a file that starts with a byte-order mark', () => {
    const { rows } = parsePskc(`\uFEFF${readFixture('rfc6030-figure3.pskcxml')}`);
    expect(rows.map((r) => r.token.serial)).toEqual(['987654321']);
  });

  it('refuses algorithms other than HOTP and TOTP', () => {
    const ocra = readFixture('rfc6030-figure3.pskcxml').replace('pskc:hotp', 'pskc:ocra');
    expect(parsePskc(ocra).errors).toEqual([
      { line: 6, field: 'type', reason: "key algorithm 'urn:ietf:params:xml:ns:keyprov:pskc:ocra' is not supported; only HOTP and TOTP keys can be imported" },
    ]);
  });

  it('refuses malformed XML with its line, DOCTYPEs, and other XML documents', () => {
    expect(parsePskc('<KeyContainer>\n<KeyPackage>\n</KeyContainer>').errors[0]).toMatchObject({ line: 3, field: 'file' });
    expect(parsePskc('<!DOCTYPE x [<!ENTITY a "b">]><KeyContainer/>').errors[0]!.reason).toMatch(/DOCTYPE/);
    expect(parsePskc('<html><body/></html>').errors[0]!.reason).toMatch(/no KeyContainer/);
    expect(parsePskc('<KeyContainer Version="2.0"/>').errors[0]!.reason).toMatch(/version 2.0/);
  });
});

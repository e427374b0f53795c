import { describe, it, expect } from 'vitest';
import { parseDuoCsv } from '../../../src/import/duo-csv.js';
import { readFixture } from './read-fixture.js';

const RFC4226_HEX = '3132333435363738393031323334353637383930';

describe('parseDuoCsv', () => {
  it('reads HOTP rows with and without a counter, hex or base32 secrets', () => {
    const { rows, errors } = parseDuoCsv(readFixture('duo-h6.csv'), 'h6');
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.line, r.token.serial, r.token.counter, r.token.secret_hex])).toEqual([
      [1, '100001', 0, 'b5ef4375804f752abe3517d1dee980cd6ebce68b'],
      [2, '100002', 17, '494e48f55cbb5f2e557535d7f22d1435808043c7'],
      [3, '100003', 0, RFC4226_HEX],
    ]);
    expect(rows[0]!.token).toMatchObject({ type: 'h6', digits: 6, algorithm: 'sha1', totp_step: 0, aes_key: null });
  });

  it('reads TOTP rows, the step defaulting to 30', () => {
    const { rows, errors } = parseDuoCsv(readFixture('duo-t8.csv'), 't8');
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.token)).toMatchObject([
      { serial: 'T8-0001', type: 't8', totp_step: 30, digits: 8, counter: 0, secret_hex: RFC4226_HEX },
      { serial: 'T8-0002', type: 't8', totp_step: 60, digits: 8 },
    ]);
  });

  it('reads YubiKey rows, taking a modhex first column as the public id', () => {
    const { rows, errors } = parseDuoCsv(readFixture('duo-yk.csv'), 'yk');
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.token)).toEqual([
      {
        serial: 'vvcccccccccb',
        type: 'yk',
        totp_step: 0,
        secret_hex: null,
        counter: 0,
        digits: null,
        algorithm: null,
        private_id: '9be51d7bab4b',
        aes_key: '87110752315a2cba409e1670300a934b',
        public_id: 'vvcccccccccb',
      },
      expect.objectContaining({ serial: '4410123', public_id: null, private_id: '3d87687cdfb4' }),
    ]);
  });

  it('reads vendor d1 rows as 6-digit HOTP', () => {
    const { rows } = parseDuoCsv(`D-1,${RFC4226_HEX},4`, 'd1');
    expect(rows[0]!.token).toMatchObject({ type: 'd1', digits: 6, counter: 4 });
  });

  it('names every bad field of every bad row with its line', () => {
    const text = [
      `ok-1,${RFC4226_HEX},0`,
      `,${RFC4226_HEX},x`,
      `${'s'.repeat(129)},00ff`,
      `ok-2,${RFC4226_HEX},1,extra`,
      'only-a-serial',
    ].join('\n');
    const { rows, errors } = parseDuoCsv(text, 'h6');
    expect(rows.map((r) => r.token.serial)).toEqual(['ok-1']);
    expect(errors).toEqual([
      { line: 2, field: 'serial', reason: 'token serial is required' },
      { line: 2, field: 'counter', reason: "counter 'x' is not a whole number" },
      { line: 3, field: 'serial', reason: 'token serial is 129 characters; at most 128 are allowed' },
      { line: 3, field: 'secret', reason: 'secret is 2 bytes; at least 16 (128 bits, RFC 4226) are needed' },
      { line: 4, field: 'row', reason: 'expected serial,secret[,counter] for h6 (HOTP 6 digits); found 4 columns' },
      { line: 5, field: 'row', reason: 'expected serial,secret[,counter] for h6 (HOTP 6 digits); found 1 column' },
    ]);
  });

  it('refuses a TOTP step out of range and YubiKey values of the wrong size', () => {
    expect(parseDuoCsv(`T-1,${RFC4226_HEX},0`, 't6').errors[0]).toMatchObject({ line: 1, field: 'step' });
    const yk = parseDuoCsv('Y-1,9be51d7bab,87110752315a2cba409e1670300a934b', 'yk');
    expect(yk.errors).toEqual([{ line: 1, field: 'private_id', reason: 'private id has 10 hex digits; it must have 12 (6 bytes)' }]);
  });
});

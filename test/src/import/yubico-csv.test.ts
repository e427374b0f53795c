import { describe, it, expect } from 'vitest';
import { parseYubicoCsv } from '../../../src/import/yubico-csv.js';
import { readFixture } from './read-fixture.js';

describe('parseYubicoCsv', () => {
  it('reads the Yubico format: Yubico OTP rows and an OATH-HOTP row', () => {
    const { rows, errors } = parseYubicoCsv(readFixture('yubico-format.csv'));
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.token)).toMatchObject([
      { serial: '3217240', type: 'yk', public_id: 'vvrgeifegbev', private_id: '9be51d7bab4b', aes_key: '87110752315a2cba409e1670300a934b' },
      { serial: '3217241', type: 'yk', public_id: 'vvrgeifegbeb', private_id: '3d87687cdfb4' },
      { serial: '3217242', type: 'h6', digits: 6, counter: 0, secret_hex: 'b5ef4375804f752abe3517d1dee980cd6ebce68b' },
    ]);
  });

  it('gives the HOTP rows of the Yubico format 8 digits when asked', () => {
    const { rows } = parseYubicoCsv(readFixture('yubico-format.csv'), { hotpDigits: 8 });
    expect(rows[2]!.token).toMatchObject({ type: 'h8', digits: 8 });
  });

  it('reads the traditional format, skipping LOGGING START, even with commas in the timestamp', () => {
    const { rows, errors } = parseYubicoCsv(readFixture('yubico-traditional.csv'));
    expect(errors).toEqual([]);
    expect(rows.map((r) => ({ line: r.line, ...r.token }))).toMatchObject([
      { line: 2, serial: 'vvrgeifegbev', type: 'yk', public_id: 'vvrgeifegbev', private_id: '9be51d7bab4b' },
      { line: 3, serial: 'ubhecccccccb', type: 'h8', digits: 8, counter: 5, secret_hex: '494e48f55cbb5f2e557535d7f22d1435808043c7' },
    ]);
  });

  it('refuses static-password and challenge-response configurations and keys without an id', () => {
    const text = [
      '508326,,,9e2fd386224a7f77e9b5aee775464033,,2013-12-12T08:44:34,',
      'Static Password,11.12.13 19:08,1,,d5a3d50327dc,0e8e37b0e38b314a56748c030f58d21d,,,0,0,0,0,0,0,0,0,0,0',
      'Challenge-Response: HMAC-SHA1,11.12.13 19:08,2,,,0e8e37b0e38b314a56748c030f58d21d0e8e37b0,,,0,0,0,0,0,0,0,0,0,0',
      ',,0,b5ef4375804f752abe3517d1dee980cd6ebce68b,,2013-12-12T08:41:07,',
      '3217240,vvrgeif1,9be51d7bab4b,87110752315a2cba409e1670300a934b,,2015-07-14T10:28:57,',
    ].join('\n');
    const { rows, errors } = parseYubicoCsv(text);
    expect(rows).toEqual([]);
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [1, 'row'],
      [2, 'row'],
      [3, 'row'],
      [4, 'serial'],
      [5, 'public_id'],
    ]);
    expect(errors[0]!.reason).toMatch(/static-password/);
  });
});

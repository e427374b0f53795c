import { describe, it, expect } from 'vitest';
import { parseOathCsv } from '../../../src/import/oath-csv.js';
import { readFixture } from './read-fixture.js';

describe('parseOathCsv', () => {
  it('reads HOTP and TOTP rows with digits, counter or step, and hash', () => {
    const { rows, errors } = parseOathCsv(readFixture('oath.csv'));
    expect(errors).toEqual([]);
    expect(rows.map((r) => ({ line: r.line, ...r.token }))).toMatchObject([
      { line: 2, serial: 'OATH-1', type: 'h6', counter: 12, totp_step: 0, algorithm: 'sha1' },
      { line: 3, serial: 'OATH-2', type: 'h8', counter: 0, digits: 8 },
      { line: 4, serial: 'OATH-3', type: 't6', totp_step: 30, algorithm: 'sha256', counter: 0 },
      { line: 5, serial: 'OATH-4', type: 't8', totp_step: 60, secret_hex: '3132333435363738393031323334353637383930' },
    ]);
  });

  it('defaults missing trailing columns: hotp, 6 digits, counter 0, sha1', () => {
    const { rows } = parseOathCsv('S-1,3132333435363738393031323334353637383930');
    expect(rows[0]!.token).toMatchObject({ type: 'h6', digits: 6, counter: 0, algorithm: 'sha1' });
  });

  it('names unsupported kinds, lengths, hashes and steps', () => {
    const seed = '3132333435363738393031323334353637383930';
    const text = [`A,${seed},ocra,6,0`, `B,${seed},hotp,7,0`, `C,${seed},totp,6,0,md5`].join('\n');
    const { rows, errors } = parseOathCsv(text);
    expect(rows).toEqual([]);
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [1, 'type'],
      [2, 'digits'],
      [3, 'algorithm'],
      [3, 'step'],
    ]);
  });
});

import { randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import {
  detectFormat,
  parseTokenFile,
  summarizeImport,
  type ParseTokenFileResult,
} from '../../../src/import/import-tokens.js';
import type { ImportedToken, ImportRowError } from '../../../src/import/imported-token.js';
import { readFixture } from './read-fixture.js';

function tokensOf(result: ParseTokenFileResult): ImportedToken[] {
  if ('errors' in result) throw new Error(JSON.stringify(result.errors));
  return result.tokens;
}

function errorsOf(result: ParseTokenFileResult): ImportRowError[] {
  if ('tokens' in result) throw new Error(`expected errors, got ${result.tokens.length} tokens`);
  return result.errors;
}

function hotpRows(count: number): { lines: string[]; secrets: string[] } {
  const secrets = Array.from({ length: count }, () => randomBytes(20).toString('hex'));
  const lines = secrets.map((secret, i) => `SN-${String(i + 1).padStart(4, '0')},${secret},${i}`);
  return { lines, secrets };
}

describe('detectFormat', () => {
  it('recognises each format from its content', () => {
    expect(detectFormat(readFixture('rfc6030-figure3.pskcxml'))).toEqual({ format: 'pskc' });
    expect(detectFormat(readFixture('oath.csv'))).toEqual({ format: 'oath-csv' });
    expect(detectFormat(readFixture('yubico-format.csv'))).toEqual({ format: 'yubico-csv' });
    expect(detectFormat(readFixture('yubico-traditional.csv'))).toEqual({ format: 'yubico-csv' });
    expect(detectFormat(readFixture('duo-yk.csv'))).toEqual({ format: 'duo-csv', type: 'yk' });
    expect(detectFormat(readFixture('duo-h6.csv'), 'h6')).toEqual({ format: 'duo-csv', type: 'h6' });
  });

  it('says a Duo-style HOTP/TOTP list needs its type', () => {
    expect(detectFormat(readFixture('duo-h6.csv'))).toEqual({
      error: {
        line: 1,
        field: 'type',
        reason: 'this looks like a Duo-style token list, whose rows do not say the token type; give the type (h6, h8, t6, t8 or yk)',
      },
    });
  });

  it('says when it cannot tell the format at all', () => {
    expect(detectFormat('a,b,c,d,e\n')).toEqual({
      error: { line: 1, field: 'file', reason: 'cannot tell the format of this file; give the format (duo-csv, oath-csv, yubico-csv, pskc)' },
    });
    expect(detectFormat('\n# nothing\n')).toEqual({ error: { line: 1, field: 'file', reason: 'the file has no tokens' } });
  });
});

describe('parseTokenFile', () => {
  it('imports every fixture format, detected', () => {
    expect(tokensOf(parseTokenFile(readFixture('duo-h6.csv'), { type: 'h6' }))).toHaveLength(3);
    expect(tokensOf(parseTokenFile(readFixture('duo-yk.csv')))).toHaveLength(2);
    expect(tokensOf(parseTokenFile(readFixture('oath.csv')))).toHaveLength(4);
    expect(tokensOf(parseTokenFile(readFixture('yubico-traditional.csv')))).toHaveLength(2);
    const pskc = parseTokenFile(readFixture('rfc6030-figure7.pskcxml'), { pskc: { password: 'qwerty' } });
    expect(pskc).toMatchObject({ format: 'pskc', tokens: [{ serial: '987654321', type: 'h8' }] });
  });

  it('honours an explicit format', () => {
    const result = parseTokenFile(readFixture('duo-t8.csv'), { format: 'duo-csv', type: 't8' });
    expect(result).toMatchObject({ format: 'duo-csv', tokens: [{ serial: 'T8-0001' }, { serial: 'T8-0002' }] });
    expect(errorsOf(parseTokenFile(readFixture('duo-t8.csv'), { format: 'duo-csv' }))[0]!.field).toBe('type');
  });

  it('imports 1000 good rows', () => {
    const { lines } = hotpRows(1000);
    const started = performance.now();
    const tokens = tokensOf(parseTokenFile(lines.join('\n'), { type: 'h6' }));
    console.log(`1000-row import parsed in ${(performance.now() - started).toFixed(0)} ms`);
    expect(tokens).toHaveLength(1000);
    expect(tokens[999]).toMatchObject({ serial: 'SN-1000', counter: 999 });
  });

  it('imports nothing when one row among 1000 is bad, and names that row', () => {
    const { lines, secrets } = hotpRows(1000);
    lines[636] = `SN-0637,${secrets[636]!.slice(0, 30)}zz,636`;
    const result = parseTokenFile(lines.join('\n'), { type: 'h6' });
    expect('tokens' in result).toBe(false);
    expect(errorsOf(result)).toEqual([
      { line: 637, field: 'secret', reason: 'secret is neither hex (0-9, a-f) nor base32 (A-Z, 2-7)' },
    ]);
  });

  it('refuses serials repeated within the file, naming both lines', () => {
    const { lines } = hotpRows(5);
    lines[3] = lines[3]!.replace('SN-0004', 'SN-0002');
    expect(errorsOf(parseTokenFile(lines.join('\n'), { type: 'h6' }))).toEqual([
      { line: 4, field: 'serial', reason: 'serial SN-0002 appears twice in the file (first on line 2)' },
    ]);
  });

  it('refuses serials that already exist', () => {
    const { lines } = hotpRows(3);
    const result = parseTokenFile(lines.join('\n'), { type: 'h6', existingSerials: new Set(['SN-0003', 'OTHER']) });
    expect(errorsOf(result)).toEqual([{ line: 3, field: 'serial', reason: 'a token with serial SN-0003 already exists' }]);
  });

  it('returns every error sorted by line, none quoting a secret', () => {
    const { lines, secrets } = hotpRows(6);
    lines[4] = `${'x'.repeat(129)},${secrets[4]},0`;
    lines[1] = `SN-0002,${secrets[1]}!,0`;
    lines[2] = `SN-0003,${secrets[2]},-5`;
    const errors = errorsOf(parseTokenFile(lines.join('\n'), { type: 'h6' }));
    expect(errors.map((e) => [e.line, e.field])).toEqual([
      [2, 'secret'],
      [3, 'counter'],
      [5, 'serial'],
    ]);
    const printed = JSON.stringify(errors);
    for (const secret of secrets) expect(printed).not.toContain(secret);
  });

  it('checks the requested type against typed formats, and receives HOTP-6 tokens as d1', () => {
    const oath = errorsOf(parseTokenFile(readFixture('oath.csv'), { type: 'h6' }));
    expect(oath.map((e) => e.line)).toEqual([3, 4, 5]);
    expect(oath[0]!.reason).toBe('the token is h8 (HOTP 8 digits), not h6 as asked');
    const received = tokensOf(parseTokenFile('D-1,3132333435363738393031323334353637383930\n', { format: 'oath-csv', type: 'd1' }));
    expect(received[0]!.type).toBe('d1');
    expect(errorsOf(parseTokenFile(readFixture('rfc6030-figure3.pskcxml'), { type: 'd1' }))[0]!.reason).toMatch(/only 6-digit HOTP/);
  });

  it('gives the Yubico format HOTP rows 8 digits with type h8, refusing its YubiKey rows then', () => {
    const errors = errorsOf(parseTokenFile(readFixture('yubico-format.csv'), { type: 'h8' }));
    expect(errors.map((e) => e.line)).toEqual([1, 2]);
    const only = parseTokenFile('3217242,,0,b5ef4375804f752abe3517d1dee980cd6ebce68b,,2015-07-14T10:30:11,', { type: 'h8' });
    expect(tokensOf(only)[0]).toMatchObject({ type: 'h8', digits: 8 });
  });

  it('refuses a file without tokens', () => {
    expect(errorsOf(parseTokenFile('LOGGING START,7/14/15 10:28 AM\n'))).toEqual([
      { line: 1, field: 'file', reason: 'the file has no tokens to import' },
    ]);
  });
});

describe('summarizeImport', () => {
  it('counts by type and previews the first rows without any secret', () => {
    const tokens = [
      ...tokensOf(parseTokenFile(readFixture('oath.csv'))),
      ...tokensOf(parseTokenFile(readFixture('duo-yk.csv'))),
    ];
    const summary = summarizeImport(tokens, 3);
    expect(summary.total).toBe(6);
    expect(summary.byType).toEqual({ h6: 1, h8: 1, t6: 1, t8: 1, yk: 2 });
    expect(summary.preview).toHaveLength(3);
    expect(summary.preview[2]).toEqual({
      serial: 'OATH-3',
      type: 't6',
      totp_step: 30,
      counter: 0,
      digits: 6,
      algorithm: 'sha256',
      public_id: null,
    });
    const printed = JSON.stringify(summarizeImport(tokens));
    for (const t of tokens) {
      for (const secret of [t.secret_hex, t.private_id, t.aes_key]) if (secret !== null) expect(printed).not.toContain(secret);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { isFactordeskError } from '../../../src/errors.js';
import {
  errorList,
  importContent,
  importFields,
  importParams,
  importWindow,
  initialImportValues,
  typeCounts,
  unreadableFile,
  wrapText,
} from '../../../tui/state/token-import.js';
import type { ImportModal } from '../../../tui/state/types.js';

const modal = (over: Partial<ImportModal> = {}): ImportModal => ({
  kind: 'import',
  vendor: false,
  id: 1,
  values: initialImportValues(),
  file: '/home/ada/tokens.csv',
  params: { content: 'x', filename: 'tokens.csv' },
  step: 'invalid',
  format: 'duo-csv',
  summary: null,
  errors: [],
  request: null,
  busy: false,
  error: null,
  scroll: 0,
  ...over,
});

describe('wrapText', () => {
  it('breaks at spaces within the width, and cuts a word longer than a line', () => {
    expect(wrapText('the secret is not hexadecimal', 12)).toEqual(['the secret', 'is not', 'hexadecimal']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('short', 20)).toEqual(['short']);
    for (const line of wrapText('a b c dddddddddddddddddddddd e', 7)) expect(line.length).toBeLessThanOrEqual(7);
  });
});

describe('importParams', () => {
  it('sends the format and type only when chosen, the password only when typed, and the file name without its directory', () => {
    expect(importParams(initialImportValues(), 'text', '/tmp/x/tokens.csv', false)).toEqual({ content: 'text', filename: 'tokens.csv' });
    expect(importParams({ path: 'a', format: 'duo-csv', type: 't8', pskcPassword: '' }, 'text', '/a', false)).toEqual({
      content: 'text',
      filename: 'a',
      format: 'duo-csv',
      type: 't8',
    });
    expect(importParams({ format: 'pskc', pskcPassword: 'pw' }, 'x', '/f.xml', false)).toEqual({ content: 'x', filename: 'f.xml', format: 'pskc', pskcPassword: 'pw' });
  });

  it('never sends a type for vendor tokens (the daemon makes them d1), nor a format it does not know', () => {
    expect(importParams({ format: 'auto', type: 'h6' }, 'x', '/f', true)).toEqual({ content: 'x', filename: 'f' });
    expect(importParams({ format: 'xlsx', type: 'd1' }, 'x', '/f', false)).toEqual({ content: 'x', filename: 'f' });
  });
});

describe('importFields', () => {
  it('asks the type for a Duo CSV or a detected format only, the PSKC password for PSKC or auto only, and masks it', () => {
    const fields = importFields(false, '/work');
    const visible = (format: string) => fields.filter((f) => f.visible?.({ format }) ?? true).map((f) => f.name);
    expect(visible('auto')).toEqual(['path', 'format', 'type', 'pskcPassword']);
    expect(visible('duo-csv')).toEqual(['path', 'format', 'type']);
    expect(visible('pskc')).toEqual(['path', 'format', 'pskcPassword']);
    expect(visible('oath-csv')).toEqual(['path', 'format']);
    expect(fields.find((f) => f.name === 'pskcPassword')?.secret).toBe(true);
    expect(fields.find((f) => f.name === 'type')?.choices?.map((c) => c.value)).toEqual(['', 'h6', 'h8', 't6', 't8', 'yk']);
    expect(importFields(true, '/work').map((f) => f.name)).toEqual(['path', 'format', 'pskcPassword']);
  });
});

describe('unreadableFile', () => {
  it('says why in words, as an invalid-input error', () => {
    const e = unreadableFile('/x/t.csv', Object.assign(new Error('nope'), { code: 'ENOENT' }));
    expect(isFactordeskError(e) && e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toBe('Cannot read /x/t.csv: there is no such file.');
    expect(unreadableFile('/x', Object.assign(new Error(''), { code: 'EACCES' })).userMessage).toBe('Cannot read /x: permission denied.');
    expect(unreadableFile('/x', Object.assign(new Error(''), { code: 'EFBIG' })).userMessage).toBe('Cannot read /x: it is larger than the 16 MB the hub takes.');
  });
});

describe('the dialog content', () => {
  it('counts tokens by type in the order of the type codes', () => {
    expect(typeCounts({ yk: 1, h6: 3 })).toBe('3 × h6 HOTP 6 digits, 1 × yk YubiKey OTP');
  });

  it('lists errors as "line N  field: reason", wrapping a long reason beside its line number', () => {
    const lines = errorList(
      [
        { line: 2, field: 'secret', reason: 'not hexadecimal' },
        { line: 10, field: 'serial', reason: 'a token with serial 100001 already exists in this account' },
      ],
      40,
    ).map((l) => l.text);
    expect(lines[0]).toBe('line 2   secret: not hexadecimal');
    expect(lines[1]).toBe('line 10  serial: a token with serial');
    expect(lines.slice(2).every((l) => l.startsWith('         ') && l.length <= 40)).toBe(true);
  });

  it('keeps the scroll within the list, so that the last lines fill the dialog', () => {
    const errors = Array.from({ length: 50 }, (_, i) => ({ line: i + 1, field: 'secret', reason: 'bad' }));
    const size = { columns: 80, rows: 24 };
    const w = importWindow(modal({ errors, scroll: 1000 }), size, true);
    expect(w.content.list).toHaveLength(50);
    expect(w.scroll).toBe(w.maxScroll);
    expect(w.maxScroll).toBe(50 - w.visible);
    expect(w.content.fixed.length + w.visible).toBe(16);
  });

  it('says what a finished import did, and that a pending one keeps running when closed', () => {
    const summary = { total: 2, byType: { h6: 2 }, preview: [] };
    const base = { step: 'request' as const, summary };
    const request = { request_id: 'DQ1', kind: 'tokens.import' as const, params: {}, result: {}, error_code: '', error_message: '', admin_id: 'A', hub_id: '', created: 0, updated: 0, queued: false };
    const pending = importContent(modal({ ...base, request: { ...request, status: 'pending' } }), { online: true, width: 76 });
    expect(pending.footer).toBe('Esc close — it still runs, and its result is kept');
    const done = importContent(modal({ ...base, request: { ...request, status: 'done', result: { imported: 2 } } }), { online: true, width: 76 });
    expect(done.fixed.map((l) => l.text)).toContain('Imported 2 tokens.');
    expect(done.footer).toBe('Enter/Esc close');
  });
});

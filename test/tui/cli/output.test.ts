import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cellText, formatCsv, formatJson, formatRecord, formatRows, formatTable, terminalWidth } from '../../../tui/cli/output.js';

const headers = ['NAME', 'PLATFORM', 'USERS'];
const rows = [
  ['work iPhone', 'apple ios', '2'],
  ['tablet', 'google android', '10'],
];

describe('formatTable', () => {
  it('aligns columns to their widest cell, two spaces apart, no trailing spaces', () => {
    expect(formatTable(headers, rows, { maxWidth: undefined })).toBe(
      ['NAME         PLATFORM        USERS', 'work iPhone  apple ios       2', 'tablet       google android  10'].join('\n'),
    );
  });

  it('aligns chosen columns to the right', () => {
    const out = formatTable(headers, rows, { maxWidth: undefined, alignRight: [2] });
    expect(out.split('\n').map((l) => l.slice(-5))).toEqual(['USERS', '    2', '   10']);
  });

  it('cuts the widest columns with … to fit a terminal width', () => {
    const wide = [['a'.repeat(40), 'b'.repeat(30), 'c']];
    const out = formatTable(['A', 'B', 'C'], wide, { maxWidth: 40 });
    for (const line of out.split('\n')) expect([...line].length).toBeLessThanOrEqual(40);
    expect(out).toContain('…');
    expect(out.split('\n')[1]).toMatch(/^a+…\s+b+…\s+c$/);
  });

  it('does not cut a column below a few characters, even if the table stays too wide', () => {
    const out = formatTable(['A', 'B'], [['abcdefghij', 'abcdefghij']], { maxWidth: 5 });
    expect(out.split('\n')[1]).toBe('abcde…  abcde…');
  });

  it('replaces control characters so data cannot drive the terminal', () => {
    const out = formatTable(['NAME'], [['evil\u001b[2Jname\nnext']], { maxWidth: undefined });
    expect(out).not.toMatch(/[\u001b\n]name/);
    expect(out.split('\n')).toHaveLength(2);
  });

  it('fills missing cells with blanks', () => {
    expect(formatTable(['A', 'B'], [['x']], { maxWidth: undefined })).toBe('A  B\nx');
  });
});

describe('terminalWidth', () => {
  it('is the column count of a TTY and undefined for a pipe or file', () => {
    expect(terminalWidth({ isTTY: true, columns: 120 })).toBe(120);
    expect(terminalWidth({ isTTY: false, columns: 120 })).toBeUndefined();
    expect(terminalWidth({})).toBeUndefined();
  });
});

describe('formatCsv / formatJson / formatRows', () => {
  it('writes CSV with a header row and RFC 4180 quoting', () => {
    const csv = formatCsv(['NAME', 'NOTE'], [['a, b', 'say "hi"']]);
    expect(csv).toBe('NAME,NOTE\n"a, b","say ""hi"""\n');
    expect(parse(csv)).toEqual([['NAME', 'NOTE'], ['a, b', 'say "hi"']]);
  });

  it('writes indented JSON ending with a newline', () => {
    expect(formatJson({ a: 1 })).toBe('{\n  "a": 1\n}\n');
  });

  it('renders rows in each format', () => {
    expect(formatRows('table', ['A'], [['1']], undefined, { maxWidth: undefined })).toBe('A\n1\n');
    expect(formatRows('csv', ['A'], [['1']])).toBe('A\n1\n');
    expect(JSON.parse(formatRows('json', ['A', 'B'], [['1', '2']]))).toEqual([{ A: '1', B: '2' }]);
    expect(JSON.parse(formatRows('json', ['A'], [['1']], [{ a: 1 }]))).toEqual([{ a: 1 }]);
  });
});

describe('formatRecord', () => {
  const fields = [
    ['status', 'running'],
    ['pid', '42'],
  ] as const;

  it('aligns key: value lines for people', () => {
    expect(formatRecord('table', fields, {})).toBe('status: running\npid:    42\n');
  });

  it('is one CSV row, or the JSON value, for scripts', () => {
    expect(formatRecord('csv', fields, {})).toBe('status,pid\nrunning,42\n');
    expect(JSON.parse(formatRecord('json', fields, { status: 'running', pid: 42 }))).toEqual({ status: 'running', pid: 42 });
  });
});

describe('cellText', () => {
  it('renders empty, yes/no, joined arrays and JSON for objects', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText(true)).toBe('yes');
    expect(cellText(false)).toBe('no');
    expect(cellText(['a', 'b'])).toBe('a, b');
    expect(cellText({ a: 1 })).toBe('{"a":1}');
    expect(cellText(3)).toBe('3');
  });
});

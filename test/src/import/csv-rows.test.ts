import { describe, it, expect } from 'vitest';
import { readCsv, significantFields } from '../../../src/import/csv-rows.js';

describe('readCsv', () => {
  it('keeps each record with its line, skipping blanks, comments and a header', () => {
    const text = '# exported 2024\nserial,secret,counter\n\nA, 00ff ,1\r\n"B,2",x\n';
    expect(readCsv(text)).toEqual({
      records: [
        { line: 4, fields: ['A', '00ff', '1'] },
        { line: 5, fields: ['B,2', 'x'] },
      ],
    });
  });

  it('reports an unclosed quote with its line and without quoting the row', () => {
    const result = readCsv('A,1\nB,"0123456789abcdef\n');
    expect(result).toEqual({ error: { line: 2, field: 'file', reason: 'the CSV cannot be read: a quoted cell is never closed' } });
  });

  it('drops trailing empty cells when counting columns', () => {
    expect(significantFields(['a', 'b', '', ''])).toEqual(['a', 'b']);
  });
});

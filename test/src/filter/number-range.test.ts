import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { valueMatcher } from '../../../src/filter/match.js';
import { inNumberRange, numberRange } from '../../../src/filter/number-range.js';
import { versionCode } from '../../../src/filter/indexed-row.js';
import type { CompareOp, ValueTest } from '../../../src/filter/parse.js';

const NOW = Date.UTC(2026, 10, 30, 12);
const DAY = 86_400_000;
const op = fc.constantFrom<CompareOp>('<', '<=', '>', '>=', '=');
const part = fc.integer({ min: 0, max: 30 });

/** Numeric tests, and prepared numbers near their edges (NaN = no value). */
const cases: fc.Arbitrary<{ test: ValueTest; values: readonly number[] }> = fc.oneof(
  fc.record({ op, value: fc.integer({ min: 0, max: 5 }) }).map(({ op, value }) => ({
    test: { type: 'number', op, value } as ValueTest,
    values: [NaN, value - 1, value, value + 1, 0, 7],
  })),
  fc.record({ op, parts: fc.array(part, { minLength: 1, maxLength: 4 }), near: fc.array(fc.tuple(part, part, part), { maxLength: 6 }) }).map(
    ({ op, parts, near }) => {
      const code = versionCode(parts);
      return {
        test: { type: 'version', op, parts } as ValueTest,
        values: [NaN, code, code - 1, code + 1, versionCode([parts[0]!]), versionCode([parts[0]! + 1]), ...near.map((p) => versionCode(p))],
      };
    },
  ),
  fc.constant({ test: { type: 'missing' } as ValueTest, values: [NaN, 0, 5, versionCode([17])] }),
  fc.record({ op, days: fc.integer({ min: 0, max: 90 }) }).map(({ op, days }) => {
    const cutoff = NOW - days * DAY;
    return { test: { type: 'age', op, ms: days * DAY } as ValueTest, values: [NaN, cutoff, cutoff - 1, cutoff + 1, NOW, 0] };
  }),
  fc.record({ op, day: fc.integer({ min: 0, max: 60 }) }).map(({ op, day }) => {
    const start = NOW - day * DAY;
    const end = start + DAY;
    return { test: { type: 'time', op, start, end } as ValueTest, values: [NaN, start, start - 1, end, end - 1, NOW, 0] };
  }),
);

describe('numberRange', () => {
  it('matches the same prepared numbers as valueMatcher, missing values included', () => {
    fc.assert(
      fc.property(cases, ({ test, values }) => {
        const range = numberRange(test, NOW)!;
        const reference = valueMatcher(test, NOW);
        for (const v of values) expect(inNumberRange(range, v), `${JSON.stringify(test)} on ${v}`).toBe(reference(Number.isNaN(v) ? null : v));
      }),
      { numRuns: 2000 },
    );
  });

  it('has no range for tests on other kinds of value', () => {
    expect(numberRange({ type: 'text', mode: 'prefix', text: 'a' }, NOW)).toBeUndefined();
    expect(numberRange({ type: 'bool', value: true }, NOW)).toBeUndefined();
  });

  it('reads `os:<=17` as every 17.x and nothing above', () => {
    const range = numberRange({ type: 'version', op: '<=', parts: [17] }, NOW)!;
    expect(inNumberRange(range, versionCode([17, 9999, 9999]))).toBe(true);
    expect(inNumberRange(range, versionCode([18]))).toBe(false);
    expect(inNumberRange(range, NaN)).toBe(false);
  });
});

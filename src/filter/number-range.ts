/**
 * The numeric tests of the filter language (counts, versions, ages, times, "missing") as one interval over
 * the prepared number, plus whether a missing number (NaN) matches. A column of numbers is then filtered by a
 * single comparison loop instead of a call through the test's closures per row, which made `os:<17` over
 * 120k devices cost more than ten times as much. Same answers as `valueMatcher` (a property test checks it).
 */
import type { CompareOp, ValueTest } from './parse.js';
import { versionCode, versionPrefix, versionPrefixCodes } from './indexed-row.js';

/** Numbers `v` with lo < v (or ≤ when not `loStrict`) and v < hi (or ≤); `missing` says whether NaN matches. */
export interface NumberRange {
  lo: number;
  loStrict: boolean;
  hi: number;
  hiStrict: boolean;
  missing: boolean;
}

const ALL = { lo: -Infinity, loStrict: false, hi: Infinity, hiStrict: false };
const NONE = { lo: Infinity, loStrict: true, hi: -Infinity, hiStrict: true };

/** `v op value` as a range (NaN not matching). */
function compare(op: CompareOp, value: number): Omit<NumberRange, 'missing'> {
  switch (op) {
    case '<':
      return { ...ALL, hi: value, hiStrict: true };
    case '<=':
      return { ...ALL, hi: value };
    case '>':
      return { ...ALL, lo: value, loStrict: true };
    case '>=':
      return { ...ALL, lo: value };
    case '=':
      return { lo: value, loStrict: false, hi: value, hiStrict: false };
  }
}

/** `start ≤ v < end` compared with `op` the way timeHolds and version prefixes compare an interval. */
function interval(op: CompareOp, start: number, end: number): Omit<NumberRange, 'missing'> {
  switch (op) {
    case '<':
      return { ...ALL, hi: start, hiStrict: true };
    case '<=':
      return { ...ALL, hi: end, hiStrict: true };
    case '>':
      return { ...ALL, lo: end };
    case '>=':
      return { ...ALL, lo: start };
    case '=':
      return { lo: start, loStrict: false, hi: end, hiStrict: true };
  }
}

/** The range of a numeric test; undefined for tests on other kinds of value. */
export function numberRange(test: ValueTest, now: number): NumberRange | undefined {
  switch (test.type) {
    case 'number':
      return { ...compare(test.op, test.value), missing: false };
    case 'version': {
      const precision = test.parts.length;
      const [start, end] = versionPrefixCodes(versionPrefix(versionCode(test.parts), precision), precision);
      return { ...interval(test.op, start, end), missing: false };
    }
    case 'missing':
      return { ...NONE, missing: true };
    case 'age': {
      // The sign compared is cutoff − time ("older" is positive); a missing time is the oldest.
      const cutoff = now - test.ms;
      const flipped: Record<CompareOp, CompareOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=' };
      return { ...compare(flipped[test.op], cutoff), missing: test.op === '>' || test.op === '>=' };
    }
    case 'time':
      // A missing time is before every date.
      return { ...interval(test.op, test.start, test.end), missing: test.op === '<' || test.op === '<=' };
    default:
      return undefined;
  }
}

/** Whether a prepared number (NaN = none) is in the range. */
export function inNumberRange(range: NumberRange, v: number): boolean {
  if (v !== v) return range.missing;
  return (range.loStrict ? v > range.lo : v >= range.lo) && (range.hiStrict ? v < range.hi : v <= range.hi);
}

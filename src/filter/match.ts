/**
 * What a parsed filter means on a prepared row (indexed-row.ts). Pure: the clock is an argument.
 *
 * `compileFilter` is the reference: a predicate over one IndexedRow. The daemon's column store evaluates
 * the same terms over columns for speed, built from the same primitives exported here (`holds`,
 * `versionMatcher`, `ageSign`, `timeHolds`, `textMatcher`), and its tests check that both agree.
 * `narrows` says when one filter's matches are a subset of another's, so a view can scan the previous
 * matches instead of every row when the filter text grows by a keystroke.
 */
import type { CompareOp, FilterAst, FilterTerm, ValueTest } from './parse.js';
import { versionCode, versionPrefix, type IndexValue, type IndexedRow } from './indexed-row.js';

export type { IndexedRow, IndexValue } from './indexed-row.js';

export type RowPredicate = (row: IndexedRow) => boolean;

export interface CompileOptions {
  /** Epoch ms that relative times (`last_seen:>30d`, `since:7d`) count back from; default Date.now(). */
  now?: number;
}

/** Applies a comparison to the sign of a three-way comparison (NaN holds for nothing). */
export function holds(op: CompareOp, sign: number): boolean {
  switch (op) {
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
    case '=':
      return sign === 0;
  }
}

/** A check of a version code against a version test, on the test's precision (`17` = any 17.x). */
export function versionMatcher(op: CompareOp, parts: readonly number[]): (code: number) => boolean {
  const precision = parts.length;
  const query = versionPrefix(versionCode(parts), precision);
  return (code) => holds(op, versionPrefix(code, precision) - query);
}

/**
 * The sign `age` tests compare: positive when `time` is older than `cutoff`. A missing time (never seen)
 * is older than any cutoff, so `last_seen:>30d` includes devices never seen.
 */
export function ageSign(cutoff: number, time: number | null): number {
  return time === null || Number.isNaN(time) ? Infinity : cutoff - time;
}

/** A time against the interval [start, end) a date names; a missing time is before every date. */
export function timeHolds(op: CompareOp, start: number, end: number, time: number | null): boolean {
  const t = time === null || Number.isNaN(time) ? -Infinity : time;
  if (op === '<') return t < start;
  if (op === '<=') return t < end;
  if (op === '>') return t >= end;
  if (op === '>=') return t >= start;
  return t >= start && t < end;
}

/** A check of one lower-case text. */
export function textMatcher(mode: 'substring' | 'prefix' | 'exact', text: string): (s: string) => boolean {
  if (mode === 'substring') return (s) => s.includes(text);
  if (mode === 'prefix') return (s) => s.startsWith(text);
  return (s) => s === text;
}

/** The check a value test makes on a prepared value (a list of texts matches when any of them does). */
export function valueMatcher(test: ValueTest, now: number): (v: IndexValue) => boolean {
  switch (test.type) {
    case 'oneOf': {
      const values: readonly IndexValue[] = test.values;
      return (v) => values.includes(v);
    }
    case 'bool':
      return (v) => v === test.value;
    case 'text': {
      const one = textMatcher(test.mode, test.text);
      return (v) => (typeof v === 'string' ? one(v) : Array.isArray(v) ? (v as readonly string[]).some(one) : false);
    }
    case 'number':
      return (v) => typeof v === 'number' && holds(test.op, v - test.value);
    case 'version': {
      const check = versionMatcher(test.op, test.parts);
      return (v) => typeof v === 'number' && check(v);
    }
    case 'missing':
      return (v) => v === null || v === undefined || v === '';
    case 'age': {
      const cutoff = now - test.ms;
      return (v) => holds(test.op, ageSign(cutoff, typeof v === 'number' ? v : null));
    }
    case 'time':
      return (v) => timeHolds(test.op, test.start, test.end, typeof v === 'number' ? v : null);
  }
}

function termPredicate(term: FilterTerm, now: number): RowPredicate {
  let positive: RowPredicate;
  if (term.kind === 'text') {
    const text = term.text;
    positive = (row) => row.text.includes(text);
  } else {
    const field = term.field;
    const check = valueMatcher(term.test, now);
    positive = (row) => check(row.values[field] ?? null);
  }
  return term.negated ? (row) => !positive(row) : positive;
}

/** A predicate that is true for the rows matching every term of the filter. */
export function compileFilter(ast: FilterAst, options: CompileOptions = {}): RowPredicate {
  const now = options.now ?? Date.now();
  const preds = ast.terms.map((t) => termPredicate(t, now));
  return (row) => {
    for (const p of preds) if (!p(row)) return false;
    return true;
  };
}

/** True when the filter's result depends on the time it is evaluated (relative ages). */
export function usesClock(ast: FilterAst): boolean {
  return ast.terms.some((t) => t.kind === 'key' && t.test.type === 'age');
}

/** A stable key of a filter's meaning (two texts that parse alike share it). */
export function filterKey(ast: FilterAst): string {
  return JSON.stringify(ast.terms);
}

/** True when every row the test `a` accepts is accepted by `b` (both on one field, not negated). */
function testImplies(a: ValueTest, b: ValueTest): boolean {
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  if (a.type === 'oneOf' && b.type === 'oneOf') return a.values.every((v) => b.values.includes(v));
  if (a.type !== 'text' || b.type !== 'text') return false;
  if (a.mode === 'exact') return b.mode === 'exact' ? a.text === b.text : b.mode === 'prefix' ? a.text.startsWith(b.text) : a.text.includes(b.text);
  if (a.mode === 'prefix') return b.mode === 'prefix' ? a.text.startsWith(b.text) : b.mode === 'substring' && a.text.includes(b.text);
  return b.mode === 'substring' && a.text.includes(b.text);
}

/** True when every row matching term `a` also matches term `b`. */
function implies(a: FilterTerm, b: FilterTerm): boolean {
  if (a.negated !== b.negated) return false;
  // Negation flips containment: "not abc" implies "not abcd".
  const [x, y] = a.negated ? [b, a] : [a, b];
  if (x.kind === 'text' && y.kind === 'text') return x.text.includes(y.text);
  if (x.kind === 'key' && y.kind === 'key' && x.field === y.field) {
    // A text term over a list ("any username starts with") keeps the implication: the same element serves.
    return testImplies(x.test, y.test);
  }
  return false;
}

/**
 * True when every row matching `next` also matches `previous` (same entity), so `next` can be evaluated
 * on `previous`'s matches alone: each term of `previous` is implied by some term of `next`.
 */
export function narrows(previous: FilterAst, next: FilterAst): boolean {
  if (previous.entity !== next.entity) return false;
  return previous.terms.every((p) => next.terms.some((n) => implies(n, p)));
}

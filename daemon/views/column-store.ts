/**
 * The prepared rows of one entity stored by column, so that a filter over 120k rows is a few tight loops
 * over contiguous memory rather than a walk through 120k objects:
 * - choice fields as small integer codes (Uint16Array + dictionary), yes/no as bytes, numbers (counts,
 *   version codes, epoch ms; NaN = none) as Float64Array;
 * - text fields, lists of texts and the free text as strings per slot, plus, for full scans, one
 *   concatenated haystack per block of 1024 slots that `indexOf` searches in one pass. In a haystack each
 *   slot is `\0` followed by `\x01value\x02` per text, so a prefix is `\x01abc` and an exact value
 *   `\x01abc\x02`, and no match can run from one slot or one text into the next. A block is rebuilt lazily
 *   after a slot in it changes;
 * - for the free text, which letters, digits and common punctuation (`+` of phone numbers, `.` and `@` of
 *   names and addresses…) each row contains (two 32-bit words per row), so a one-character word, the first
 *   keystroke of every word and the slowest search, is a bit test; and which pairs of adjacent characters
 *   (bigram-index.ts), so that a longer word checks only the rows that have all of its pairs.
 *
 * Semantics are those of compileFilter (src/filter/match.ts), from the same primitives; a property test
 * checks that both give the same rows.
 */
import { FILTER_KEYS, fieldOf, type KeyKind } from '../../src/filter/keys.js';
import { BigramIndex } from './bigram-index.js';
import type { IndexValue, IndexedRow } from '../../src/filter/indexed-row.js';
import { textMatcher, valueMatcher } from '../../src/filter/match.js';
import { inNumberRange, numberRange } from '../../src/filter/number-range.js';
import type { FilterAst, FilterTerm } from '../../src/filter/parse.js';
import type { EntityName } from '../../src/rpc/contract.js';

type ColumnKind = 'code' | 'bool' | 'number' | 'strings';

const COLUMN_KIND: Readonly<Record<KeyKind, ColumnKind>> = {
  choice: 'code',
  bool: 'bool',
  text: 'strings',
  prefix: 'strings',
  digits: 'strings',
  version: 'number',
  count: 'number',
  age: 'number',
  since: 'number',
  until: 'number',
};

/** The strings column that holds each row's free text. */
const FREE_TEXT = '\u0000text';
const BLOCK = 1024;
const SLOT_START = '\u0000';
const TEXT_START = '\u0001';
const TEXT_END = '\u0002';
const NO_BOOL = 2;
const SEPARATORS = /[\u0000-\u0002]/;

type Strings = string | readonly string[];

interface Haystack {
  str: string;
  /** Offsets of each slot's segment in `str`, then `str.length`. */
  starts: Int32Array;
}

interface CodeColumn {
  field: string;
  col: Uint16Array;
  dict: Map<IndexValue, number>;
  values: IndexValue[];
}

interface TypedColumn<T> {
  field: string;
  col: T;
}

interface StringColumn {
  field: string;
  col: Strings[];
  /** Haystack per block of slots; undefined = to rebuild. */
  blocks: (Haystack | undefined)[];
}

/** Slot → boolean, positive sense (negation is applied by the caller). */
type SlotTest = (slot: number) => boolean;

function grow<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(arr: T, capacity: number, fill?: number): T {
  const next = new (arr.constructor as new (n: number) => T)(capacity);
  next.set(arr);
  if (fill !== undefined) next.fill(fill, arr.length);
  return next;
}

/** Columns of one entity's prepared rows, addressed by slot; see the file comment. */
export class ColumnStore {
  private capacity = 0;
  private n = 0;
  private alive = new Uint8Array(0);
  // Arrays for the per-row loops, maps for lookups by field; both hold the same column objects.
  private readonly codeCols: CodeColumn[] = [];
  private readonly boolCols: TypedColumn<Uint8Array>[] = [];
  private readonly numberCols: TypedColumn<Float64Array>[] = [];
  private readonly stringCols: StringColumn[] = [];
  private readonly codes = new Map<string, CodeColumn>();
  private readonly bools = new Map<string, TypedColumn<Uint8Array>>();
  private readonly numbers = new Map<string, TypedColumn<Float64Array>>();
  private readonly strings = new Map<string, StringColumn>();
  /** Per slot, two words: bits 0–25 for a–z, then in the second word 0–9 and MASKED_PUNCTUATION (free text only). */
  private chars = new Uint32Array(0);
  private readonly bigrams = new BigramIndex();
  private readonly freeText: StringColumn;

  constructor(entity: EntityName) {
    const add = <C extends { field: string }>(list: C[], map: Map<string, C>, column: C): void => {
      if (map.has(column.field)) return;
      list.push(column);
      map.set(column.field, column);
    };
    for (const def of FILTER_KEYS[entity]) {
      const field = fieldOf(def);
      const kind = COLUMN_KIND[def.kind];
      if (kind === 'code') add(this.codeCols, this.codes, { field, col: new Uint16Array(0), dict: new Map(), values: [null] });
      if (kind === 'bool') add(this.boolCols, this.bools, { field, col: new Uint8Array(0) });
      if (kind === 'number') add(this.numberCols, this.numbers, { field, col: new Float64Array(0) });
      if (kind === 'strings') add(this.stringCols, this.strings, { field, col: [], blocks: [] });
    }
    this.freeText = { field: FREE_TEXT, col: [], blocks: [] };
    add(this.stringCols, this.strings, this.freeText);
  }

  /** One past the highest slot ever used: bitmaps are this long. */
  get slots(): number {
    return this.n;
  }

  /** Stores a prepared row in a slot. */
  set(slot: number, row: IndexedRow): void {
    this.reserve(slot + 1);
    this.forgetBigrams(slot);
    this.alive[slot] = 1;
    if (slot >= this.n) this.n = slot + 1;
    const values = row.values;
    for (const c of this.codeCols) {
      const v = values[c.field] ?? null;
      let code = c.dict.get(v);
      if (code === undefined) {
        code = c.values.length;
        c.dict.set(v, code);
        c.values.push(v);
      }
      c.col[slot] = code;
    }
    for (const c of this.boolCols) {
      const v = values[c.field];
      c.col[slot] = v === true ? 1 : v === false ? 0 : NO_BOOL;
    }
    for (const c of this.numberCols) {
      const v = values[c.field];
      c.col[slot] = typeof v === 'number' ? v : NaN;
    }
    for (const c of this.stringCols) {
      const v = c.field === FREE_TEXT ? row.text : values[c.field];
      c.col[slot] = typeof v === 'string' || Array.isArray(v) ? (v as Strings) : '';
    }
    charMask(row.text, this.chars, slot * 2);
    this.bigrams.add(slot, row.text);
    this.touch(slot);
  }

  /** Empties a slot (its row was deleted). */
  clear(slot: number): void {
    if (slot >= this.n) return;
    this.forgetBigrams(slot);
    this.alive[slot] = 0;
    for (const c of this.stringCols) c.col[slot] = '';
    this.chars[slot * 2] = 0;
    this.chars[slot * 2 + 1] = 0;
    this.touch(slot);
  }

  /**
   * Builds the text haystacks now (after a bulk build), so the first keystroke does not pay for them. Not the
   * free text's (12 MB at 120k devices): its words go through the bigram index, and only a word with other
   * characters searches it, building it then.
   */
  prepareHaystacks(): void {
    const count = Math.ceil(this.n / BLOCK);
    for (const c of this.stringCols) {
      if (c === this.freeText) continue;
      for (let b = 0; b < count; b++) c.blocks[b] ??= this.buildHaystack(c, b);
    }
  }

  /** A stored value as the row had it (texts lower-case), for sorting by a derived column. */
  value(slot: number, field: string): IndexValue {
    const code = this.codes.get(field);
    if (code) return code.values[code.col[slot]!] ?? null;
    const bool = this.bools.get(field)?.col;
    if (bool) return bool[slot] === NO_BOOL ? null : bool[slot] === 1;
    const num = this.numbers.get(field)?.col;
    if (num) return Number.isNaN(num[slot]!) ? null : num[slot]!;
    return this.strings.get(field)?.col[slot] ?? null;
  }

  /**
   * The slots matching every term, as a bitmap of `slots` bytes. `within` (modified and returned)
   * restricts the search; by default every live slot is a candidate. Cheap column tests run first.
   */
  matchBits(ast: FilterAst, now: number, within?: Uint8Array): Uint8Array {
    const n = this.n;
    const bits = within ?? this.alive.slice(0, n);
    const terms = [...ast.terms].sort((a, b) => Number(this.usesHaystack(a)) - Number(this.usesHaystack(b)));
    for (const term of terms) {
      if (this.filterBigrams(term, bits)) continue;
      const pattern = this.usesHaystack(term) ? this.haystackPattern(term) : undefined;
      if (pattern !== undefined) {
        const column = this.strings.get(term.kind === 'text' ? FREE_TEXT : term.field)!;
        const hits = new Uint8Array(n);
        this.search(column, pattern, bits, hits);
        const keep = term.negated ? 0 : 1;
        for (let s = 0; s < n; s++) if (bits[s] && hits[s] !== keep) bits[s] = 0;
      } else if (!this.filterTyped(term, bits, now)) {
        const test = this.slotTest(term, now);
        const drop = term.negated;
        for (let s = 0; s < n; s++) if (bits[s] && test(s) === drop) bits[s] = 0;
      }
    }
    return bits;
  }

  /** The candidates (in their order) that match every term, tested slot by slot: for small candidate sets. */
  matchList(ast: FilterAst, now: number, candidates: Int32Array): Int32Array {
    const tests = ast.terms.map((term) => {
      const test = this.slotTest(term, now);
      return term.negated ? (s: number) => !test(s) : test;
    });
    const out = new Int32Array(candidates.length);
    let k = 0;
    outer: for (let i = 0; i < candidates.length; i++) {
      const s = candidates[i]!;
      for (let t = 0; t < tests.length; t++) if (!tests[t]!(s)) continue outer;
      out[k++] = s;
    }
    return out.slice(0, k);
  }

  /**
   * Applies a choice, yes/no or numeric term to the bitmap in one loop over its typed column, without a call
   * per row (these are the most common terms, and the loop is ten times faster). False when not such a term.
   */
  private filterTyped(term: FilterTerm, bits: Uint8Array, now: number): boolean {
    const n = this.n;
    const keep = term.negated ? 0 : 1;
    if (term.kind === 'text') {
      const bit = charBit(term.text);
      if (bit === undefined) return false;
      const chars = this.chars;
      const word = bit >>> 5;
      const mask = 1 << (bit & 31);
      for (let s = 0; s < n; s++) if (bits[s] && ((chars[s * 2 + word]! & mask) !== 0 ? 1 : 0) !== keep) bits[s] = 0;
      return true;
    }
    const { test, field } = term;
    const code = this.codes.get(field);
    if (code && test.type === 'oneOf') {
      const allowed = new Uint8Array(code.values.length + 1);
      for (const v of test.values) {
        const c = code.dict.get(v);
        if (c !== undefined) allowed[c] = 1;
      }
      const col = code.col;
      for (let s = 0; s < n; s++) if (bits[s] && allowed[col[s]!] !== keep) bits[s] = 0;
      return true;
    }
    const bool = this.bools.get(field)?.col;
    if (bool && test.type === 'bool') {
      const want = test.value ? 1 : 0;
      if (keep) {
        for (let s = 0; s < n; s++) if (bits[s] && bool[s] !== want) bits[s] = 0;
      } else {
        for (let s = 0; s < n; s++) if (bits[s] && bool[s] === want) bits[s] = 0;
      }
      return true;
    }
    const num = this.numbers.get(field)?.col;
    const range = num ? numberRange(test, now) : undefined;
    if (num && range) {
      // inNumberRange, inlined by hand: this loop runs over every row.
      const { lo, loStrict, hi, hiStrict } = range;
      const missing = range.missing ? 1 : 0;
      for (let s = 0; s < n; s++) {
        if (!bits[s]) continue;
        const v = num[s]!;
        const hit = v !== v ? missing : (loStrict ? v > lo : v >= lo) && (hiStrict ? v < hi : v <= hi) ? 1 : 0;
        if (hit !== keep) bits[s] = 0;
      }
      return true;
    }
    return false;
  }

  /**
   * Applies a free word of two or more characters through the bigram index: rows without all of its pairs
   * are out, the others are checked with `includes` unless the pairs are the word. False when the word has
   * characters the index does not cover.
   */
  private filterBigrams(term: FilterTerm, bits: Uint8Array): boolean {
    if (term.kind !== 'text') return false;
    const found = this.bigrams.candidates(term.text);
    if (!found) return false;
    const n = this.n;
    const keep = term.negated ? 0 : 1;
    const { bits: candidates, exact } = found;
    const col = this.freeText.col;
    const text = term.text;
    for (let s = 0; s < n; s++) {
      if (!bits[s]) continue;
      let hit = (candidates[s >>> 5]! >>> (s & 31)) & 1;
      if (hit && !exact && !(col[s] as string).includes(text)) hit = 0;
      if (hit !== keep) bits[s] = 0;
    }
    return true;
  }

  /** Removes a slot's current free text from the bigram index (before it changes or is cleared). */
  private forgetBigrams(slot: number): void {
    const old = this.freeText.col[slot];
    if (typeof old === 'string' && old !== '') this.bigrams.remove(slot, old);
  }

  private usesHaystack(term: FilterTerm): boolean {
    return this.haystackPattern(term) !== undefined && !(term.kind === 'text' && charBit(term.text) !== undefined);
  }

  /**
   * The haystack pattern of a text term, or undefined when the term is tested otherwise (typed columns,
   * or text holding the haystack's own separators, which could match across two slots).
   */
  private haystackPattern(term: FilterTerm): string | undefined {
    if (term.kind === 'text') return SEPARATORS.test(term.text) ? undefined : term.text;
    if (term.test.type !== 'text' || !this.strings.has(term.field) || SEPARATORS.test(term.test.text)) return undefined;
    const { mode, text } = term.test;
    // An empty substring matches any text, but not an empty list: search for the start of a text.
    if (mode === 'substring') return text === '' ? TEXT_START : text;
    return mode === 'prefix' ? TEXT_START + text : TEXT_START + text + TEXT_END;
  }

  /** A positive test of one term on one slot, over the typed columns or the strings. */
  private slotTest(term: FilterTerm, now: number): SlotTest {
    if (term.kind === 'text') {
      const col = this.strings.get(FREE_TEXT)!.col;
      const text = term.text;
      return (s) => (col[s] as string).includes(text);
    }
    const { field, test } = term;
    const code = this.codes.get(field);
    if (code && test.type === 'oneOf') {
      const allowed = new Uint8Array(code.values.length);
      for (const v of test.values) {
        const c = code.dict.get(v);
        if (c !== undefined) allowed[c] = 1;
      }
      const col = code.col;
      return (s) => allowed[col[s]!] === 1;
    }
    const bool = this.bools.get(field)?.col;
    if (bool && test.type === 'bool') {
      const want = test.value ? 1 : 0;
      return (s) => bool[s] === want;
    }
    const num = this.numbers.get(field)?.col;
    const range = num ? numberRange(test, now) : undefined;
    if (num && range) return (s) => inNumberRange(range, num[s]!);
    const strings = this.strings.get(field)?.col;
    if (strings && test.type === 'text') {
      const one = textMatcher(test.mode, test.text);
      return (s) => {
        const v = strings[s]!;
        return typeof v === 'string' ? one(v) : v.some(one);
      };
    }
    // A test the columns do not specialise (should not happen with the key tables): the reference check.
    const check = valueMatcher(test, now);
    return (s) => check(this.value(s, field));
  }

  /** Marks the slots of `within` whose text in the column contains `pattern` in `hits`. */
  private search(column: StringColumn, pattern: string, within: Uint8Array, hits: Uint8Array): void {
    const count = Math.ceil(this.n / BLOCK);
    for (let b = 0; b < count; b++) {
      const base = b * BLOCK;
      if (!anySet(within, base, Math.min(base + BLOCK, this.n))) continue;
      const { str, starts } = (column.blocks[b] ??= this.buildHaystack(column, b));
      let row = 0;
      let pos = str.indexOf(pattern);
      while (pos !== -1) {
        while (starts[row + 1]! <= pos) row++;
        hits[base + row] = 1;
        pos = str.indexOf(pattern, starts[row + 1]!);
      }
    }
  }

  private buildHaystack(column: StringColumn, block: number): Haystack {
    const col = column.col;
    const start = block * BLOCK;
    const end = Math.min(start + BLOCK, this.n);
    const parts: string[] = [];
    const starts = new Int32Array(end - start + 1);
    let length = 0;
    for (let s = start; s < end; s++) {
      starts[s - start] = length;
      let segment = SLOT_START;
      if (this.alive[s]) {
        const v = col[s]!;
        if (typeof v === 'string') segment += TEXT_START + v + TEXT_END;
        else for (const item of v) segment += TEXT_START + item + TEXT_END;
      }
      parts.push(segment);
      length += segment.length;
    }
    starts[end - start] = length;
    return { str: parts.join(''), starts };
  }

  /** Drops the haystack blocks holding a slot (rebuilt on next search). */
  private touch(slot: number): void {
    const block = Math.floor(slot / BLOCK);
    for (const c of this.stringCols) if (c.blocks[block]) c.blocks[block] = undefined;
  }

  private reserve(size: number): void {
    if (size <= this.capacity) return;
    const capacity = Math.max(size, this.capacity * 2, 1024);
    this.alive = grow(this.alive, capacity);
    this.chars = grow(this.chars, capacity * 2);
    this.bigrams.reserve(capacity);
    for (const c of this.codeCols) c.col = grow(c.col, capacity);
    for (const c of this.boolCols) c.col = grow(c.col, capacity, NO_BOOL);
    for (const c of this.numberCols) c.col = grow(c.col, capacity, NaN);
    this.capacity = capacity;
  }
}

/** Punctuation with a bit of its own in the character mask (after the digits' ten), in bit order. */
const MASKED_PUNCTUATION = "+.-@_':/(),#";
/** ASCII code → bit in the second word for the masked punctuation, -1 for other codes. */
const PUNCTUATION_BIT = new Int8Array(128).fill(-1);
for (let i = 0; i < MASKED_PUNCTUATION.length; i++) PUNCTUATION_BIT[MASKED_PUNCTUATION.charCodeAt(i)] = 10 + i;

/** The bit of a single lower-case letter, digit or masked punctuation in a row's character mask, or undefined. */
function charBit(text: string): number | undefined {
  if (text.length !== 1) return undefined;
  const c = text.charCodeAt(0);
  if (c >= 97 && c <= 122) return c - 97;
  if (c >= 48 && c <= 57) return 32 + c - 48;
  const p = c < 128 ? PUNCTUATION_BIT[c]! : -1;
  return p < 0 ? undefined : 32 + p;
}

/** Records which letters, digits and masked punctuation a (lower-case) text contains, in two words at `at`. */
function charMask(text: string, into: Uint32Array, at: number): void {
  let low = 0;
  let high = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) low |= 1 << (c - 97);
    else if (c >= 48 && c <= 57) high |= 1 << (c - 48);
    else if (c < 128 && PUNCTUATION_BIT[c]! >= 0) high |= 1 << PUNCTUATION_BIT[c]!;
  }
  into[at] = low;
  into[at + 1] = high;
}

function anySet(bits: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bits[i]) return true;
  return false;
}

/**
 * The filter language of the list views (DESIGN.md): `platform:ios os:<17 encrypted:no shared:yes user:alice
 * free text`. Terms are separated by spaces and all must hold. A term is `key:value`, a free word, or a
 * "quoted phrase"; a leading `-` negates it. Values may be quoted (`name:"Alice's iPad"`) and may start
 * with a comparison (`os:>=16.2`, `users:>1`, `last_seen:>30d`) or `=` for an exact text match
 * (`user:=alice`). Free words and phrases match, case-insensitively, anywhere in the row's searchable text.
 * The keys and what their values mean are in keys.ts.
 */
import { FactordeskError } from '../errors.js';
import type { EntityName } from '../rpc/contract.js';
import { FILTER_KEYS, fieldOf, findKey, type FilterKeyDef } from './keys.js';

export { FILTER_KEYS, filterKeys, type FilterKeyDef, type FilterKeyInfo } from './keys.js';

export type CompareOp = '<' | '<=' | '>' | '>=' | '=';

/** What a key term checks on the prepared value of its field. */
export type ValueTest =
  /** The value is one of these (choice keys). */
  | { type: 'oneOf'; values: readonly string[] }
  | { type: 'bool'; value: boolean }
  /** Text, or any text of a list, contains / starts with / equals `text` (lower-case). */
  | { type: 'text'; mode: 'substring' | 'prefix' | 'exact'; text: string }
  | { type: 'number'; op: CompareOp; value: number }
  /** Versions compare on the precision given (1 to 3 parts): `<17` means below 17.0, `<=17` includes 17.x. */
  | { type: 'version'; op: CompareOp; parts: readonly number[] }
  /** No value: no OS version, never seen. */
  | { type: 'missing' }
  /** Age relative to the time the filter is compiled: `>` = older than `ms`. Missing times count as oldest. */
  | { type: 'age'; op: CompareOp; ms: number }
  /** A time compared with the interval [start, end) a date names (a day, a minute or a second). */
  | { type: 'time'; op: CompareOp; start: number; end: number };

export interface TextTerm {
  kind: 'text';
  negated: boolean;
  /** Lower-case. */
  text: string;
}

export interface KeyTerm {
  kind: 'key';
  negated: boolean;
  key: string;
  /** The prepared field the key reads (see keys.ts). */
  field: string;
  test: ValueTest;
}

export type FilterTerm = TextTerm | KeyTerm;

/** A parsed filter: every term must hold. No terms = everything. */
export interface FilterAst {
  entity: EntityName;
  terms: readonly FilterTerm[];
}

/** A term as written, before its key and value are checked. */
interface RawTerm {
  negated: boolean;
  key?: string;
  keyColumn: number;
  op: CompareOp | '';
  value: string;
  quoted: boolean;
  valueColumn: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DURATION_UNITS: Record<string, number> = { h: HOUR, d: DAY, w: 7 * DAY, mo: 30 * DAY, y: 365 * DAY };
const DURATION = /^(\d+)(h|d|w|mo|y)$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2}))?z?)?$/i;
const KEY = /([A-Za-z_][A-Za-z0-9_]*):/y;
const OPERATOR = /(<=|>=|<|>|=)/y;
const VERSION = /^\d+(\.\d+){0,2}$/;

function filterError(message: string, hint?: string): FactordeskError {
  return new FactordeskError('INVALID_INPUT', `Filter: ${message}`, { hint });
}

const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/** Reads `"…"` starting at `start` (the opening quote); `\"` and `\\` are escapes. Returns the text and the index after. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[++i];
    } else if (ch === '"') {
      if (i + 1 < text.length && !isSpace(text[i + 1])) {
        throw filterError(`expected a space after the closing quote at column ${i + 2}.`);
      }
      return { value, end: i + 1 };
    } else {
      value += ch;
    }
  }
  throw filterError(`unterminated quote at column ${start + 1}: close it with another ".`);
}

/** Splits the text into terms: `-`? then `key:` (with an optional comparison) and a bare or quoted value. */
function tokenize(text: string): RawTerm[] {
  const terms: RawTerm[] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    const negated = text[i] === '-';
    if (negated) {
      if (i + 1 >= text.length || isSpace(text[i + 1])) {
        throw filterError(`expected a key or word after "-" at column ${i + 1}.`);
      }
      i++;
    }
    const keyColumn = i + 1;
    KEY.lastIndex = i;
    const keyMatch = KEY.exec(text);
    let key: string | undefined;
    let op: CompareOp | '' = '';
    if (keyMatch) {
      key = keyMatch[1]!.toLowerCase();
      i = KEY.lastIndex;
      OPERATOR.lastIndex = i;
      const opMatch = OPERATOR.exec(text);
      if (opMatch) {
        op = opMatch[1] as CompareOp;
        i = OPERATOR.lastIndex;
      }
    }
    const valueColumn = i + 1;
    let value: string;
    let quoted = false;
    if (text[i] === '"') {
      const q = readQuoted(text, i);
      value = q.value;
      quoted = true;
      i = q.end;
    } else {
      const start = i;
      while (i < text.length && !isSpace(text[i])) {
        if (text[i] === '"') {
          throw filterError(`unexpected quote at column ${i + 1}: quote the whole value, e.g. name:"two words".`);
        }
        i++;
      }
      value = text.slice(start, i);
    }
    if (key !== undefined && value === '' && !quoted) {
      throw filterError(`expected a value after "${key}:${op}" at column ${keyColumn}.`, `For example ${examplesOf(key)}.`);
    }
    terms.push({ negated, key, keyColumn, op, value, quoted, valueColumn });
  }
  return terms;
}

function examplesOf(key: string): string {
  for (const defs of Object.values(FILTER_KEYS)) {
    const def = defs.find((d) => d.key === key);
    if (def) return def.example;
  }
  return `${key}:value`;
}

/** The error for a value a key does not accept, naming what it accepts. */
function badValue(def: FilterKeyDef, raw: RawTerm, accepted: string): FactordeskError {
  return filterError(`${def.key} does not accept "${raw.op}${raw.value}" (column ${raw.valueColumn}); ${accepted}.`, `For example ${def.example}.`);
}

function noComparison(def: FilterKeyDef, raw: RawTerm, accepted: string): void {
  if (raw.op !== '' && raw.op !== '=') throw badValue(def, raw, `${accepted}, without < or >`);
}

function choiceTest(def: FilterKeyDef, raw: RawTerm): ValueTest {
  const choices = def.choices ?? [];
  const listed = choices.map((c) => c.words[0]!);
  const accepted = `use ${listed.join(', ')}${def.labelSubstring ? ', or part of a name' : ''}`;
  noComparison(def, raw, accepted);
  const value = raw.value.trim().toLowerCase().replace(/\s+/g, ' ');
  const exact = choices.find((c) => c.words.includes(value) || c.value === value);
  if (exact) return { type: 'oneOf', values: [exact.value] };
  if (def.labelSubstring && value !== '') {
    const partial = choices.filter((c) => c.label.toLowerCase().includes(value) || c.value.includes(value));
    if (partial.length > 0) return { type: 'oneOf', values: partial.map((c) => c.value) };
  }
  throw badValue(def, raw, accepted);
}

function boolTest(def: FilterKeyDef, raw: RawTerm): ValueTest {
  noComparison(def, raw, 'use yes or no');
  const value = raw.value.toLowerCase();
  if (value === 'yes' || value === 'true') return { type: 'bool', value: true };
  if (value === 'no' || value === 'false') return { type: 'bool', value: false };
  throw badValue(def, raw, 'use yes or no (or true/false)');
}

function textTest(def: FilterKeyDef, raw: RawTerm): ValueTest {
  const mode = def.kind === 'prefix' ? 'prefix' : 'substring';
  noComparison(def, raw, `use ${def.key}:text, or ${def.key}:=text for an exact match`);
  let text = raw.value.toLowerCase();
  if (def.kind === 'digits') {
    text = text.replace(/[\s().+-]/g, '');
    if (!/^\d+$/.test(text)) throw badValue(def, raw, 'use digits, e.g. number:555 or number:"+1 555 0100"');
  }
  return { type: 'text', mode: raw.op === '=' ? 'exact' : mode, text };
}

function versionTest(def: FilterKeyDef, raw: RawTerm): ValueTest {
  const accepted = 'use a version such as 17, 16.2 or 16.2.1, optionally after <, <=, > or >= (or unknown)';
  const value = raw.value.toLowerCase();
  if ((value === 'unknown' || value === 'none') && raw.op === '') return { type: 'missing' };
  if (!VERSION.test(value)) throw badValue(def, raw, accepted);
  return { type: 'version', op: raw.op || '=', parts: value.split('.').map(Number) };
}

function countTest(def: FilterKeyDef, raw: RawTerm): ValueTest {
  if (!/^\d+$/.test(raw.value)) throw badValue(def, raw, 'use a whole number, optionally after <, <=, > or >=');
  return { type: 'number', op: raw.op || '=', value: Number(raw.value) };
}

/** The interval [start, end) a date names, in UTC: a whole day, or a minute / second when a time is given. */
function parseDate(value: string): { start: number; end: number } | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((p) => (p === undefined ? undefined : Number(p)));
  const start = Date.UTC(y!, mo! - 1, d!, h ?? 0, mi ?? 0, s ?? 0);
  const back = new Date(start);
  // Date.UTC rolls 2024-02-30 over to March; a date that does not come back unchanged does not exist.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo! - 1 || back.getUTCDate() !== d) return undefined;
  if ((h ?? 0) > 23 || (mi ?? 0) > 59 || (s ?? 0) > 59) return undefined;
  const span = h === undefined ? DAY : s === undefined ? 60_000 : 1000;
  return { start, end: start + span };
}

function parseDuration(value: string): number | undefined {
  const m = DURATION.exec(value);
  return m ? Number(m[1]) * DURATION_UNITS[m[2]!.toLowerCase()]! : undefined;
}

function ageTest(def: FilterKeyDef, raw: RawTerm): ValueTest {
  const accepted = 'use never, <7d (seen within), >30d (not seen for) with h, d, w, mo or y, or a date such as 2024-05-01';
  if (raw.value.toLowerCase() === 'never' && raw.op === '') return { type: 'missing' };
  const ms = parseDuration(raw.value);
  if (ms !== undefined) {
    if (raw.op === '' || raw.op === '=') throw badValue(def, raw, `a duration needs < or > before it; ${accepted}`);
    return { type: 'age', op: raw.op, ms };
  }
  const date = parseDate(raw.value);
  if (!date) throw badValue(def, raw, accepted);
  return { type: 'time', op: raw.op || '=', ...date };
}

function boundTest(def: FilterKeyDef, raw: RawTerm): ValueTest {
  const accepted = 'use a date such as 2024-05-01 (UTC) or a duration such as 7d (h, d, w, mo, y)';
  if (raw.op !== '') throw badValue(def, raw, `${accepted}, without < or >`);
  const since = def.kind === 'since';
  const ms = parseDuration(raw.value);
  if (ms !== undefined) return { type: 'age', op: since ? '<=' : '>=', ms };
  const date = parseDate(raw.value);
  if (!date) throw badValue(def, raw, accepted);
  return { type: 'time', op: since ? '>=' : '<=', ...date };
}

/** The value test of a key term, or the error naming the values the key accepts. */
function valueTest(def: FilterKeyDef, raw: RawTerm): ValueTest {
  switch (def.kind) {
    case 'choice':
      return choiceTest(def, raw);
    case 'bool':
      return boolTest(def, raw);
    case 'text':
    case 'prefix':
    case 'digits':
      return textTest(def, raw);
    case 'version':
      return versionTest(def, raw);
    case 'count':
      return countTest(def, raw);
    case 'age':
      return ageTest(def, raw);
    case 'since':
    case 'until':
      return boundTest(def, raw);
  }
}

/**
 * Parses a filter for one entity. Throws INVALID_INPUT with the column, what was expected, and for an
 * unknown key the keys that entity knows.
 */
export function parseFilter(entity: EntityName, text: string): FilterAst {
  if (typeof text !== 'string') throw filterError(`expected text, got ${typeof text}.`);
  const terms: FilterTerm[] = [];
  for (const raw of tokenize(text)) {
    if (raw.key === undefined) {
      const lower = raw.value.toLowerCase();
      if (lower !== '') terms.push({ kind: 'text', negated: raw.negated, text: lower });
      continue;
    }
    const def = findKey(entity, raw.key);
    if (!def) {
      const known = FILTER_KEYS[entity].map((k) => k.key).join(', ');
      throw filterError(
        `unknown key "${raw.key}" at column ${raw.keyColumn}; ${entity} keys are ${known}.`,
        `To search for the text itself, put it in quotes: "${raw.key}:${raw.value}".`,
      );
    }
    terms.push({ kind: 'key', negated: raw.negated, key: def.key, field: fieldOf(def), test: valueTest(def, raw) });
  }
  return { entity, terms };
}

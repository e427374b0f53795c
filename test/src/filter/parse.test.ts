import { describe, expect, it } from 'vitest';
import { FILTER_KEYS, filterKeys, parseFilter, type FilterTerm, type KeyTerm } from '../../../src/filter/parse.js';
import { ENTITIES, type EntityName } from '../../../src/rpc/contract.js';
import { FactordeskError } from '../../../src/errors.js';

const DAY = 86_400_000;

/** The terms of a filter. */
function terms(entity: EntityName, text: string): readonly FilterTerm[] {
  return parseFilter(entity, text).terms;
}

/** The single key term of a filter. */
function keyTerm(entity: EntityName, text: string): KeyTerm {
  const [term, ...rest] = terms(entity, text);
  expect(rest).toEqual([]);
  expect(term?.kind).toBe('key');
  return term as KeyTerm;
}

/** The error a filter raises. */
function failure(entity: EntityName, text: string): FactordeskError {
  try {
    parseFilter(entity, text);
  } catch (e) {
    expect(e).toBeInstanceOf(FactordeskError);
    return e as FactordeskError;
  }
  throw new Error(`expected "${text}" to be refused`);
}

describe('parseFilter: structure', () => {
  it('parses an empty or blank filter to no terms', () => {
    expect(terms('devices', '')).toEqual([]);
    expect(terms('devices', '   \t ')).toEqual([]);
  });

  it('keeps the entity in the result', () => {
    expect(parseFilter('tokens', 'abc').entity).toBe('tokens');
  });

  it('reads free words as lower-case text terms, all of which must hold', () => {
    expect(terms('devices', 'Alice  iPHONE')).toEqual([
      { kind: 'text', negated: false, text: 'alice' },
      { kind: 'text', negated: false, text: 'iphone' },
    ]);
  });

  it('reads a quoted phrase as one text term with its spaces', () => {
    expect(terms('devices', '"Free Text with spaces"')).toEqual([{ kind: 'text', negated: false, text: 'free text with spaces' }]);
  });

  it('accepts escaped quotes and backslashes inside quotes', () => {
    expect(terms('devices', '"say \\"hi\\" \\\\o/"')).toEqual([{ kind: 'text', negated: false, text: 'say "hi" \\o/' }]);
  });

  it('drops an empty quoted phrase', () => {
    expect(terms('devices', '""')).toEqual([]);
  });

  it('negates a word, a phrase and a key term with a leading -', () => {
    expect(terms('devices', '-alice -"two words" -platform:ios')).toEqual([
      { kind: 'text', negated: true, text: 'alice' },
      { kind: 'text', negated: true, text: 'two words' },
      { kind: 'key', negated: true, key: 'platform', field: 'platform', test: { type: 'oneOf', values: ['apple ios'] } },
    ]);
  });

  it('keeps a dash inside a word as text', () => {
    expect(terms('devices', 't-mobile')).toEqual([{ kind: 'text', negated: false, text: 't-mobile' }]);
  });

  it('reads words with a colon that do not start like a key as text', () => {
    expect(terms('audit', '12:30')).toEqual([{ kind: 'text', negated: false, text: '12:30' }]);
  });

  it('treats keys case-insensitively', () => {
    expect(keyTerm('devices', 'PLATFORM:iOS').test).toEqual({ type: 'oneOf', values: ['apple ios'] });
  });

  it('parses the example from DESIGN.md', () => {
    const ast = parseFilter('devices', 'platform:ios os:<17 encrypted:no tampered:yes shared:yes user:alice free text');
    expect(ast.terms.map((t) => (t.kind === 'key' ? t.key : t.text))).toEqual([
      'platform', 'os', 'encrypted', 'tampered', 'shared', 'user', 'free', 'text',
    ]);
  });

  it('parses the example of every key of every entity', () => {
    for (const entity of ENTITIES) {
      for (const def of FILTER_KEYS[entity]) {
        const term = keyTerm(entity, def.example);
        expect(term.key).toBe(def.key);
      }
    }
  });
});

describe('parseFilter: values', () => {
  it('resolves a choice by its word, an alias or a part of its label', () => {
    expect(keyTerm('devices', 'platform:android').test).toEqual({ type: 'oneOf', values: ['google android'] });
    expect(keyTerm('devices', 'platform:"Apple iOS"').test).toEqual({ type: 'oneOf', values: ['apple ios'] });
    expect(keyTerm('devices', 'platform:windows').test).toEqual({ type: 'oneOf', values: ['windows phone', 'windows mobile'] });
    expect(keyTerm('devices', 'type:tab').test).toEqual({ type: 'oneOf', values: ['tablet'] });
    expect(keyTerm('users', 'status:locked').test).toEqual({ type: 'oneOf', values: ['locked out'] });
    expect(keyTerm('tokens', 'type:hotp').test).toEqual({ type: 'oneOf', values: ['h6', 'h8'] });
    expect(keyTerm('tokens', 'type:yubikey').test).toEqual({ type: 'oneOf', values: ['yk'] });
    expect(keyTerm('admins', 'role:admin').test).toEqual({ type: 'oneOf', values: ['administrator'] });
    expect(keyTerm('admins', 'role:"help desk"').test).toEqual({ type: 'oneOf', values: ['help desk'] });
  });

  it('reads yes/no/unknown device properties, with their Duo labels as synonyms', () => {
    expect(keyTerm('devices', 'encrypted:no').test).toEqual({ type: 'oneOf', values: ['no'] });
    expect(keyTerm('devices', 'encrypted:false').test).toEqual({ type: 'oneOf', values: ['no'] });
    expect(keyTerm('devices', 'encrypted:unencrypted').test).toEqual({ type: 'oneOf', values: ['no'] });
    expect(keyTerm('devices', 'tampered:yes').test).toEqual({ type: 'oneOf', values: ['yes'] });
    expect(keyTerm('devices', 'tampered:"not tampered"').test).toEqual({ type: 'oneOf', values: ['no'] });
    expect(keyTerm('devices', 'screenlock:unknown').test).toEqual({ type: 'oneOf', values: ['unknown'] });
    expect(keyTerm('devices', 'fingerprint:configured').test).toEqual({ type: 'oneOf', values: ['yes'] });
  });

  it('reads yes/no keys as booleans, also from true/false', () => {
    expect(keyTerm('devices', 'shared:yes').test).toEqual({ type: 'bool', value: true });
    expect(keyTerm('devices', 'shared:TRUE').test).toEqual({ type: 'bool', value: true });
    expect(keyTerm('devices', 'activated:no').test).toEqual({ type: 'bool', value: false });
    expect(keyTerm('devices', 'activated:false').test).toEqual({ type: 'bool', value: false });
  });

  it('reads text keys as lower-case substrings, identity keys as prefixes, and =value as exact', () => {
    expect(keyTerm('devices', `name:"Alice's iPad"`).test).toEqual({ type: 'text', mode: 'substring', text: "alice's ipad" });
    expect(keyTerm('devices', 'user:Alice').test).toEqual({ type: 'text', mode: 'prefix', text: 'alice' });
    expect(keyTerm('devices', 'user:=alice').test).toEqual({ type: 'text', mode: 'exact', text: 'alice' });
    expect(keyTerm('devices', 'name:=""').test).toEqual({ type: 'text', mode: 'exact', text: '' });
    expect(keyTerm('users', 'email:@Example.com').test).toEqual({ type: 'text', mode: 'substring', text: '@example.com' });
  });

  it('reads phone numbers as digits, ignoring separators and a leading +', () => {
    expect(keyTerm('devices', 'number:"+1 (555) 010-0000"').test).toEqual({ type: 'text', mode: 'substring', text: '15550100000' });
    expect(keyTerm('devices', 'number:555.01').test).toEqual({ type: 'text', mode: 'substring', text: '55501' });
  });

  it('reads versions with an optional comparison, equal meaning that prefix', () => {
    expect(keyTerm('devices', 'os:17').test).toEqual({ type: 'version', op: '=', parts: [17] });
    expect(keyTerm('devices', 'os:<17').test).toEqual({ type: 'version', op: '<', parts: [17] });
    expect(keyTerm('devices', 'os:>=16.2').test).toEqual({ type: 'version', op: '>=', parts: [16, 2] });
    expect(keyTerm('devices', 'os:<=16.2.1').test).toEqual({ type: 'version', op: '<=', parts: [16, 2, 1] });
    expect(keyTerm('devices', 'os:>9').test).toEqual({ type: 'version', op: '>', parts: [9] });
    expect(keyTerm('devices', 'os:unknown').test).toEqual({ type: 'missing' });
  });

  it('reads counts with an optional comparison', () => {
    expect(keyTerm('devices', 'users:>1').test).toEqual({ type: 'number', op: '>', value: 1 });
    expect(keyTerm('devices', 'users:2').test).toEqual({ type: 'number', op: '=', value: 2 });
    expect(keyTerm('users', 'phones:0').test).toEqual({ type: 'number', op: '=', value: 0 });
    expect(keyTerm('users', 'tokens:>=1').test).toEqual({ type: 'number', op: '>=', value: 1 });
  });

  it('reads last_seen as never, an age with a comparison, or a date', () => {
    expect(keyTerm('devices', 'last_seen:never').test).toEqual({ type: 'missing' });
    expect(keyTerm('devices', 'last_seen:>30d').test).toEqual({ type: 'age', op: '>', ms: 30 * DAY });
    expect(keyTerm('devices', 'last_seen:<12h').test).toEqual({ type: 'age', op: '<', ms: 12 * 3_600_000 });
    expect(keyTerm('devices', 'last_seen:>=2w').test).toEqual({ type: 'age', op: '>=', ms: 14 * DAY });
    expect(keyTerm('devices', 'last_seen:>6mo').test).toEqual({ type: 'age', op: '>', ms: 180 * DAY });
    expect(keyTerm('devices', 'last_seen:>1y').test).toEqual({ type: 'age', op: '>', ms: 365 * DAY });
    const day = Date.UTC(2024, 4, 1);
    expect(keyTerm('devices', 'last_seen:<2024-05-01').test).toEqual({ type: 'time', op: '<', start: day, end: day + DAY });
    expect(keyTerm('devices', 'last_seen:2024-05-01').test).toEqual({ type: 'time', op: '=', start: day, end: day + DAY });
    const minute = Date.UTC(2024, 4, 1, 10, 30);
    expect(keyTerm('devices', 'last_seen:>2024-05-01T10:30').test).toEqual({ type: 'time', op: '>', start: minute, end: minute + 60_000 });
  });

  it('reads audit since/until as dates (until includes the whole day) or durations', () => {
    const day = Date.UTC(2024, 0, 31);
    expect(keyTerm('audit', 'since:2024-01-31')).toMatchObject({ field: 'time', test: { type: 'time', op: '>=', start: day } });
    expect(keyTerm('audit', 'until:2024-01-31')).toMatchObject({ field: 'time', test: { type: 'time', op: '<=', end: day + DAY } });
    expect(keyTerm('audit', 'since:7d').test).toEqual({ type: 'age', op: '<=', ms: 7 * DAY });
    expect(keyTerm('audit', 'until:7d').test).toEqual({ type: 'age', op: '>=', ms: 7 * DAY });
  });
});

describe('parseFilter: errors', () => {
  it('refuses an unknown key, naming its column and the known keys of the entity', () => {
    const e = failure('devices', 'platform:ios colour:red');
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toContain('unknown key "colour" at column 14');
    expect(e.userMessage).toContain('devices keys are platform, type, os, model, name, number, encrypted');
    expect(e.userMessage).toContain('last_seen');
    expect(e.hint).toContain('"colour:red"');
  });

  it('lists the keys of the entity filtered, not of another', () => {
    const e = failure('tokens', 'platform:ios');
    expect(e.userMessage).toContain('tokens keys are type, serial, user, users, admin, origin, id');
  });

  it('refuses a yes/no/unknown value it does not know, listing the accepted ones', () => {
    const e = failure('devices', 'encrypted:maybe');
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.userMessage).toContain('encrypted does not accept "maybe" (column 11)');
    expect(e.userMessage).toContain('use yes, no, unknown');
    expect(e.hint).toBe('For example encrypted:no.');
  });

  it('refuses a yes/no value other than yes, no, true, false', () => {
    expect(failure('devices', 'shared:maybe').userMessage).toContain('use yes or no (or true/false)');
  });

  it('refuses a platform that matches no platform, listing the platforms', () => {
    const e = failure('devices', 'platform:xyz');
    expect(e.userMessage).toContain('platform does not accept "xyz"');
    expect(e.userMessage).toContain('use android, ios, windows phone, blackberry');
    expect(e.userMessage).toContain('or part of a name');
  });

  it('refuses a bad version, saying what a version looks like', () => {
    for (const bad of ['os:<abc', 'os:1.2.3.4', 'os:17.', 'os:<unknown']) {
      const e = failure('devices', bad);
      expect(e.userMessage).toContain('os does not accept');
      expect(e.userMessage).toContain('use a version such as 17, 16.2 or 16.2.1, optionally after <, <=, > or >=');
    }
    expect(failure('devices', 'os:<abc').userMessage).toContain('"<abc"');
  });

  it('refuses a count that is not a whole number', () => {
    expect(failure('devices', 'users:many').userMessage).toContain('use a whole number, optionally after <, <=, > or >=');
    expect(failure('users', 'phones:>1.5').userMessage).toContain('phones does not accept ">1.5"');
  });

  it('refuses a duration without a comparison and an impossible date', () => {
    expect(failure('devices', 'last_seen:30d').userMessage).toContain('a duration needs < or > before it');
    expect(failure('devices', 'last_seen:<2024-02-30').userMessage).toContain('last_seen does not accept "<2024-02-30"');
    expect(failure('devices', 'last_seen:soon').userMessage).toContain('use never, <7d (seen within), >30d (not seen for)');
  });

  it('refuses comparisons on keys that take none', () => {
    expect(failure('devices', 'model:<abc').userMessage).toContain('without < or >');
    expect(failure('devices', 'platform:>ios').userMessage).toContain('without < or >');
    expect(failure('audit', 'since:>2024-01-01').userMessage).toContain('without < or >');
  });

  it('refuses a phone number without digits', () => {
    expect(failure('devices', 'number:abc').userMessage).toContain('use digits');
  });

  it('refuses a key without a value, naming the key and column', () => {
    const e = failure('devices', 'alice platform:');
    expect(e.userMessage).toBe('Filter: expected a value after "platform:" at column 7.');
    expect(e.hint).toBe('For example platform:ios.');
    expect(failure('devices', 'os:<').userMessage).toContain('expected a value after "os:<"');
  });

  it('refuses an unterminated quote, naming where it starts', () => {
    expect(failure('devices', 'name:"Alice').userMessage).toBe('Filter: unterminated quote at column 6: close it with another ".');
  });

  it('refuses text glued to a closing quote and a quote inside a word', () => {
    expect(failure('devices', '"ab"cd').userMessage).toContain('expected a space after the closing quote at column 5');
    expect(failure('devices', 'ab"cd"').userMessage).toContain('unexpected quote at column 3');
  });

  it('refuses a filter that is not text', () => {
    expect(failure('devices', 42 as unknown as string).userMessage).toBe('Filter: expected text, got number.');
  });

  it('refuses a lone -', () => {
    expect(failure('devices', 'alice - bob').userMessage).toBe('Filter: expected a key or word after "-" at column 7.');
    expect(failure('devices', 'alice -').userMessage).toContain('column 7');
  });
});

describe('filterKeys', () => {
  it('lists key, description and example for every entity, as the help shows them', () => {
    for (const entity of ENTITIES) {
      const keys = filterKeys(entity);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) {
        expect(Object.keys(k).sort()).toEqual(['description', 'example', 'key']);
        expect(k.example.toLowerCase().startsWith(`${k.key}:`)).toBe(true);
        expect(k.description.length).toBeGreaterThan(5);
      }
    }
  });

  it('has the keys the brief asks for', () => {
    const keys = (e: EntityName) => filterKeys(e).map((k) => k.key);
    expect(keys('devices')).toEqual(expect.arrayContaining([
      'platform', 'type', 'os', 'model', 'name', 'number', 'encrypted', 'fingerprint', 'screenlock', 'tampered',
      'activated', 'shared', 'user', 'users', 'last_seen',
    ]));
    expect(keys('users')).toEqual(expect.arrayContaining(['username', 'name', 'email', 'status', 'phones', 'tokens']));
    expect(keys('tokens')).toEqual(expect.arrayContaining(['type', 'serial', 'user', 'admin', 'origin']));
    expect(keys('u2f')).toEqual(expect.arrayContaining(['kind', 'user']));
    expect(keys('admins')).toEqual(expect.arrayContaining(['role', 'name', 'email', 'status']));
    expect(keys('audit')).toEqual(expect.arrayContaining(['admin', 'action', 'entity', 'id', 'since', 'until']));
  });
});

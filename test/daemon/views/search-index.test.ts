import { describe, expect, it } from 'vitest';
import { EntityIndex, type IndexSource } from '../../../daemon/views/search-index.js';
import { ReadModel, docId } from '../../../daemon/views/read-model.js';
import { buildRow } from '../../../daemon/views/rows.js';
import { DEFAULT_SORT } from '../../../daemon/views/sort-columns.js';
import { indexRow } from '../../../src/filter/indexed-row.js';
import { compileFilter } from '../../../src/filter/match.js';
import { parseFilter } from '../../../src/filter/parse.js';
import type { Phone } from '../../../src/domain/schemas.js';
import { T0, generateDataSet, makePhone } from './view-data.js';

const NOW = T0;

function setup() {
  const data = generateDataSet({ users: 2000, phones: 3000 }, 11);
  const model = new ReadModel();
  model.load('users', data.users);
  model.load('phones', data.phones);
  model.takeDirty();
  const source: IndexSource<'devices'> = {
    docs: () => model.all('phones'),
    doc: (id) => model.phone(id),
    id: (doc) => docId('phones', doc),
    prepare: (doc) => indexRow('devices', buildRow(model, 'devices', doc)),
  };
  return { model, index: new EntityIndex('devices', source) };
}

/** Ids a filter should give, computed the slow way: every row, the reference predicate, a full sort. */
function expected(model: ReadModel, filter: string, sortKey: keyof Phone = 'last_seen', desc = true): string[] {
  const match = compileFilter(parseFilter('devices', filter), { now: NOW });
  const rows = [...model.all('phones')].filter((p) => match(indexRow('devices', buildRow(model, 'devices', p))));
  const value = (p: Phone) => (sortKey === 'last_seen' ? (p.last_seen ? Date.parse(p.last_seen) : -Infinity) : String(p[sortKey]).toLowerCase());
  return rows
    .sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va !== vb) return (va < vb ? -1 : 1) * (desc ? -1 : 1);
      return a.phone_id < b.phone_id ? -1 : 1;
    })
    .map((p) => p.phone_id);
}

function ids(index: EntityIndex<'devices'>, filter: string, sort = DEFAULT_SORT.devices): string[] {
  return [...index.matches(parseFilter('devices', filter), sort, NOW)].map((s) => index.id(s));
}

describe('EntityIndex', () => {
  it('is built on first use', () => {
    const { index } = setup();
    expect(index.built).toBe(false);
    expect(index.size).toBe(3000);
    expect(index.built).toBe(true);
  });

  it('returns the matching rows in the sort order', () => {
    const { model, index } = setup();
    for (const filter of ['', 'platform:ios os:<17', 'alice', '-encrypted:yes shared:no', 'last_seen:>90d']) {
      expect(ids(index, filter)).toEqual(expected(model, filter));
    }
    expect(ids(index, 'platform:android', { key: 'name', dir: 'asc' })).toEqual(expected(model, 'platform:android', 'name', false));
  });

  it('narrows the previous result as a filter is typed, with the same rows as a fresh search', () => {
    const { model, index } = setup();
    const typed = 'platform:ios alice smith';
    const narrowed: boolean[] = [];
    for (let i = 1; i <= typed.length; i++) {
      const text = typed.slice(0, i);
      let ast;
      try {
        ast = parseFilter('devices', text);
      } catch {
        continue; // "platform:" alone is refused: the view keeps the previous result
      }
      const got = [...index.matches(ast, DEFAULT_SORT.devices, NOW)].map((s) => index.id(s));
      narrowed.push(index.stats.narrowed);
      expect(got).toEqual(expected(model, text));
    }
    expect(narrowed.filter(Boolean).length).toBeGreaterThan(typed.length / 2);
  });

  it('answers a repeated filter from its cache, and a backspace from an earlier result', () => {
    const { index } = setup();
    const first = ids(index, 'alice');
    ids(index, 'alice s');
    expect(index.stats.narrowed).toBe(true);
    expect(ids(index, 'alice')).toEqual(first);
    expect(index.stats.cached).toBe(true);
    expect(index.stats.scanned).toBe(0);
  });

  it('answers every backspace of a long filter from the results cached while it was typed', () => {
    const { model, index } = setup();
    const text = 'platform:ios encrypted:no alice';
    const parses = (f: string) => {
      try {
        parseFilter('devices', f);
        return true;
      } catch {
        return false; // an incomplete term ("platform:", "encrypted:n") is refused on the way
      }
    };
    const prefixes = [...text].map((_, i) => text.slice(0, i + 1)).filter(parses);
    for (const f of prefixes) ids(index, f);
    for (const f of [...prefixes].reverse()) {
      expect(ids(index, f)).toEqual(expected(model, f));
      expect(index.stats.cached).toBe(true);
    }
  });

  it('reuses a result with relative ages only at the same clock', () => {
    const { model, index } = setup();
    ids(index, 'last_seen:>30d');
    ids(index, 'last_seen:>30d alice');
    expect(index.stats.narrowed).toBe(true);
    const later = NOW + 20 * 86_400_000;
    const at = (filter: string, now: number) => [...index.matches(parseFilter('devices', filter), DEFAULT_SORT.devices, now)].map((s) => index.id(s));
    const moved = at('last_seen:>30d alice', later);
    expect(index.stats.narrowed).toBe(false);
    expect(index.stats.cached).toBe(false);
    const match = compileFilter(parseFilter('devices', 'last_seen:>30d alice'), { now: later });
    const count = [...model.all('phones')].filter((p) => match(indexRow('devices', buildRow(model, 'devices', p)))).length;
    expect(moved.length).toBe(count);
    expect(count).toBeGreaterThan(ids(index, 'last_seen:>30d alice').length);
  });

  it('follows changes: rows, orders and results are up to date after applyDirty', () => {
    const { model, index } = setup();
    const sorts = [DEFAULT_SORT.devices, { key: 'name', dir: 'asc' as const }];
    for (const sort of sorts) ids(index, 'alice', sort);
    const version = index.version;
    const first = model.phone('P0000001')!;
    model.apply('phones', { op: 'UPDATE', doc: { ...first, name: 'Aaa alice new', last_seen: new Date(NOW).toISOString() } });
    model.apply('phones', { op: 'DELETE', doc: model.phone('P0000002')! });
    model.apply('phones', { op: 'INSERT', doc: makePhone('P9999999', ['U0000003'], { name: 'alice spare', last_seen: '' }) });
    const dirty = model.takeDirty().devices;
    expect(dirty).toBeInstanceOf(Set);
    index.applyDirty(dirty as Set<string>);
    expect(index.version).toBe(version + 1);
    expect(index.size).toBe(3000);
    expect(ids(index, 'alice')).toEqual(expected(model, 'alice'));
    expect(ids(index, 'alice', sorts[1])).toEqual(expected(model, 'alice', 'name', false));
    expect(ids(index, '')).toEqual(expected(model, ''));
    expect(ids(index, '')[0]).toBe('P0000001');
    expect(index.touchedSince(version, ['P0000002'])).toBe(true);
    expect(index.touchedSince(version, ['P0000009'])).toBe(false);
    expect(index.touchedSince(version + 1, ['P0000002'])).toBe(false);
  });

  it('reuses freed slots for new rows without mixing them up', () => {
    const { model, index } = setup();
    ids(index, '');
    for (let round = 0; round < 3; round++) {
      const victims = [...model.all('phones')].slice(round * 10, round * 10 + 10);
      for (const p of victims) model.apply('phones', { op: 'DELETE', doc: p });
      index.applyDirty(model.takeDirty().devices as Set<string>);
      for (const p of victims) model.apply('phones', { op: 'INSERT', doc: { ...p, phone_id: `${p.phone_id}-r${round}`, name: `again ${round}` } });
      index.applyDirty(model.takeDirty().devices as Set<string>);
    }
    expect(ids(index, '')).toEqual(expected(model, ''));
    expect(ids(index, 'again')).toEqual(expected(model, 'again'));
  });

  it('deletes and re-adds a very large batch of rows at once', () => {
    const model = new ReadModel();
    const phones = Array.from({ length: 150_000 }, (_, i) => makePhone(`X${i}`, [`U${i}`], { name: `n${i}` }));
    model.load('phones', phones);
    model.takeDirty();
    const index = new EntityIndex('devices', {
      docs: () => model.all('phones'),
      doc: (id) => model.phone(id),
      id: (doc) => doc.phone_id,
      prepare: (doc) => indexRow('devices', buildRow(model, 'devices', doc)),
    });
    expect(index.size).toBe(150_000);
    for (const p of phones) model.apply('phones', { op: 'DELETE', doc: p });
    index.applyDirty(model.takeDirty().devices as Set<string>);
    expect(index.size).toBe(0);
    for (const p of phones.slice(0, 10)) model.apply('phones', { op: 'INSERT', doc: p });
    index.applyDirty(model.takeDirty().devices as Set<string>);
    expect([...index.matches(parseFilter('devices', 'n1'), { key: 'phone_id', dir: 'asc' }, NOW)].map((s) => index.id(s))).toEqual(['X1']);
  });

  it('rebuilds on next use after a reload', () => {
    const { model, index } = setup();
    ids(index, '');
    model.load('phones', [makePhone('P1', ['U0000001'])]);
    index.applyDirty('all');
    expect(index.built).toBe(false);
    expect(ids(index, '')).toEqual(['P1']);
    expect(index.touchedSince(index.version - 1, ['anything'])).toBe(true);
  });
});

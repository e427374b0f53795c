import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ColumnStore } from '../../../daemon/views/column-store.js';
import { ReadModel, COLLECTION_OF } from '../../../daemon/views/read-model.js';
import { buildRow } from '../../../daemon/views/rows.js';
import { indexRow, type IndexedRow } from '../../../src/filter/indexed-row.js';
import { compileFilter } from '../../../src/filter/match.js';
import { parseFilter } from '../../../src/filter/parse.js';
import type { EntityName } from '../../../src/rpc/contract.js';
import { DAY, T0, generateDataSet } from './view-data.js';

const NOW = T0;
const data = generateDataSet({ users: 1500, phones: 2600, tokens: 400, u2f: 100, audit: 300 }, 3);
const model = new ReadModel();
for (const name of ['users', 'phones', 'tokens', 'u2f', 'admins', 'audit'] as const) model.load(name, data[name] as never);

/** The prepared rows of an entity, in load order. */
function prepared(entity: EntityName): IndexedRow[] {
  return [...model.all(COLLECTION_OF[entity])].map((doc) => indexRow(entity, buildRow(model, entity, doc as never)));
}

function storeOf(entity: EntityName, rows: IndexedRow[]): ColumnStore {
  const store = new ColumnStore(entity);
  rows.forEach((row, slot) => store.set(slot, row));
  return store;
}

/** Slots matching by the reference predicate. */
function reference(entity: EntityName, rows: (IndexedRow | undefined)[], filter: string): number[] {
  const match = compileFilter(parseFilter(entity, filter), { now: NOW });
  return rows.flatMap((row, slot) => (row && match(row) ? [slot] : []));
}

function bitsToSlots(bits: Uint8Array): number[] {
  return [...bits.keys()].filter((s) => bits[s]);
}

const day = (d: number) => new Date(NOW - d * DAY).toISOString().slice(0, 10);
const TERMS: Record<'devices' | 'users' | 'tokens' | 'audit', string[]> = {
  devices: [
    'platform:ios', 'platform:i', 'platform:android', 'type:tablet', 'os:<17', 'os:17', 'os:>=16.2', 'os:<=14', 'os:unknown',
    'model:pixel', 'model:=ipad air', 'name:iphone', 'name:=""', 'name:""', 'number:555', 'number:=15550000000', 'encrypted:no',
    'fingerprint:yes', 'screenlock:unknown', 'tampered:yes', 'activated:no', 'shared:yes', 'user:alice', 'user:=alice.smith0',
    'user:bob', 'users:>1', 'users:1', 'last_seen:>30d', 'last_seen:<90d', 'last_seen:never', `last_seen:<${day(50)}`,
    `last_seen:${day(20)}`, 'id:p00001', 'alice', 'smith', 'pixel', '"s iphone"', 'a', `"alice's"`, 'zzz', '15', 'ios',
  ],
  users: ['username:al', 'username:=bob.jones7', 'name:smith', 'email:example', 'status:active', 'phones:0', 'phones:>1', 'tokens:>=1', 'u2f:1', 'id:u00001', 'alice', 'o'],
  tokens: ['type:hotp', 'type:yk', 'serial:1000', 'user:a', 'users:0', 'admin:a', 'origin:vendor', 'id:t-1001', '1001', 'otp'],
  audit: ['admin:jane', 'action:delete', 'entity:phone', 'id:p-1', `since:${day(0)}`, `until:${day(0)}`, 'since:1d', 'until:2h', 'attach'],
};

function filterArb(entity: keyof typeof TERMS): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.boolean(), fc.constantFrom(...TERMS[entity])), { minLength: 1, maxLength: 4 })
    .map((terms) => terms.map(([neg, t]) => `${neg ? '-' : ''}${t}`).join(' '));
}

describe('ColumnStore', () => {
  for (const entity of ['devices', 'users', 'tokens', 'audit'] as const) {
    it(`matches ${entity} like compileFilter, by column and slot by slot`, () => {
      const rows = prepared(entity);
      const store = storeOf(entity, rows);
      const all = Int32Array.from(rows.keys());
      fc.assert(
        fc.property(filterArb(entity), (filter) => {
          const ast = parseFilter(entity, filter);
          const expected = reference(entity, rows, filter);
          expect(bitsToSlots(store.matchBits(ast, NOW))).toEqual(expected);
          expect([...store.matchList(ast, NOW, all)]).toEqual(expected);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('restricts a search to the candidates it is given', () => {
    const rows = prepared('devices');
    const store = storeOf('devices', rows);
    const within = new Uint8Array(store.slots);
    for (let s = 0; s < store.slots; s += 3) within[s] = 1;
    const ast = parseFilter('devices', 'alice platform:ios');
    const expected = reference('devices', rows, 'alice platform:ios').filter((s) => s % 3 === 0);
    expect(bitsToSlots(store.matchBits(ast, NOW, within))).toEqual(expected);
  });

  it('follows rows that change and slots that are cleared', () => {
    const rows: (IndexedRow | undefined)[] = prepared('devices');
    const store = storeOf('devices', rows as IndexedRow[]);
    // Search once so that the haystacks exist, then change rows in several blocks.
    store.matchBits(parseFilter('devices', 'alice'), NOW);
    const changed = [5, 1500, 2599];
    for (const slot of changed) {
      const row = { text: 'renamed alice device', values: { ...rows[slot]!.values, user: ['zed'], platform: 'palm webos' } };
      rows[slot] = row;
      store.set(slot, row);
    }
    rows[7] = undefined;
    store.clear(7);
    rows[2600] = rows[5];
    store.set(2600, rows[5]!);
    for (const filter of ['alice', 'renamed', 'user:zed', 'platform:webos', '-alice', 'user:alice', '-platform:webos']) {
      expect(bitsToSlots(store.matchBits(parseFilter('devices', filter), NOW))).toEqual(reference('devices', rows, filter));
    }
  });

  it('matches one-character words of letters, digits and punctuation like compileFilter (the character mask)', () => {
    const rows: (IndexedRow | undefined)[] = prepared('devices');
    const store = storeOf('devices', rows as IndexedRow[]);
    // Rows that hold each masked punctuation mark, so that no mark is only ever absent.
    const marks = "+.-@_':/(),#";
    [...marks].forEach((mark, i) => {
      const row = { text: `odd ${mark} device ${i}`, values: rows[i]!.values };
      rows[i] = row;
      store.set(i, row);
    });
    for (const word of ['a', 'z', '0', '9', ...marks, '!', '%', 'é']) {
      for (const filter of [`"${word}"`, `-"${word}"`]) {
        const ast = parseFilter('devices', filter);
        const expected = reference('devices', rows, filter);
        expect(bitsToSlots(store.matchBits(ast, NOW))).toEqual(expected);
        expect([...store.matchList(ast, NOW, Int32Array.from(rows.keys()))]).toEqual(expected);
      }
    }
  });

  it('matches words of two and more characters through the bigram index like compileFilter, as rows change', () => {
    const rows: (IndexedRow | undefined)[] = prepared('devices');
    const store = storeOf('devices', rows as IndexedRow[]);
    const words = ['pl', 'ip', 'io', '+1', '15', 'e ', 'ce', 'aa', 'qx', 'ali', 'iphone 1', "s'", 'a.b', 'zzz', 'é1', 'ré', 'o\nr'];
    const check = () => {
      for (const word of words) {
        for (const filter of [JSON.stringify(word), `-${JSON.stringify(word)}`]) {
          const ast = parseFilter('devices', filter);
          const expected = reference('devices', rows, filter);
          expect(bitsToSlots(store.matchBits(ast, NOW)), filter).toEqual(expected);
        }
      }
    };
    check();
    // Rows renamed (their old pairs must stop matching), cleared, and added in a new slot.
    rows[3] = { text: 'qxe renamed\nr\u00e91', values: rows[3]!.values };
    store.set(3, rows[3]);
    rows[4] = undefined;
    store.clear(4);
    rows[2600] = { text: 'aa+15 pl', values: rows[5]!.values };
    store.set(2600, rows[2600]);
    check();
    expect(bitsToSlots(store.matchBits(parseFilter('devices', '"qx"'), NOW))).toEqual([3]);
  });

  it('does not match across two rows when the searched text holds the haystack separators', () => {
    const rows = prepared('devices');
    const store = storeOf('devices', rows);
    const separators = ['"\u0000"', '"a\u0002\u0000\u0001b"', 'name:"\u0001"', 'user:"\u0002"'];
    for (const filter of separators) {
      const ast = parseFilter('devices', filter);
      expect(bitsToSlots(store.matchBits(ast, NOW))).toEqual(reference('devices', rows, filter));
      expect(bitsToSlots(store.matchBits(ast, NOW))).toEqual([]);
    }
  });

  it('gives back the prepared values for sorting', () => {
    const rows = prepared('devices');
    const store = storeOf('devices', rows);
    for (const field of ['platform', 'shared', 'users', 'last_seen', 'user', 'os']) {
      expect(store.value(17, field)).toEqual(rows[17]!.values[field]);
    }
  });
});

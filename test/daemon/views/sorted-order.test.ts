import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SortedOrder } from '../../../daemon/views/sorted-order.js';

/** An order over slots whose value and id come from the given maps. */
function orderOver(values: Map<number, number | string>, desc: boolean): SortedOrder {
  return new SortedOrder((s) => values.get(s)!, (s) => `id${String(s).padStart(3, '0')}`, desc);
}

describe('SortedOrder', () => {
  it('sorts by value, then by id ascending, in either direction', () => {
    const values = new Map<number, number | string>([[0, 'b'], [1, 'a'], [2, 'b'], [3, 'c']]);
    const asc = orderOver(values, false);
    asc.rebuild(values.keys());
    expect([...asc.slots]).toEqual([1, 0, 2, 3]);
    const desc = orderOver(values, true);
    desc.rebuild(values.keys());
    expect([...desc.slots]).toEqual([3, 0, 2, 1]);
  });

  it('keeps the array it handed out unchanged when it updates', () => {
    const values = new Map<number, number | string>([[0, 1], [1, 2]]);
    const order = orderOver(values, false);
    order.rebuild(values.keys());
    const before = order.slots;
    values.set(0, 3);
    order.update([1, 0], 1, [0]);
    expect([...before]).toEqual([0, 1]);
    expect([...order.slots]).toEqual([1, 0]);
  });

  it('after any batch of changes, equals a full re-sort', () => {
    const batch = fc.array(
      fc.record({ slot: fc.integer({ min: 0, max: 40 }), value: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }) }),
      { maxLength: 15 },
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 30 }), fc.array(batch, { maxLength: 6 }), fc.boolean(), (initial, batches, desc) => {
        const values = new Map<number, number | string>(initial.map((v, i) => [i, v]));
        const order = orderOver(values, desc);
        order.rebuild(values.keys());
        const gens: number[] = [];
        for (const [gen, changes] of batches.entries()) {
          const changed = new Set<number>();
          for (const { slot, value } of changes) {
            changed.add(slot);
            gens[slot] = gen;
            if (value === undefined) values.delete(slot);
            else values.set(slot, value);
          }
          order.update(gens, gen, [...changed].filter((s) => values.has(s)));
          const fresh = orderOver(values, desc);
          fresh.rebuild(values.keys());
          expect([...order.slots]).toEqual([...fresh.slots]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

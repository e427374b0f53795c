/** The three-way set and order merges: the documented rule on examples, and its laws on random lists. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeOrder, mergeSet } from '../../../src/conflict-policy/list-merge.js';

const ids = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 7 });

describe('mergeSet', () => {
  it('keeps additions of either side and removals of either side', () => {
    expect(mergeSet(['a', 'b'], ['a', 'b', 'c'], ['a'])).toEqual(['a', 'c']);
    expect(mergeSet([], ['x'], ['y'])).toEqual(['y', 'x']);
    expect(mergeSet(['a'], ['a', 'a'], ['a'])).toEqual(['a']);
  });

  it('obeys the three-way laws: unchanged side → the other side; same change → that change', () => {
    fc.assert(
      fc.property(ids, ids, (base, side) => {
        expect(new Set(mergeSet(base, base, side))).toEqual(new Set(side));
        expect(new Set(mergeSet(base, side, base))).toEqual(new Set(side));
        expect(new Set(mergeSet(base, side, side))).toEqual(new Set(side));
      }),
    );
  });

  it('is commutative as a set (who was first only changes the order)', () => {
    fc.assert(
      fc.property(ids, ids, ids, (b, o, t) => {
        expect(new Set(mergeSet(b, o, t))).toEqual(new Set(mergeSet(b, t, o)));
      }),
    );
  });
});

describe('mergeOrder', () => {
  it('applies moves of different items from both sides', () => {
    // ours moved d to the top, theirs moved b to the bottom
    expect(mergeOrder(['a', 'b', 'c', 'd'], ['d', 'a', 'b', 'c'], ['a', 'c', 'd', 'b'])).toEqual(['d', 'a', 'c', 'b']);
  });

  it('keeps theirs’ place for an item both moved', () => {
    expect(mergeOrder(['a', 'b', 'c', 'd'], ['c', 'a', 'b', 'd'], ['a', 'b', 'd', 'c'])).toEqual(['a', 'b', 'd', 'c']);
  });

  it('keeps "moved to the bottom" at the bottom even when theirs appended an item', () => {
    expect(mergeOrder(['x', 'a', 'c'], ['a', 'c', 'x'], ['x', 'a', 'c', 'y'])).toEqual(['a', 'c', 'y', 'x']);
  });

  it('places a moved item right after its predecessor in ours’ order', () => {
    // ours moved a between b and c; theirs moved c to the top
    expect(mergeOrder(['a', 'b', 'c', 'd'], ['b', 'a', 'c', 'd'], ['c', 'a', 'b', 'd'])).toEqual(['c', 'b', 'a', 'd']);
  });

  it('drops items removed on either side and appends items added by ours', () => {
    expect(mergeOrder(['a', 'b', 'c'], ['a', 'c', 'n'], ['c', 'b', 'a'])).toEqual(['c', 'a', 'n']);
  });

  it('gives exactly the set merge’s members, each once', () => {
    fc.assert(
      fc.property(ids, ids, ids, (b, o, t) => {
        const merged = mergeOrder(b, o, t);
        expect(new Set(merged).size).toBe(merged.length);
        expect(new Set(merged)).toEqual(new Set(mergeSet(b, o, t)));
      }),
    );
  });

  it('returns the changed side when the other is unchanged, and either when both agree', () => {
    fc.assert(
      fc.property(ids, ids, (base, side) => {
        expect(mergeOrder(base, base, side)).toEqual(side);
        expect(mergeOrder(base, side, base)).toEqual(side);
        expect(mergeOrder(base, side, side)).toEqual(side);
      }),
    );
  });

  it("keeps theirs' order for everything but the one item ours moved", () => {
    // Two moves can collide (ours puts x after p, theirs puts p after y, all agree x before y): then no
    // order keeps every pair, and the rule keeps theirs' order for all the items ours did not move.
    fc.assert(
      fc.property(ids, fc.nat(), fc.nat(), fc.array(fc.nat(), { maxLength: 3 }), (base, from, to, theirMoves) => {
        const move = (list: string[], f: number, t: number) => {
          const out = [...list];
          if (out.length < 2) return out;
          const [x] = out.splice(f % out.length, 1);
          out.splice(t % (out.length + 1), 0, x as string);
          return out;
        };
        const ours = move(base, from, to);
        const theirs = theirMoves.reduce<string[]>((list, s) => move(list, s, s >> 3), base);
        const merged = mergeOrder(base, ours, theirs);
        const someItemAside = base.length === 0 || base.some((z) => {
          const without = (list: string[]) => list.filter((x) => x !== z);
          return JSON.stringify(without(merged)) === JSON.stringify(without(theirs));
        });
        expect(someItemAside).toBe(true);
      }),
    );
  });

  it('may break an agreed pair only when the two sides moved colliding items (documented example)', () => {
    // base x p y; ours moves x after p; theirs moves p to the end: x must follow p, p follows y.
    expect(mergeOrder(['x', 'p', 'y'], ['p', 'x', 'y'], ['x', 'y', 'p'])).toEqual(['y', 'p', 'x']);
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(ids, ids, ids, (b, o, t) => {
        expect(mergeOrder(b, o, t)).toEqual(mergeOrder(b, o, t));
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { apportion, categoryDeck, createRng, pastTime, shuffleInPlace } from '../../../src/demo/random.js';

const draw = (seed: string | number, n: number) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.uint32());
};

describe('createRng', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw('alpha', 100)).toEqual(draw('alpha', 100));
    expect(draw(42, 100)).toEqual(draw(42, 100));
  });

  it('gives different sequences for different seeds, including a number and its string', () => {
    expect(draw('alpha', 10)).not.toEqual(draw('beta', 10));
    expect(draw(1, 10)).not.toEqual(draw('1', 10));
  });

  it('keeps next() in [0, 1) and int() within its inclusive bounds', () => {
    const rng = createRng('bounds');
    const ints = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      const k = rng.int(3, 7);
      expect(k >= 3 && k <= 7 && Number.isInteger(k)).toBe(true);
      ints.add(k);
    }
    expect([...ints].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('is roughly uniform (each decile within 10% of its expected count)', () => {
    const rng = createRng('uniform');
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(rng.next() * 10)]!++;
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(1_000);
  });

  it('weighted() follows the weights and pick() only returns members', () => {
    const rng = createRng('weights');
    let a = 0;
    for (let i = 0; i < 20_000; i++) if (rng.weighted([['a', 3], ['b', 1]] as const) === 'a') a++;
    expect(a / 20_000).toBeGreaterThan(0.72);
    expect(a / 20_000).toBeLessThan(0.78);
    for (let i = 0; i < 100; i++) expect(['x', 'y', 'z']).toContain(rng.pick(['x', 'y', 'z']));
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});

describe('apportion', () => {
  it('splits n exactly, proportionally to the weights', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.array(fc.nat(100), { minLength: 1, maxLength: 8 }), (n, weights) => {
        const counts = apportion(n, weights);
        const total = weights.reduce((s, w) => s + w, 0);
        expect(counts.reduce((s, c) => s + c, 0)).toBe(total === 0 ? 0 : n);
        counts.forEach((c, i) => {
          if (total > 0) expect(Math.abs(c - (n * weights[i]!) / total)).toBeLessThan(1);
        });
      }),
    );
  });

  it('with atLeastOne gives every positive weight at least one when n allows', () => {
    expect(apportion(6, [2, 6, 8, 14, 2, 4], true)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(apportion(100, [98, 1, 1, 0], true)).toEqual([98, 1, 1, 0]);
    expect(apportion(1000, [999, 0.1], true)).toEqual([999, 1]);
    // Too few to go round: still sums to n.
    expect(apportion(2, [1, 1, 1], true).reduce((s, c) => s + c, 0)).toBe(2);
  });
});

describe('categoryDeck', () => {
  it('holds exactly the apportioned count of each category, shuffled', () => {
    const deck = categoryDeck(createRng('deck'), 1000, [90, 10]);
    expect(deck.filter((c) => c === 1).length).toBe(100);
    // Not all the 1s at the end: the deck is shuffled.
    expect(deck.subarray(0, 900).some((c) => c === 1)).toBe(true);
  });
});

describe('shuffleInPlace', () => {
  it('permutes without losing or duplicating elements', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = shuffleInPlace(createRng('shuffle'), [...items]);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });
});

describe('pastTime', () => {
  it('stays between the two ages and is a whole number of milliseconds', () => {
    const rng = createRng('time');
    const now = Date.UTC(2025, 0, 1);
    for (let i = 0; i < 1000; i++) {
      const t = pastTime(rng, now, 1000, 90_000, 1.6);
      expect(Number.isInteger(t)).toBe(true);
      expect(t).toBeLessThanOrEqual(now - 1000);
      expect(t).toBeGreaterThanOrEqual(now - 90_000);
    }
  });
});

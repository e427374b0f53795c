/**
 * A small seeded PRNG (sfc32, seeded through a string hash) and the sampling helpers the demo generator
 * needs. Math.random cannot be seeded, and demo data must be the same for the same seed on every machine.
 */

/** Something to seed with: the same seed gives the same sequence everywhere. */
export type Seed = number | string;

/** A seeded source of uniform numbers with the helpers built on it. */
export interface Rng {
  /** A uniform float in [0, 1). */
  next(): number;
  /** A uniform 32-bit unsigned integer. */
  uint32(): number;
  /** A uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A uniform element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** An element chosen with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
}

/** cyrb128: spreads any string into four well-mixed 32-bit words, which sfc32 needs as state. */
function hashSeed(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A seeded generator: sfc32 (128-bit state, passes PractRand), fast enough for hundreds of thousands of rows. */
export function createRng(seed: Seed): Rng {
  let [a, b, c, d] = hashSeed(`${typeof seed}:${String(seed)}`);
  const uint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs of sfc32 still show the seed's structure: discard them, as its author recommends.
  for (let i = 0; i < 15; i++) uint32();

  const next = (): number => uint32() / 4294967296;
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    uint32,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted<T>(entries: readonly (readonly [T, number])[]): T {
      let total = 0;
      for (const [, w] of entries) total += w;
      let r = next() * total;
      for (const [value, w] of entries) {
        r -= w;
        if (r < 0) return value;
      }
      const last = entries[entries.length - 1];
      if (last === undefined) throw new RangeError('weighted pick from an empty list');
      return last[0];
    },
  };
}

/**
 * Splits n into integer counts proportional to the weights (largest remainder), so that shares are exact
 * rather than left to chance. With `atLeastOne`, every category with a positive weight gets at least one
 * when n allows it, so that even a small data set shows every case.
 */
export function apportion(n: number, weights: readonly number[], atLeastOne = false): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  if (n <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (n * w) / total);
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((s, c) => s + c, 0);
  const byRemainder = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (const [, i] of byRemainder) {
    if (left === 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  const positive = weights.filter((w) => w > 0).length;
  if (atLeastOne && n >= positive) {
    for (let i = 0; i < counts.length; i++) {
      if ((weights[i] ?? 0) <= 0 || (counts[i] ?? 0) > 0) continue;
      // Take the one from the largest category, which can spare it.
      let largest = 0;
      for (let j = 1; j < counts.length; j++) if ((counts[j] ?? 0) > (counts[largest] ?? 0)) largest = j;
      counts[largest] = (counts[largest] ?? 0) - 1;
      counts[i] = 1;
    }
  }
  return counts;
}

/** Fisher–Yates in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(rng: Rng, items: T): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/**
 * n category indexes in random order with exactly the apportioned count of each: a compact "deck" to deal
 * from (one byte per row, so 120,000 rows cost 120 kB).
 */
export function categoryDeck(rng: Rng, n: number, weights: readonly number[], atLeastOne = false): Uint8Array {
  if (weights.length > 256) throw new RangeError('at most 256 categories');
  const counts = apportion(n, weights, atLeastOne);
  const deck = new Uint8Array(n);
  let k = 0;
  counts.forEach((count, category) => {
    deck.fill(category, k, k + count);
    k += count;
  });
  return shuffleInPlace(rng, deck);
}

/** A whole-millisecond time between `maxAgeMs` and `minAgeMs` before `now`, skewed towards recent when `skew` > 1. */
export function pastTime(rng: Rng, now: number, minAgeMs: number, maxAgeMs: number, skew = 1): number {
  const r = skew === 1 ? rng.next() : Math.pow(rng.next(), skew);
  return Math.floor(now - minAgeMs - r * (maxAgeMs - minAgeMs));
}

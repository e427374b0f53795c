/**
 * One view's rows (slots) in one sort order, kept sorted as rows change: the changed slots are taken out
 * and put back at positions found by binary search, so a change costs a copy and a few comparisons per
 * changed row, never a re-sort of the whole list.
 */
import type { SortValue } from './sort-columns.js';

/** Slots sorted by a value and a direction, ties by id ascending. */
export class SortedOrder {
  private list = new Int32Array(0);
  private readonly values: SortValue[] = [];

  constructor(
    private readonly extract: (slot: number) => SortValue,
    private readonly idOf: (slot: number) => string,
    private readonly desc: boolean,
  ) {}

  /** The slots in order (replaced, never mutated, on update: a caller may keep the array it was given). */
  get slots(): Int32Array {
    return this.list;
  }

  readonly compare = (a: number, b: number): number => {
    const va = this.values[a]!;
    const vb = this.values[b]!;
    if (va !== vb) {
      const c = va < vb ? -1 : 1;
      return this.desc ? -c : c;
    }
    const ia = this.idOf(a);
    const ib = this.idOf(b);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };

  /** Sorts these slots afresh. */
  rebuild(slots: Iterable<number>): void {
    const list = Int32Array.from(slots);
    for (const s of list) this.values[s] = this.extract(s);
    this.list = list.sort(this.compare);
  }

  /**
   * Takes out every slot changed in generation `gen` (`gens[slot] === gen`: updated or deleted) and
   * merges back `alive`, the changed slots that still exist.
   */
  update(gens: ArrayLike<number>, gen: number, alive: readonly number[]): void {
    for (const s of alive) this.values[s] = this.extract(s);
    const fresh = Int32Array.from(alive).sort(this.compare);
    const list = this.list;
    const kept = new Int32Array(list.length);
    let k = 0;
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (gens[s] !== gen) kept[k++] = s;
    }
    const out = new Int32Array(k + fresh.length);
    let from = 0;
    let o = 0;
    for (const s of fresh) {
      // First kept slot that sorts after s, searched from where the previous insertion stopped.
      let lo = from;
      let hi = k;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.compare(kept[mid]!, s) <= 0) lo = mid + 1;
        else hi = mid;
      }
      out.set(kept.subarray(from, lo), o);
      o += lo - from;
      out[o++] = s;
      from = lo;
    }
    out.set(kept.subarray(from, k), o);
    this.list = out;
  }
}

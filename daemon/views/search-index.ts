/**
 * The search index of one view entity: each document in a slot, its prepared filter values in a column
 * store, sorted orders of the slots cached per sort column, and recent filter results. Built on first use,
 * then kept up to date row by row.
 *
 * Filtering never sorts: it marks the matching slots in a bitmap (column by column), then walks a cached
 * order and keeps the marked slots, so the result is already in order. When a new filter only narrows a
 * recent one (one more character typed, a term added), it starts from that filter's matches instead of
 * every row. Any change to the entity drops the cached results; orders are patched in place.
 */
import type { EntityName, SortSpec } from '../../src/rpc/contract.js';
import type { FilterAst } from '../../src/filter/parse.js';
import { filterKey, narrows, usesClock } from '../../src/filter/match.js';
import type { IndexedRow } from '../../src/filter/indexed-row.js';
import type { DocOf } from './read-model.js';
import { ColumnStore } from './column-store.js';
import { sortExtractor } from './sort-columns.js';
import { SortedOrder } from './sorted-order.js';

/** Where an index reads its documents and how it prepares them. */
export interface IndexSource<E extends EntityName> {
  docs(): Iterable<DocOf<E>>;
  doc(id: string): DocOf<E> | undefined;
  id(doc: DocOf<E>): string;
  prepare(doc: DocOf<E>): IndexedRow;
}

interface CachedResult {
  key: string;
  sortId: string;
  ast: FilterAst;
  /** The clock the result was computed at, when the filter has relative ages; null otherwise. */
  now: number | null;
  slots: Int32Array;
}

/** How the last `matches` call was answered (for tests and measurements). */
export interface MatchStats {
  /** Rows the filter was evaluated on. */
  scanned: number;
  /** Answered from a cached result of the same filter (or no filter). */
  cached: boolean;
  /** Started from a narrower recent result rather than every row. */
  narrowed: boolean;
}

const MAX_ORDERS = 4;
/**
 * Recent results kept: enough that erasing a long filter key by key (each shorter filter was a result on the
 * way in) is answered from the cache, within a memory budget (slots of all kept results; 2M = 8 MB).
 */
const MAX_RESULTS = 64;
const MAX_RESULT_SLOTS = 2_000_000;
/** Beyond this many changed ids not yet pushed, subscriptions just assume everything changed. */
const MAX_TRACKED_CHANGES = 10_000;
/**
 * Candidate sets smaller than this share of the rows are tested slot by slot instead of by column. Small: a
 * test called per row costs about a microsecond, while the column loops, the bigram index and the haystack
 * search cost a fraction of that per row (12k candidates of 120k: 5–17 ms slot by slot, 1–2 ms by column).
 */
const ROW_BY_ROW_SHARE = 1 / 64;

/** The slots of `slots` (in their order) whose bit is set; a typed array, since pushing 100k numbers is slow. */
function select(slots: Int32Array, bits: Uint8Array): Int32Array {
  const out = new Int32Array(slots.length);
  let k = 0;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (bits[s]) out[k++] = s;
  }
  // A small result should not keep a buffer sized for every row alive in the cache.
  return k * 2 < slots.length ? out.slice(0, k) : out.subarray(0, k);
}

/** The search index of one entity; see the file comment. */
export class EntityIndex<E extends EntityName> {
  /** Grows with every batch of changes to this entity's rows. */
  version = 0;
  readonly stats: MatchStats = { scanned: 0, cached: false, narrowed: false };

  private store: ColumnStore | null = null;
  private slotOf = new Map<string, number>();
  private ids: string[] = [];
  private docs: (DocOf<E> | undefined)[] = [];
  private free: number[] = [];
  private gens: number[] = [];
  private gen = 0;
  private readonly orders = new Map<string, SortedOrder>();
  private results: CachedResult[] = [];
  private resultSlots = 0;
  /** The ids each recent version changed, so a subscription can tell whether a row it shows changed. */
  private batches: { version: number; ids: Set<string> | 'all' }[] = [];
  private tracked = 0;

  constructor(
    readonly entity: E,
    private readonly source: IndexSource<E>,
  ) {}

  /** Whether the index has been built (it is built on first use). */
  get built(): boolean {
    return this.store !== null;
  }

  /** Number of rows. */
  get size(): number {
    this.ensureBuilt();
    return this.slotOf.size;
  }

  /** The document in a slot. */
  doc(slot: number): DocOf<E> {
    return this.docs[slot]!;
  }

  /** The id of the document in a slot. */
  id(slot: number): string {
    return this.ids[slot]!;
  }

  /** Rebuilds the rows with these ids (or all), dropping cached results and patching cached orders. */
  applyDirty(dirty: Set<string> | 'all'): void {
    this.version++;
    this.results = [];
    this.resultSlots = 0;
    this.track(dirty);
    const store = this.store;
    if (!store) return;
    if (dirty === 'all') {
      // A reload: rebuilt on next use, which may be never for a view nobody looks at.
      this.store = null;
      this.orders.clear();
      return;
    }
    const gen = ++this.gen;
    const alive: number[] = [];
    const freed: number[] = [];
    for (const id of dirty) {
      const doc = this.source.doc(id);
      let slot = this.slotOf.get(id);
      if (doc) {
        if (slot === undefined) {
          slot = this.free.pop() ?? this.ids.length;
          this.slotOf.set(id, slot);
          this.ids[slot] = id;
        }
        this.docs[slot] = doc;
        this.gens[slot] = gen;
        store.set(slot, this.source.prepare(doc));
        alive.push(slot);
      } else if (slot !== undefined) {
        store.clear(slot);
        this.gens[slot] = gen;
        this.docs[slot] = undefined;
        this.ids[slot] = '';
        this.slotOf.delete(id);
        freed.push(slot);
      }
    }
    // Freed slots are reused only from the next batch, so a slot is never both removed and added here.
    for (const slot of freed) this.free.push(slot);
    for (const order of this.orders.values()) order.update(this.gens, gen, alive);
  }

  /** The slots in a sort order (cached; the least recently used of more than a few orders is dropped). */
  order(sort: SortSpec): SortedOrder {
    const store = this.ensureBuilt();
    const id = `${sort.key}:${sort.dir}`;
    let order = this.orders.get(id);
    if (order) {
      this.orders.delete(id);
    } else {
      const extract = sortExtractor(this.entity, sort.key);
      order = new SortedOrder(
        (s) => extract(this.docs[s]!, (field) => store.value(s, field)),
        (s) => this.ids[s]!,
        sort.dir === 'desc',
      );
      order.rebuild(this.slotOf.values());
      if (this.orders.size >= MAX_ORDERS) this.orders.delete(this.orders.keys().next().value!);
    }
    this.orders.set(id, order);
    return order;
  }

  /**
   * The slots matching a filter, in the sort order; `now` is the clock relative ages count from (results
   * with relative ages are reused only for the same `now`).
   */
  matches(ast: FilterAst, sort: SortSpec, now: number): Int32Array {
    const order = this.order(sort);
    const store = this.ensureBuilt();
    if (ast.terms.length === 0) {
      this.setStats(0, true, false);
      return order.slots;
    }
    const sortId = `${sort.key}:${sort.dir}`;
    // A result with relative ages holds for the clock it was computed at only.
    const at = usesClock(ast) ? now : null;
    const key = `${sortId}|${at ?? ''}|${filterKey(ast)}`;
    const hit = this.results.findIndex((r) => r.key === key);
    if (hit >= 0) {
      const [result] = this.results.splice(hit, 1);
      this.results.push(result!);
      this.setStats(0, true, false);
      return result!.slots;
    }
    let base: CachedResult | undefined;
    for (const r of this.results) {
      const usable = r.sortId === sortId && (r.now === null || r.now === now);
      if (usable && (!base || r.slots.length < base.slots.length) && narrows(r.ast, ast)) base = r;
    }
    let out: Int32Array;
    if (base && base.slots.length < store.slots * ROW_BY_ROW_SHARE) {
      out = store.matchList(ast, now, base.slots);
    } else {
      let within: Uint8Array | undefined;
      if (base) {
        within = new Uint8Array(store.slots);
        // Indexed loops on the hot paths: a for-of over a typed array allocated an iterator result per
        // element here (0.4 MB per keystroke), and the young-generation collections it caused were the
        // slowest keystrokes.
        const slots = base.slots;
        for (let i = 0; i < slots.length; i++) within[slots[i]!] = 1;
      }
      out = select(base ? base.slots : order.slots, store.matchBits(ast, now, within));
    }
    this.setStats(base ? base.slots.length : this.slotOf.size, false, base !== undefined);
    this.results.push({ key, sortId, ast, now: at, slots: out });
    this.resultSlots += out.length;
    while (this.results.length > 1 && (this.results.length > MAX_RESULTS || this.resultSlots > MAX_RESULT_SLOTS)) {
      this.resultSlots -= this.results.shift()!.slots.length;
    }
    return out;
  }

  /** Drops the recent results (after warm-up queries nobody asked for). */
  forgetResults(): void {
    this.results = [];
    this.resultSlots = 0;
    this.setStats(0, false, false);
  }

  private setStats(scanned: number, cached: boolean, narrowed: boolean): void {
    this.stats.scanned = scanned;
    this.stats.cached = cached;
    this.stats.narrowed = narrowed;
  }

  private ensureBuilt(): ColumnStore {
    if (this.store) return this.store;
    const store = new ColumnStore(this.entity);
    this.slotOf = new Map();
    this.ids = [];
    this.docs = [];
    this.free = [];
    this.gens = [];
    let slot = 0;
    for (const doc of this.source.docs()) {
      const id = this.source.id(doc);
      this.slotOf.set(id, slot);
      this.ids.push(id);
      this.docs.push(doc);
      this.gens.push(0);
      store.set(slot++, this.source.prepare(doc));
    }
    store.prepareHaystacks();
    this.store = store;
    return store;
  }

  /** True when a version after `version` changed one of these ids (or changed too much to tell). */
  touchedSince(version: number, ids: readonly string[]): boolean {
    for (const batch of this.batches) {
      if (batch.version <= version) continue;
      if (batch.ids === 'all') return true;
      for (const id of ids) if (batch.ids.has(id)) return true;
    }
    return false;
  }

  /** Forgets the changes of versions up to this one (every subscription has seen them). */
  forgetChangesUpTo(version: number): void {
    this.batches = this.batches.filter((b) => b.version > version);
    this.tracked = this.batches.reduce((n, b) => n + (b.ids === 'all' ? 0 : b.ids.size), 0);
  }

  private track(dirty: Set<string> | 'all'): void {
    this.tracked += dirty === 'all' ? 0 : dirty.size;
    if (dirty === 'all' || this.tracked > MAX_TRACKED_CHANGES) {
      this.batches = [{ version: this.version, ids: 'all' }];
      this.tracked = 0;
    } else {
      this.batches.push({ version: this.version, ids: dirty });
    }
  }
}

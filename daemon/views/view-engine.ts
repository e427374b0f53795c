/**
 * The views the TUI and CLI list: one-shot queries, live subscriptions, and full result sets for reports,
 * computed from the read model's search indexes (never by querying the replica).
 *
 * Changes are coalesced: the read model signals its first change, the engine waits `coalesceMs` (16 ms by
 * default, one frame), brings the indexes up to date once, and pushes each subscription at most once, and
 * only when its total, the ids in its window or the content of a row in its window changed. A bulk load of
 * 250k documents is one rebuild and one push per subscription. Queries always see every change applied so
 * far: they bring the indexes up to date first.
 *
 * Windows default to offset 0, limit 100; a limit above 1000 is capped at 1000. Relative ages in filters
 * (`last_seen:>30d`, `since:7d`) count from the current minute (the clock rounded down), so that their
 * results can be reused and narrowed keystroke after keystroke; a subscription is re-evaluated when its
 * entity changes, not as time passes alone.
 */
import { ENTITIES, type EntityName, type RowTypes, type SortSpec, type ViewResult, type ViewSpec, type ViewUpdate } from '../../src/rpc/contract.js';
import { invalid, notFound } from '../../src/errors.js';
import { parseFilter, type FilterAst } from '../../src/filter/parse.js';
import { indexRow } from '../../src/filter/indexed-row.js';
import type { CollectionName } from '../../src/domain/schemas.js';
import { COLLECTION_OF, docId, type ReadModel } from './read-model.js';
import { buildRow } from './rows.js';
import { EntityIndex, type IndexSource, type MatchStats } from './search-index.js';
import { resolveSort } from './sort-columns.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
export const DEFAULT_COALESCE_MS = 16;
/** Relative ages in filters count from the clock rounded down to this. */
export const FILTER_CLOCK_MS = 60_000;

/**
 * Filters run once per entity when the indexes are warmed, so that V8 has compiled the filter paths (each kind
 * of term, narrowing, building rows) before the first keystroke rather than interpreting them during it (the
 * first keys after a start took 10–15 ms more); their results are forgotten. Keys an entity lacks are skipped.
 */
const WARM_UP_FILTERS = ['a', 'ab', 'abc', 'ab -c', 'platform:i', 'os:<1', 'user:a', 'shared:yes', 'type:h', 'username:a', 'status:a', 'phones:>0'];

export interface ViewEngineOptions {
  /** How long changes are gathered before subscriptions are pushed. */
  coalesceMs?: number;
  /** The clock relative filters count from (rounded down to the minute). */
  now?: () => number;
}

/** Receives a subscription's updates (the RPC layer sends them as `view.changed`). */
export type PushFn = (update: ViewUpdate) => void;

/** A spec with its defaults applied and its filter parsed. */
interface ResolvedSpec {
  entity: EntityName;
  ast: FilterAst;
  sort: SortSpec;
  offset: number;
  limit: number;
}

interface Subscription {
  id: string;
  spec: ResolvedSpec;
  push: PushFn;
  version: number;
  total: number;
  windowIds: string[];
}

function resolveWindow(spec: ViewSpec): { offset: number; limit: number } {
  const offset = spec.window?.offset ?? 0;
  const limit = spec.window?.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(offset) || offset < 0) throw invalid(`Window offset must be a whole number from 0 (got ${String(offset)}).`);
  if (!Number.isInteger(limit) || limit < 0) throw invalid(`Window limit must be a whole number from 0 (got ${String(limit)}).`);
  return { offset, limit: Math.min(limit, MAX_LIMIT) };
}

/** Applies the defaults and checks a spec: INVALID_INPUT for an unknown entity, a bad filter, sort or window. */
function resolveSpec(spec: ViewSpec): ResolvedSpec {
  const entity = spec?.entity;
  if (!(ENTITIES as readonly string[]).includes(entity)) {
    throw invalid(`Unknown view "${String(entity)}".`, `Views: ${ENTITIES.join(', ')}.`);
  }
  return { entity, ast: parseFilter(entity, spec.filter ?? ''), sort: resolveSort(entity, spec.sort), ...resolveWindow(spec) };
}

function sourceFor<E extends EntityName>(model: ReadModel, entity: E): IndexSource<E> {
  const collection: CollectionName = COLLECTION_OF[entity];
  type Doc = Parameters<IndexSource<E>['prepare']>[0];
  return {
    docs: () => model.all(collection) as Iterable<Doc>,
    doc: (id) => model.get(collection, id) as Doc | undefined,
    id: (doc) => docId(collection, doc),
    prepare: (doc) => indexRow(entity, buildRow(model, entity, doc)),
  };
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Views over a read model; see the file comment. */
export class ViewEngine {
  private readonly indexes: { [E in EntityName]: EntityIndex<E> };
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly coalesceMs: number;
  private readonly now: () => number;
  private readonly stopListening: () => void;
  private timer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly model: ReadModel,
    options: ViewEngineOptions = {},
  ) {
    this.coalesceMs = options.coalesceMs ?? DEFAULT_COALESCE_MS;
    this.now = options.now ?? Date.now;
    const index = <E extends EntityName>(entity: E) => new EntityIndex(entity, sourceFor(model, entity));
    this.indexes = {
      devices: index('devices'),
      users: index('users'),
      tokens: index('tokens'),
      u2f: index('u2f'),
      admins: index('admins'),
      audit: index('audit'),
    };
    this.stopListening = model.onDirty(() => this.schedule());
  }

  /** A hint that a collection changed; the read model already signals, so this only makes sure a push is due. */
  changed(_name?: CollectionName): void {
    this.schedule();
  }

  /** One page of a view, with every change applied so far. */
  query<E extends EntityName>(spec: ViewSpec & { entity: E }): ViewResult<E>;
  query(spec: ViewSpec): ViewResult;
  query(spec: ViewSpec): ViewResult {
    const resolved = resolveSpec(spec);
    this.refresh();
    return this.compute(resolved).result;
  }

  /** Starts a live view: returns its first page; `push` then receives each change that affects it. */
  subscribe(spec: ViewSpec, push: PushFn): ViewUpdate {
    const resolved = resolveSpec(spec);
    this.refresh();
    const { result, windowIds } = this.compute(resolved);
    const id = `view-${this.nextId++}`;
    this.subscriptions.set(id, { id, spec: resolved, push, version: result.version, total: result.total, windowIds });
    return { ...result, subscriptionId: id };
  }

  /** Changes a subscription's spec (a keystroke in the filter, a scroll); returns its new page. */
  update(subscriptionId: string, spec: ViewSpec): ViewUpdate {
    const sub = this.subscriptions.get(subscriptionId);
    if (!sub) throw notFound(`No view subscription "${subscriptionId}".`);
    const resolved = resolveSpec(spec);
    this.refresh();
    const { result, windowIds } = this.compute(resolved);
    Object.assign(sub, { spec: resolved, version: result.version, total: result.total, windowIds });
    return { ...result, subscriptionId };
  }

  /** Ends a subscription; false when there was none with that id. */
  unsubscribe(subscriptionId: string): boolean {
    return this.subscriptions.delete(subscriptionId);
  }

  /** Every row matching a spec, in its order, ignoring any window (for reports). */
  rowsFor<E extends EntityName>(spec: Omit<ViewSpec, 'window'> & { entity: E }): RowTypes[E][];
  rowsFor(spec: Omit<ViewSpec, 'window'>): RowTypes[EntityName][];
  rowsFor(spec: Omit<ViewSpec, 'window'>): RowTypes[EntityName][] {
    const resolved = resolveSpec({ ...spec, window: undefined });
    this.refresh();
    const index = this.indexes[resolved.entity];
    const slots = index.matches(resolved.ast, resolved.sort, this.filterClock());
    return Array.from(slots, (slot) => buildRow(this.model, resolved.entity, index.doc(slot) as never));
  }

  /**
   * Builds the search indexes of these entities now rather than on their first query (building the
   * devices index of 120k devices takes a few seconds), and runs WARM_UP_FILTERS on them: call it once the
   * read model is loaded.
   */
  warm(entities: readonly EntityName[] = ENTITIES): void {
    this.refresh();
    for (const entity of entities) {
      const index = this.indexes[entity];
      void index.size;
      for (const filter of WARM_UP_FILTERS) {
        let spec: ResolvedSpec;
        try {
          spec = resolveSpec({ entity, filter });
        } catch {
          continue; // a key this entity does not have
        }
        this.compute(spec);
      }
      index.forgetResults();
    }
  }

  /** Whether an entity's search index is built (for logs and tests). */
  isBuilt(entity: EntityName): boolean {
    return this.indexes[entity].built;
  }

  /** The current version of an entity's rows. */
  version(entity: EntityName): number {
    this.refresh();
    return this.indexes[entity].version;
  }

  /** How the last filter on an entity was answered (rows scanned, cached, narrowed). */
  lastMatchStats(entity: EntityName): Readonly<MatchStats> {
    return this.indexes[entity].stats;
  }

  /** Applies pending changes and pushes the subscriptions they affect, now (the timer does this by itself). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.refresh();
    for (const sub of this.subscriptions.values()) {
      const index = this.indexes[sub.spec.entity];
      if (sub.version === index.version) continue;
      const { result, windowIds } = this.compute(sub.spec);
      const due =
        result.total !== sub.total || !sameIds(windowIds, sub.windowIds) || index.touchedSince(sub.version, windowIds);
      Object.assign(sub, { version: result.version, total: result.total, windowIds });
      if (!due) continue;
      try {
        sub.push({ ...result, subscriptionId: sub.id });
      } catch {
        // A client that went away is cleaned up by its connection; the other subscriptions still get theirs.
      }
    }
    // Every subscription is now at its index's version: older changes no longer matter.
    for (const entity of ENTITIES) this.indexes[entity].forgetChangesUpTo(this.indexes[entity].version);
  }

  /** Stops pushing and listening. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopListening();
    this.subscriptions.clear();
  }

  private filterClock(): number {
    return Math.floor(this.now() / FILTER_CLOCK_MS) * FILTER_CLOCK_MS;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.flush(), this.coalesceMs);
    this.timer.unref?.();
  }

  /** Brings the indexes up to date with the read model. */
  private refresh(): void {
    const dirty = this.model.takeDirty();
    for (const entity of ENTITIES) {
      const rows = dirty[entity];
      if (rows) this.indexes[entity].applyDirty(rows);
    }
  }

  private compute(spec: ResolvedSpec): { result: ViewResult; windowIds: string[] } {
    const index = this.indexes[spec.entity];
    const slots = index.matches(spec.ast, spec.sort, this.filterClock());
    const end = Math.min(slots.length, spec.offset + spec.limit);
    const rows: RowTypes[EntityName][] = [];
    const windowIds: string[] = [];
    for (let i = spec.offset; i < end; i++) {
      rows.push(buildRow(this.model, spec.entity, index.doc(slots[i]!) as never));
      windowIds.push(index.id(slots[i]!));
    }
    return {
      result: { entity: spec.entity, total: slots.length, offset: spec.offset, rows, version: index.version } as ViewResult,
      windowIds,
    };
  }
}

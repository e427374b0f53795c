/**
 * The list screens' state, one per entity: the filter and sort the user chose, the window of rows the daemon
 * sent, the cursor (an index into the whole result, plus the id of the row it is on, so that it stays on
 * that row when live updates shift rows) and the rows marked for bulk actions.
 *
 * A filter keystroke changes `filter` at once (the view request leaves from the store, see
 * use-list-subscription.ts) but not what the screen shows: `shownFilter` follows when the daemon's answer
 * arrives, so the typed text and its match count reach the screen in one frame, which at 120k rows is one
 * costly Ink frame per key instead of two. When no answer comes within FILTER_ECHO_MS, the typed text is
 * shown alone, as before.
 */
import type { StateCreator } from 'zustand/vanilla';
import { ENTITIES, type EntityName, type RowTypes, type SortSpec, type ViewSpec, type ViewUpdate } from '../../src/rpc/contract.js';
import { isFactordeskError } from '../../src/errors.js';
import { listRows } from '../layout.js';
import { fitPosition, moveCursor, type ListMove } from './list-movement.js';
import { rowId, rowLabel } from './rows.js';
import type { AppState } from './store.js';

export interface ListState<E extends EntityName = EntityName> {
  /** The filter as typed: what the view asks the daemon for. */
  filter: string;
  /** The filter text on screen: the one the rows and total answer, or `filter` once FILTER_ECHO_MS passed. */
  shownFilter: string;
  /** The daemon's answer to a filter it could not parse (shown inline); the previous result stays. */
  filterError: { message: string; hint?: string } | null;
  /** Null = the view's default order. */
  sort: SortSpec | null;
  total: number;
  /** The window asked for. */
  offset: number;
  /** The window received, and where it starts. */
  rows: RowTypes[E][];
  rowsOffset: number;
  cursor: number;
  cursorId: string | null;
  /** Marked row ids → their labels (for the confirmation of a bulk action). */
  marked: Record<string, string>;
  /** Rows marked, kept whole so bulk actions can say what they affect. */
  markedRows: Record<string, RowTypes[E]>;
  loaded: boolean;
  /** Any other refusal (e.g. the role may not see this view). */
  error: string | null;
  /** A row to put the cursor on when it arrives (from a link). */
  pendingSelect: string | null;
}

export type Lists = { [E in EntityName]: ListState<E> };

/** How long typed filter text waits for its answer before it is shown without it. */
export const FILTER_ECHO_MS = 50;

export interface ListsSlice {
  lists: Lists;
  setFilter(entity: EntityName, filter: string): void;
  setSort(entity: EntityName, sort: SortSpec | null): void;
  /** A reply or push; `spec` is the spec it answers (its filter is then the one shown). */
  applyListUpdate(entity: EntityName, update: ViewUpdate, spec?: ViewSpec): void;
  /** The daemon refused the list's spec; `spec` is the refused one (its filter is then the one shown). */
  listRefused(entity: EntityName, error: unknown, spec?: ViewSpec): void;
  moveList(entity: EntityName, move: ListMove): void;
  toggleMark(entity: EntityName): void;
  clearMarks(entity: EntityName): void;
  /** The row under the cursor, when it is in the received window. */
  currentRow<E extends EntityName>(entity: E): RowTypes[E] | undefined;
  /** The marked rows, or the row under the cursor when none is marked. */
  targetRows<E extends EntityName>(entity: E): RowTypes[E][];
  /** What the list's subscription asks the daemon for. */
  listSpec(entity: EntityName): ViewSpec;
}

/** A fresh list state. */
export function emptyList<E extends EntityName>(init: Partial<Pick<ListState<E>, 'filter' | 'sort' | 'pendingSelect'>> = {}): ListState<E> {
  return {
    filter: init.filter ?? '',
    shownFilter: init.filter ?? '',
    filterError: null,
    sort: init.sort ?? null,
    total: 0,
    offset: 0,
    rows: [],
    rowsOffset: 0,
    cursor: 0,
    cursorId: null,
    marked: {},
    markedRows: {},
    loaded: false,
    error: null,
    pendingSelect: init.pendingSelect ?? null,
  };
}

/**
 * A list after a reply or push for `filter` (default: the current one): the cursor follows its row when that
 * row is still in the window, else keeps its index (clamped to the new total); a row given by a link is
 * selected once it shows up.
 */
export function withUpdate<E extends EntityName>(
  list: ListState<E>,
  entity: E,
  update: ViewUpdate,
  pageSize: number,
  filter: string = list.filter,
): ListState<E> {
  const rows = update.rows as RowTypes[E][];
  const ids = rows.map((r) => rowId(entity, r));
  let cursor = list.cursor;
  let pendingSelect = list.pendingSelect;
  const follow = pendingSelect ?? list.cursorId;
  const at = follow === null ? -1 : ids.indexOf(follow);
  if (at >= 0) {
    cursor = update.offset + at;
    pendingSelect = null;
  } else if (pendingSelect !== null && update.offset === 0) {
    pendingSelect = null; // not in the first window: give up quietly
  }
  // The requested window stays unless the result shrank under it; a scroll still in flight is kept.
  const { cursor: fittedCursor, offset } = fitPosition({ cursor, offset: list.offset, total: update.total, pageSize });
  cursor = fittedCursor;
  const under = rows[cursor - update.offset];
  return {
    ...list,
    rows,
    rowsOffset: update.offset,
    total: update.total,
    shownFilter: filter,
    cursor,
    offset,
    cursorId: under ? rowId(entity, under) : cursor === list.cursor ? list.cursorId : null,
    loaded: true,
    error: null,
    filterError: null,
    pendingSelect,
  };
}

const initialLists = (start?: { entity: EntityName; filter?: string; sort?: SortSpec; selected?: string }): Lists => {
  const lists = Object.fromEntries(ENTITIES.map((e) => [e, emptyList()])) as unknown as Lists;
  if (start) {
    (lists as Record<EntityName, ListState>)[start.entity] = emptyList({
      filter: start.filter ?? '',
      sort: start.sort ?? null,
      pendingSelect: start.selected ?? null,
    });
  }
  return lists;
};

/** The lists slice; `start` pre-sets the filter, sort and selected row of one list (a link being opened). */
export function listsSlice(start?: { entity: EntityName; filter?: string; sort?: SortSpec; selected?: string }): StateCreator<AppState, [], [], ListsSlice> {
  return (set, get) => {
    const echoTimers = new Map<EntityName, ReturnType<typeof setTimeout>>();
    const update = <E extends EntityName>(entity: E, fn: (list: ListState<E>) => ListState<E>) => {
      const lists = get().lists;
      const before = lists[entity] as ListState<E>;
      const after = fn(before);
      if (after === before) return;
      set({ lists: { ...lists, [entity]: after } });
      // Typed text not yet on screen is shown by FILTER_ECHO_MS after the key at the latest.
      const timer = echoTimers.get(entity);
      if (after.shownFilter === after.filter) {
        if (timer) clearTimeout(timer);
        echoTimers.delete(entity);
      } else if (!timer) {
        const t = setTimeout(() => {
          echoTimers.delete(entity);
          update(entity, (l) => (l.shownFilter === l.filter ? l : { ...l, shownFilter: l.filter }));
        }, FILTER_ECHO_MS);
        t.unref?.();
        echoTimers.set(entity, t);
      }
    };
    const pageSize = () => listRows(get().size);

    return {
      lists: initialLists(start),

      setFilter(entity, filter) {
        update(entity, (l) => (l.filter === filter ? l : { ...l, filter, offset: 0, cursor: 0, cursorId: null }));
      },

      setSort(entity, sort) {
        update(entity, (l) => ({ ...l, sort, offset: 0, cursor: 0, cursorId: null }));
      },

      applyListUpdate(entity, upd, spec) {
        if (upd.entity !== entity) return;
        update(entity, (l) => withUpdate(l, entity, upd, pageSize(), spec ? (spec.filter ?? '') : l.filter));
      },

      listRefused(entity, error, spec) {
        const message = isFactordeskError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
        const hint = isFactordeskError(error) ? error.hint : undefined;
        if (isFactordeskError(error) && error.code === 'INVALID_INPUT') {
          update(entity, (l) => ({ ...l, shownFilter: spec ? (spec.filter ?? '') : l.filter, filterError: hint ? { message, hint } : { message } }));
        } else {
          update(entity, (l) => ({ ...l, error: message, loaded: true }));
        }
      },

      moveList(entity, move) {
        update(entity, (l) => {
          const next = moveCursor({ cursor: l.cursor, offset: l.offset, total: l.total, pageSize: pageSize() }, move);
          const under = l.rows[next.cursor - l.rowsOffset];
          return { ...l, cursor: next.cursor, offset: next.offset, cursorId: under ? rowId(entity, under) : null };
        });
      },

      toggleMark(entity) {
        const row = get().currentRow(entity);
        if (!row) return;
        const id = rowId(entity, row);
        update(entity, (l) => {
          const marked = { ...l.marked };
          const markedRows = { ...l.markedRows } as Record<string, RowTypes[EntityName]>;
          if (id in marked) {
            delete marked[id];
            delete markedRows[id];
          } else {
            marked[id] = rowLabel(entity, row);
            markedRows[id] = row;
          }
          return { ...l, marked, markedRows: markedRows as typeof l.markedRows };
        });
        // Marking moves on, so Space Space Space marks three rows.
        get().moveList(entity, { type: 'down' });
      },

      clearMarks(entity) {
        update(entity, (l) => (Object.keys(l.marked).length === 0 ? l : { ...l, marked: {}, markedRows: {} }));
      },

      currentRow<E extends EntityName>(entity: E) {
        const l = get().lists[entity] as ListState<E>;
        return l.rows[l.cursor - l.rowsOffset];
      },

      targetRows<E extends EntityName>(entity: E) {
        const l = get().lists[entity] as ListState<E>;
        const marked = Object.values(l.markedRows) as RowTypes[E][];
        if (marked.length > 0) return marked;
        const row = get().currentRow(entity);
        return row ? [row] : [];
      },

      listSpec(entity) {
        const l = get().lists[entity];
        return {
          entity,
          filter: l.filter,
          ...(l.sort ? { sort: l.sort } : {}),
          window: { offset: l.offset, limit: pageSize() },
        };
      },
    };
  };
}

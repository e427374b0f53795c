/**
 * The properties page on top of the current screen: its details fetched from the daemon (phones.get,
 * users.get, tokens.get, or the administrator's row), the cursor over its items, and whether the record is
 * gone (deleted here or by another administrator). Details are fetched again when a watched view changes.
 *
 * Local edits (an optimistic reorder) bump `generation`, so a fetch that started before them cannot put the
 * old state back when it returns late.
 */
import type { StateCreator } from 'zustand/vanilla';
import { isFactordeskError } from '../../src/errors.js';
import type { AdminRow, UserDetail } from '../../src/rpc/contract.js';
import { detailItems, itemId, type DetailData, type DetailItem } from './detail-items.js';
import { moveCursor, scrollTo, type ListMove } from './list-movement.js';
import { pageRows } from '../layout.js';
import { pageKey, type Page } from './types.js';
import type { AppDeps, AppState } from './store.js';

export interface DetailState {
  key: string | null;
  data: DetailData | null;
  error: string | null;
  /** The record no longer exists. */
  gone: boolean;
  cursor: number;
  offset: number;
  generation: number;
}

export interface DetailSlice {
  detail: DetailState;
  /** Fetches the details of the top page (again). */
  loadDetail(): Promise<void>;
  resetDetail(): void;
  moveDetail(move: ListMove, pageSize: number): void;
  detailItems(): DetailItem[];
  currentItem(): DetailItem | undefined;
  /** Replaces the shown user details (optimistic edits), invalidating fetches in flight. */
  setUserDetail(user: UserDetail, cursor?: number): void;
}

const EMPTY: DetailState = { key: null, data: null, error: null, gone: false, cursor: 0, offset: 0, generation: 0 };

/** Fetches what a page shows. */
async function fetchDetail(deps: AppDeps, page: Page): Promise<DetailData | null> {
  const { client } = deps;
  switch (page.kind) {
    case 'device':
      return { kind: 'device', device: await client.request('phones.get', { phone: page.phoneId }) };
    case 'user':
      return { kind: 'user', user: await client.request('users.get', { user: page.userId }) };
    case 'token':
      return { kind: 'token', token: await client.request('tokens.get', { token: page.tokenId }) };
    case 'admin': {
      const result = await client.request('view.query', { entity: 'admins', filter: `id:=${page.adminId}`, window: { offset: 0, limit: 1 } });
      const admin = result.rows[0] as AdminRow | undefined;
      return admin ? { kind: 'admin', admin } : null;
    }
  }
}

/** The detail slice. */
export function detailSlice(deps: AppDeps): StateCreator<AppState, [], [], DetailSlice> {
  return (set, get) => ({
    detail: EMPTY,

    async loadDetail() {
      const page = get().topPage();
      if (!page) return;
      const key = pageKey(page);
      const generation = get().detail.generation;
      let data: DetailData | null = null;
      let error: string | null = null;
      let gone = false;
      try {
        data = await fetchDetail(deps, page);
        gone = data === null;
      } catch (e) {
        if (isFactordeskError(e) && e.code === 'NOT_FOUND') gone = true;
        else error = isFactordeskError(e) ? e.userMessage : String(e);
      }
      const now = get().detail;
      const top = get().topPage();
      if (!top || pageKey(top) !== key || now.generation !== generation) return;
      const same = now.key === key;
      const items = detailItems(data, get().role);
      // The cursor stays on its item when another administrator's change moves it.
      const under = same ? get().currentItem() : undefined;
      const followed = under ? items.findIndex((i) => itemId(i) === itemId(under)) : -1;
      const cursor = followed >= 0 ? followed : same ? Math.min(now.cursor, Math.max(0, items.length - 1)) : 0;
      const offset = scrollTo(cursor, same ? now.offset : 0, items.length, pageRows(get().size));
      set({ detail: { ...now, key, data, error, gone, cursor, offset } });
    },

    resetDetail() {
      set({ detail: { ...EMPTY, generation: get().detail.generation + 1 } });
    },

    moveDetail(move, pageSize) {
      const d = get().detail;
      const total = get().detailItems().length;
      const next = moveCursor({ cursor: d.cursor, offset: d.offset, total, pageSize }, move);
      set({ detail: { ...d, cursor: next.cursor, offset: next.offset } });
    },

    detailItems() {
      return detailItems(get().detail.data, get().role);
    },

    currentItem() {
      return get().detailItems()[get().detail.cursor];
    },

    setUserDetail(user, cursor) {
      const d = get().detail;
      const at = cursor ?? d.cursor;
      const count = detailItems({ kind: 'user', user }, get().role).length;
      const offset = scrollTo(at, d.offset, count, pageRows(get().size));
      set({ detail: { ...d, data: { kind: 'user', user }, cursor: at, offset, generation: d.generation + 1 } });
    },
  });
}

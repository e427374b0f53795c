/** State of the placeholder device list: a zustand vanilla store fed by one daemon view subscription. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DeviceRow, ViewUpdate } from '../../src/rpc/contract.js';
import type { DaemonClient } from '../rpc-client-types.js';

export interface DeviceListState {
  filter: string;
  error: string;
  total: number;
  offset: number;
  rows: DeviceRow[];
  cursor: number;
  pageSize: number;
  setFilter(filter: string): void;
  setPageSize(rows: number): void;
  move(delta: number): void;
  stop(): void;
}

/** Creates the store and its subscription; rows outside the window never cross the socket. */
export function createDeviceListStore(client: DaemonClient, initialFilter: string): StoreApi<DeviceListState> {
  let subscriptionId: string | undefined;
  let requested = 0;

  return createStore<DeviceListState>()((set, get) => {
    const spec = () => ({
      entity: 'devices' as const,
      filter: get().filter,
      window: { offset: get().offset, limit: get().pageSize },
    });
    const accept = (update: ViewUpdate) => {
      set({
        total: update.total,
        rows: update.rows as DeviceRow[],
        error: '',
        cursor: Math.min(get().cursor, Math.max(0, update.total - 1)),
      });
    };
    const refresh = () => {
      const ticket = ++requested;
      const request = subscriptionId
        ? client.request('view.update', { subscriptionId, spec: spec() })
        : client.request('view.subscribe', spec());
      request.then(
        (update) => {
          subscriptionId = update.subscriptionId;
          if (ticket === requested) accept(update);
        },
        (err: unknown) => {
          if (ticket === requested) set({ error: err instanceof Error ? err.message : String(err) });
        },
      );
    };
    client.onViewChanged((update) => {
      if (update.subscriptionId === subscriptionId) accept(update);
    });
    client.onClose(() => set({ error: 'The daemon went away; restart factordesk.' }));
    queueMicrotask(refresh);
    return {
      filter: initialFilter,
      error: '',
      total: 0,
      offset: 0,
      rows: [],
      cursor: 0,
      pageSize: 20,
      setFilter(filter) {
        set({ filter, offset: 0, cursor: 0 });
        refresh();
      },
      setPageSize(pageSize) {
        if (pageSize !== get().pageSize) {
          set({ pageSize });
          refresh();
        }
      },
      move(delta) {
        const { cursor, total, offset, pageSize } = get();
        const next = Math.max(0, Math.min(total - 1, cursor + delta));
        let nextOffset = offset;
        if (next < offset) nextOffset = next;
        if (next >= offset + pageSize) nextOffset = next - pageSize + 1;
        set({ cursor: next, offset: nextOffset });
        if (nextOffset !== offset) refresh();
      },
      stop() {
        if (subscriptionId) void client.request('view.unsubscribe', { subscriptionId }).catch(() => undefined);
      },
    };
  });
}

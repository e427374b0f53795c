/**
 * Keeps a properties page current: loads its details when the page opens, and again whenever a daemon view
 * that shows the record pushes a change (another administrator's edit, or this one's). The watched views
 * are narrowed to the record (`id:=…`, `user:=…`) and their windows are small.
 */
import { useEffect } from 'react';
import type { ViewSpec } from '../../src/rpc/contract.js';
import { filterValue } from '../state/dialog-slice.js';
import { pageKey, type Page } from '../state/types.js';
import { useAppStore, useStoreApi } from './use-app-store.js';
import { useViewSubscription } from './use-view-subscription.js';

/** The views whose changes mean the page's details changed. */
export function watchSpecs(page: Page, username: string | undefined): (ViewSpec | null)[] {
  const small = { offset: 0, limit: 50 };
  switch (page.kind) {
    case 'device':
      return [{ entity: 'devices', filter: `id:=${page.phoneId}`, window: small }, null, null, null];
    case 'user': {
      const who = username ? `user:=${filterValue(username)}` : null;
      return [
        { entity: 'users', filter: `id:=${page.userId}`, window: small },
        who ? { entity: 'devices', filter: who, window: small } : null,
        who ? { entity: 'tokens', filter: who, window: small } : null,
        who ? { entity: 'u2f', filter: who, window: small } : null,
      ];
    }
    case 'token':
      return [{ entity: 'tokens', filter: `serial:=${filterValue(page.tokenId)}`, window: small }, { entity: 'tokens', filter: `id:=${page.tokenId}`, window: small }, null, null];
    case 'admin':
      return [{ entity: 'admins', filter: `id:=${page.adminId}`, window: small }, null, null, null];
  }
}

/** See the file comment. */
export function useDetailWatch(page: Page): void {
  const store = useStoreApi();
  const key = pageKey(page);
  const username = useAppStore((s) => (s.detail.data?.kind === 'user' ? s.detail.data.user.user.username : undefined));
  const loadedKey = useAppStore((s) => s.detail.key);
  const canWatch = useAppStore((s) => s.connection === 'connected');

  useEffect(() => {
    if (loadedKey !== key) void store.getState().loadDetail();
  }, [key, loadedKey, store]);

  const reload = {
    onUpdate: (_u: unknown, cause: 'reply' | 'push') => {
      if (cause === 'push') void store.getState().loadDetail();
    },
    onError: () => undefined,
  };
  const specs = canWatch ? watchSpecs(page, username) : [null, null, null, null];
  useViewSubscription(specs[0] ?? null, reload);
  useViewSubscription(specs[1] ?? null, reload);
  useViewSubscription(specs[2] ?? null, reload);
  useViewSubscription(specs[3] ?? null, reload);
}

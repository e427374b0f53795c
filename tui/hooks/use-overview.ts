/** Keeps the replica's user, device and token counts live with window-less subscriptions (no rows cross). */
import { OVERVIEW_ENTITIES } from '../state/overview-slice.js';
import { entityViewAction } from '../../src/roles.js';
import { useAppStore, useStoreApi } from './use-app-store.js';
import { useViewSubscription } from './use-view-subscription.js';
import type { EntityName } from '../../src/rpc/contract.js';

function useCount(entity: EntityName): void {
  const store = useStoreApi();
  const allowed = useAppStore((s) => s.denied(entityViewAction(entity)) === undefined);
  useViewSubscription(allowed ? { entity, window: { offset: 0, limit: 0 } } : null, {
    onUpdate: (u) => store.getState().setCount(entity, u.total),
  });
}

/** See the file comment. */
export function useOverview(): void {
  const [users, devices, tokens] = OVERVIEW_ENTITIES;
  useCount(users);
  useCount(devices);
  useCount(tokens);
}

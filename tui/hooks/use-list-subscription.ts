/** Feeds one list screen's state from its daemon view: only the visible window crosses the socket. */
import type { EntityName } from '../../src/rpc/contract.js';
import { useAppStore, useStoreApi } from './use-app-store.js';
import { useViewSubscription } from './use-view-subscription.js';

/** Subscribes to the list of `entity` with its filter, sort and window; `enabled` false sends nothing. */
export function useListSubscription(entity: EntityName, enabled: boolean): void {
  const store = useStoreApi();
  const spec = useAppStore((s) => (enabled ? JSON.stringify(s.listSpec(entity)) : ''));
  useViewSubscription(spec ? JSON.parse(spec) : null, {
    onUpdate: (update) => store.getState().applyListUpdate(entity, update),
    onError: (error) => store.getState().listRefused(entity, error),
  });
}

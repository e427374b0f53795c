/**
 * Feeds one list screen's state from its daemon view: only the visible window crosses the socket.
 *
 * The view follows the store, not React: a store listener sends the new spec in the same call that changed it
 * (a filter keystroke's request leaves from the key handler, before any frame is drawn), and a spec change
 * renders nothing by itself; the answer does (see lists-slice.ts).
 */
import { useEffect } from 'react';
import type { EntityName } from '../../src/rpc/contract.js';
import { ViewSubscription } from '../state/view-subscription.js';
import { useClient, useStoreApi } from './use-app-store.js';

/** Subscribes to the list of `entity` with its filter, sort and window; `enabled` false sends nothing. */
export function useListSubscription(entity: EntityName, enabled: boolean): void {
  const store = useStoreApi();
  const client = useClient();
  useEffect(() => {
    if (!enabled) return undefined;
    const sub = new ViewSubscription(client, {
      onUpdate: (update, _cause, spec) => store.getState().applyListUpdate(entity, update, spec),
      onError: (error, spec) => store.getState().listRefused(entity, error, spec),
    });
    // The spec is rebuilt on every store change; ViewSubscription sends it only when it differs from the last.
    const follow = () => sub.set(store.getState().listSpec(entity));
    follow();
    const stop = store.subscribe(follow);
    return () => {
      stop();
      sub.close();
    };
  }, [store, client, entity, enabled]);
}

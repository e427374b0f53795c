/**
 * Subscribes to a daemon view while the component is mounted and keeps the subscription's spec in step with
 * `spec` (a filter keystroke or a scroll sends `view.update`); every reply and push goes to `onUpdate`.
 * A null spec sends nothing (the view is not wanted yet).
 */
import { useEffect, useRef } from 'react';
import type { ViewSpec, ViewUpdate } from '../../src/rpc/contract.js';
import { ViewSubscription } from '../state/view-subscription.js';
import { useClient } from './use-app-store.js';

export interface ViewSubscriptionCallbacks {
  onUpdate(update: ViewUpdate, cause: 'reply' | 'push', spec: ViewSpec): void;
  onError?(error: unknown, spec: ViewSpec): void;
}

/** See the file comment. */
export function useViewSubscription(spec: ViewSpec | null, callbacks: ViewSubscriptionCallbacks): void {
  const client = useClient();
  const latest = useRef(callbacks);
  latest.current = callbacks;
  const sub = useRef<ViewSubscription | null>(null);

  useEffect(() => {
    const s = new ViewSubscription(client, {
      onUpdate: (u, cause, sp) => latest.current.onUpdate(u, cause, sp),
      onError: (e, sp) => latest.current.onError?.(e, sp),
    });
    sub.current = s;
    return () => {
      s.close();
      sub.current = null;
    };
  }, [client]);

  const key = spec ? JSON.stringify(spec) : '';
  useEffect(() => {
    if (spec) sub.current?.set(spec);
    // The key stands for the spec: a new object with the same content sends nothing.
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
}

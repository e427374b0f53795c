/** Follows the daemon's sync status while the app is mounted (see state/sync-watch.ts) and feeds the session. */
import { useEffect } from 'react';
import { SyncWatch } from '../state/sync-watch.js';
import { useClient, useStoreApi } from './use-app-store.js';

/** See the file comment. */
export function useSyncWatch(): void {
  const client = useClient();
  const store = useStoreApi();
  useEffect(() => {
    const watch = new SyncWatch(client, {
      onStatus: (status) => store.getState().applySyncStatus(status),
      onError: (error) => store.getState().syncStatusFailed(error),
    });
    watch.start();
    return () => watch.close();
  }, [client, store]);
}

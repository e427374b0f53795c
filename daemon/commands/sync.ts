/** The sync methods of the RPC: where sync stands, the recorded conflicts, and a reload after `login`. */
import { invalid } from '../../src/errors.js';
import type { SyncController } from '../sync.js';
import type { RpcHandlers } from '../rpc-server.js';

const MAX_CONFLICTS = 10_000;

/** The `sync.*` handlers over the daemon's sync controller. */
export function syncCommands(sync: SyncController): Pick<RpcHandlers, 'sync.status' | 'sync.conflicts' | 'sync.reload'> {
  return {
    'sync.status': async () => sync.status(),
    'sync.conflicts': async ({ limit } = {}) => {
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_CONFLICTS)) {
        throw invalid(`The limit must be a whole number from 1 to ${MAX_CONFLICTS}.`);
      }
      return sync.conflictRecords(limit);
    },
    'sync.reload': async () => sync.reload(),
  };
}

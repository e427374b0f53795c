/**
 * Who is working and over what connection: the identity and role from the daemon's hello, whether the daemon
 * connection is up, and the hub state. There is no hub yet (it arrives in a later issue), so the hub is
 * "local only" and everything that needs one says so through `hubReason`.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { Role } from '../../src/domain/enums.js';
import type { Hello } from '../../src/rpc/contract.js';
import { deniedReason, type Action } from '../../src/roles.js';
import type { AppState, AppDeps } from './store.js';

/** What the TUI knows of the hub; only `none` exists until the hub issue lands. */
export type HubStatus = { state: 'none' };

/** Why hub-only features (resync, activation, conflicts, sync state) are unavailable. */
export const NO_HUB_REASON = 'Needs a hub: this daemon is local only (no hub is configured yet)';
export const CONNECTION_LOST_REASON = 'The connection to the daemon was lost; restart factordesk';

export interface SessionSlice {
  hello: Hello;
  role: Role;
  connection: 'connected' | 'lost';
  hub: HubStatus;
  /** Edits waiting for the hub; null while there is no hub to queue for. */
  queuedEdits: number | null;
  /** Unresolved conflicts; null while there is no hub. */
  unresolvedConflicts: number | null;
  /** Why the session may not perform an action now (role, lost connection), or undefined. */
  denied(action: Action): string | undefined;
  /** Why hub-only features are unavailable, or undefined once a hub is connected. */
  hubReason(): string | undefined;
  connectionLost(): void;
}

/** The session slice over the daemon's hello. */
export function sessionSlice(deps: AppDeps): StateCreator<AppState, [], [], SessionSlice> {
  return (set, get) => ({
    hello: deps.client.hello,
    role: deps.client.hello.identity.role,
    connection: 'connected',
    hub: { state: 'none' },
    queuedEdits: null,
    unresolvedConflicts: null,
    denied(action) {
      if (get().connection === 'lost') return CONNECTION_LOST_REASON;
      return deniedReason(get().role, action);
    },
    hubReason() {
      return get().hub.state === 'none' ? NO_HUB_REASON : undefined;
    },
    connectionLost() {
      if (get().connection === 'lost') return;
      set({ connection: 'lost' });
      get().showFlash(CONNECTION_LOST_REASON, 'error');
    },
  });
}

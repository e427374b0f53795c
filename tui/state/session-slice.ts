/**
 * Who is working and over what connection: the identity and role (from the daemon's hello, then from its sync
 * status, which follows the hub's word on roles), whether the daemon connection is up, and where the daemon's sync
 * with its hub stands: online, offline (with why) or local only, queued edits, unresolved conflicts. Changes the hub
 * refused are told once on the message line.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { Role } from '../../src/domain/enums.js';
import type { Hello, Identity, SyncRefusal, SyncState, SyncStatus } from '../../src/rpc/contract.js';
import { deniedReason, type Action } from '../../src/roles.js';
import { errorMessage } from './feedback.js';
import type { AppState, AppDeps } from './store.js';

/** What the TUI knows of the hub: nothing yet, or the daemon's last word on it. */
export type HubStatus =
  | { state: 'unknown' }
  | { state: SyncState; origin: string | null; local: boolean; message?: string };

/** Why hub-only features (resync, activation, conflicts) are unavailable without a hub. */
export const NO_HUB_REASON = 'Needs a hub: this daemon is local only (connect one with `factordesk login`)';
export const HUB_UNKNOWN_REASON = 'The sync state is not known yet';
export const CONNECTION_LOST_REASON = 'The connection to the daemon was lost; restart factordesk';

export interface SessionSlice {
  hello: Hello;
  /** Who the daemon acts as: the hello's identity until the sync status says otherwise. */
  identity: Identity;
  role: Role;
  connection: 'connected' | 'lost';
  hub: HubStatus;
  /** The daemon's last sync status, or null before the first. */
  sync: SyncStatus | null;
  /** Why the sync status could not be read, if the last attempt failed. */
  syncError: string | null;
  /** Edits waiting for the hub; null while there is no hub to queue for (or the state is not known yet). */
  queuedEdits: number | null;
  /** Conflicts that lost a side and nobody settled; null while there is no hub. */
  unresolvedConflicts: number | null;
  /** Why the session may not perform an action now (role, lost connection), or undefined. */
  denied(action: Action): string | undefined;
  /** Why hub-only features are unavailable, or undefined when a hub is configured (online or not). */
  hubReason(): string | undefined;
  /** Takes a sync status from the daemon (a reply or a push). */
  applySyncStatus(status: SyncStatus): void;
  syncStatusFailed(error: unknown): void;
  connectionLost(): void;
}

/** The hub part of a status. */
function hubOf(status: SyncStatus): HubStatus {
  const hub: HubStatus = { state: status.state, origin: status.hub, local: status.local };
  if (status.message !== undefined) hub.message = status.message;
  return hub;
}

/** The refusals in `next` not in `previous` (newest first), by time and record. */
export function newRefusals(previous: readonly SyncRefusal[], next: readonly SyncRefusal[], since: number): SyncRefusal[] {
  const seen = new Set(previous.map((r) => `${r.time}|${r.collection}|${r.id}`));
  return next.filter((r) => r.time >= since && !seen.has(`${r.time}|${r.collection}|${r.id}`));
}

const COLLECTION_WORDS: Record<string, string> = { phones: 'device', users: 'user', tokens: 'token', u2f: 'U2F registration', admins: 'administrator' };

/** One line about a refused change. */
export function refusalText(r: SyncRefusal): string {
  return `The hub refused a change to ${COLLECTION_WORDS[r.collection] ?? r.collection} ${r.id}: ${r.reason} (rolled back here).`;
}

/** The session slice over the daemon's hello. */
export function sessionSlice(deps: AppDeps): StateCreator<AppState, [], [], SessionSlice> {
  // Refusals from before this session were shown (or not) by whoever was working then.
  const since = deps.now();
  return (set, get) => ({
    hello: deps.client.hello,
    identity: deps.client.hello.identity,
    role: deps.client.hello.identity.role,
    connection: 'connected',
    hub: { state: 'unknown' },
    sync: null,
    syncError: null,
    queuedEdits: null,
    unresolvedConflicts: null,
    denied(action) {
      if (get().connection === 'lost') return CONNECTION_LOST_REASON;
      return deniedReason(get().role, action);
    },
    hubReason() {
      const { hub } = get();
      if (hub.state === 'unknown') return HUB_UNKNOWN_REASON;
      return hub.state === 'local-only' ? NO_HUB_REASON : undefined;
    },
    applySyncStatus(status) {
      const before = get().sync;
      const withHub = status.state !== 'local-only';
      const { identity } = get();
      const sameIdentity =
        identity.admin_id === status.identity.admin_id && identity.name === status.identity.name && identity.role === status.identity.role;
      set({
        sync: status,
        syncError: null,
        hub: hubOf(status),
        queuedEdits: withHub ? status.queued : null,
        unresolvedConflicts: withHub ? status.conflicts : null,
        ...(sameIdentity ? {} : { identity: status.identity, role: status.identity.role }),
      });
      const fresh = newRefusals(before?.refused ?? [], status.refused, since);
      if (fresh.length > 0) {
        const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more: see the Sync screen)` : '';
        get().showFlash(refusalText(fresh[0]!) + more, 'error');
      }
    },
    syncStatusFailed(error) {
      if (get().connection === 'lost') return;
      set({ syncError: errorMessage(error) });
    },
    connectionLost() {
      if (get().connection === 'lost') return;
      set({ connection: 'lost' });
      get().showFlash(CONNECTION_LOST_REASON, 'error');
    },
  });
}

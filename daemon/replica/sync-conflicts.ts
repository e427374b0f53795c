/**
 * How the replica meets what the hub says about its pushes.
 *
 * - Conflicts (the hub had another state): RxDB calls the collection's conflict handler with the new, assumed
 *   and real master states; the conflict policy merges them and every automatic resolution is handed on to be
 *   stored (the `conflicts` collection).
 * - Refusals (role, invariant): the push handler records the refused state here and returns the hub's master
 *   as if it were a conflict; the handler below then answers "the master" for exactly that state, so the
 *   replica goes back to what the hub has. The next push of that document has new = assumed and is dropped
 *   by the push handler: a refused change is never sent again, never retried in a loop.
 */
import type { RxConflictHandler, WithDeleted } from 'rxdb';
import { canonicalJson, createConflictHandler, documentsEqual, type ConflictRecord } from '../../src/conflict-policy.js';
import { ownFields } from '../../src/conflict-policy/values.js';
import { primaryKeyOf } from '../../src/conflict-policy/record.js';
import type { CollectionName, DocTypes } from '../../src/domain/schemas.js';
import type { RefusedChange, SyncedCollection } from '../../src/sync/protocol.js';

/** A refused change as the daemon remembers it and shows it. */
export interface RefusalRecord {
  collection: SyncedCollection;
  id: string;
  code: RefusedChange['code'];
  reason: string;
  /** Epoch ms when the hub refused it. */
  time: number;
}

const MAX_REMEMBERED = 100;

/** The refusals seen (newest last, bounded) and the rollbacks still to be applied. */
export class RefusalLog {
  private readonly records: RefusalRecord[] = [];
  private readonly pending = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Remembers a refusal of `state` (the state that was pushed) so that the handler rolls exactly it back. */
  record(collection: SyncedCollection, refusal: RefusedChange, state: object): RefusalRecord {
    const record: RefusalRecord = { collection, id: refusal.id, code: refusal.code, reason: refusal.reason, time: this.now() };
    this.records.push(record);
    if (this.records.length > MAX_REMEMBERED) this.records.splice(0, this.records.length - MAX_REMEMBERED);
    this.pending.set(key(collection, refusal.id), stateKey(state));
    return record;
  }

  /** True (once) when `state` of `id` is a refused state waiting to be rolled back. */
  takeRollback(collection: CollectionName, id: string, state: object): boolean {
    const k = key(collection, id);
    const refused = this.pending.get(k);
    if (refused === undefined || refused !== stateKey(state)) return false;
    this.pending.delete(k);
    return true;
  }

  /** The refusals, newest first. */
  list(): RefusalRecord[] {
    return [...this.records].reverse();
  }
}

function key(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}

function stateKey(state: object): string {
  return canonicalJson({ ...ownFields(state), _deleted: (state as { _deleted?: unknown })._deleted === true });
}

/** What the handlers need from the daemon, read at each resolution (the identity can change after whoami). */
export interface ConflictHooks {
  refusals: RefusalLog;
  /** Every automatic resolution, to store and show. */
  onConflicts(records: ConflictRecord[]): void;
  /** The administrator of this replica, written into each record. */
  adminId(): string | undefined;
}

/** The RxDB conflict handler of one collection: rollbacks of refused changes first, then the conflict policy. */
export function syncConflictHandler<K extends CollectionName>(collection: K, hooks: ConflictHooks): RxConflictHandler<DocTypes[K]> {
  const idField = primaryKeyOf(collection);
  return {
    isEqual: (a, b) => documentsEqual(a, b),
    resolve: (input, context) => {
      const id = String((input.newDocumentState as Record<string, unknown>)[idField]);
      if (hooks.refusals.takeRollback(collection, id, input.newDocumentState)) {
        return Promise.resolve(input.realMasterState as WithDeleted<DocTypes[K]>);
      }
      const adminId = hooks.adminId();
      const handler = createConflictHandler(collection, (records) => hooks.onConflicts(records), adminId === undefined ? {} : { adminId });
      return handler.resolve(input, context);
    },
  };
}

/** One handler per replicated collection, for openReplica. */
export function syncConflictHandlers(hooks: ConflictHooks): { [K in CollectionName]: RxConflictHandler<DocTypes[K]> } {
  return {
    users: syncConflictHandler('users', hooks),
    phones: syncConflictHandler('phones', hooks),
    tokens: syncConflictHandler('tokens', hooks),
    u2f: syncConflictHandler('u2f', hooks),
    admins: syncConflictHandler('admins', hooks),
    audit: syncConflictHandler('audit', hooks),
    requests: syncConflictHandler('requests', hooks),
  };
}

/**
 * Live replication of the replica with a hub: one RxDB `replicateRxCollection` per synced collection.
 *
 * - Pull: by checkpoint (`{seq}`) through the transport; the hub's `_hubRev` is dropped on arrival, so the
 *   replica holds only schema fields and the assumed master states sent back are compared by content.
 * - Push: rows with their assumed master state; the hub's conflicts go to the collection's conflict handler
 *   (three-way merge, see sync-conflicts.ts); refused rows are recorded and returned as conflicts whose
 *   "master" is what the replica must go back to (the hub's document, or a tombstone when it has none).
 *   Rows whose new state equals the assumed one are not sent: nothing changed, and that is how a rolled-back
 *   refusal settles without being pushed again.
 * - Stream: the transport's live stream; a (re)connect, a RESYNC or a change of the collection makes RxDB
 *   pull since its checkpoint (and re-check what is left to push).
 * - Offline: a failed request waits (capped exponential backoff, cut short when the stream reconnects) and is
 *   retried by RxDB. Unpushed edits live in the replica itself: RxDB's upstream checkpoint only moves past an
 *   edit once the hub took it, so they are pushed after a restart too.
 *
 * Checkpoints and assumed master states are kept by RxDB in meta instances of the same storage (the replica's
 * SQLite file) under an identifier derived from the hub, so they persist across restarts.
 */
import { createHash } from 'node:crypto';
import { Subject, filter, map, type Observable, type Subscription } from 'rxjs';
import {
  type RxCollection,
  type RxDocumentData,
  type RxReplicationPullStreamItem,
  type RxReplicationWriteToMasterRow,
  type WithDeleted,
} from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { documentsEqual } from '../../src/conflict-policy.js';
import { primaryKeyOf } from '../../src/conflict-policy/record.js';
import type { DocTypes } from '../../src/domain/schemas.js';
import {
  SYNCED_COLLECTIONS,
  type Checkpoint,
  type PushRow,
  type RefusedChange,
  type SyncedCollection,
  type WireDoc,
} from '../../src/sync/protocol.js';
import type { HubTransport } from '../hub-client.js';
import type { Logger } from '../logger.js';
import type { Replica } from './database.js';
import type { RefusalLog, RefusalRecord } from './sync-conflicts.js';

/** Collections the daemon only pulls: the hub writes them. */
export const PULL_ONLY: ReadonlySet<SyncedCollection> = new Set<SyncedCollection>(['audit']);

export interface StartReplicationOptions {
  replica: Replica;
  transport: HubTransport;
  /** Identifies the hub (its URL and id): checkpoints are kept per hub, and a new hub starts from scratch. */
  hubKey: string;
  refusals: RefusalLog;
  log: Logger;
  collections?: readonly SyncedCollection[];
  pullBatchSize?: number;
  pushBatchSize?: number;
  /** After pulled documents were written to the replica (debounced per collection by the caller if needed). */
  onPulled?(collection: SyncedCollection, ids: string[]): void;
  /** After the hub refused a change (already recorded in `refusals`). */
  onRefused?(record: RefusalRecord): void;
  /** After each answered pull or push. */
  onExchange?(): void;
}

/** The running replication of every synced collection. */
export interface ReplicationHandle {
  readonly hubKey: string;
  /** Edits in the replica that the hub has not acknowledged yet. */
  queued(): number;
  /** Resolves when every collection has pulled and pushed what there was when it was called. */
  awaitInSync(): Promise<void>;
  /** Asks every collection to pull since its checkpoint now. */
  resync(): void;
  /** Stops replicating (the checkpoints stay); idempotent. */
  stop(): Promise<void>;
}

type AnyState = RxReplicationState<DocTypes[SyncedCollection], Checkpoint>;

/**
 * A stable, short identifier for the replication with one hub, from the hub's id: hub processes sharing one
 * database share it (their checkpoints are one sequence), and the local hub keeps it when its port changes.
 */
export function replicationIdentifier(hubId: string): string {
  return 'hub-' + createHash('sha256').update(hubId).digest('hex').slice(0, 24);
}

/** A pulled or conflicting document without the hub's own fields (`_hubRev`): what the replica stores. */
export function toReplicaState<T extends object>(doc: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key === '_deleted' || !key.startsWith('_')) out[key] = value;
  }
  out._deleted = (doc as { _deleted?: unknown })._deleted === true;
  return out as T;
}

/** The rows worth sending: a row whose new state is its assumed master state changes nothing at the hub. */
export function rowsToSend<T>(rows: readonly RxReplicationWriteToMasterRow<T>[]): RxReplicationWriteToMasterRow<T>[] {
  return rows.filter((row) => !(row.assumedMasterState && documentsEqual(row.assumedMasterState, row.newDocumentState)));
}

/**
 * What RxDB must treat as the master states of a push: the hub's conflicts, and for each refused row the
 * state to go back to (the hub's document, or the pushed one deleted when the hub has none). Refusals are
 * recorded in `refusals` first, so the conflict handler recognizes them.
 */
export function pushOutcome<T extends object>(
  collection: SyncedCollection,
  sent: readonly RxReplicationWriteToMasterRow<T>[],
  response: { conflicts: readonly object[]; refused: readonly RefusedChange[] },
  refusals: RefusalLog,
): { masters: WithDeleted<T>[]; refused: RefusalRecord[] } {
  const idField = primaryKeyOf(collection);
  const masters = response.conflicts.map((doc) => toReplicaState(doc) as WithDeleted<T>);
  const refused: RefusalRecord[] = [];
  for (const refusal of response.refused) {
    const row = sent.find((r) => String((r.newDocumentState as Record<string, unknown>)[idField]) === refusal.id);
    // The hub can only refuse what was sent; anything else is ignored rather than trusted.
    if (!row) continue;
    refused.push(refusals.record(collection, refusal, row.newDocumentState));
    const master = refusal.master ? toReplicaState(refusal.master as object) : { ...toReplicaState(row.newDocumentState), _deleted: true };
    masters.push(master as WithDeleted<T>);
  }
  return { masters, refused };
}

/** Starts replicating every synced collection with the hub behind `transport`. */
export function startReplication(options: StartReplicationOptions): ReplicationHandle {
  const { replica, transport, refusals, log } = options;
  const names = options.collections ?? SYNCED_COLLECTIONS;
  const states = new Map<SyncedCollection, AnyState>();
  const subscriptions: Subscription[] = [];
  const resyncs = new Subject<void>();
  const settled = new Map<string, string>();

  for (const name of names) {
    const collection = replica.collections[name] as unknown as RxCollection<DocTypes[SyncedCollection]>;
    const idField = primaryKeyOf(name);
    const stream$: Observable<RxReplicationPullStreamItem<DocTypes[SyncedCollection], Checkpoint>> = new Subject<'RESYNC'>();
    const state = replicateRxCollection<DocTypes[SyncedCollection], Checkpoint>({
      replicationIdentifier: `${options.hubKey}-${name}`,
      collection,
      live: true,
      // The handlers wait out their own backoff before failing, so RxDB's fixed wait can be short.
      retryTime: 20,
      waitForLeadership: false,
      autoStart: true,
      pull: {
        batchSize: options.pullBatchSize ?? 500,
        modifier: (doc: WireDoc<DocTypes[SyncedCollection]>) => toReplicaState(doc),
        stream$,
        handler: async (checkpoint, batchSize) => {
          try {
            const response = await transport.pull(name, checkpoint ?? null, batchSize);
            options.onExchange?.();
            return { documents: response.documents, checkpoint: response.checkpoint ?? checkpoint };
          } catch (e) {
            log.debug({ err: e, collection: name }, 'pull failed; retrying');
            await transport.waitBeforeRetry();
            throw e;
          }
        },
      },
      ...(PULL_ONLY.has(name)
        ? {}
        : {
            push: {
              batchSize: options.pushBatchSize ?? 200,
              handler: async (rows: RxReplicationWriteToMasterRow<DocTypes[SyncedCollection]>[]) => {
                const sent = rowsToSend(rows);
                if (sent.length === 0) return [];
                let response;
                try {
                  response = await transport.push(name, { rows: sent as unknown as PushRow[] });
                } catch (e) {
                  log.debug({ err: e, collection: name, rows: sent.length }, 'push failed; retrying');
                  await transport.waitBeforeRetry();
                  throw e;
                }
                options.onExchange?.();
                const outcome = pushOutcome(name, sent, response, refusals);
                for (const record of outcome.refused) {
                  log.warn({ collection: name, id: record.id, code: record.code, reason: record.reason }, 'the hub refused a change; rolled back');
                  options.onRefused?.(record);
                }
                return outcome.masters;
              },
            },
          }),
    });
    states.set(name, state as unknown as AnyState);

    // Every stream event that can mean "the hub has something new" becomes a pull since the checkpoint.
    subscriptions.push(
      transport.events$
        .pipe(
          filter((event) => event.type === 'open' || event.type === 'RESYNC' || (event.type === 'change' && event.collection === name)),
          map(() => 'RESYNC' as const),
        )
        .subscribe(stream$ as Subject<'RESYNC'>),
      resyncs.subscribe(() => (stream$ as Subject<'RESYNC'>).next('RESYNC')),
      state.received$.subscribe((doc) => {
        options.onPulled?.(name, [String((doc as Record<string, unknown>)[idField])]);
      }),
      state.error$.subscribe((err) => {
        // Request failures are logged by the handlers; these are RxDB's own (a write the replica refused…).
        const code = (err as { code?: string }).code;
        if (code !== 'RC_PULL' && code !== 'RC_PUSH') log.warn({ err, collection: name }, 'replication error');
      }),
    );
  }

  let stopping: Promise<void> | undefined;
  return {
    hubKey: options.hubKey,
    queued: () => countQueued(replica, states, settled),
    async awaitInSync() {
      await Promise.all([...states.values()].map((s) => s.awaitInSync()));
    },
    resync: () => resyncs.next(),
    stop() {
      stopping ??= (async () => {
        for (const s of subscriptions) s.unsubscribe();
        await Promise.all([...states.values()].map((s) => s.cancel()));
      })();
      return stopping;
    },
  };
}

/**
 * Edits not yet acknowledged by the hub: documents whose state differs from the master state RxDB recorded for
 * them (or that have none recorded). A record written after the document's last write settles it at once (a
 * push records the state after the hub took it); otherwise the two states are compared (a pulled document is
 * written just after its record), and that answer is kept until either changes, so a status line over a large
 * replica compares each document once, not at every call.
 */
function countQueued(replica: Replica, states: ReadonlyMap<SyncedCollection, AnyState>, settled: Map<string, string>): number {
  let queued = 0;
  for (const [name, state] of states) {
    if (PULL_ONLY.has(name) || !state.metaInstance) continue;
    const fork = replica.storedStates(state.collection.name, state.collection.schema.version);
    const meta = replica.storedStates(state.metaInstance.collectionName, state.metaInstance.schema.version);
    if (!fork) continue;
    for (const [id, doc] of fork) {
      const recorded = meta?.get(`${id}|0`) as RxDocumentData<{ docData: object }> | undefined;
      if (!recorded) {
        queued++;
        continue;
      }
      if (recorded._meta.lwt >= doc._meta.lwt) continue;
      const key = `${name}\u0000${id}`;
      const revisions = `${doc._rev} ${recorded._rev}`;
      if (settled.get(key) === revisions) continue;
      if (documentsEqual(recorded.docData, doc)) settled.set(key, revisions);
      else queued++;
    }
  }
  return queued;
}

/**
 * Measurement 4: the initial sync of a seeded hub into an empty daemon over loopback HTTPS (self-signed hub,
 * certificate pinned). The empty data directory is logged in to the hub first (see sync-daemon.ts `login`), then
 * `factordesk daemon start` starts the daemon, which replicates from its start. The clock starts when the daemon
 * opened its service (`session.hello`'s startedAt: before the empty replica is opened and replication begins)
 * and stops when the last seeded document of every collection is in the daemon's read model, i.e. answerable to
 * a client. (Starting first and logging in after would not do: a daemon without a hub makes an administrator
 * record of its own, which it would then push.)
 *
 * The hub pulls in commit order and the seed wrote each collection in order, so the last seeded id of a
 * collection arriving means the whole collection has: cheap lookups (`users.get`, `phones.get`, `tokens.get`)
 * rather than queries that would build the search indexes while the sync runs. U2F and administrators, which
 * have no lookup, are counted with a view of their (small) lists.
 */
import { processMemory } from './daemon-link.js';
import type { BenchHub, HubCredential } from './hub-process.js';
import type { SeedResult, SeededCollection } from './hub-seed.js';
import { monotonicUs, type TimeWindow } from './profile-summary.js';
import type { SyncDaemon } from './sync-daemon.js';
import { until } from './wait.js';

export interface InitialSyncRun {
  daemon: string;
  documents: number;
  /** The daemon's service opened → every collection complete. */
  ms: number;
  /** When each collection was complete, ms after the service opened (to the poll's 50 ms). */
  collectionsMs: Record<SeededCollection, number>;
  /** The `factordesk daemon start` command (spawn, open, answer). */
  startCommandMs: number;
  rssMb: number;
  peakRssMb: number;
  /** The monotonic window of the sync (for profiles). */
  windowUs: TimeWindow;
}

/** Whether the last seeded document of `collection` (or all of a small collection) is in the daemon. */
async function arrived(daemon: SyncDaemon, seed: SeedResult, collection: SeededCollection): Promise<boolean> {
  const last = seed.ids[collection].at(-1);
  if (last === undefined) return true;
  const rpc = daemon.rpc;
  const present = async (lookup: () => Promise<unknown>) => lookup().then(() => true, () => false);
  switch (collection) {
    case 'users':
      return present(() => rpc.request('users.get', { user: last }));
    case 'phones':
      return present(() => rpc.request('phones.get', { phone: last }));
    case 'tokens':
      return present(() => rpc.request('tokens.get', { token: last }));
    case 'u2f':
      return (await rpc.request('view.query', { entity: 'u2f', window: { offset: 0, limit: 0 } })).total >= seed.counts.u2f;
    case 'admins':
      return (await rpc.request('view.query', { entity: 'admins', window: { offset: 0, limit: 0 } })).total >= seed.counts.admins;
  }
}

/**
 * Logs the (empty, stopped) daemon in to the hub, starts it, and times its initial pull. `nodeArgs` reach the
 * daemon process (e.g. --cpu-prof).
 */
export async function measureInitialSync(
  daemon: SyncDaemon,
  hub: BenchHub,
  credential: HubCredential,
  seed: SeedResult,
  options: { timeoutMs: number; nodeArgs?: string[] },
): Promise<InitialSyncRun> {
  const pending = new Set(Object.keys(seed.counts) as SeededCollection[]);
  const collectionsMs = {} as Record<SeededCollection, number>;
  await daemon.login(hub, credential);
  const fromUs = monotonicUs();
  const startCommandMs = await daemon.start(options.nodeArgs ?? []);
  // Epoch milliseconds on both ends: the daemon's clock is this machine's.
  const t0 = daemon.rpc.hello.startedAt;
  await until(
    `the initial sync of daemon ${daemon.name} (${[...pending].join(', ')} incomplete)`,
    async () => {
      for (const collection of [...pending]) {
        if (await arrived(daemon, seed, collection)) {
          collectionsMs[collection] = Date.now() - t0;
          pending.delete(collection);
        }
      }
      return pending.size === 0;
    },
    { timeoutMs: options.timeoutMs, intervalMs: 50 },
  );
  const ms = Date.now() - t0;
  const toUs = monotonicUs();
  const status = await daemon.status();
  if (status.state !== 'online') throw new Error(`daemon ${daemon.name} has the documents but is ${status.state}: ${status.message ?? ''}`);
  const memory = processMemory(daemon.pid);
  const documents = Object.values(seed.counts).reduce((a, b) => a + b, 0);
  return { daemon: daemon.name, documents, ms, collectionsMs, startCommandMs, ...memory, windowUs: { fromUs, toUs } };
}

/**
 * Measurement 5: edits made while the hub is down reach it once it is back. With daemon A online and settled,
 * the hub stops; A renames N devices (`phones.update`, queued in its replica, A keeps retrying with its
 * backoff); the hub starts again. The bench's own signed client pulls from the hub until it has every one of the
 * N edits; the figure is then taken from the hub's audit events of those edits (written in the same commit,
 * stamped with the hub's clock): from the hub's ready line to the last edit accepted. The daemon is not nudged:
 * its own reconnect (capped exponential backoff) is part of what a user waits for, and is reported separately as
 * the time to the first accepted edit.
 */
import { performance } from 'node:perf_hooks';
import type { HubClient } from '../daemon/hub-client.js';
import type { Checkpoint } from '../src/sync/protocol.js';
import type { BenchHub } from './hub-process.js';
import { inParallel } from './in-parallel.js';
import { awaitAccepted, catchUp, commitTimes } from './hub-observer.js';
import { monotonicUs, type TimeWindow } from './profile-summary.js';
import { untilOnline, type SyncDaemon } from './sync-daemon.js';
import { until } from './wait.js';

export interface OfflineFlushRun {
  edits: number;
  /** The hub's ready line → the last edit accepted (its audit time). */
  ms: number;
  /** The hub's ready line → the first edit accepted (A's reconnect wait, mostly). */
  firstMs: number;
  /** The first accepted edit → the last. */
  flushMs: number;
  /** The hub's ready line → the bench's client had pulled every edit. */
  seenMs: number;
  /** Making the edits at A while the hub was down. */
  editingMs: number;
  /** How long the hub was down. */
  hubDownMs: number;
  /** `hub serve` started → ready. */
  hubStartMs: number;
  /** What A reported queued just before the hub came back. */
  queuedBefore: number;
  /** The monotonic window of the timed part (for profiles). */
  windowUs: TimeWindow;
}

export interface OfflineFlushOptions {
  edits: number;
  /** Requests in flight at once while editing (A runs them one after another; this only hides the round trips). */
  concurrency?: number;
  timeoutMs: number;
  /** Node flags for the restarted hub (e.g. --cpu-prof). */
  hubNodeArgs?: string[];
}

/** Stops the hub, edits `phoneIds` at A, starts the hub, and times until the hub has every edit. */
export async function measureOfflineFlush(
  hub: BenchHub,
  a: SyncDaemon,
  observer: HubClient,
  from: Checkpoint | null,
  phoneIds: readonly string[],
  options: OfflineFlushOptions,
): Promise<OfflineFlushRun> {
  const ids = phoneIds.slice(0, options.edits);
  if (ids.length < options.edits) throw new Error(`only ${ids.length} devices to edit, ${options.edits} wanted`);
  await untilOnline(a);
  // The observer starts from what the hub has now, so it pulls only what follows.
  const { checkpoint } = await catchUp(observer, 'phones', from);
  const audit = await catchUp(observer, 'audit', from);
  const stamp = Date.now().toString(36);
  const names = new Map(ids.map((id, i) => [id, `offline ${stamp} ${i + 1}`]));

  await hub.stop();
  const down = performance.now();
  await until('daemon A to notice the hub is down', async () => (await a.status()).state === 'offline', { timeoutMs: 60_000 });
  const t0 = performance.now();
  await inParallel(ids, options.concurrency ?? 8, async (id) => {
    await a.rpc.request('phones.update', { phone: id, name: names.get(id)! });
  });
  const editingMs = performance.now() - t0;
  const queuedBefore = (await a.status()).queued;

  const startingEpoch = Date.now();
  const hubStartMs = await hub.start(options.hubNodeArgs ?? []);
  const ready = performance.now();
  const readyEpoch = Date.now();
  const fromUs = monotonicUs();
  const accepted = await awaitAccepted(
    observer,
    'phones',
    checkpoint,
    new Set(ids),
    (doc) => {
      const id = String(doc['phone_id']);
      return names.get(id) === doc['name'] ? id : undefined;
    },
    { timeoutMs: options.timeoutMs, intervalMs: 25 },
  );
  const toUs = monotonicUs();
  // A may push between the hub listening and the bench reading its ready line: count from before the start.
  const commits = await commitTimes(observer, audit.checkpoint, 'phones', startingEpoch, new Set(ids));
  if (commits.count < ids.length) throw new Error(`the hub audited ${commits.count} of the ${ids.length} edits it serves`);
  await untilOnline(a, options.timeoutMs);
  return {
    edits: ids.length,
    ms: commits.last - readyEpoch,
    firstMs: Math.max(0, commits.first - readyEpoch),
    flushMs: commits.last - commits.first,
    seenMs: accepted.lastAt - ready,
    editingMs,
    hubDownMs: ready - down,
    hubStartMs,
    queuedBefore,
    windowUs: { fromUs, toUs },
  };
}

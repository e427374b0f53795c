/**
 * Measurement 7: the hub's write throughput with many daemons pushing at once. Real daemons (each its own
 * process and replica) log in to a fresh hub, or split between two hubs on one PostgreSQL database, all with the
 * Owner's credential. With everyone online and settled, the hubs stop; every daemon adds K users (queued in its
 * replica); the hubs start, and the bench tells every daemon `sync.reload` at once, so they reconnect together
 * instead of at their backoff's next try. The bench's own signed client pulls from the hub until it has all
 * D×K new users; the figure is then taken from the hub's audit events of them (same commit, the hub's clock):
 * from the first hub's ready line (the reloads go out once all are ready) to the last user accepted. Accepted rows per second, each push checked against the pusher's
 * role, compare-and-swapped, audited, and fanned out to the other daemons (who pull it) as usual. (A client's
 * pulls lag far behind the commits when the hub is saturated, hence the audit times.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { initHub, type BenchHub } from './hub-process.js';
import { awaitAccepted, commitTimes, observerOf } from './hub-observer.js';
import { inParallel } from './in-parallel.js';
import { monotonicUs, type TimeWindow } from './profile-summary.js';
import { createSandbox } from './sandbox.js';
import { syncDaemon, untilOnline, type SyncDaemon } from './sync-daemon.js';
import { until } from './wait.js';

export interface ThroughputSetup {
  label: string;
  /** A PostgreSQL database URL (a fresh database); SQLite in the hub directory when absent. */
  db?: string;
  hubs: 1 | 2;
}

export interface ThroughputOptions {
  daemons: number;
  editsPerDaemon: number;
  timeoutMs: number;
  /** Node flags for the hub processes (e.g. --cpu-prof). */
  hubNodeArgs?: (hubIndex: number) => string[];
  log: (line: string) => void;
}

export interface ThroughputRun {
  label: string;
  hubs: number;
  daemons: number;
  rows: number;
  /** The first hub ready (the reloads follow once all are) → the last row accepted (its audit time). */
  ms: number;
  rowsPerSecond: number;
  /** The first hub ready → the first row accepted. */
  firstMs: number;
  /** The first hub ready → the bench's client had pulled every row. */
  seenMs: number;
  /** Making the edits while the hubs were down (all daemons at once). */
  editingMs: number;
  /** After the last row was accepted: until every daemon reported nothing queued. */
  daemonsSettledMs: number;
  /** Resident memory of the daemons after the run, MiB: median and sum. */
  daemonRssMb: { median: number; total: number };
  /** The monotonic window of the timed part (for profiles). */
  windowUs: TimeWindow;
}

/** Starts daemons a few at a time (each start is a CPU-heavy process start on a small machine). */
const START_CONCURRENCY = 4;

/** One throughput run with fresh hubs and daemons; everything it started is stopped and removed. */
export async function measureHubThroughput(setup: ThroughputSetup, options: ThroughputOptions): Promise<ThroughputRun> {
  const { log } = options;
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-bench-throughput-'));
  const sb = createSandbox('fd-bench-throughput-cli-');
  const hubs: BenchHub[] = [];
  const daemons: SyncDaemon[] = [];
  try {
    for (let i = 0; i < setup.hubs; i++) hubs.push(await initHub(sb, path.join(base, `hub-${i}`), setup.db ? { db: setup.db } : {}));
    const owner = hubs[0]!.owner;
    if (!owner) throw new Error('the first hub made no Owner');
    if (hubs.some((h) => h.hubId !== hubs[0]!.hubId)) throw new Error('the second hub did not join the first one (different hub ids)');
    await Promise.all(hubs.map((h, i) => h.start(options.hubNodeArgs?.(i) ?? [])));
    log(`  ${hubs.length} hub(s) serving`);

    for (let i = 0; i < options.daemons; i++) daemons.push(syncDaemon(`d${String(i + 1).padStart(2, '0')}`));
    await inParallel(daemons, START_CONCURRENCY, async (d, i) => {
      await d.login(hubs[i % hubs.length]!, owner);
      await d.start();
    });
    await Promise.all(daemons.map((d) => untilOnline(d, options.timeoutMs)));
    log(`  ${daemons.length} daemons online with ${hubs.length} hub(s)`);

    await Promise.all(hubs.map((h) => h.stop()));
    await Promise.all(daemons.map((d) => until(`daemon ${d.name} offline`, async () => (await d.status()).state === 'offline', { timeoutMs: 60_000 })));
    const usernames = new Set<string>();
    const t0 = performance.now();
    await Promise.all(
      daemons.map(async (d) => {
        const names = Array.from({ length: options.editsPerDaemon }, (_, j) => `${d.name}-user-${String(j + 1).padStart(5, '0')}`);
        for (const n of names) usernames.add(n);
        await inParallel(names, 4, async (username) => {
          await d.rpc.request('users.add', { username });
        });
      }),
    );
    const editingMs = performance.now() - t0;
    log(`  ${usernames.size} users added at the daemons while the hub was down (${Math.round(editingMs / 100) / 10} s)`);

    // Nothing can be accepted before a hub is ready; a daemon whose own retry comes first may push before the
    // reloads are sent, so the clock starts when the first hub is ready, and the reloads go out once all are.
    const startingEpoch = Date.now();
    const readyEpochs = await Promise.all(hubs.map((h, i) => h.start(options.hubNodeArgs?.(i) ?? []).then(() => Date.now())));
    const startEpoch = Math.min(...readyEpochs);
    const fromUs = monotonicUs() - (Date.now() - startEpoch) * 1000;
    const start = performance.now() - (Date.now() - startEpoch);
    const observer = await observerOf(hubs[0]!, owner);
    try {
      await Promise.all(daemons.map((d) => d.rpc.request('sync.reload', {})));
      const accepted = await awaitAccepted(
        observer,
        'users',
        null,
        usernames,
        (doc) => (typeof doc['username'] === 'string' ? doc['username'] : undefined),
        { timeoutMs: options.timeoutMs, intervalMs: 25 },
      );
      const toUs = monotonicUs();
      const commits = await commitTimes(observer, null, 'users', startingEpoch);
      if (commits.count < usernames.size) throw new Error(`the hub audited ${commits.count} of the ${usernames.size} users it serves`);
      const ms = commits.last - startEpoch;
      log(`  ${usernames.size} rows accepted in ${Math.round(ms / 10) / 100} s (all pulled by a client after ${Math.round((accepted.lastAt - start) / 10) / 100} s); waiting for the daemons to settle`);
      await Promise.all(daemons.map((d) => untilOnline(d, options.timeoutMs)));
      const settled = performance.now() - accepted.lastAt;
      const rss = daemons.map((d) => d.rssMb()).sort((x, y) => x - y);
      return {
        label: setup.label,
        hubs: hubs.length,
        daemons: daemons.length,
        rows: usernames.size,
        ms,
        rowsPerSecond: usernames.size / (ms / 1000),
        firstMs: Math.max(0, commits.first - startEpoch),
        seenMs: accepted.lastAt - start,
        editingMs,
        daemonsSettledMs: settled,
        daemonRssMb: { median: rss[Math.floor((rss.length - 1) / 2)] ?? 0, total: rss.reduce((s, x) => s + x, 0) },
        windowUs: { fromUs, toUs },
      };
    } finally {
      observer.close();
    }
  } finally {
    await Promise.allSettled(daemons.map((d) => d.dispose()));
    await Promise.allSettled(hubs.map((h) => h.stop()));
    sb.cleanup();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

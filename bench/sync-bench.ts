/**
 * Measurements 4–7, with real processes: a self-signed hub (`hub init`/`hub serve`, compiled) seeded with the demo
 * set, two administrators' daemons (A an Owner, B an Administrator) that each pull it from scratch (4), A's edits
 * reaching B's live view (6), A's edits made while the hub is down (5); then fresh hubs and many daemons for the
 * write throughput (7) on SQLite and, when one is reachable, PostgreSQL (one hub and two). A measurement that
 * throws is recorded as failed and the others still run; one that needs it (5 and 6 need 4's daemons) fails too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { measureEditToScreen } from './edit-to-screen.js';
import { initHub, type BenchHub, type HubCredential } from './hub-process.js';
import { observerOf } from './hub-observer.js';
import { seedHub, type SeedResult } from './hub-seed.js';
import { measureHubThroughput, type ThroughputRun } from './hub-throughput.js';
import { measureInitialSync } from './initial-sync.js';
import type { Measured } from './metrics.js';
import { measureOfflineFlush } from './offline-flush.js';
import { createDatabase, findPostgres, type BenchPostgres } from './postgres.js';
import { monotonicUs, profilesIn, summarizeProfileFile, type ProfileSummary, type TimeWindow } from './profile-summary.js';
import type { Failure, NotMeasured } from './results.js';
import { createSandbox } from './sandbox.js';
import { editToScreenMetrics, initialSyncMetrics, offlineFlushMetrics, throughputMetrics } from './sync-metrics.js';
import { cloneReplica, syncDaemon, untilOnline, type SyncDaemon } from './sync-daemon.js';

/** How much of everything a run does. */
export interface SyncScale {
  size: 'small' | 'enterprise';
  offlineEdits: number;
  screenEdits: number;
  throughputDaemons: number;
  throughputEditsPerDaemon: number;
  timeoutMs: number;
}

export const SYNC_SCALES: Record<'smoke' | 'full', SyncScale> = {
  smoke: { size: 'small', offlineEdits: 50, screenEdits: 20, throughputDaemons: 2, throughputEditsPerDaemon: 25, timeoutMs: 120_000 },
  full: { size: 'enterprise', offlineEdits: 10_000, screenEdits: 100, throughputDaemons: 20, throughputEditsPerDaemon: 500, timeoutMs: 900_000 },
};

const NAMES: Record<number, string> = {
  4: 'initial sync, hub → empty daemon (loopback HTTPS)',
  5: 'offline flush: queued edits accepted after the hub returns',
  6: "edit → other administrator's screen",
  7: 'hub write throughput, daemons pushing at once',
};

export interface SyncResults extends Measured {
  notMeasured: NotMeasured[];
  failures: Failure[];
  profiles: Record<string, ProfileSummary>;
}

export interface SyncBenchOptions {
  scale: SyncScale;
  /** Which of 4–7 to take (4 is taken whenever 5 or 6 is: they need its daemons); all when absent. */
  only?: ReadonlySet<number>;
  /** CPU-profile the hubs and daemons into this directory. */
  profileDir?: string;
  log: (line: string) => void;
}

const cpuProf = (dir: string | undefined, name: string): string[] => (dir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, name)}`] : []);

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What the measurements of one run share: the options, the results so far, and the profile windows. */
interface RunContext extends SyncBenchOptions {
  out: SyncResults;
  windows: Array<{ key: string; dir: string; window: TimeWindow }>;
  wanted(measurement: number): boolean;
  fail(measurement: number, e: unknown): void;
  add(m: Measured, key: string): void;
}

/** Runs 4–7; see the file comment. */
export async function runSyncMeasurements(options: SyncBenchOptions): Promise<SyncResults> {
  const out: SyncResults = { metrics: [], details: {}, notMeasured: [], failures: [], profiles: {} };
  const cx: RunContext = {
    ...options,
    out,
    windows: [],
    wanted: (n) => options.only?.has(n) ?? true,
    fail(measurement, e) {
      options.log(`measurement ${measurement} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      out.failures.push({ measurement, name: NAMES[measurement]!, error: errorText(e) });
    },
    add(m, key) {
      out.metrics.push(...m.metrics);
      out.details[key] = m.details;
    },
  };
  if (cx.wanted(4) || cx.wanted(5) || cx.wanted(6)) await sharedHubMeasurements(cx);
  if (cx.wanted(7)) await throughputMeasurements(cx);
  if (options.profileDir) {
    for (const { key, dir, window } of cx.windows) {
      const summary = busiest(path.join(options.profileDir, dir), window);
      if (summary) out.profiles[key] = summary;
    }
  }
  return out;
}

/** 4, then 6 and 5: one hub, two administrators. */
async function sharedHubMeasurements(cx: RunContext): Promise<void> {
  const { scale, log, profileDir, windows } = cx;
  const sb = createSandbox('fd-bench-hub-');
  let hub: BenchHub | undefined;
  const daemons: SyncDaemon[] = [];
  try {
    let seed: SeedResult;
    let bea: HubCredential;
    try {
      hub = await initHub(sb, path.join(sb.base, 'hub'));
      if (!hub.owner) throw new Error('hub init made no Owner');
      bea = await hub.addAdmin('Bea Admin', 'Administrator');
      log(`seeding the hub with the ${scale.size} demo set (store API, hub stopped)`);
      seed = await seedHub(hub.hubDir, scale.size, Math.floor(Date.now() / 60_000) * 60_000, hub.owner);
      log(`seeded ${Object.entries(seed.counts).map(([k, v]) => `${v} ${k}`).join(', ')} in ${Math.round(seed.ms / 100) / 10} s`);
      cx.out.details.hub_seed = { ...seed.counts, seconds: Math.round(seed.ms / 100) / 10 };
      await hub.start(cpuProf(profileDir, 'hub'));
    } catch (e) {
      for (const n of [4, 5, 6]) if (cx.wanted(n) || n === 4) cx.fail(n, e);
      return;
    }
    const owner = hub.owner;

    const a = syncDaemon('a');
    const b = syncDaemon('b');
    daemons.push(a, b);
    try {
      log('initial sync into empty daemon A');
      const run = await measureInitialSync(a, hub, owner, seed, { timeoutMs: scale.timeoutMs, nodeArgs: cpuProf(profileDir, 'daemon-a') });
      windows.push({ key: 'initial_sync_daemon_a', dir: 'daemon-a', window: run.windowUs }, { key: 'initial_sync_hub', dir: 'hub', window: run.windowUs });
      log(`  ${run.documents} docs in ${Math.round(run.ms / 10) / 100} s (${Math.round(run.documents / (run.ms / 1000))} docs/s), daemon RSS ${Math.round(run.rssMb)} MB`);
      cx.add(initialSyncMetrics([run]), 'initial_sync');
    } catch (e) {
      cx.fail(4, e);
      for (const n of [6, 5]) if (cx.wanted(n)) cx.fail(n, new Error('needs the daemon of measurement 4'));
      return;
    }
    if (!cx.wanted(5) && !cx.wanted(6)) return;

    try {
      // B's replica is a copy of A's: the same hub's documents without a second full pull.
      log("B's replica: a copy of A's; both daemons started");
      await a.stop();
      cloneReplica(a, b);
      await b.login(hub, bea);
      await a.start(cpuProf(profileDir, 'daemon-a'));
      await b.start(cpuProf(profileDir, 'daemon-b'));
    } catch (e) {
      for (const n of [6, 5]) if (cx.wanted(n)) cx.fail(n, e);
      return;
    }

    if (cx.wanted(6)) {
      try {
        await Promise.all([untilOnline(a, scale.timeoutMs), untilOnline(b, scale.timeoutMs)]);
        log(`${scale.screenEdits} edits at A, watched in B's devices view`);
        const fromUs = monotonicUs();
        const samples = await measureEditToScreen(a, b, { edits: scale.screenEdits, gapMs: 100, timeoutMs: 30_000 });
        const window = { fromUs, toUs: monotonicUs() };
        windows.push({ key: 'edit_to_screen_daemon_a', dir: 'daemon-a', window }, { key: 'edit_to_screen_daemon_b', dir: 'daemon-b', window }, { key: 'edit_to_screen_hub', dir: 'hub', window });
        const m = editToScreenMetrics(samples);
        cx.add(m, 'edit_to_screen');
        log(`  ${m.metrics[0]!.value} ms p95 (${m.metrics[0]!.note ?? ''})`);
      } catch (e) {
        cx.fail(6, e);
      }
    }

    if (cx.wanted(5)) {
      const observer = await observerOf(hub, owner);
      try {
        const edits = Math.min(scale.offlineEdits, seed.ids.phones.length);
        log(`offline flush: ${edits} edits at A with the hub down`);
        const run = await measureOfflineFlush(hub, a, observer, seed.checkpoint, seed.ids.phones, {
          edits,
          timeoutMs: scale.timeoutMs,
          hubNodeArgs: cpuProf(profileDir, 'hub'),
        });
        windows.push({ key: 'offline_flush_hub', dir: 'hub', window: run.windowUs }, { key: 'offline_flush_daemon_a', dir: 'daemon-a', window: run.windowUs });
        cx.add(offlineFlushMetrics(run), 'offline_flush');
        log(`  all accepted ${Math.round(run.ms / 10) / 100} s after the hub was back (first after ${Math.round(run.firstMs / 10) / 100} s)`);
      } catch (e) {
        cx.fail(5, e);
      } finally {
        observer.close();
      }
    }
  } finally {
    await Promise.allSettled(daemons.map((d) => d.dispose()));
    await hub?.stop();
    sb.cleanup();
  }
}

/** 7: fresh hubs and many daemons per setup: SQLite, then PostgreSQL with one hub and with two. */
async function throughputMeasurements(cx: RunContext): Promise<void> {
  const { scale, log, profileDir } = cx;
  const throughput: { sqlite?: ThroughputRun; postgres?: ThroughputRun; postgres2?: ThroughputRun } = {};
  const measure = async (key: keyof typeof throughput, label: string, db: string | undefined, hubs: 1 | 2) => {
    log(`hub write throughput, ${label}: ${scale.throughputDaemons} daemons × ${scale.throughputEditsPerDaemon} users`);
    const run = await measureHubThroughput(
      { label, ...(db ? { db } : {}), hubs },
      {
        daemons: scale.throughputDaemons,
        editsPerDaemon: scale.throughputEditsPerDaemon,
        timeoutMs: scale.timeoutMs,
        hubNodeArgs: (i) => cpuProf(profileDir, `hub-${key}-${i}`),
        log,
      },
    );
    throughput[key] = run;
    for (let i = 0; i < hubs; i++) cx.windows.push({ key: `throughput_${key}_hub_${i}`, dir: `hub-${key}-${i}`, window: run.windowUs });
    log(`  ${run.rows} rows in ${Math.round(run.ms / 10) / 100} s: ${Math.round(run.rowsPerSecond)} rows/s`);
  };
  try {
    await measure('sqlite', 'SQLite, one hub', undefined, 1);
  } catch (e) {
    cx.fail(7, e);
  }
  const pg = await findPostgres();
  if ('missing' in pg) {
    log(`PostgreSQL rows skipped: ${pg.missing}`);
    for (const name of ['hub write throughput, PostgreSQL, one hub', 'two hubs on one PostgreSQL ÷ one hub, write throughput']) {
      cx.out.notMeasured.push({ measurement: 7, name, target: 'none (reported)', reason: 'skipped (no PostgreSQL)' });
    }
    cx.out.details.postgres = { skipped: pg.missing };
  } else {
    cx.out.details.postgres = { version: pg.version };
    for (const [key, label, hubs] of [['postgres', 'PostgreSQL, one hub', 1], ['postgres2', 'PostgreSQL, two hubs', 2]] as const) {
      try {
        await withDatabase(pg, (url) => measure(key, label, url, hubs));
      } catch (e) {
        cx.fail(7, e);
      }
    }
  }
  if (Object.keys(throughput).length > 0) cx.add(throughputMetrics(throughput), 'hub_throughput');
}

async function withDatabase<T>(server: BenchPostgres, work: (url: string) => Promise<T>): Promise<T> {
  const db = await createDatabase(server);
  try {
    return await work(db.url);
  } finally {
    await db.drop();
  }
}

/** The summary of the profile in `dir` that was busiest in `window` (a hub restarted writes one per process). */
function busiest(dir: string, window: TimeWindow): ProfileSummary | undefined {
  let best: ProfileSummary | undefined;
  for (const file of profilesIn(dir)) {
    if (fs.statSync(file).size === 0) continue;
    const s = summarizeProfileFile(file, 25, window);
    if (!best || s.busyMs > best.busyMs) best = s;
  }
  return best;
}

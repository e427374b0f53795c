/**
 * `npm run bench`: issue 6's measurements on the enterprise demo data set, with real processes (the compiled
 * build, throwaway data directories, self-signed hubs on loopback). Writes bench/results.json and prints a
 * table; exits 0 whether or not the targets hold (the table says), non-zero when a measurement breaks.
 *
 *   npm run bench                 the enterprise set (100k users, 120k devices, 20k tokens, 5k U2F)
 *   npm run bench -- --smoke      the small set, same steps, for CI (writes bench/results-smoke.json)
 *   npm run bench -- --profile    also CPU-profiles the daemons, the TUI and the hubs and prints where the time goes
 *   options: --runs N (cold starts, default 3), --keep (keep the temp directory), --out FILE,
 *            --only local|sync|LIST (measurements 1–3, 4–7, or a list such as 4,6; 1–3 run together, and 4
 *            runs whenever 5 or 6 does: they use its daemons)
 *   PostgreSQL for measurement 7: FACTORDESK_BENCH_PG_URL or FACTORDESK_TEST_PG_URL, else the cluster of
 *   scripts/test-postgres.sh when it runs; without one those rows say "skipped (no PostgreSQL)".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEMO_SIZES } from '../src/demo/generate.js';
import { coldStart, stopDaemon, type ColdStartRun } from './cold-start.js';
import { connectBench, processMemory, type ProcessMemory } from './daemon-link.js';
import { exportDeviceLines } from './device-lines.js';
import { ensureBuild, ROOT } from './dist.js';
import { fzfVersion, measureFzf } from './fzf.js';
import { isFreeText, keystrokeScript } from './keystrokes.js';
import { loadAverage, machineInfo } from './machine.js';
import { methodText } from './method.js';
import { coldStartMetrics, fzfMetrics, keystrokeMetrics, type Measured } from './metrics.js';
import { formatProfileSummary, profilesIn, summarizeProfileFile, type ProfileSummary, type TimeWindow } from './profile-summary.js';
import { formatMarkdown, formatTable, type BenchResults } from './results.js';
import { createSandbox, type Sandbox } from './sandbox.js';
import { round, summarize } from './stats.js';
import { runSyncMeasurements, SYNC_SCALES } from './sync-bench.js';
import { measureTuiLatency } from './tui-latency.js';

const TERMINAL = { columns: 120, rows: 40 };
/** A typist's pause after each result is on screen (also lets Ink's 60 fps throttle settle between keys). */
const GAP_MS = 40;
const KEY_TIMEOUT_MS = 30_000;

const T0 = performance.now();
const log = (line: string) => process.stderr.write(`bench [${((performance.now() - T0) / 1000).toFixed(1).padStart(6)} s]: ${line}\n`);

interface Options {
  smoke: boolean;
  profile: boolean;
  keep: boolean;
  runs: number;
  out: string;
  /** The measurements to take (1–7). */
  only: ReadonlySet<number>;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      runs: { type: 'string', default: '3' },
      out: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const only = measurementsOf(values.only);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number from 1, got ${String(values.runs)}`);
  const out = values.out ?? path.join(ROOT, 'bench', values.smoke ? 'results-smoke.json' : 'results.json');
  return { smoke: values.smoke, profile: values.profile, keep: values.keep, runs, out, only };
}

function cpuProfArgs(dir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** Loads the demo set into a fresh daemon, exports the device lines for fzf, and stops the daemon. */
async function loadDataSet(sb: Sandbox, size: 'small' | 'enterprise', linesFile: string) {
  await sb.cliOk(['daemon', 'start']);
  const load = await sb.cliOk(['--format', 'json', 'demo', 'load', '--size', size], { timeoutMs: 900_000 });
  const counts = JSON.parse(load.stdout) as Record<string, number>;
  const client = await connectBench(sb);
  const pid = client.hello.pid;
  let afterLoad: ProcessMemory;
  let lines: string[];
  try {
    afterLoad = processMemory(pid);
    lines = await exportDeviceLines(client);
  } finally {
    client.close();
  }
  fs.writeFileSync(linesFile, `${lines.join('\n')}\n`);
  await stopDaemon(sb, pid);
  return { counts, loadMs: load.ms, afterLoad, devices: lines.length };
}


async function main(): Promise<number> {
  const opts = options();
  const mode = opts.smoke ? 'smoke' : 'full';
  const size = opts.smoke ? 'small' : 'enterprise';
  const machine = machineInfo();
  const started = performance.now();
  log(`${mode} run on ${machine.cpu} (${machine.cores} cores, ${machine.memory_gb} GB), node ${machine.node}, load ${machine.load_start}`);
  await ensureBuild(log);

  const sb = createSandbox();
  const profileDir = opts.profile ? fs.mkdtempSync(path.join(os.tmpdir(), 'factordesk-bench-profiles-')) : undefined;
  const linesFile = path.join(sb.base, 'devices.txt');
  const results: BenchResults = {
    mode,
    machine,
    dataset: {},
    metrics: [],
    not_measured: [],
    details: {},
    method: methodText(TERMINAL, GAP_MS, SYNC_SCALES[mode]),
    skipped: [],
    failures: [],
  };
  const loads: Record<string, number> = {};
  const profiles: Record<string, ProfileSummary> = {};
  try {
    if (![1, 2, 3].some((n) => opts.only.has(n))) throw new SkipLocal();
    log(`loading the ${size} demo data set`);
    const data = await loadDataSet(sb, size, linesFile);
    results.dataset = { size, ...data.counts, load_s: round(data.loadMs / 1000), daemon_rss_after_load_mb: round(data.afterLoad.rssMb) };
    log(`loaded in ${round(data.loadMs / 1000)} s; ${data.devices} devices exported for fzf`);

    loads.cold_start = loadAverage();
    const runs: ColdStartRun[] = [];
    for (let i = 0; i < opts.runs; i++) {
      const profiled = profileDir !== undefined && i === 0;
      const run = await coldStart(sb, profiled ? cpuProfArgs(path.join(profileDir, 'daemon-cold-start')) : []);
      runs.push(run);
      log(`cold start ${i + 1}/${opts.runs}: ${round(run.totalMs / 1000)} s to the first view, RSS ${round(run.rssMb)} MB${profiled ? ' (profiled)' : ''}`);
      if (run.startCommandError) log(`  \`factordesk daemon start\` itself failed: ${run.startCommandError}`);
      await stopDaemon(sb, run.pid);
    }
    const cold = coldStartMetrics(runs);

    // The keystrokes go to a daemon that has served its first view, as when a user opens the TUI on it.
    const serving = await coldStart(sb, profileDir ? cpuProfArgs(path.join(profileDir, 'daemon-serving')) : []);
    loads.keystrokes = loadAverage();
    log(`typing ${keystrokeScript().length} keys into the devices filter`);
    const tui = await measureTuiLatency(sb, {
      steps: keystrokeScript(),
      ...TERMINAL,
      gapMs: GAP_MS,
      keyTimeoutMs: KEY_TIMEOUT_MS,
      ...(profileDir ? { profileDir: path.join(profileDir, 'tui') } : {}),
    });
    const window: TimeWindow = tui.typingWindowUs;
    const keystrokes = keystrokeMetrics(tui, TERMINAL);
    log(`keystroke → frame: p50 ${round(summarize(tui.keys.map((k) => k.ms)).p50)} ms, p95 ${round(summarize(tui.keys.map((k) => k.ms)).p95)} ms`);
    await stopDaemon(sb, serving.pid);

    loads.fzf = loadAverage();
    const version = fzfVersion();
    let fzf: Measured | undefined;
    if (version === null) {
      results.skipped.push('2. fzf is not installed (Debian: apt-get install -y fzf), so the comparison with fzf was not made.');
      log('fzf is not installed: measurement 2 skipped (apt-get install -y fzf)');
    } else {
      const free = tui.keys.filter((k) => isFreeText(k.filter) && k.total !== undefined);
      log(`fzf ${version}: ${free.length} free-text keystrokes`);
      fzf = fzfMetrics(free, measureFzf(linesFile, free.map((k) => k.filter)), version);
      if (fzf.details.same_match_counts !== true) log(`warning: fzf and the daemon disagree on match counts: ${JSON.stringify(fzf.details.count_mismatches)}`);
    }

    results.metrics = [...keystrokes.metrics, ...(fzf?.metrics ?? []), ...cold.metrics];
    results.details = {
      keystrokes: keystrokes.details,
      ...(fzf ? { fzf: fzf.details } : {}),
      cold_start: cold.details,
      load_average: loads,
    };

    if (profileDir) {
      const daemonCold = profilesIn(path.join(profileDir, 'daemon-cold-start')).find((f) => fs.statSync(f).size > 0);
      const servingProfiles = profilesIn(path.join(profileDir, 'daemon-serving'));
      const tuiProfile = profilesIn(path.join(profileDir, 'tui'))[0];
      // The largest profile of a `daemon start` is the daemon's (the CLI that spawned it is short-lived).
      if (daemonCold) profiles.daemon_cold_start = summarizeProfileFile(daemonCold, 25);
      if (servingProfiles[0]) profiles.daemon_while_typing = summarizeProfileFile(servingProfiles[0], 25, window);
      if (tuiProfile) profiles.tui_while_typing = summarizeProfileFile(tuiProfile, 25, window);
      results.details.profiles = { dir: profileDir, ...profiles };
    }
  } catch (e) {
    if (!(e instanceof SkipLocal)) throw e;
  } finally {
    // Whatever happened, leave no daemon behind.
    await sb.cli(['daemon', 'stop'], { timeoutMs: 60_000 }).catch(() => undefined);
    if (opts.keep) log(`kept ${sb.base}`);
    else sb.cleanup();
  }

  if ([4, 5, 6, 7].some((n) => opts.only.has(n))) {
    loads.sync = loadAverage();
    const sync = await runSyncMeasurements({ scale: SYNC_SCALES[mode], only: opts.only, log, ...(profileDir ? { profileDir: path.join(profileDir, 'sync') } : {}) });
    results.metrics.push(...sync.metrics);
    results.not_measured.push(...sync.notMeasured);
    results.failures.push(...sync.failures);
    Object.assign(results.details, sync.details, { load_average: loads });
    Object.assign(profiles, sync.profiles);
    if (profileDir) results.details.profiles = { dir: profileDir, ...profiles };
  }
  if (results.dataset.size === undefined) results.dataset = { size, ...DEMO_SIZES[size] };

  results.machine.load_end = loadAverage();
  fs.writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
  const out = [
    '',
    `factordesk bench (${mode}): ${String(results.dataset.users)} users, ${String(results.dataset.phones)} devices, ${String(results.dataset.tokens)} tokens, ${String(results.dataset.u2f)} U2F`,
    `${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, node ${machine.node}, ${machine.os}; ${machine.date}`,
    `load average (1 min): ${machine.load_start} at the start, ${Object.entries(loads).map(([k, v]) => `${v} at ${k.replace('_', ' ')}`).join(', ')}, ${String(results.machine.load_end)} at the end`,
    '',
    formatTable(results),
    '',
    ...Object.entries(profiles).map(([k, s]) => `${formatProfileSummary(k.replace(/_/g, ' '), { ...s, functions: s.functions.slice(0, 15), packages: s.packages.slice(0, 10) })}\n`),
    `Markdown:\n${formatMarkdown(results)}`,
    '',
    `results: ${path.relative(process.cwd(), opts.out)} (with the method and the breakdowns); ${round((performance.now() - started) / 1000)} s in all`,
  ];
  if (results.failures.length > 0) out.push(`${results.failures.length} measurement(s) FAILED: ${results.failures.map((f) => f.measurement).join(', ')}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return results.failures.length > 0 ? 1 : 0;
}

/** The measurements `--only` names: local (1–3), sync (4–7), or numbers separated by commas; all by default. */
function measurementsOf(value: string | undefined): ReadonlySet<number> {
  if (value === undefined) return new Set([1, 2, 3, 4, 5, 6, 7]);
  if (value === 'local') return new Set([1, 2, 3]);
  if (value === 'sync') return new Set([4, 5, 6, 7]);
  const numbers = value.split(',').map((n) => Number(n.trim()));
  if (numbers.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 7)) {
    throw new Error(`--only takes local, sync or measurement numbers from 1 to 7 (e.g. 4,6), got ${value}`);
  }
  return new Set(numbers);
}

/** Unwinds past measurements 1–3 when none of them is asked for. */
class SkipLocal extends Error {}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);

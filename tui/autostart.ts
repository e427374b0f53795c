/**
 * Starting the daemon on demand, Atuin-style: probe (`ready | needs-restart | unreachable`); when nobody answers,
 * take the startup lock, probe again, spawn `factordesk daemon run` detached, and poll until it answers. The lock
 * keeps two clients starting at once from spawning two daemons; a daemon of another protocol is asked to stop first.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnDetached, type DetachedProcess } from '../src/detached-process.js';
import { tryAcquireStartLock, type StartLock } from '../daemon/start-lock.js';
import { FactordeskError } from '../src/errors.js';
import { ensureRuntimeDir, type ResolvedPaths } from '../src/paths.js';

/** What one probe found. `client` is an open connection the caller keeps (ready) or uses to stop the daemon. */
export type ProbeResult<C> =
  | { state: 'ready'; client: C }
  | { state: 'needs-restart'; client: C; reason: string }
  | { state: 'unreachable'; reason: string };

/** A daemon process this client spawned. */
export type SpawnedDaemon = DetachedProcess;

export interface EnsureDaemonOptions<C> {
  paths: ResolvedPaths;
  /** The `--data-dir` the user gave, passed on to the daemon as is (else it resolves the same defaults we did). */
  dataDirOption?: string;
  probe(): Promise<ProbeResult<C>>;
  /** Asks a daemon that needs a restart to stop and waits until it has. */
  stop(client: C): Promise<void>;
  /** The environment the paths were resolved from; the daemon gets exactly this one (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Default: `spawnDaemon`. */
  spawn?(paths: ResolvedPaths, dataDirOption: string | undefined, env: Readonly<Record<string, string | undefined>>): SpawnedDaemon;
  /** How long to wait for a daemon to answer (default 15 s). */
  timeoutMs?: number;
  /** How long to wait in all while the daemon this client spawned is still alive, i.e. still starting (default 60 s). */
  maxWaitMs?: number;
  pollMs?: number;
  /** A startup lock older than this is a leftover of a client that died (default 5 s). */
  lockStaleMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
/** A large replica can take longer than the usual timeout to load; a daemon still alive is given this long. */
const DEFAULT_MAX_WAIT_MS = 60_000;

/** Returns a client of a ready daemon, starting (or restarting) the daemon when needed. */
export async function ensureDaemon<C>(options: EnsureDaemonOptions<C>): Promise<C> {
  const { paths } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? 100;
  const spawn = options.spawn ?? spawnDaemon;

  const first = await options.probe();
  if (first.state === 'ready') return first.client;

  ensureRuntimeDir(paths.runtimeDir);
  const started = Date.now();
  const deadline = started + timeoutMs;
  const hardDeadline = started + Math.max(timeoutMs, options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
  let lock: StartLock | undefined;
  let child: SpawnedDaemon | undefined;
  let childExit: { code: number | undefined } | undefined;
  let restarted = false;
  let next: ProbeResult<C> | undefined = first;
  try {
    for (;;) {
      const result = next ?? (await options.probe());
      next = undefined;
      if (result.state === 'ready') return result.client;
      if (result.state === 'needs-restart') {
        if (restarted) {
          throw new FactordeskError('UNAVAILABLE', `the daemon cannot serve this client: ${result.reason}`, {
            hint: `see the daemon log ${paths.logFile}`,
          });
        }
        restarted = true;
        await options.stop(result.client);
        continue;
      }
      if (childExit) {
        throw new FactordeskError('UNAVAILABLE', startFailureMessage(childExit.code, paths.logFile), {
          hint: `see the daemon log ${paths.logFile}`,
        });
      }
      if (!child) {
        if (!lock) {
          lock = tryAcquireStartLock(paths.startLockFile, options.lockStaleMs);
          // With the lock held, look once more: whoever held it before may have just finished starting one.
          if (lock) continue;
        } else {
          child = spawn(paths, options.dataDirOption, options.env ?? process.env);
          void child.exited.then((code) => (childExit = { code }));
        }
      }
      lock?.refresh();
      const now = Date.now();
      const ourChildStarting = child !== undefined && childExit === undefined && now < hardDeadline;
      if (now > deadline && !ourChildStarting) {
        throw new FactordeskError('UNAVAILABLE', `the daemon did not start within ${Math.round((now - started) / 1000)} s`, {
          hint: `see the daemon log ${paths.logFile}`,
        });
      }
      await sleep(pollMs);
    }
  } finally {
    lock?.release();
  }
}

/**
 * Spawns `factordesk daemon run` detached from this process, with no stdio, so it outlives the client. It gets the
 * environment the client resolved its paths from, so both agree on the socket and log locations.
 */
export function spawnDaemon(
  paths: ResolvedPaths,
  dataDirOption: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): SpawnedDaemon {
  const { file, args } = daemonCommand(dataDirOption === undefined ? undefined : paths.dataDir);
  return spawnDetached(file, args, env);
}

/**
 * The command line that runs this very installation's daemon: the same node binary, and the CLI entry next to
 * this module — `dist/tui/cli/main.js` when compiled, `tui/cli/main.ts` under tsx (then loaded with tsx, which is
 * only there in a development checkout). Debugger flags are not passed on (the port would clash).
 */
export function daemonCommand(dataDir: string | undefined): { file: string; args: string[] } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const compiled = path.join(here, 'cli', 'main.js');
  const source = path.join(here, 'cli', 'main.ts');
  const entry = fs.existsSync(compiled) ? compiled : source;
  const nodeArgs = entry.endsWith('.ts') ? ['--import', tsxLoaderUrl()] : process.execArgv.filter((a) => !/^--(inspect|debug)/.test(a));
  const dataDirArgs = dataDir === undefined ? [] : ['--data-dir', dataDir];
  return { file: process.execPath, args: [...nodeArgs, entry, ...dataDirArgs, 'daemon', 'run'] };
}

function tsxLoaderUrl(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(path.join(path.dirname(pkg), 'dist', 'loader.mjs')).href;
}

export { tryAcquireStartLock, type StartLock } from '../daemon/start-lock.js';

/** The reason a spawned daemon gave up, taken from its log (its stdio goes nowhere). */
function startFailureMessage(code: number | undefined, logFile: string): string {
  const reason = lastStartError(logFile);
  const exit = code === undefined ? 'the daemon exited before it was ready' : `the daemon exited with code ${code} before it was ready`;
  return reason ? `${exit}: ${reason}` : exit;
}

/** The message of the last "daemon did not start" line of the log, if any. */
export function lastStartError(logFile: string): string | undefined {
  let text: string;
  try {
    const fd = fs.openSync(logFile, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, size - length);
      text = buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  for (const line of text.split('\n').reverse()) {
    if (!line.includes('daemon did not start')) continue;
    try {
      const entry = JSON.parse(line) as { err?: { message?: string } };
      if (entry.err?.message) return entry.err.message;
    } catch {
      // a partial line at the start of the window
    }
  }
  return undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

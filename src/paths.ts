/**
 * Where factordesk keeps its files. This is the ONLY module that reads `XDG_*` and `FACTORDESK_HOME`; everything
 * else is handed a `ResolvedPaths`.
 *
 * Lookup order (an empty environment value counts as unset; a relative `XDG_*` value is ignored, as the XDG
 * specification says):
 *
 *   Data directory (the replica, the local hub, config):
 *     1. the `--data-dir <dir>` option;
 *     2. `$FACTORDESK_HOME`;
 *     3. `$XDG_DATA_HOME/factordesk`;
 *     4. `~/.local/share/factordesk`.
 *
 *   State directory (the daemon's log):
 *     1. when the data directory came from step 1 or 2 above: `<dataDir>/state`, so that one directory holds a
 *        whole, self-contained installation (tests, a second profile);
 *     2. `$XDG_STATE_HOME/factordesk`;
 *     3. `~/.local/state/factordesk`.
 *
 *   Runtime directory (socket, pid file, startup lock; per user, 0700):
 *     1. `$XDG_RUNTIME_DIR/factordesk`;
 *     2. `/tmp/factordesk-<uid>`;
 *     and step 2 also when the socket path of step 1 would not fit in a Unix socket address (107 bytes).
 *
 *   Hub directory (`factordesk hub`: config, SQLite store, certificate, issued secret-key files, log):
 *     1. the `--hub-dir <dir>` option;
 *     2. `$XDG_DATA_HOME/factordesk-hub`;
 *     3. `~/.local/share/factordesk-hub`.
 *   The local hub a daemon creates when no hub is configured lives in `<dataDir>/hub` (see localHubDir).
 *
 *   Files inside them: the socket is `daemon-<hash>.sock` where `<hash>` is a short hash of the absolute data
 *   directory, so two daemons with different data directories run side by side; the pid file and the startup
 *   lock share that stem. The replica is `<dataDir>/replica.sqlite`, the config `<dataDir>/config.json`, the log
 *   `<stateDir>/daemon.log`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FactordeskError } from './errors.js';

export interface ResolvedPaths {
  dataDir: string;
  stateDir: string;
  runtimeDir: string;
  socketPath: string;
  logFile: string;
  dbFile: string;
  configFile: string;
  pidFile: string;
  /** Held (O_EXCL) by a client while it starts the daemon, so two clients don't start two. */
  startLockFile: string;
}

export interface ResolvePathsOptions {
  /** The environment to read (pass `process.env`); nothing else is read from the process except as defaults below. */
  env: Readonly<Record<string, string | undefined>>;
  /** The `--data-dir` option, if given. */
  dataDir?: string;
  /** The OS user id for the `/tmp` fallback (default `process.getuid()`). */
  uid?: number;
  /** Home directory when `$HOME` is unset (default `os.homedir()`). */
  home?: string;
  /** Base for relative directories (default `process.cwd()`). */
  cwd?: string;
}

/** The longest Unix socket path Linux accepts (`sun_path` is 108 bytes including the terminating NUL). */
export const MAX_SOCKET_PATH_BYTES = 107;

const APP = 'factordesk';

/** Resolves every factordesk location from an environment and the `--data-dir` option; reads no files. */
export function resolvePaths(options: ResolvePathsOptions): ResolvedPaths {
  const { env } = options;
  const cwd = options.cwd ?? process.cwd();
  const home = nonEmpty(env.HOME) ?? options.home ?? os.homedir();
  const uid = options.uid ?? process.getuid?.() ?? 0;
  const expand = (p: string) => path.resolve(cwd, expandHome(p, home));

  const explicit = nonEmpty(options.dataDir) ?? nonEmpty(env.FACTORDESK_HOME);
  const dataDir = explicit !== undefined ? expand(explicit) : path.join(xdgDir(env.XDG_DATA_HOME) ?? path.join(home, '.local', 'share'), APP);
  const stateDir =
    explicit !== undefined ? path.join(dataDir, 'state') : path.join(xdgDir(env.XDG_STATE_HOME) ?? path.join(home, '.local', 'state'), APP);

  const stem = `daemon-${dataDirHash(dataDir)}`;
  const fallbackRuntime = path.join('/tmp', `${APP}-${uid}`);
  const xdgRuntime = xdgDir(env.XDG_RUNTIME_DIR);
  let runtimeDir = xdgRuntime !== undefined ? path.join(xdgRuntime, APP) : fallbackRuntime;
  if (Buffer.byteLength(path.join(runtimeDir, `${stem}.sock`)) > MAX_SOCKET_PATH_BYTES) runtimeDir = fallbackRuntime;

  return {
    dataDir,
    stateDir,
    runtimeDir,
    socketPath: path.join(runtimeDir, `${stem}.sock`),
    pidFile: path.join(runtimeDir, `${stem}.pid`),
    startLockFile: path.join(runtimeDir, `${stem}.lock`),
    logFile: path.join(stateDir, 'daemon.log'),
    dbFile: path.join(dataDir, 'replica.sqlite'),
    configFile: path.join(dataDir, 'config.json'),
  };
}

const HUB_APP = 'factordesk-hub';

/** Where the files of one hub directory are. */
export interface HubPaths {
  hubDir: string;
  /** `hub.json`: listen address, store URL, TLS files, hub id (0600: a PostgreSQL URL may hold a password). */
  configFile: string;
  /** The default SQLite store. */
  dbFile: string;
  certFile: string;
  keyFile: string;
  /** Secret-key files of issued credentials, one per key (0600, in a 0700 directory). */
  credentialsDir: string;
  logFile: string;
  /** Written by a serving hub: its pid, URL and certificate fingerprint; removed on a clean stop. */
  runtimeFile: string;
  /** Held (O_EXCL) while a daemon starts the local hub, so two daemons don't start two. */
  startLockFile: string;
}

/** Resolves the hub directory from the `--hub-dir` option and the environment; reads no files. */
export function resolveHubDir(options: ResolvePathsOptions & { hubDir?: string }): string {
  const cwd = options.cwd ?? process.cwd();
  const home = nonEmpty(options.env.HOME) ?? options.home ?? os.homedir();
  const explicit = nonEmpty(options.hubDir);
  if (explicit !== undefined) return path.resolve(cwd, expandHome(explicit, home));
  return path.join(xdgDir(options.env.XDG_DATA_HOME) ?? path.join(home, '.local', 'share'), HUB_APP);
}

/** The directory of the local hub a daemon creates for its data directory. */
export function localHubDir(dataDir: string): string {
  return path.join(dataDir, 'hub');
}

/** The files of a hub directory. */
export function hubPaths(hubDir: string): HubPaths {
  const dir = path.resolve(hubDir);
  return {
    hubDir: dir,
    configFile: path.join(dir, 'hub.json'),
    dbFile: path.join(dir, 'hub.sqlite'),
    certFile: path.join(dir, 'tls', 'cert.pem'),
    keyFile: path.join(dir, 'tls', 'key.pem'),
    credentialsDir: path.join(dir, 'credentials'),
    logFile: path.join(dir, 'hub.log'),
    runtimeFile: path.join(dir, 'serving.json'),
    startLockFile: path.join(dir, 'start.lock'),
  };
}

/** A short, stable name for a data directory (first 12 hex digits of the SHA-256 of its absolute path). */
export function dataDirHash(absoluteDataDir: string): string {
  return createHash('sha256').update(absoluteDataDir).digest('hex').slice(0, 12);
}

/**
 * Creates the runtime directory (mode 0700) if needed and checks it is safe to put the socket in: not a symlink,
 * owned by us, not reachable by group or others (the mode is tightened when we own it).
 */
export function ensureRuntimeDir(dir: string, uid: number = process.getuid?.() ?? 0): void {
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = fs.lstatSync(dir);
  const hint = `remove ${dir} or point XDG_RUNTIME_DIR at a private directory`;
  if (st.isSymbolicLink()) {
    throw new FactordeskError('REFUSED', `the runtime directory ${dir} is a symbolic link; refusing to use it`, { hint });
  }
  if (!st.isDirectory()) {
    throw new FactordeskError('REFUSED', `the runtime directory ${dir} is not a directory`, { hint });
  }
  if (st.uid !== uid) {
    throw new FactordeskError('REFUSED', `the runtime directory ${dir} belongs to another user (uid ${st.uid})`, { hint });
  }
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

/** Creates a private directory (0700) and its parents if missing; existing directories are left as they are. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** XDG base directories must be absolute; anything else is ignored. */
function xdgDir(value: string | undefined): string | undefined {
  const v = nonEmpty(value);
  return v !== undefined && path.isAbsolute(v) ? v : undefined;
}

function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

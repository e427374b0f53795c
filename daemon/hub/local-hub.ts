/**
 * Zero setup for one administrator: with no hub configured, the daemon calls `ensureLocalHub({dataDir})`, which
 * creates (once) a hub in `<dataDir>/hub` — SQLite, plain HTTP on 127.0.0.1 on a port picked free at creation
 * and recorded in its hub.json, an Owner named after the OS user with a credential — starts it as a detached
 * child process (`factordesk hub serve --hub-dir …`) when it is not running, waits until it answers a signed
 * whoami, and returns where it is and how to sign requests to it.
 *
 * The Owner's credential is kept in `<hubDir>/local-owner.json` (ikey, secret-key file): the daemon is its only
 * user. A startup lock keeps two callers from creating or starting it twice.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnDetached } from '../../src/detached-process.js';
import { freePort } from '../../src/free-port.js';
import { isAlive } from '../../src/process-alive.js';
import type { Logger } from 'pino';
import { signRequest } from '../../src/auth/duo-signature.js';
import { FactordeskError } from '../../src/errors.js';
import { hubPaths, localHubDir } from '../../src/paths.js';
import { WHOAMI_PATH, type WhoAmI } from '../../src/sync/protocol.js';
import { readSecretKeyFile } from './credentials.js';
import { readHubConfig, writeHubConfig } from './hub-config.js';
import { initHub } from './hub-init.js';
import { readServingInfo } from './run-hub.js';
import { tryAcquireStartLock } from '../start-lock.js';

export interface EnsureLocalHubOptions {
  /** The daemon's data directory; the hub lives in `<dataDir>/hub`. */
  dataDir: string;
  log?: Logger;
  /** The environment the hub process gets (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** The Owner made on creation (default: named after the OS user, a new admin_id). */
  owner?: { name?: string; email?: string; admin_id?: string };
  /** How long to wait for the hub to answer (default 30 s). */
  timeoutMs?: number;
}

/** The local hub, running, and the Owner credential the daemon signs with. */
export interface LocalHub {
  hubDir: string;
  /** `http://127.0.0.1:PORT`. */
  url: string;
  hub_id: string;
  admin_id: string;
  ikey: string;
  skey: string;
  /** Never set for the local hub (plain HTTP on loopback); present for symmetry with team hubs. */
  fingerprint?: string;
  /** The hub process. */
  pid: number;
  /** Stops the hub process (the daemon of this data directory is its only client). */
  stop(): Promise<void>;
}

interface LocalOwnerRecord {
  admin_id: string;
  ikey: string;
  skey_file: string;
}

const LOCAL_OWNER_FILE = 'local-owner.json';
const DEFAULT_TIMEOUT_MS = 30_000;
const LOCK_STALE_MS = 15_000;

/** Creates the local hub when needed, starts it when it is not running, and returns it once it answers. */
export async function ensureLocalHub(options: EnsureLocalHubOptions): Promise<LocalHub> {
  const hubDir = localHubDir(path.resolve(options.dataDir));
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const env = options.env ?? process.env;
  for (;;) {
    const ready = await readyHub(hubDir);
    if (ready) return ready;
    const lock = tryAcquireStartLock(hubPaths(hubDir).startLockFile, LOCK_STALE_MS, (pid) => !isAlive(pid));
    if (lock) {
      try {
        if (!fs.existsSync(path.join(hubDir, LOCAL_OWNER_FILE))) await createLocalHub(hubDir, options);
        const again = await readyHub(hubDir);
        if (again) return again;
        return await startLocalHubProcess(hubDir, env, deadline, options.log, lock.refresh);
      } finally {
        lock.release();
      }
    }
    // Someone else is creating or starting it: wait for them.
    if (Date.now() > deadline) {
      throw new FactordeskError('UNAVAILABLE', `the local hub in ${hubDir} did not start in time`, { hint: `see ${hubPaths(hubDir).logFile}` });
    }
    await sleep(100);
  }
}

/** Creates the local hub directory: SQLite, loopback on a free port, an Owner credential for the daemon. */
async function createLocalHub(hubDir: string, options: EnsureLocalHubOptions): Promise<void> {
  const paths = hubPaths(hubDir);
  if (!fs.existsSync(paths.configFile)) {
    const port = await freePort();
    const result = await initHub({ hubDir, listen: { host: '127.0.0.1', port }, ...(options.owner ? { owner: options.owner } : {}) });
    if (!result.owner) throw new FactordeskError('INTERNAL', 'the new local hub made no Owner credential');
    writeOwnerRecord(hubDir, { admin_id: result.owner.admin.admin_id, ikey: result.owner.ikey, skey_file: result.owner.skeyFile });
    options.log?.info({ hubDir, url: `http://127.0.0.1:${port}`, admin_id: result.owner.admin.admin_id }, 'local hub created');
    return;
  }
  throw new FactordeskError('REFUSED', `${hubDir} holds a hub without the daemon's credential (${LOCAL_OWNER_FILE})`, {
    hint: `move ${hubDir} away to let the daemon create a new local hub, or configure the daemon with \`factordesk login\``,
  });
}

function writeOwnerRecord(hubDir: string, record: LocalOwnerRecord): void {
  fs.writeFileSync(path.join(hubDir, LOCAL_OWNER_FILE), JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
}

function readOwnerRecord(hubDir: string): LocalOwnerRecord | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(path.join(hubDir, LOCAL_OWNER_FILE), 'utf8')) as LocalOwnerRecord;
    return typeof record.ikey === 'string' && typeof record.skey_file === 'string' ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The hub, when it is created, serving and answers a signed whoami with the daemon's credential. */
async function readyHub(hubDir: string): Promise<LocalHub | undefined> {
  const record = readOwnerRecord(hubDir);
  const serving = readServingInfo(hubDir);
  if (!record || !serving) return undefined;
  const skey = readSecretKeyFile(record.skey_file);
  const who = await whoami(serving.url, record.ikey, skey).catch(() => undefined);
  if (!who) return undefined;
  return {
    hubDir,
    url: serving.url,
    hub_id: who.hub_id,
    admin_id: who.identity.admin_id,
    ikey: record.ikey,
    skey,
    pid: serving.pid,
    stop: () => stopHubProcess(hubDir),
  };
}

/** Spawns `hub serve` detached and waits until it answers; moves to another free port if its own is taken. */
async function startLocalHubProcess(
  hubDir: string,
  env: Readonly<Record<string, string | undefined>>,
  deadline: number,
  log: Logger | undefined,
  keepLock: () => void,
): Promise<LocalHub> {
  let movedPort = false;
  for (;;) {
    const child = spawnHub(hubDir, env);
    log?.info({ hubDir, pid: child.pid }, 'starting the local hub');
    let exited: number | undefined | null = null;
    void child.exited.then((code) => (exited = code));
    for (;;) {
      keepLock();
      const ready = await readyHub(hubDir);
      if (ready) return ready;
      if (exited !== null) break;
      if (Date.now() > deadline) {
        throw new FactordeskError('UNAVAILABLE', `the local hub in ${hubDir} did not answer in time`, { hint: `see ${hubPaths(hubDir).logFile}` });
      }
      await sleep(100);
    }
    const config = readHubConfig(hubDir);
    if (!movedPort && !(await portFree(config.listen.host, config.listen.port))) {
      // Another program took the port since the hub was made: pick another and record it.
      movedPort = true;
      const port = await freePort();
      log?.warn({ hubDir, from: config.listen.port, to: port }, 'the local hub port is taken; moving it');
      writeHubConfig(hubDir, { ...config, listen: { ...config.listen, port } });
      continue;
    }
    throw new FactordeskError('UNAVAILABLE', `the local hub in ${hubDir} exited with code ${String(exited)} before it was ready`, {
      hint: `see ${hubPaths(hubDir).logFile}`,
    });
  }
}

/** The command line that serves a hub directory with this very installation (like the daemon's autostart). */
export function hubServeCommand(hubDir: string): { file: string; args: string[] } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const compiled = path.resolve(here, '../../tui/cli/main.js');
  const source = path.resolve(here, '../../tui/cli/main.ts');
  const entry = fs.existsSync(compiled) ? compiled : source;
  const nodeArgs = entry.endsWith('.ts') ? ['--import', tsxLoaderUrl()] : process.execArgv.filter((a) => !/^--(inspect|debug)/.test(a));
  return { file: process.execPath, args: [...nodeArgs, entry, 'hub', 'serve', '--hub-dir', hubDir] };
}

function tsxLoaderUrl(): string {
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(path.join(path.dirname(pkg), 'dist', 'loader.mjs')).href;
}

/** Spawns `factordesk hub serve` detached, without stdio, so it outlives its parent. */
export function spawnHub(hubDir: string, env: Readonly<Record<string, string | undefined>> = process.env): { pid: number | undefined; exited: Promise<number | undefined> } {
  const { file, args } = hubServeCommand(hubDir);
  return spawnDetached(file, args, env);
}

/** Stops the hub serving a directory (SIGTERM, then SIGKILL after `timeoutMs`); resolves once it has gone. */
export async function stopHubProcess(hubDir: string, timeoutMs = 10_000): Promise<void> {
  const serving = readServingInfo(hubDir);
  if (!serving) return;
  try {
    process.kill(serving.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(serving.pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(serving.pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
      return;
    }
    await sleep(50);
  }
}

/** A signed whoami over plain HTTP (the local hub's): who the key is, or a rejection. */
export function whoami(url: string, ikey: string, skey: string, timeoutMs = 2000): Promise<WhoAmI> {
  const base = new URL(url);
  const headers = signRequest({ ikey, skey, date: new Date(), method: 'GET', host: base.host.toLowerCase(), path: WHOAMI_PATH, params: {} });
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname: base.hostname.replace(/^\[|\]$/g, ''), port: base.port, path: WHOAMI_PATH, method: 'GET', headers: { ...headers }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WhoAmI;
            if (res.statusCode === 200) resolve(body);
            else reject(new Error(`whoami answered ${res.statusCode}`));
          } catch (e) {
            reject(e as Error);
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('whoami timed out')));
    request.on('error', reject);
    request.end();
  });
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

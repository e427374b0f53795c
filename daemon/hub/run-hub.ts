/**
 * The hub process's life cycle (`factordesk hub serve`): read the hub directory, open and check the store, load
 * TLS, listen, record where it serves (`serving.json`: pid, URL, fingerprint), and on SIGTERM/SIGINT stop
 * cleanly. SIGHUP tells every stream client to resync: `hub admin` commands send it after changing the store
 * from outside (SQLite commits of another process are not notified otherwise).
 */
import fs from 'node:fs';
import type { LevelWithSilent } from 'pino';
import { FactordeskError } from '../../src/errors.js';
import { hubPaths } from '../../src/paths.js';
import { isAlive } from '../../src/process-alive.js';
import { createLogger } from '../logger.js';
import { checkStoreIdentity } from './hub-init.js';
import { readHubConfig, storeUrlOf, tlsFilesOf } from './hub-config.js';
import { startHubServer, type HubServer } from './server.js';
import { openStore, type HubStore } from './store.js';
import { loadTls } from './tls.js';

/** What a serving hub records in its directory. */
export interface ServingInfo {
  pid: number;
  url: string;
  fingerprint?: string;
  hub_id: string;
  /** Epoch milliseconds. */
  started: number;
}

export interface StartHubOptions {
  hubDir: string;
  logLevel?: LevelWithSilent;
  pingIntervalMs?: number;
}

/** A hub running in this process. */
export interface HubHandle {
  readonly info: ServingInfo;
  readonly server: HubServer;
  /** Resolves once it has stopped. */
  readonly stopped: Promise<void>;
  stop(reason: string): Promise<void>;
}

/** Where the hub of a directory serves, when one does (a record left by a dead process counts as none). */
export function readServingInfo(hubDir: string): ServingInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(hubPaths(hubDir).runtimeFile, 'utf8')) as ServingInfo;
    return typeof info.pid === 'number' && typeof info.url === 'string' && isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the hub of a directory inside this process (no signal handlers): for `runHub` and tests. */
export async function startHub(options: StartHubOptions): Promise<HubHandle> {
  const paths = hubPaths(options.hubDir);
  const config = readHubConfig(paths.hubDir);
  const running = readServingInfo(paths.hubDir);
  if (running && running.pid !== process.pid) {
    throw new FactordeskError('CONFLICT', `the hub in ${paths.hubDir} is already serving at ${running.url} (pid ${running.pid})`, {
      hint: 'stop it first (kill -TERM the pid), or serve another hub directory',
    });
  }
  const logger = createLogger({ logFile: paths.logFile, level: options.logLevel ?? 'info', base: { pid: process.pid, hub: config.hub_id } });
  const { log } = logger;
  let store: HubStore | undefined;
  let server: HubServer;
  try {
    const tls = config.tls ? loadTls(tlsFilesOf(config, paths.hubDir) as { cert: string; key: string }) : undefined;
    store = await openStore(storeUrlOf(config, paths.hubDir));
    await checkStoreIdentity(store, config);
    server = await startHubServer({
      store,
      config,
      log,
      ...(tls ? { tls } : {}),
      ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
    });
  } catch (err) {
    log.error({ err }, 'hub did not start');
    await store?.close().catch(() => undefined);
    logger.flush();
    await logger.close();
    throw err;
  }
  const info: ServingInfo = {
    pid: process.pid,
    url: server.url,
    ...(server.fingerprint ? { fingerprint: server.fingerprint } : {}),
    hub_id: config.hub_id,
    started: Date.now(),
  };
  fs.writeFileSync(paths.runtimeFile, JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
  log.info({ url: info.url, fingerprint: info.fingerprint, backend: store.backend }, 'hub started');

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  const openStoreRef = store;
  const stop = (reason: string) =>
    (stopping ??= (async () => {
      log.info({ reason }, 'hub stopping');
      await server.close().catch((err: unknown) => log.error({ err }, 'closing the server failed'));
      await openStoreRef.close().catch((err: unknown) => log.error({ err }, 'closing the store failed'));
      try {
        const recorded = JSON.parse(fs.readFileSync(paths.runtimeFile, 'utf8')) as ServingInfo;
        if (recorded.pid === process.pid) fs.unlinkSync(paths.runtimeFile);
      } catch {
        // already gone
      }
      log.info('hub stopped');
      logger.flush();
      await logger.close();
      resolveStopped();
    })());
  return { info, server, stopped, stop };
}

/**
 * Runs the hub in the foreground until SIGTERM or SIGINT; returns the exit code. `onReady` hears where it serves.
 */
export async function runHub(options: StartHubOptions & { onReady?(info: ServingInfo): void }): Promise<number> {
  const handle = await startHub(options);
  const onStop = (signal: NodeJS.Signals) => void handle.stop(signal);
  const onHup = () => handle.server.resync();
  process.on('SIGTERM', onStop);
  process.on('SIGINT', onStop);
  process.on('SIGHUP', onHup);
  try {
    options.onReady?.(handle.info);
    await handle.stopped;
    return 0;
  } finally {
    process.off('SIGTERM', onStop);
    process.off('SIGINT', onStop);
    process.off('SIGHUP', onHup);
  }
}

/** Asks the hub serving a directory, if any, to tell its stream clients to resync (after an outside change). */
export function signalResync(hubDir: string): boolean {
  const info = readServingInfo(hubDir);
  if (!info) return false;
  try {
    process.kill(info.pid, 'SIGHUP');
    return true;
  } catch {
    return false;
  }
}

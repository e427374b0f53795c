/**
 * The daemon's life cycle: refuse to run twice for one data directory, open the service, listen on the socket,
 * write the pid file, and on SIGTERM/SIGINT or `session.shutdown` stop accepting, close the service and remove
 * the socket and pid file.
 */
import fs from 'node:fs';
import net from 'node:net';
import { FactordeskError } from '../src/errors.js';
import { ensurePrivateDir, ensureRuntimeDir, type ResolvedPaths } from '../src/paths.js';
import { packageVersion } from '../src/version.js';
import { createLogger, type Logger } from './logger.js';
import { startRpcServer, type RpcHandlers, type RpcServer } from './rpc-server.js';

/** What the service is handed when the daemon opens it. */
export interface OpenServiceContext {
  paths: ResolvedPaths;
  log: Logger;
  /** Asks the daemon to shut down (after the current response has gone out); used by `session.shutdown`. */
  requestShutdown(): void;
}

/** The daemon's command layer as the process sees it: handlers to serve, and a close for shutdown. */
export interface DaemonService {
  handlers: RpcHandlers;
  close(): Promise<void>;
}

export type OpenService = (ctx: OpenServiceContext) => Promise<DaemonService>;

export interface StartDaemonOptions {
  paths: ResolvedPaths;
  openService: OpenService;
  log: Logger;
}

export interface DaemonHandle {
  readonly server: RpcServer;
  /** Resolves once the daemon has fully stopped; rejects if closing the service failed. */
  readonly stopped: Promise<void>;
  /** Stops the daemon (idempotent). */
  shutdown(reason: string): Promise<void>;
}

/** Where a socket path stands: a daemon answers, a dead one left its file, or there is none. */
export type SocketState = 'live' | 'refused' | 'missing';

/** Starts the daemon inside this process (no signal handlers, no process exit): for `runDaemon` and tests. */
export async function startDaemon(options: StartDaemonOptions): Promise<DaemonHandle> {
  const { paths, log } = options;
  ensurePrivateDir(paths.dataDir);
  ensureRuntimeDir(paths.runtimeDir);
  await refuseIfLive(paths);

  let shutdownRequested = false;
  let handle: DaemonHandle | undefined;
  const requestShutdown = () => {
    shutdownRequested = true;
    // Let the response to `session.shutdown` go out before the connections close.
    if (handle) setTimeout(() => void handle?.shutdown('session.shutdown').catch(() => undefined), 20);
  };

  const service = await options.openService({ paths, log, requestShutdown });
  let server: RpcServer;
  try {
    // A daemon may have started between the first check and the service opening (a service without an
    // exclusive lock cannot tell): check again, and only then remove a file nobody answers on.
    await refuseIfLive(paths);
    removeStaleSocket(paths.socketPath, log);
    server = await startRpcServer({ socketPath: paths.socketPath, handlers: service.handlers, log, logFile: paths.logFile });
  } catch (e) {
    await service.close().catch((err: unknown) => log.error({ err }, 'closing the service failed'));
    throw e;
  }
  fs.writeFileSync(paths.pidFile, `${process.pid}\n`, { mode: 0o600 });
  log.info({ version: packageVersion(), dataDir: paths.dataDir, socket: paths.socketPath }, 'daemon started');

  let stopping: Promise<void> | undefined;
  let resolveStopped!: () => void;
  let rejectStopped!: (e: unknown) => void;
  const stopped = new Promise<void>((resolve, reject) => {
    resolveStopped = resolve;
    rejectStopped = reject;
  });
  stopped.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection

  handle = {
    server,
    stopped,
    shutdown(reason: string) {
      stopping ??= (async () => {
        log.info({ reason }, 'daemon stopping');
        let failure: unknown;
        await server.close().catch((e: unknown) => (failure ??= e));
        await service.close().catch((e: unknown) => (failure ??= e));
        removeOwnPidFile(paths.pidFile);
        if (failure !== undefined) {
          log.error({ err: failure }, 'daemon stopped with an error');
          rejectStopped(failure);
          throw failure;
        }
        log.info('daemon stopped');
        resolveStopped();
      })();
      return stopping;
    },
  };
  if (shutdownRequested) requestShutdown();
  return handle;
}

export interface RunDaemonOptions {
  paths: ResolvedPaths;
  openService: OpenService;
  /** Default: a pino logger on `paths.logFile`. */
  log?: Logger;
  logLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Called once the daemon is serving (e.g. to print a line in the foreground). */
  onReady?: (handle: DaemonHandle) => void;
}

/**
 * Runs the daemon in the foreground until SIGTERM, SIGINT or `session.shutdown`; resolves the exit code (0 after
 * a clean stop). Fails (rejects) with a FactordeskError when it cannot start, e.g. CONFLICT when a daemon already
 * serves this data directory. An uncaught exception is logged and ends the process with code 1.
 */
export async function runDaemon(options: RunDaemonOptions): Promise<number> {
  const { paths } = options;
  // Everything the daemon creates (replica, WAL, log, pid file) describes the account: owner-only.
  process.umask(0o077);
  const logger = options.log ? { log: options.log, flush: () => undefined } : createLogger({ logFile: paths.logFile, level: options.logLevel });
  const { log, flush } = logger;

  let serving = false;
  const onFatal = (err: unknown, origin: string) => {
    log.fatal({ err, origin }, 'daemon crashed');
    // Before we listen, the socket file (if any) belongs to another daemon.
    if (serving) removeFileQuietly(paths.socketPath);
    removeOwnPidFile(paths.pidFile);
    flush();
    process.exit(1);
  };
  const onUncaught = (err: Error) => onFatal(err, 'uncaughtException');
  const onUnhandled = (reason: unknown) => onFatal(reason, 'unhandledRejection');
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUnhandled);

  let handle: DaemonHandle;
  try {
    handle = await startDaemon({ paths, openService: options.openService, log });
  } catch (e) {
    log.error({ err: e }, 'daemon did not start');
    flush();
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUnhandled);
    throw e;
  }
  serving = true;

  const onSignal = (signal: NodeJS.Signals) => void handle.shutdown(signal).catch(() => undefined);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  options.onReady?.(handle);

  let code = 0;
  try {
    await handle.stopped;
  } catch {
    code = 1;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUnhandled);
    flush();
  }
  return code;
}

/** Tries to connect to a socket path to learn whether a daemon is behind it. */
export function probeSocket(socketPath: string, timeoutMs = 2000): Promise<SocketState> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    const done = (state: SocketState) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(state);
    };
    // A hung daemon still holds its socket: never treat a slow answer as a stale file.
    const timer = setTimeout(() => done('live'), timeoutMs);
    socket.once('connect', () => done('live'));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') done('missing');
      else if (err.code === 'ECONNREFUSED' || err.code === 'ENOTSOCK') done('refused');
      else done('live');
    });
  });
}

async function refuseIfLive(paths: ResolvedPaths): Promise<void> {
  if ((await probeSocket(paths.socketPath)) !== 'live') return;
  const pid = readPid(paths.pidFile);
  throw new FactordeskError('CONFLICT', `a daemon is already running for ${paths.dataDir}${pid ? ` (pid ${pid})` : ''}`, {
    hint: 'stop it with `factordesk daemon stop`, or use another --data-dir',
  });
}

/** Removes the socket file only when nobody answers on it (checked by the caller just before). */
function removeStaleSocket(socketPath: string, log: Logger): void {
  if (!fs.existsSync(socketPath)) return;
  fs.unlinkSync(socketPath);
  log.info({ socket: socketPath }, 'removed a stale socket');
}

/** The pid in a pid file, if it holds one. */
export function readPid(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A newer daemon may already have written its own pid: only our own file is removed. */
function removeOwnPidFile(pidFile: string): void {
  if (readPid(pidFile) === process.pid) removeFileQuietly(pidFile);
}

function removeFileQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

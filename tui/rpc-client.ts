/**
 * The front ends' connection to the daemon: JSON-RPC over the Unix socket, a `session.hello` handshake, errors
 * turned back into FactordeskError, and the daemon started on demand (see autostart.ts).
 */
import net from 'node:net';
import {
  ConnectionError,
  createMessageConnection,
  ResponseError,
  SocketMessageReader,
  SocketMessageWriter,
} from 'vscode-jsonrpc/node.js';
import { FactordeskError } from '../src/errors.js';
import { resolvePaths, type ResolvedPaths } from '../src/paths.js';
import {
  PROTOCOL_VERSION,
  SYNC_CHANGED,
  VIEW_CHANGED,
  type Hello,
  type MethodName,
  type ParamsOf,
  type ResultOf,
  type SyncStatus,
  type ViewUpdate,
} from '../src/rpc/contract.js';
import { fromWireError } from '../src/rpc/errors-wire.js';
import { ensureDaemon, type ProbeResult, type SpawnedDaemon } from './autostart.js';
import type { ConnectOptions, DaemonClient } from './rpc-client-types.js';

export type { ConnectOptions, DaemonClient };

/** Nothing answers on the daemon's socket (and it was not, or could not be, started). Code UNAVAILABLE. */
export class DaemonUnreachableError extends FactordeskError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('UNAVAILABLE', message, options);
    this.name = 'DaemonUnreachableError';
  }
}

/** ConnectOptions plus what tests and the `daemon` commands pass in instead of the process's own. */
export interface ConnectDaemonOptions extends ConnectOptions {
  /** The environment paths are resolved from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Already resolved paths (then `dataDir` is only passed on to a spawned daemon). */
  paths?: ResolvedPaths;
  /** How long to wait for a starting daemon (default 15 s). */
  startTimeoutMs?: number;
  /** Replaces spawning `factordesk daemon run` (tests). */
  spawn?: (paths: ResolvedPaths, dataDirOption: string | undefined) => SpawnedDaemon;
}

const CONNECTION_GONE = new Set([-32097 /* PendingResponseRejected */, -32096 /* ConnectionInactive */, -32099 /* MessageWriteError */]);

/** Connects to the daemon of the data directory (starting it unless `autostart` is false) and shakes hands. */
export async function connectDaemon(options: ConnectDaemonOptions = {}): Promise<DaemonClient> {
  const env = options.env ?? process.env;
  const paths = options.paths ?? resolvePaths({ env, dataDir: options.dataDir });
  const client = options.client ?? 'cli';
  if (options.autostart === false) {
    const result = await probeDaemon(paths, client);
    if (result.state === 'ready') return result.client;
    if (result.state === 'needs-restart') {
      result.client.close();
      throw new DaemonUnreachableError(`the running daemon cannot serve this client: ${result.reason}`, {
        hint: 'restart it with `factordesk daemon stop` then `factordesk daemon start`',
      });
    }
    throw unreachable(paths);
  }
  try {
    return await ensureDaemon({
      paths,
      dataDirOption: options.dataDir,
      env,
      probe: () => probeDaemon(paths, client),
      stop: (c) => stopDaemon(c, paths),
      spawn: options.spawn,
      timeoutMs: options.startTimeoutMs,
    });
  } catch (e) {
    if (e instanceof FactordeskError && e.code === 'UNAVAILABLE' && !(e instanceof DaemonUnreachableError)) {
      throw new DaemonUnreachableError(e.userMessage, { hint: e.hint, cause: e });
    }
    throw e;
  }
}

/** One look at the daemon: ready (same protocol), needs-restart (another protocol), or unreachable. */
export async function probeDaemon(paths: ResolvedPaths, client = 'probe'): Promise<ProbeResult<DaemonClient>> {
  let c: DaemonClient;
  try {
    c = await openClient(paths.socketPath, { client, logFile: paths.logFile });
  } catch (e) {
    if (e instanceof DaemonUnreachableError) return { state: 'unreachable', reason: e.userMessage };
    throw e;
  }
  if (c.hello.protocol !== PROTOCOL_VERSION) {
    return {
      state: 'needs-restart',
      client: c,
      reason: `it speaks protocol ${c.hello.protocol} (version ${c.hello.version}), this client ${PROTOCOL_VERSION}`,
    };
  }
  return { state: 'ready', client: c };
}

/** Asks a daemon to shut down and waits (up to `timeoutMs`) until nothing answers on its socket any more. */
export async function stopDaemon(client: DaemonClient, paths: ResolvedPaths, timeoutMs = 10_000): Promise<void> {
  const gone = new Promise<void>((resolve) => client.onClose(resolve));
  // The daemon may close the connection before (or instead of) answering: both mean it got the request.
  await Promise.race([client.request('session.shutdown', {}).catch(() => undefined), gone]);
  client.close();
  const deadline = Date.now() + timeoutMs;
  while (await isSocketLive(paths.socketPath)) {
    if (Date.now() > deadline) {
      throw new FactordeskError('UNAVAILABLE', `the daemon (pid ${client.hello.pid}) did not stop within ${Math.round(timeoutMs / 1000)} s`, {
        hint: `see the daemon log ${paths.logFile}; \`kill ${client.hello.pid}\` stops it`,
      });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True when something accepts connections on the socket. */
export function isSocketLive(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface OpenClientOptions {
  client: string;
  /** Named in hints. */
  logFile?: string;
  /** For the connect and the handshake together (default 5 s). */
  timeoutMs?: number;
}

/** Connects to a socket and performs the handshake, whatever protocol the daemon speaks (no autostart). */
export async function openClient(socketPath: string, options: OpenClientOptions): Promise<DaemonClient> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const logHint = options.logFile ? `; its log is ${options.logFile}` : '';
  const socket = await connectSocket(socketPath, timeoutMs, logHint);
  const connection = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket), {
    error: () => undefined,
    warn: () => undefined,
    info: () => undefined,
    log: () => undefined,
  });

  const viewListeners = new Set<(u: ViewUpdate) => void>();
  const syncListeners = new Set<(s: SyncStatus) => void>();
  const closeListeners = new Set<() => void>();
  let closedByUs = false;
  let closed = false;
  socket.on('error', () => undefined); // reported through 'close' and the failing requests
  socket.on('close', () => {
    closed = true;
    connection.dispose();
    if (closedByUs) return;
    for (const fn of [...closeListeners]) fn();
    closeListeners.clear();
  });
  connection.onNotification(VIEW_CHANGED, (update: ViewUpdate) => {
    for (const fn of [...viewListeners]) fn(update);
  });
  connection.onNotification(SYNC_CHANGED, (status: SyncStatus) => {
    for (const fn of [...syncListeners]) fn(status);
  });
  connection.listen();

  const request = async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
    if (closed) throw new DaemonUnreachableError('the connection to the daemon is closed', { hint: `retry the command${logHint}` });
    try {
      return (await connection.sendRequest(method, params)) as ResultOf<M>;
    } catch (e) {
      throw clientError(e, method, logHint);
    }
  };

  let hello: Hello;
  try {
    hello = await withTimeout(request('session.hello', { client: options.client, protocol: PROTOCOL_VERSION }), timeoutMs, () =>
      new FactordeskError('UNAVAILABLE', `the daemon on ${socketPath} did not answer within ${Math.round(timeoutMs / 1000)} s`, {
        hint: `it may be busy or hung${logHint}`,
      }),
    );
  } catch (e) {
    socket.destroy();
    throw e;
  }

  return {
    hello,
    request,
    onViewChanged(listener) {
      viewListeners.add(listener);
      return () => viewListeners.delete(listener);
    },
    onSyncChanged(listener) {
      syncListeners.add(listener);
      return () => syncListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      closedByUs = true;
      connection.dispose();
      socket.end();
    },
  };
}

function connectSocket(socketPath: string, timeoutMs: number, logHint: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new FactordeskError('UNAVAILABLE', `connecting to the daemon on ${socketPath} timed out`, { hint: `it may be hung${logHint}` }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
        reject(new DaemonUnreachableError(`no factordesk daemon is answering on ${socketPath}`, { cause: err }));
      } else {
        reject(
          new FactordeskError('UNAVAILABLE', `cannot connect to the daemon on ${socketPath}: ${err.code ?? err.message}`, {
            hint: 'check the owner and mode of the runtime directory',
            cause: err,
          }),
        );
      }
    });
  });
}

function clientError(e: unknown, method: string, logHint: string): FactordeskError {
  if (e instanceof ResponseError) {
    if (CONNECTION_GONE.has(e.code)) {
      return new DaemonUnreachableError(`the daemon closed the connection during ${method}`, { hint: `retry the command${logHint}`, cause: e });
    }
    return fromWireError({ code: e.code, message: e.message, data: e.data }, method);
  }
  if (e instanceof ConnectionError) {
    return new DaemonUnreachableError(`the connection to the daemon is closed`, { hint: `retry the command${logHint}`, cause: e });
  }
  if (e instanceof FactordeskError) return e;
  return new FactordeskError('INTERNAL', `the request ${method} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

function unreachable(paths: ResolvedPaths): DaemonUnreachableError {
  return new DaemonUnreachableError(`the factordesk daemon is not running for ${paths.dataDir}`, {
    hint: `start it with \`factordesk daemon start\`; its log is ${paths.logFile}`,
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

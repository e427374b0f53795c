/**
 * The daemon's JSON-RPC 2.0 server on a Unix socket (vscode-jsonrpc, `Content-Length` framing). One message
 * connection per accepted socket; requests are dispatched to typed handlers; errors cross as code + message + hint,
 * never a stack; malformed input gets a JSON-RPC error and never takes the daemon down.
 */
import fs from 'node:fs';
import net from 'node:net';
import {
  createMessageConnection,
  ResponseError,
  SocketMessageReader,
  SocketMessageWriter,
  type DataCallback,
  type Disposable,
  type Logger as JsonRpcLogger,
  type Message,
} from 'vscode-jsonrpc/node.js';
import { FactordeskError, isFactordeskError } from '../src/errors.js';
import {
  SYNC_CHANGED,
  VIEW_CHANGED,
  type MethodName,
  type ParamsOf,
  type ResultOf,
  type SyncStatus,
  type ViewUpdate,
} from '../src/rpc/contract.js';
import { JSONRPC_ERROR, toWireError } from '../src/rpc/errors-wire.js';
import type { Logger } from './logger.js';

/** What a handler knows about the call besides its params. */
export interface RpcCallContext {
  /** Stable for the life of one client connection. */
  connectionId: string;
  /** Pushes a `view.changed` notification to this connection (dropped silently once it is closed). */
  notify(update: ViewUpdate): void;
  /** Pushes a `sync.changed` notification to this connection (dropped silently once it is closed). */
  notifySync(status: SyncStatus): void;
  /** Runs `fn` once when this connection closes (at once if it already has). */
  onClose(fn: () => void): void;
}

/** One handler per contract method, typed from src/rpc/contract.ts. */
export type RpcHandlers = {
  [M in MethodName]: (params: ParamsOf<M>, ctx: RpcCallContext) => Promise<ResultOf<M>>;
};

export interface RpcServerOptions {
  socketPath: string;
  handlers: RpcHandlers;
  log: Logger;
  /** Named in the message a client gets for an internal error. */
  logFile?: string;
  /** Called for each accepted connection. */
  onConnection?: (connectionId: string) => void;
}

export interface RpcServer {
  readonly socketPath: string;
  /** Number of open client connections. */
  connectionCount(): number;
  /** Stops accepting, closes every connection (pending responses are flushed first) and removes the socket file. */
  close(): Promise<void>;
}

/** Starts listening on `socketPath` (mode 0600); the caller has made the directory private and removed stale sockets. */
export async function startRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const { socketPath, log } = options;
  const connections = new Map<string, ClientConnection>();
  let nextId = 1;

  const server = net.createServer((socket) => {
    const connectionId = `c${nextId++}`;
    const conn = openClientConnection(socket, connectionId, options);
    connections.set(connectionId, conn);
    conn.closed.then(() => connections.delete(connectionId));
    options.onConnection?.(connectionId);
  });
  server.on('error', (err) => log.error({ err }, 'rpc server error'));

  await listenPrivately(server, socketPath);
  log.info({ socket: socketPath }, 'rpc server listening');

  let closing: Promise<void> | undefined;
  return {
    socketPath,
    connectionCount: () => connections.size,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...connections.values()].map((c) => c.close()));
        await serverClosed;
        removeSocketFile(socketPath);
        log.info({ socket: socketPath }, 'rpc server closed');
      })();
      return closing;
    },
  };
}

interface ClientConnection {
  closed: Promise<void>;
  close(): Promise<void>;
}

function openClientConnection(socket: net.Socket, connectionId: string, options: RpcServerOptions): ClientConnection {
  const log = options.log.child({ conn: connectionId });
  const writer = new SocketMessageWriter(socket);
  const sendError = (id: string | number | null, code: number, message: string): Promise<void> =>
    writer.write({ jsonrpc: '2.0', id, error: { code, message } } as Message).catch(() => undefined);
  const reader = new GuardedReader(socket, (invalid) => {
    log.warn('invalid JSON-RPC message');
    void sendError(requestIdOf(invalid), JSONRPC_ERROR.INVALID_REQUEST, 'Invalid Request');
  });
  const connection = createMessageConnection(reader, writer, jsonRpcLogger(log));

  const closeListeners: Array<() => void> = [];
  let isClosed = false;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const markClosed = () => {
    if (isClosed) return;
    isClosed = true;
    connection.dispose();
    for (const fn of closeListeners.splice(0)) {
      try {
        fn();
      } catch (err) {
        log.error({ err }, 'connection close listener failed');
      }
    }
    log.debug('connection closed');
    resolveClosed();
  };

  reader.onError((error) => {
    if ((error as NodeJS.ErrnoException).code !== undefined) {
      log.debug({ err: error }, 'socket error');
      return;
    }
    // A body that is not JSON leaves the framing intact: answer and go on. A bad header means we no longer know
    // where the next message starts: answer, then hang up on this client only.
    const framingLost = !(error instanceof SyntaxError);
    log.warn({ reason: error.message, framingLost }, 'unreadable message from client');
    void sendError(null, JSONRPC_ERROR.PARSE_ERROR, 'Parse error').then(() => {
      if (framingLost) socket.end();
    });
  });
  socket.on('error', (err) => log.debug({ err }, 'socket error'));
  socket.on('close', markClosed);

  const ctx = {
    connectionId,
    notify(update: ViewUpdate) {
      if (isClosed) return;
      connection.sendNotification(VIEW_CHANGED, update).catch((err: unknown) => log.debug({ err }, 'notify failed'));
    },
    notifySync(status: SyncStatus) {
      if (isClosed) return;
      connection.sendNotification(SYNC_CHANGED, status).catch((err: unknown) => log.debug({ err }, 'notify failed'));
    },
    onClose(fn: () => void) {
      if (isClosed) queueMicrotask(fn);
      else closeListeners.push(fn);
    },
  } satisfies RpcCallContext;

  connection.onRequest((method: string, params: unknown) => dispatch(method, params, ctx, options, log));
  connection.listen();
  log.debug('connection opened');

  return {
    closed,
    close() {
      if (isClosed) return closed;
      socket.end();
      // A client that never closes its side must not hold the daemon's shutdown.
      const timer = setTimeout(() => socket.destroy(), 1000);
      timer.unref();
      return closed;
    },
  };
}

async function dispatch(
  method: string,
  params: unknown,
  ctx: RpcCallContext,
  options: RpcServerOptions,
  log: Logger,
): Promise<unknown> {
  const handler = lookupHandler(options.handlers, method);
  if (!handler) {
    log.info({ method }, 'unknown method');
    throw new ResponseError(JSONRPC_ERROR.METHOD_NOT_FOUND, `unknown method: ${method}`);
  }
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) {
    throw new ResponseError(JSONRPC_ERROR.INVALID_PARAMS, `the params of ${method} must be an object`);
  }
  const started = performance.now();
  try {
    const result = await handler(params ?? {}, ctx);
    log.debug({ method, ms: Math.round(performance.now() - started) }, 'request');
    return result;
  } catch (error) {
    if (isFactordeskError(error)) {
      log.info({ method, code: error.code, msg: error.userMessage, err: error.code === 'INTERNAL' ? error : undefined }, 'request refused');
    } else {
      log.error({ method, err: error }, 'request failed with an internal error');
    }
    const wire = toWireError(error, options.logFile);
    throw new ResponseError(wire.code, wire.message, wire.data);
  }
}

type AnyHandler = (params: unknown, ctx: RpcCallContext) => Promise<unknown>;

function lookupHandler(handlers: RpcHandlers, method: string): AnyHandler | undefined {
  // `in Object.prototype` keeps `constructor`, `toString`, … from being callable as methods.
  if (method in Object.prototype) return undefined;
  const h = (handlers as unknown as Record<string, unknown>)[method];
  return typeof h === 'function' ? (h.bind(handlers) as AnyHandler) : undefined;
}

/** Passes on only well-formed JSON-RPC 2.0 messages; vscode-jsonrpc would otherwise drop the rest without an answer. */
class GuardedReader extends SocketMessageReader {
  constructor(
    socket: net.Socket,
    private readonly onInvalid: (message: unknown) => void,
  ) {
    super(socket);
  }

  override listen(callback: DataCallback): Disposable {
    return super.listen((message) => (isJsonRpcMessage(message) ? callback(message) : this.onInvalid(message)));
  }
}

/** True for a request, notification or response object of JSON-RPC 2.0 (batches are not supported). */
export function isJsonRpcMessage(m: unknown): m is Message {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const msg = m as Record<string, unknown>;
  if (msg.jsonrpc !== '2.0') return false;
  const idOk = typeof msg.id === 'string' || typeof msg.id === 'number';
  if ('method' in msg) {
    return typeof msg.method === 'string' && (msg.id === undefined || idOk);
  }
  return ('result' in msg || 'error' in msg) && (idOk || msg.id === null);
}

function requestIdOf(m: unknown): string | number | null {
  if (typeof m !== 'object' || m === null) return null;
  const id = (m as Record<string, unknown>).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

function jsonRpcLogger(log: Logger): JsonRpcLogger {
  return {
    error: (message) => log.warn({ src: 'jsonrpc' }, message),
    warn: (message) => log.warn({ src: 'jsonrpc' }, message),
    info: (message) => log.debug({ src: 'jsonrpc' }, message),
    log: (message) => log.debug({ src: 'jsonrpc' }, message),
  };
}

async function listenPrivately(server: net.Server, socketPath: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(new FactordeskError('CONFLICT', `another daemon is already listening on ${socketPath}`, { cause: err }));
      } else {
        reject(err);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    // The socket is created by bind(), synchronously inside listen(): the umask keeps it 0600 from its first
    // instant, and the chmod below makes sure of it whatever the platform did.
    const previous = process.umask(0o177);
    try {
      server.listen(socketPath);
    } finally {
      process.umask(previous);
    }
  });
  fs.chmodSync(socketPath, 0o600);
}

function removeSocketFile(socketPath: string): void {
  try {
    fs.unlinkSync(socketPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

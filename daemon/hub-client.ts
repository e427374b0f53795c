/**
 * The daemon's side of the wire protocol (src/sync/protocol.ts): signed HTTP requests to a hub and its live
 * WebSocket stream, over TLS with the certificate pinned (hub-tls.ts) or plain HTTP on loopback.
 *
 * Every request is signed like a Duo Admin API request (src/auth/duo-signature.ts): GETs v2 over their query
 * parameters, JSON POSTs v5 over the body, the WebSocket upgrade as a signed GET. Responses may come bare or
 * in Duo's envelope (`{stat: "OK", response}`); failures in Duo's (`{stat: "FAIL", message}`) or as
 * `{error|message}`. The stream reconnects by itself with capped exponential backoff.
 */
import http from 'node:http';
import https from 'node:https';
import { Subject, type Observable } from 'rxjs';
import WebSocket from 'ws';
import { signRequest, type DuoParams } from '../src/auth/duo-signature.js';
import { FactordeskError, type ErrorCode } from '../src/errors.js';
import type { ServerRequest } from '../src/domain/schemas.js';
import type { ActivationView, VerifyResult } from '../src/rpc/contract.js';
import {
  CLIENT_HEADER,
  PROTOCOL_HEADER,
  REQUESTS_PATH,
  STREAM_PATH,
  VERIFY_PATH,
  activationPath,
  type CreateRequestBody,
  SYNC_PROTOCOL_VERSION,
  WHOAMI_PATH,
  pullPath,
  pushPath,
  type Checkpoint,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type StreamMessage,
  type SyncedCollection,
  type WhoAmI,
} from '../src/sync/protocol.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { PinnedAgent, isPinMismatch } from './hub-tls.js';

/** Where the hub is and how to sign for it. */
export interface HubCredentials {
  url: string;
  ikey: string;
  skey: string;
  /** The pinned certificate fingerprint; required for https unless `insecureFirstUse`. */
  fingerprint?: string;
}

export interface HubClientOptions {
  /** The clock for the signed Date header. */
  now?: () => Date;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Backoff of the stream's reconnects and of the replication's retries. */
  backoff?: BackoffOptions;
  /** Sends a ping this often to notice a dead connection (default 15 s). */
  heartbeatMs?: number;
  /** Names this daemon installation to the hub (its audit trail records it). */
  clientId?: string;
}

/** What the stream reports: its own (re)connects and losses, and the hub's messages. */
export type HubStreamEvent = { type: 'open' } | { type: 'closed'; error?: FactordeskError } | StreamMessage;

/** A failed hub request: `status` is the HTTP status when the hub answered. */
export class HubRequestError extends FactordeskError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number | undefined,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.name = 'HubRequestError';
  }
}

/** The replication's view of a hub: what the replication module needs, so tests can hand it a fake. */
export interface HubTransport {
  pull(collection: SyncedCollection, checkpoint: Checkpoint | null, limit: number): Promise<PullResponse>;
  push(collection: SyncedCollection, request: PushRequest): Promise<PushResponse>;
  /** The live stream's events (empty for a transport without one). */
  readonly events$: Observable<HubStreamEvent>;
  /** Resolves when it is time to retry after a failure: after a backoff delay, or as soon as the hub is back. */
  waitBeforeRetry(): Promise<void>;
}

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  params?: Record<string, string>;
  body?: unknown;
}

/** A connection to one hub: signed requests, the live stream, and whether the hub answers. */
export class HubClient implements HubTransport {
  readonly url: string;
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly now: () => Date;
  private readonly timeoutMs: number;
  private readonly retryBackoff: Backoff;
  private readonly events = new Subject<HubStreamEvent>();
  private stream: HubStream | undefined;
  private closed = false;
  private readonly inflight = new Set<AbortController>();
  private readonly waiters = new Set<() => void>();
  /** Epoch ms of the last answered request, and of the last failed one. */
  lastSuccess: number | undefined;
  lastFailure: number | undefined;
  /** Why the last request or connection failed (cleared by a success). */
  lastError: FactordeskError | undefined;

  readonly events$: Observable<HubStreamEvent> = this.events.asObservable();

  constructor(
    private readonly credentials: HubCredentials,
    private readonly options: HubClientOptions = {},
  ) {
    this.base = new URL(credentials.url);
    this.url = this.base.origin;
    this.now = options.now ?? (() => new Date());
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retryBackoff = new Backoff(options.backoff);
    if (this.base.protocol === 'https:') {
      this.agent = new PinnedAgent(credentials.fingerprint, this.url);
    } else if (this.base.protocol === 'http:') {
      this.agent = new http.Agent({ keepAlive: true });
    } else {
      throw new FactordeskError('INVALID_INPUT', `A hub URL must be http(s)://, not ${credentials.url}`);
    }
  }

  /** Who the key belongs to, and the hub's id; refuses a hub speaking another protocol version. */
  async whoami(): Promise<WhoAmI> {
    const who = await this.request<WhoAmI>({ method: 'GET', path: WHOAMI_PATH });
    if (who.protocol !== SYNC_PROTOCOL_VERSION) {
      throw new HubRequestError(
        'REFUSED',
        `The hub at ${this.url} speaks sync protocol ${who.protocol}; this factordesk speaks ${SYNC_PROTOCOL_VERSION}`,
        undefined,
        { hint: 'Run the same factordesk version on the hub and here.' },
      );
    }
    return who;
  }

  /** Documents of `collection` committed after `checkpoint`. */
  pull(collection: SyncedCollection, checkpoint: Checkpoint | null, limit: number): Promise<PullResponse> {
    const params: Record<string, string> = { limit: String(limit) };
    if (checkpoint) params.seq = String(checkpoint.seq);
    return this.request<PullResponse>({ method: 'GET', path: pullPath(collection), params });
  }

  /** Pushes rows with their assumed master states; the hub answers conflicts and refusals. */
  async push(collection: SyncedCollection, request: PushRequest): Promise<PushResponse> {
    const response = await this.request<Partial<PushResponse>>({ method: 'POST', path: pushPath(collection), body: request });
    return { conflicts: response.conflicts ?? [], refused: response.refused ?? [] };
  }

  /** Writes a request with its file (POST REQUESTS_PATH); answers the request as the hub stored it. */
  createRequest(body: CreateRequestBody): Promise<ServerRequest> {
    return this.request<ServerRequest>({ method: 'POST', path: REQUESTS_PATH, body });
  }

  /** A phone's current activation (its otpauth URI): fetched when shown, never stored here. */
  activation(phoneId: string): Promise<ActivationView> {
    return this.request<ActivationView>({ method: 'GET', path: activationPath(phoneId) });
  }

  /** Checks a user's passcode at the hub. */
  verify(body: { user: string; passcode: string }): Promise<VerifyResult> {
    return this.request<VerifyResult>({ method: 'POST', path: VERIFY_PATH, body });
  }

  /** Starts the live stream (once); its events arrive on `events$`. */
  startStream(): void {
    if (this.stream || this.closed) return;
    this.stream = new HubStream(this, this.options);
    this.stream.start((event) => {
      if (event.type === 'open') {
        this.noteSuccess();
        this.wakeWaiters();
      } else if (event.type === 'closed' && event.error) {
        this.noteFailure(event.error);
      }
      this.events.next(event);
    });
  }

  /** True while the stream is connected. */
  get streamConnected(): boolean {
    return this.stream?.connected ?? false;
  }

  /** Online: the stream is up and no request failed since the last one that succeeded. */
  get online(): boolean {
    if (!this.streamConnected) return false;
    return this.lastFailure === undefined || (this.lastSuccess !== undefined && this.lastSuccess >= this.lastFailure);
  }

  waitBeforeRetry(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const delay = this.retryBackoff.next();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, delay);
      this.waiters.add(done);
    });
  }

  /** Stops the stream, aborts requests in flight and frees the connections. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream?.close();
    for (const controller of this.inflight) controller.abort();
    this.wakeWaiters();
    this.events.complete();
    this.agent.destroy();
  }

  /** The signed headers of a request to `path` on this hub. */
  signedHeaders(method: string, path: string, params: DuoParams, body?: string): Record<string, string> {
    const signed = signRequest({
      ikey: this.credentials.ikey,
      skey: this.credentials.skey,
      date: this.now(),
      method,
      host: this.base.host.toLowerCase(),
      path,
      params,
      ...(body === undefined ? {} : { body, version: 5 as const }),
    });
    const headers: Record<string, string> = { Date: signed.Date, Authorization: signed.Authorization };
    if (this.options.clientId !== undefined) headers[CLIENT_HEADER] = this.options.clientId;
    headers[PROTOCOL_HEADER] = String(SYNC_PROTOCOL_VERSION);
    return headers;
  }

  /** A WebSocket to the stream, upgrade signed; the caller attaches its listeners. */
  openSocket(): WebSocket {
    const path = this.fullPath(STREAM_PATH);
    const url = new URL(path, this.base);
    url.protocol = this.base.protocol === 'https:' ? 'wss:' : 'ws:';
    const agent = this.base.protocol === 'https:' ? new PinnedAgent(this.credentials.fingerprint, this.url, { keepAlive: false }) : undefined;
    return new WebSocket(url, {
      headers: this.signedHeaders('GET', path, {}),
      handshakeTimeout: this.timeoutMs,
      perMessageDeflate: false,
      ...(agent ? { agent } : {}),
    });
  }

  /** Records a failure of the stream or a request (for `online` and the status message). */
  noteFailure(error: FactordeskError): void {
    this.lastFailure = Date.now();
    this.lastError = error;
  }

  private noteSuccess(): void {
    this.lastSuccess = Date.now();
    this.lastError = undefined;
    this.retryBackoff.reset();
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private fullPath(path: string): string {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    return `${prefix}${path}`;
  }

  private async request<T>(spec: RequestSpec): Promise<T> {
    if (this.closed) throw new HubRequestError('UNAVAILABLE', 'The hub connection is closed', undefined);
    const path = this.fullPath(spec.path);
    const query = spec.params ? new URLSearchParams(spec.params).toString() : '';
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    const headers: Record<string, string> = {
      ...this.signedHeaders(spec.method, path, spec.params ?? {}, body),
      Accept: 'application/json',
    };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const controller = new AbortController();
    this.inflight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${Math.round(this.timeoutMs / 1000)} s`)), this.timeoutMs);
    try {
      const { status, text } = await this.send(spec.method, path + (query ? `?${query}` : ''), headers, body, controller.signal);
      const result = parseResponse<T>(this.url, spec.path, status, text);
      this.noteSuccess();
      return result;
    } catch (e) {
      const error =
        e instanceof FactordeskError
          ? e
          : new HubRequestError('UNAVAILABLE', `Cannot reach the hub at ${this.url}: ${describeNetworkError(e)}`, undefined, {
              hint: 'Edits are kept and pushed when the hub answers again.',
              cause: e,
            });
      // A refused request (400, 409) is the hub answering: it is reachable, only that request was wrong.
      if (!(error instanceof HubRequestError && (error.code === 'INVALID_INPUT' || error.code === 'CONFLICT'))) this.noteFailure(error);
      throw error;
    } finally {
      clearTimeout(timer);
      this.inflight.delete(controller);
    }
  }

  private send(
    method: string,
    pathAndQuery: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
  ): Promise<{ status: number; text: string }> {
    const transport = this.base.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: this.base.port || (this.base.protocol === 'https:' ? 443 : 80),
          method,
          path: pathAndQuery,
          headers,
          agent: this.agent,
          signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', (err) => reject(isPinMismatch(err) ? err : (signal.aborted && signal.reason instanceof Error ? signal.reason : err)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

/** The reconnecting WebSocket of one client. */
class HubStream {
  connected = false;
  private socket: WebSocket | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly backoff: Backoff;
  private emit: (event: HubStreamEvent) => void = () => undefined;

  constructor(
    private readonly client: HubClient,
    private readonly options: HubClientOptions,
  ) {
    this.backoff = new Backoff(options.backoff);
  }

  start(emit: (event: HubStreamEvent) => void): void {
    this.emit = emit;
    this.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    this.socket?.terminate();
  }

  private connect(): void {
    if (this.closed) return;
    let socket: WebSocket;
    try {
      socket = this.client.openSocket();
    } catch (e) {
      this.lost(toStreamError(this.client.url, e));
      return;
    }
    this.socket = socket;
    let failure: FactordeskError | undefined;
    let alive = true;
    socket.on('open', () => {
      this.connected = true;
      this.backoff.reset();
      alive = true;
      clearInterval(this.heartbeat);
      this.heartbeat = setInterval(() => {
        // No pong since the last ping: the hub (or the network path) is gone without a FIN.
        if (!alive) {
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, this.options.heartbeatMs ?? 15_000);
      this.heartbeat.unref();
      this.emit({ type: 'open' });
    });
    socket.on('pong', () => {
      alive = true;
    });
    socket.on('message', (data) => {
      const message = parseStreamMessage(data.toString());
      if (message) this.emit(message);
    });
    socket.on('unexpected-response', (_req, res) => {
      failure = new HubRequestError(
        res.statusCode === 401 ? 'FORBIDDEN' : 'UNAVAILABLE',
        res.statusCode === 401
          ? `The hub at ${this.client.url} refused the stream: the key was not accepted (401)`
          : `The hub at ${this.client.url} refused the stream (HTTP ${res.statusCode})`,
        res.statusCode,
      );
      res.resume();
      socket.terminate();
    });
    socket.on('error', (err) => {
      failure ??= toStreamError(this.client.url, err);
    });
    socket.on('close', () => {
      clearInterval(this.heartbeat);
      if (this.socket !== socket) return;
      this.socket = undefined;
      const wasConnected = this.connected;
      this.connected = false;
      if (this.closed) return;
      this.lost(failure ?? (wasConnected ? new HubRequestError('UNAVAILABLE', `The hub at ${this.client.url} closed the stream`, undefined) : toStreamError(this.client.url, undefined)));
    });
  }

  private lost(error: FactordeskError): void {
    this.emit({ type: 'closed', error });
    if (this.closed) return;
    this.retryTimer = setTimeout(() => this.connect(), this.backoff.next());
  }
}

function toStreamError(url: string, e: unknown): FactordeskError {
  if (e instanceof FactordeskError) return e;
  if (isPinMismatch(e)) return e as FactordeskError;
  return new HubRequestError('UNAVAILABLE', `Cannot reach the hub at ${url}: ${describeNetworkError(e)}`, undefined, { cause: e });
}

function describeNetworkError(e: unknown): string {
  if (e === undefined) return 'the connection failed';
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ECONNREFUSED') return 'connection refused (is the hub running?)';
  if (err.code === 'ENOTFOUND') return 'unknown host';
  if (err.code === 'ECONNRESET') return 'the connection was reset';
  return err.message ?? String(e);
}

/** A stream message, or undefined for anything this version does not know (ignored, not fatal). */
export function parseStreamMessage(text: string): StreamMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const message = value as { type?: unknown };
  if (message.type === 'RESYNC' || message.type === 'hello' || message.type === 'change') return value as StreamMessage;
  return undefined;
}

/** The payload of a hub answer, or the error it stands for. */
export function parseResponse<T>(url: string, path: string, status: number, text: string): T {
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const envelope = body as { stat?: unknown; response?: unknown; message?: unknown; message_detail?: unknown; error?: unknown } | undefined;
  if (status >= 200 && status < 300) {
    if (envelope && envelope.stat === 'OK' && 'response' in envelope) return envelope.response as T;
    if (body === undefined) {
      throw new HubRequestError('UNAVAILABLE', `The hub at ${url} answered ${path} with something that is not JSON`, status);
    }
    return body as T;
  }
  const detail = [envelope?.message, envelope?.message_detail, typeof envelope?.error === 'string' ? envelope.error : undefined]
    .filter((x): x is string => typeof x === 'string' && x !== '')
    .join(': ');
  const said = detail ? `: ${detail}` : '';
  if (status === 401) {
    return fail(new HubRequestError('FORBIDDEN', `The hub at ${url} did not accept this daemon's key (401)${said}`, status, {
      hint: 'The key may be wrong or revoked, or this clock more than 5 minutes off: run `factordesk login` again with a valid key.',
    }));
  }
  if (status === 403) return fail(new HubRequestError('FORBIDDEN', `The hub at ${url} refused ${path}${said}`, status));
  if (status === 404) return fail(new HubRequestError('UNAVAILABLE', `The hub at ${url} has no ${path} (404): is it a factordesk hub?${said}`, status));
  if (status === 409) return fail(new HubRequestError('CONFLICT', `The hub at ${url} refused ${path}${said}`, status));
  if (status >= 400 && status < 500) return fail(new HubRequestError('INVALID_INPUT', `The hub at ${url} refused ${path} (HTTP ${status})${said}`, status));
  return fail(new HubRequestError('UNAVAILABLE', `The hub at ${url} failed on ${path} (HTTP ${status})${said}`, status));
}

function fail(error: Error): never {
  throw error;
}

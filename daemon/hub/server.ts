/**
 * The hub's HTTP(S) server (fastify, HTTP/1.1) with the WebSocket stream: every request, the WebSocket upgrade
 * included, is authenticated before any handler runs (auth.ts), with the raw body kept for v5 signatures.
 * Failures are Duo envelopes (`{stat:'FAIL', code, message}`); successes are the protocol's shapes.
 */
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import net from 'node:net';
import type { Logger } from 'pino';
import { isFactordeskError, type ErrorCode } from '../../src/errors.js';
import { STREAM_PATH } from '../../src/sync/protocol.js';
import { authenticate, failure, precheck, type Authenticated } from './auth.js';
import { acceptedHostNames, type HubConfig } from './hub-config.js';
import { StreamFanout } from './stream.js';
import type { HubStore } from './store.js';
import { registerSyncRoutes } from './sync-routes.js';
import { DEFAULT_RESYNC_WINDOW } from '../../src/otp/resync.js';
import { tokenImportOperation, tokenReceiveOperation } from './operations/token-import.js';
import { tokenResyncOperation } from './operations/token-resync.js';
import { phonesActivateOperation } from './operations/phone-activation.js';
import { registerActivationRoutes } from './activation-routes.js';
import { smtpMailer } from './mailer.js';
import type { OperationTable } from './requests/operation.js';
import { registerRequestRoutes } from './requests/routes.js';
import { registerAdminApi } from './admin-api/register.js';
import { RequestRunner } from './requests/runner.js';
import { createVerifier } from './verify/verifier.js';
import { registerEnrollRoute } from './enroll/enroll-route.js';
import { registerVerifyRoute } from './verify/verify-route.js';
import type { TlsMaterial } from './tls.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body bytes as received (v5 signatures cover them). */
    rawBody?: Buffer;
    /** The administrator who signed the request, once authenticated. */
    who?: Authenticated;
  }
}

/** Large enough for an initial sync's push batches. */
const BODY_LIMIT = 32 * 1024 * 1024;

export interface HubServerOptions {
  store: HubStore;
  config: HubConfig;
  tls?: TlsMaterial;
  log: Logger;
  /** The hub's clock (tests move it). */
  now?: () => Date;
  pingIntervalMs?: number;
}

export interface HubServer {
  /** Where clients reach it, e.g. `https://127.0.0.1:7443`. */
  readonly url: string;
  readonly port: number;
  /** The certificate fingerprint when serving HTTPS (see tls.ts for the format). */
  readonly fingerprint?: string;
  readonly hubId: string;
  readonly streams: StreamFanout;
  readonly requests: RequestRunner;
  readonly app: FastifyInstance;
  /** Tells every stream client to resync (and re-checks their keys): after a change made outside this process. */
  resync(): void;
  close(): Promise<void>;
}

const STATUS_OF: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  FORBIDDEN: 403,
  REFUSED: 409,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

function urlHost(config: HubConfig): string {
  const host = config.listen.host;
  if (host === '0.0.0.0' || host === '::') {
    const publicHost = config.public_hosts[0]?.replace(/:\d+$/, '');
    return publicHost ?? '127.0.0.1';
  }
  return net.isIP(host) === 6 ? `[${host}]` : host;
}

function parseForm(body: Buffer): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body.toString('utf8'))) {
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/** The parameters a client signed: the form body's for a form POST, else the query string's. */
function signedParams(request: FastifyRequest): URLSearchParams {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded' && request.rawBody) return new URLSearchParams(request.rawBody.toString('utf8'));
  const query = request.url.indexOf('?');
  return new URLSearchParams(query < 0 ? '' : request.url.slice(query + 1));
}

/** Builds the fastify app (routes, hooks, stream) without listening: `startHubServer` listens. */
/** The server-side operations a hub runs, by request kind. */
export const HUB_OPERATIONS: OperationTable = {
  'tokens.import': tokenImportOperation,
  'tokens.receive': tokenReceiveOperation,
  'tokens.resync': tokenResyncOperation,
  'phones.activate': phonesActivateOperation,
};

export async function buildHubApp(
  options: HubServerOptions & { hosts: () => readonly string[] },
): Promise<{ app: FastifyInstance; streams: StreamFanout; requests: RequestRunner }> {
  const { store, config, log } = options;
  const now = options.now ?? (() => new Date());
  const app = Fastify({
    loggerInstance: log,
    // Requests are logged by the auth hook (refusals at info, the rest at debug), not twice per request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
    // One instance type for HTTP and HTTPS (the routes do not care which server is underneath).
  }) as unknown as FastifyInstance;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    if (body.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(body.toString('utf8')));
    } catch {
      done(Object.assign(new Error('the body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    done(null, parseForm(body));
  });

  const streams = new StreamFanout({
    store,
    account: config.account,
    hubId: config.hub_id,
    log,
    ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  app.addHook('onRequest', async (request, reply) => {
    const refused = await precheck(request.headers, { store, account: config.account, now: now() });
    if (!refused) return undefined;
    log.info({ method: request.method, url: request.url, reason: refused.message_detail, ip: request.ip }, 'request refused: 401');
    return reply.code(401).send(refused);
  });

  app.addHook('preHandler', async (request, reply) => {
    const query = request.url.indexOf('?');
    const outcome = await authenticate(
      {
        headers: request.headers,
        method: request.method,
        path: query < 0 ? request.url : request.url.slice(0, query),
        params: signedParams(request),
        ...(request.rawBody ? { body: request.rawBody } : {}),
      },
      { store, account: config.account, hosts: options.hosts(), now: now() },
    );
    if (!outcome.ok) {
      log.info({ method: request.method, url: request.url, reason: outcome.failure.message_detail, ip: request.ip }, 'request refused: 401');
      return reply.code(401).send(outcome.failure);
    }
    request.who = outcome.who;
    log.debug({ method: request.method, url: request.url, admin_id: outcome.who.admin.admin_id }, 'request');
    return undefined;
  });

  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send(failure(404, 1, 'Resource not found'));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isFactordeskError(error)) {
      const status = STATUS_OF[error.code];
      if (status >= 500) log.error({ err: error, url: request.url }, 'request failed');
      return reply.code(status).send(failure(status, 1, error.userMessage, error.hint));
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) {
      log.error({ err: error, url: request.url }, 'request failed');
      return reply.code(500).send(failure(500, 0, 'Internal hub error; see the hub log'));
    }
    return reply.code(status).send(failure(status, 0, error.message));
  });

  registerSyncRoutes(app, { store, account: config.account, hubId: config.hub_id, now });
  registerRequestRoutes(app, { store, account: config.account, now });
  registerActivationRoutes(app, { store, account: config.account, now });
  const verifier = createVerifier({ store, account: config.account, now, log });
  registerVerifyRoute(app, verifier);
  registerEnrollRoute(app, { store, account: config.account, now, verifier });
  registerAdminApi(app, { store, account: config.account, now, resyncWindow: config.resync_window ?? DEFAULT_RESYNC_WINDOW });
  const requests = new RequestRunner({
    store,
    account: config.account,
    hubId: config.hub_id,
    log,
    operations: HUB_OPERATIONS,
    settings: { resyncWindow: config.resync_window ?? DEFAULT_RESYNC_WINDOW, ...(config.smtp ? { mailer: smtpMailer(config.smtp) } : {}) },
    now: () => now().getTime(),
  });
  app.get(STREAM_PATH, { websocket: true }, (socket, request) => {
    if (!request.who) {
      socket.close(1008, 'unauthenticated');
      return;
    }
    streams.attach(socket, request.who);
  });
  return { app, streams, requests };
}

/** Starts the hub server on the configured address and returns once it listens. */
export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  let port = options.config.listen.port;
  let hosts: readonly string[] = acceptedHostNames(options.config, port);
  const { app, streams, requests } = await buildHubApp({ ...options, hosts: () => hosts });
  try {
    await app.listen({ host: options.config.listen.host, port });
  } catch (error) {
    streams.close();
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : port;
  hosts = acceptedHostNames(options.config, port);
  requests.start();
  const url = `${options.tls ? 'https' : 'http'}://${urlHost(options.config)}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    ...(options.tls ? { fingerprint: options.tls.fingerprint } : {}),
    hubId: options.config.hub_id,
    streams,
    requests,
    app,
    resync: () => streams.resync(),
    close: () =>
      (closing ??= (async () => {
        streams.close();
        await requests.close();
        await app.close();
      })()),
  };
}

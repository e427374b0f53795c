/**
 * Duo's official Node client (`@duosecurity/duo_api`, CommonJS without types) as tests use it against a hub, and
 * hand-signed Admin API requests for what the client will not send (tampered signatures, stale dates, a body
 * changed after signing, bursts that must see a 429 rather than the client's back-off).
 *
 * The client is HTTPS-only with Duo's CA pinned in its request options and no way to give a port; Node's agents
 * let their own options win over a request's, so `trustHub` installs a global agent that trusts the hub's
 * self-signed certificate and connects to the hub's port.
 */
import https from 'node:https';
import { createRequire } from 'node:module';
import { signRequest } from '../../../../src/auth/duo-signature.js';

const require = createRequire(import.meta.url);

interface DuoModule {
  Client: new (ikey: string, skey: string, host: string, sigVersion?: number) => {
    jsonApiCall(method: string, path: string, params: Record<string, unknown>, callback: (data: DuoReply) => void): void;
  };
  SIGNATURE_VERSION_2: number;
  SIGNATURE_VERSION_5: number;
}

interface DuoSigModule {
  sign(ikey: string, skey: string, method: string, host: string, path: string, params: Record<string, string>, date: string): string;
}

/** The official client module, and its signing module (for the published test vector). */
export const duoApi = require('@duosecurity/duo_api') as DuoModule;
export const duoSig = require('@duosecurity/duo_api/lib/duo_sig') as DuoSigModule;

/** Duo's envelope as the client hands it back. */
export interface DuoReply<T = unknown> {
  stat: 'OK' | 'FAIL' | 'ERROR';
  response?: T;
  metadata?: { total_objects: number; next_offset?: number; prev_offset?: number };
  code?: number;
  message?: string;
  message_detail?: string;
}

/** An Admin API client signing with one key, v2 (form bodies, as the Node client does by default) or v5 (JSON). */
export interface DuoClient {
  call<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, params?: Record<string, unknown>): Promise<DuoReply<T>>;
}

/** A client of Duo's library for `host` (the name it signs and sends as Host; the port comes from trustHub). */
export function duoClient(credential: { ikey: string; skey: string }, host: string, version: 2 | 5 = 2): DuoClient {
  const client = new duoApi.Client(credential.ikey, credential.skey, host, version === 5 ? duoApi.SIGNATURE_VERSION_5 : duoApi.SIGNATURE_VERSION_2);
  return {
    call: <T>(method: string, path: string, params: Record<string, unknown> = {}) =>
      new Promise<DuoReply<T>>((resolve) => client.jsonApiCall(method, path, params, (data) => resolve(data as DuoReply<T>))),
  };
}

/** Makes https requests (the Duo client's) trust `certPem` and go to `port`; returns the function that undoes it. */
export function trustHub(certPem: string, port: number): () => void {
  const mutable = https as unknown as { globalAgent: https.Agent };
  const previous = mutable.globalAgent;
  const agent = new https.Agent({ ca: certPem, port, keepAlive: false } as https.AgentOptions);
  mutable.globalAgent = agent;
  return () => {
    agent.destroy();
    mutable.globalAgent = previous;
  };
}

/** A hand-signed request: what is signed and what is sent may differ (to tamper). */
export interface RawRequest {
  port: number;
  certPem: string;
  credential: { ikey: string; skey: string };
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  /** Signed as v2 params: the query of a GET/DELETE, the form body of a POST. */
  params?: Record<string, string>;
  /** Send these instead of the signed params (tampering). */
  sendParams?: Record<string, string>;
  date?: Date;
  host?: string;
  /** Default: a new connection per request. */
  agent?: https.Agent;
}

/** Sends a v2-signed request without Duo's client; resolves with the status, Retry-After and the envelope. */
export function rawRequest(request: RawRequest): Promise<{ status: number; retryAfter?: string; body: DuoReply }> {
  const host = request.host ?? '127.0.0.1';
  const params = request.params ?? {};
  const headers: Record<string, string> = {
    ...signRequest({ ikey: request.credential.ikey, skey: request.credential.skey, date: request.date ?? new Date(), method: request.method, host, path: request.path, params }),
    Host: host,
  };
  const sent = new URLSearchParams(request.sendParams ?? params).toString();
  const form = request.method === 'POST';
  if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: request.port,
        method: request.method,
        path: request.path + (!form && sent !== '' ? `?${sent}` : ''),
        headers,
        ca: request.certPem,
        agent: request.agent ?? false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, ...(typeof retryAfter === 'string' ? { retryAfter } : {}), body: JSON.parse(text) as DuoReply });
        });
      },
    );
    req.on('error', reject);
    req.end(form ? sent : undefined);
  });
}

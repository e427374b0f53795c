/**
 * Talks to a hub on the wire the way a daemon does, without the daemon's client: hand-signed requests (so a test
 * can tamper with a signature, a Date or a body), the signed WebSocket stream, and `hub serve` as a process.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import WebSocket from 'ws';
import { signRequest } from '../../src/auth/duo-signature.js';
import { STREAM_PATH, type StreamMessage } from '../../src/sync/protocol.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRY = path.join(ROOT, 'tui/cli/main.ts');

export interface Credential {
  ikey: string;
  skey: string;
}

export interface SignedRequest {
  url: string;
  credential: Credential;
  method?: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  /** A JSON body (signed v5). */
  body?: unknown;
  /** Sign this date instead of now. */
  date?: Date;
  /** Send this body instead of the one signed (tampering). */
  sendBody?: string;
  /** Sign this host instead of the URL's. */
  host?: string;
  headers?: Record<string, string>;
}

export interface HubResponse<T = unknown> {
  status: number;
  body: T;
  /** The certificate fingerprint presented (HTTPS). */
  fingerprint?: string;
}

/** Sends a signed request (GET signed v2 over the query, POST v5 over the JSON body). */
export function signedRequest<T = unknown>(request: SignedRequest): Promise<HubResponse<T>> {
  const base = new URL(request.url);
  const method = request.method ?? (request.body === undefined ? 'GET' : 'POST');
  const query = new URLSearchParams(request.query ?? {});
  const bodyText = request.body === undefined ? undefined : JSON.stringify(request.body);
  const signed = signRequest({
    ikey: request.credential.ikey,
    skey: request.credential.skey,
    date: request.date ?? new Date(),
    method,
    host: request.host ?? base.host.toLowerCase(),
    path: request.path,
    params: method === 'GET' ? query : {},
    ...(bodyText === undefined ? {} : { body: bodyText, version: 5 as const }),
  });
  const sent = request.sendBody ?? bodyText;
  const fullPath = request.path + (method === 'GET' && query.size > 0 ? `?${query.toString()}` : '');
  const transport = base.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      {
        hostname: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port,
        method,
        path: fullPath,
        headers: { ...signed, ...(sent === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const socket = res.socket as TLSSocket;
          const fingerprint = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate().fingerprint256 : undefined;
          resolve({ status: res.statusCode ?? 0, body: (text === '' ? undefined : JSON.parse(text)) as T, ...(fingerprint ? { fingerprint } : {}) });
        });
      },
    );
    req.on('error', reject);
    if (sent !== undefined) req.write(sent);
    req.end();
  });
}

/** A stream client that queues the messages it receives. */
export interface StreamClient {
  socket: WebSocket;
  messages: StreamMessage[];
  /** Resolves with the first message (from the start) matching, waiting up to `ms`. */
  waitFor(predicate: (m: StreamMessage) => boolean, ms?: number): Promise<StreamMessage>;
  /** Resolves with the close code. */
  closed: Promise<number>;
  close(): void;
}

/** Opens the stream with a signed upgrade; rejects with the HTTP status when the upgrade is refused. */
export function openStream(url: string, credential: Credential, options: { date?: Date } = {}): Promise<StreamClient> {
  const base = new URL(url);
  const headers = signRequest({ ...credential, date: options.date ?? new Date(), method: 'GET', host: base.host.toLowerCase(), path: STREAM_PATH, params: {} });
  const wsUrl = new URL(STREAM_PATH, base);
  wsUrl.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(wsUrl, { headers: { ...headers }, rejectUnauthorized: false });
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString('utf8')) as StreamMessage);
    for (const wake of [...waiters]) wake();
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const client: StreamClient = {
    socket,
    messages,
    closed,
    close: () => socket.close(),
    waitFor(predicate, ms = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching stream message within ${ms} ms; got ${JSON.stringify(messages)}`));
        }, ms);
        if (!check()) waiters.add(check);
      });
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
    socket.once('error', reject);
  });
}

/** Runs the real CLI (`node --import tsx tui/cli/main.ts …`). */
export async function cli(args: readonly string[], env: Record<string, string> = {}): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: { ...env, NODE_ENV: 'production' },
    reject: false,
    stdin: 'ignore',
    timeout: 120_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI with `--format json` and expects success. */
export async function cliJson<T>(args: readonly string[]): Promise<T> {
  const result = await cli(['--format', 'json', ...args]);
  if (result.exitCode !== 0) throw new Error(`factordesk ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** A `hub serve` process. */
export interface ServedHub {
  url: string;
  fingerprint?: string;
  pid: number;
  process: ResultPromise;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

/** Starts `factordesk hub serve --hub-dir DIR` and waits for its JSON ready line. */
export async function serveHub(hubDir: string, env: Record<string, string> = {}): Promise<ServedHub> {
  const child = execa(process.execPath, ['--import', 'tsx', ENTRY, '--format', 'json', 'hub', 'serve', '--hub-dir', hubDir], {
    cwd: ROOT,
    env: { ...env, NODE_ENV: 'production' },
    reject: false,
    stdin: 'ignore',
    buffer: false,
  });
  const ready = await new Promise<{ url: string; fingerprint: string | null; pid: number }>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { url: string; fingerprint: string | null; pid: number });
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    void child.then((r) => reject(new Error(`hub serve exited ${r.exitCode} before it was ready: ${err}`)));
  });
  const exited = child.then(() => undefined);
  return {
    url: ready.url,
    ...(ready.fingerprint ? { fingerprint: ready.fingerprint } : {}),
    pid: ready.pid,
    process: child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Reads a secret-key file. */
export function readSkey(file: string): string {
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * The daemon's hub client against a small HTTPS + WebSocket server in this process that verifies every request
 * the way a hub does: signed requests (GET v2, POST v5, the upgrade), the pinned certificate, answers and
 * failures, and the stream's reconnects.
 */
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { HubClient, parseResponse, parseStreamMessage, type HubStreamEvent } from '../../daemon/hub-client.js';
import { isPinMismatch, normalizeFingerprint } from '../../daemon/hub-tls.js';
import { generateSelfSigned } from '../../daemon/hub/tls.js';
import { verifyRequest } from '../../src/auth/duo-signature.js';
import { FactordeskError } from '../../src/errors.js';
import { CLIENT_HEADER, STREAM_PATH, WHOAMI_PATH, pullPath, pushPath } from '../../src/sync/protocol.js';

const IKEY = 'DITESTKEY0000000000';
const SKEY = 'a-secret-key-of-forty-characters-000000';
let base: string;
let server: https.Server;
let wss: WebSocketServer;
let url: string;
let fingerprint: string;
const seen: Array<{ method: string; path: string; ok: boolean; client?: string; body?: string }> = [];
const sockets = new Set<WebSocket>();
const clients: HubClient[] = [];

function verify(req: import('node:http').IncomingMessage, body: string): boolean {
  const u = new URL(req.url ?? '/', 'https://x');
  const result = verifyRequest({
    headers: req.headers,
    method: req.method ?? 'GET',
    host: req.headers.host ?? '',
    path: u.pathname,
    params: u.searchParams,
    body,
    now: new Date(),
    lookupSecret: (ikey) => (ikey === IKEY ? SKEY : undefined),
  });
  return result.ok;
}

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-hub-client-'));
  const certFile = path.join(base, 'cert.pem');
  const keyFile = path.join(base, 'key.pem');
  fingerprint = await generateSelfSigned({ hosts: [], certFile, keyFile });
  server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = verify(req, body);
      const u = new URL(req.url ?? '/', 'https://x');
      seen.push({ method: req.method ?? '', path: u.pathname + u.search, ok, client: req.headers[CLIENT_HEADER.toLowerCase()] as string | undefined, body });
      const send = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (!ok) return send(401, { stat: 'FAIL', code: 40101, message: 'Invalid signature', message_detail: 'bad-signature' });
      if (u.pathname === WHOAMI_PATH) return send(200, { identity: { admin_id: 'DE1', name: 'Olive', role: 'Owner' }, hub_id: 'HB1', protocol: 1 });
      if (u.pathname === pullPath('users')) return send(200, { documents: [{ user_id: 'DU1', _deleted: false, _hubRev: 3 }], checkpoint: { seq: 3 } });
      if (u.pathname === pushPath('users')) return send(200, { conflicts: [], refused: [] });
      if (u.pathname === pullPath('tokens')) return send(400, { stat: 'FAIL', code: 40001, message: 'Invalid request parameters', message_detail: 'limit must be a whole number' });
      return send(404, { stat: 'FAIL', code: 40401, message: 'Resource not found' });
    });
  });
  wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'https://x').pathname !== STREAM_PATH || !verify(req, '')) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.send(JSON.stringify({ type: 'hello', hub_id: 'HB1', protocol: 1 }));
      ws.send(JSON.stringify({ type: 'RESYNC' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  seen.length = 0;
});

afterAll(async () => {
  for (const s of sockets) s.terminate();
  wss.close();
  await new Promise((r) => server.close(r));
  fs.rmSync(base, { recursive: true, force: true });
});

function client(options: { skey?: string; fingerprint?: string } = {}): HubClient {
  const c = new HubClient(
    { url, ikey: IKEY, skey: options.skey ?? SKEY, fingerprint: options.fingerprint ?? fingerprint },
    { clientId: 'laptop/abc', backoff: { initialMs: 20, maxMs: 100 } },
  );
  clients.push(c);
  return c;
}

async function next(events: HubStreamEvent[], match: (e: HubStreamEvent) => boolean, from = 0): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const i = events.findIndex((e, index) => index >= from && match(e));
    if (i >= 0) return i;
    if (Date.now() > deadline) throw new Error(`no such event in ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('HubClient requests', () => {
  it('signs a GET (v2, query included) and a JSON POST (v5, body included) the hub verifies, naming the daemon', async () => {
    const c = client();
    expect(await c.whoami()).toEqual({ identity: { admin_id: 'DE1', name: 'Olive', role: 'Owner' }, hub_id: 'HB1', protocol: 1 });
    expect(await c.pull('users', { seq: 2 }, 50)).toEqual({ documents: [{ user_id: 'DU1', _deleted: false, _hubRev: 3 }], checkpoint: { seq: 3 } });
    expect(await c.push('users', { rows: [] })).toEqual({ conflicts: [], refused: [] });
    expect(seen.map((s) => [s.method, s.path, s.ok, s.client])).toEqual([
      ['GET', WHOAMI_PATH, true, 'laptop/abc'],
      ['GET', `${pullPath('users')}?limit=50&seq=2`, true, 'laptop/abc'],
      ['POST', pushPath('users'), true, 'laptop/abc'],
    ]);
    expect(c.lastError).toBeUndefined();
  });

  it('turns a 401 into FORBIDDEN with a hint to log in again, and a 400 into INVALID_INPUT with the hub\'s words', async () => {
    const bad = client({ skey: 'the-wrong-secret-key-000000000000000000' });
    await expect(bad.whoami()).rejects.toMatchObject({ code: 'FORBIDDEN', userMessage: expect.stringMatching(/did not accept .* \(401\): Invalid signature: bad-signature/), hint: expect.stringMatching(/factordesk login/) });
    expect(bad.lastError?.code).toBe('FORBIDDEN');
    await expect(client().pull('tokens', null, 0)).rejects.toMatchObject({ code: 'INVALID_INPUT', userMessage: expect.stringMatching(/limit must be a whole number/) });
  });

  it('refuses a hub whose certificate is not the pinned one, naming both fingerprints and how to re-pin', async () => {
    const other = normalizeFingerprint('AB'.repeat(32));
    const c = client({ fingerprint: other });
    const error = await c.whoami().then(() => undefined, (e: unknown) => e);
    expect(isPinMismatch(error)).toBe(true);
    const message = (error as FactordeskError).userMessage;
    expect(message).toContain(`pinned SHA-256 ${other}`);
    expect(message).toContain(`presented SHA-256 ${fingerprint}`);
    expect((error as FactordeskError).hint).toMatch(/--repin/);
    expect(seen).toEqual([]);
  });

  it('says UNAVAILABLE when nothing listens, and records it', async () => {
    const c = new HubClient({ url: 'http://127.0.0.1:9', ikey: IKEY, skey: SKEY });
    clients.push(c);
    await expect(c.whoami()).rejects.toMatchObject({ code: 'UNAVAILABLE', userMessage: expect.stringMatching(/Cannot reach the hub/) });
    expect(c.online).toBe(false);
    expect(c.lastFailure).toBeDefined();
  });
});

describe('HubClient stream', () => {
  it('connects with a signed upgrade, passes the hub\'s messages on, and reconnects after the connection drops', async () => {
    const c = client();
    const events: HubStreamEvent[] = [];
    c.events$.subscribe((e) => events.push(e));
    c.startStream();
    const opened = await next(events, (e) => e.type === 'open');
    await next(events, (e) => e.type === 'RESYNC', opened);
    expect(c.streamConnected).toBe(true);
    expect(c.online).toBe(true);

    for (const s of sockets) s.terminate();
    const closed = await next(events, (e) => e.type === 'closed', opened);
    const reopened = await next(events, (e) => e.type === 'open', closed);
    await next(events, (e) => e.type === 'RESYNC', reopened);
    expect(c.streamConnected).toBe(true);
  });

  it('wakes a request waiting to retry as soon as the stream is back', async () => {
    const c = new HubClient({ url, ikey: IKEY, skey: SKEY, fingerprint }, { backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 0 } });
    clients.push(c);
    const waited = c.waitBeforeRetry().then(() => 'woken');
    c.startStream();
    expect(await Promise.race([waited, new Promise((r) => setTimeout(() => r('slept'), 10_000))])).toBe('woken');
  });

  it('keeps trying with backoff while the upgrade is refused, reporting why', async () => {
    const c = client({ skey: 'the-wrong-secret-key-000000000000000000' });
    const events: HubStreamEvent[] = [];
    c.events$.subscribe((e) => events.push(e));
    c.startStream();
    const first = await next(events, (e) => e.type === 'closed');
    await next(events, (e) => e.type === 'closed', first + 1);
    const closed = events[first] as { type: 'closed'; error?: FactordeskError };
    expect(closed.error).toMatchObject({ code: 'FORBIDDEN', userMessage: expect.stringMatching(/401/) });
    expect(c.online).toBe(false);
  });
});

describe('wire parsing', () => {
  it('accepts bare answers and Duo envelopes, and refuses what is not JSON', () => {
    expect(parseResponse('u', '/p', 200, '{"a":1}')).toEqual({ a: 1 });
    expect(parseResponse('u', '/p', 200, '{"stat":"OK","response":{"a":2}}')).toEqual({ a: 2 });
    expect(() => parseResponse('u', '/p', 200, '<html>')).toThrow(/not JSON/);
    expect(() => parseResponse('u', '/p', 503, '')).toThrow(FactordeskError);
  });

  it('knows the stream messages of the protocol and ignores others', () => {
    expect(parseStreamMessage('{"type":"RESYNC"}')).toEqual({ type: 'RESYNC' });
    expect(parseStreamMessage('{"type":"change","collection":"users","checkpoint":{"seq":4}}')).toMatchObject({ type: 'change' });
    expect(parseStreamMessage('{"type":"later-feature"}')).toBeUndefined();
    expect(parseStreamMessage('garbage')).toBeUndefined();
  });
});

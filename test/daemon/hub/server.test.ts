/**
 * The hub server in this process, on a real socket: authentication of requests and of the stream upgrade, the
 * sync routes, refusals, the audit trail, and the stream's messages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuoDate, signRequest } from '../../../src/auth/duo-signature.js';
import { createToken } from '../../../src/domain/token.js';
import { createUser } from '../../../src/domain/user.js';
import { pullPath, pushPath, STREAM_PATH, WHOAMI_PATH, type PullResponse, type PushResponse, type WhoAmI } from '../../../src/sync/protocol.js';
import { addAdmin, operatorActor, revoke } from '../../../daemon/hub/admin-directory.js';
import { issueCredential } from '../../../daemon/hub/credentials.js';
import { initHub } from '../../../daemon/hub/hub-init.js';
import { readHubConfig, storeUrlOf } from '../../../daemon/hub/hub-config.js';
import { startHub, type HubHandle } from '../../../daemon/hub/run-hub.js';
import { CLOSE_REVOKED } from '../../../daemon/hub/stream.js';
import { openStore, pullAll, type HubDocument, type HubStore } from '../../../daemon/hub/store.js';
import { openStream, readSkey, signedRequest, tempDir, type Credential } from '../../helpers/hub-wire.js';
import http from 'node:http';

const base = tempDir('fd-hub-server-');
const hubDir = path.join(base, 'hub');
let hub: HubHandle;
let url: string;
let owner: Credential;
let helpDesk: Credential;
/** A second store handle on the hub's database: an operator's view, to check what was (not) written. */
let inspect: HubStore;

beforeAll(async () => {
  const init = await initHub({ hubDir, listen: { host: '127.0.0.1', port: 0 }, owner: { name: 'Olive' } });
  if (!init.owner) throw new Error('no owner');
  owner = { ikey: init.owner.ikey, skey: readSkey(init.owner.skeyFile) };
  inspect = await openStore(storeUrlOf(readHubConfig(hubDir), hubDir));
  const hank = await addAdmin(inspect, 'default', { name: 'Hank', role: 'Help Desk' }, operatorActor('root'), Date.now());
  helpDesk = await issueCredential(inspect, 'default', hank.admin_id, Date.now());
  hub = await startHub({ hubDir, logLevel: 'warn', pingIntervalMs: 200 });
  url = hub.info.url;
});

afterAll(async () => {
  await hub?.stop('test done');
  await inspect?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

const user = (id: string, username: string) => ({ ...createUser({ username }, 1_700_000_000_000, id), _deleted: false });

async function auditCount(): Promise<number> {
  return (await pullAll(inspect, 'default', 'audit')).documents.length;
}

describe('authentication', () => {
  it('answers whoami for a v2-signed GET with the administrator and the hub', async () => {
    const res = await signedRequest<WhoAmI>({ url, credential: owner, path: WHOAMI_PATH });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ identity: { admin_id: expect.stringMatching(/^DE/), name: 'Olive', role: 'Owner' }, hub_id: hub.info.hub_id, protocol: 1 });
    expect((await signedRequest<WhoAmI>({ url, credential: helpDesk, path: WHOAMI_PATH })).body.identity.role).toBe('Help Desk');
  });

  it.each([
    ['a wrong secret', { credential: { ikey: '', skey: 'x'.repeat(40) } }, 'bad-signature'],
    ['a stale Date', { skewSeconds: -310 }, 'stale-date'],
    ['a Date from the future', { skewSeconds: 310 }, 'stale-date'],
    ['another host signed', { host: 'other.example.com' }, 'bad-signature'],
    ['an unknown key', { credential: { ikey: 'DI000000000000000000', skey: 'x'.repeat(40) } }, 'unknown-key'],
  ] as const)('refuses %s with 401 and writes nothing', async (name, change, reason) => {
    const before = await auditCount();
    const id = `DUBAD${name.length}${reason.length}`;
    const credential = 'credential' in change ? { ikey: change.credential.ikey || owner.ikey, skey: change.credential.skey } : owner;
    const res = await signedRequest({
      url,
      credential,
      path: pushPath('users'),
      body: { rows: [{ newDocumentState: user(id, 'mallory') }] },
      ...('skewSeconds' in change ? { date: new Date(Date.now() + change.skewSeconds * 1000) } : {}),
      ...('host' in change ? { host: change.host } : {}),
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ stat: 'FAIL', code: 40101, message: expect.any(String), message_detail: reason });
    expect(await inspect.get('default', 'users', [id])).toEqual([]);
    expect(await auditCount()).toBe(before);
  });

  it('refuses a body changed after signing, and a request without credentials', async () => {
    const signedBody = { rows: [{ newDocumentState: user('DUBAD2', 'eve') }] };
    const res = await signedRequest({ url, credential: owner, path: pushPath('users'), body: signedBody, sendBody: JSON.stringify({ rows: [{ newDocumentState: user('DUBAD2', 'mallory') }] }) });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 40101, message_detail: 'bad-signature' });
    expect(await inspect.get('default', 'users', ['DUBAD2'])).toEqual([]);
    const bare = await new Promise<number>((resolve) => http.get(`${url}${WHOAMI_PATH}`, (r) => resolve(r.statusCode ?? 0)).end());
    expect(bare).toBe(401);
  });

  it('refuses bad credentials before reading the body: an unauthenticated malformed body gets 401, not 400', async () => {
    const res = await signedRequest({ url, credential: { ikey: 'DI000000000000000000', skey: 'x' }, path: pushPath('users'), body: {}, sendBody: '{not json' });
    expect(res).toMatchObject({ status: 401, body: { message_detail: 'unknown-key' } });
    const ok = await signedRequest({ url, credential: owner, path: pushPath('users'), body: {}, sendBody: '{not json' });
    expect(ok.status).toBe(400);
  });

  it('refuses a query changed after signing', async () => {
    const base = new URL(url);
    const headers = signRequest({ ...owner, date: new Date(), method: 'GET', host: base.host, path: pullPath('users'), params: { limit: '5' } });
    const status = await new Promise<number>((resolve) =>
      http.get(`${url}${pullPath('users')}?limit=500`, { headers: { ...headers } }, (r) => resolve(r.statusCode ?? 0)).end(),
    );
    expect(status).toBe(401);
  });

  it('accepts a v2-signed form POST (how Duo client libraries post) as authenticated', async () => {
    const base = new URL(url);
    const form = new URLSearchParams({ realname: 'First Last', username: 'root' });
    const headers = signRequest({ ...owner, date: new Date(), method: 'POST', host: base.host, path: pushPath('users'), params: form });
    const status = await new Promise<number>((resolve) => {
      const req = http.request(`${url}${pushPath('users')}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } }, (r) => resolve(r.statusCode ?? 0));
      req.end(form.toString());
    });
    // Signed right, but not a push body: refused as bad input, not as unauthenticated.
    expect(status).toBe(400);
  });
});

describe('sync routes', () => {
  it('accepts an Owner push, pulls it back with its hub revision, and audits it with the daemon', async () => {
    const push = await signedRequest<PushResponse>({
      url,
      credential: owner,
      path: pushPath('users'),
      body: { rows: [{ newDocumentState: user('DU100', 'ann') }] },
      headers: { 'X-Factordesk-Client': 'laptop-1' },
    });
    expect(push).toMatchObject({ status: 200, body: { conflicts: [], refused: [] } });
    const pulled = await signedRequest<PullResponse<'users'>>({ url, credential: helpDesk, path: pullPath('users'), query: { limit: '100' } });
    const doc = pulled.body.documents.find((d) => d.user_id === 'DU100');
    expect(doc).toMatchObject({ username: 'ann', _deleted: false, _hubRev: expect.any(Number) });
    const audit = (await pullAll(inspect, 'default', 'audit')).documents.find((e) => e['entity_id'] === 'DU100');
    expect(audit).toMatchObject({ action: 'users.add', admin_name: 'Olive', summary: 'user ann (DU100): added [via laptop-1]' });
  });

  it('pages a pull by seq and limit, and gives a null checkpoint when nothing was ever committed', async () => {
    const all = await signedRequest<PullResponse>({ url, credential: owner, path: pullPath('users') });
    const first = await signedRequest<PullResponse>({ url, credential: owner, path: pullPath('admins'), query: { limit: '1' } });
    expect(first.body.documents).toHaveLength(1);
    const rest = await signedRequest<PullResponse<'admins'>>({ url, credential: owner, path: pullPath('admins'), query: { seq: String(first.body.checkpoint?.seq), limit: '10' } });
    expect(rest.body.documents.map((d) => d.name)).toEqual(['Hank']);
    expect(all.body.checkpoint).not.toBeNull();
    expect((await signedRequest<PullResponse>({ url, credential: owner, path: pullPath('u2f') })).body).toEqual({ documents: [], checkpoint: null });
    expect((await signedRequest({ url, credential: owner, path: pullPath('users'), query: { limit: '0' } })).status).toBe(400);
    expect((await signedRequest({ url, credential: owner, path: pullPath('secrets') })).status).toBe(400);
  });

  it('refuses a Help Desk push attaching a token to an administrator, with the reason and the master', async () => {
    const token = { ...createToken({ serial: 'HW-1', type: 'h6' }, 1_700_000_000_000), _deleted: false };
    await signedRequest({ url, credential: owner, path: pushPath('tokens'), body: { rows: [{ newDocumentState: token }] } });
    const [master] = await inspect.get('default', 'tokens', [token.token_id]);
    const res = await signedRequest<PushResponse<'tokens'>>({
      url,
      credential: helpDesk,
      path: pushPath('tokens'),
      body: { rows: [{ assumedMasterState: master, newDocumentState: { ...token, admins: ['DEX'] } }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      conflicts: [],
      refused: [{ id: token.token_id, code: 'FORBIDDEN', reason: 'Only an Owner can attach hardware tokens to administrators.', master }],
    });
    expect((await inspect.get('default', 'tokens', [token.token_id]))[0]?.['admins']).toEqual([]);
  });

  it('returns a stale push as a conflict with the real master state', async () => {
    const [master] = await inspect.get('default', 'users', ['DU100']);
    const stale = { ...(master as HubDocument), _hubRev: 1 };
    const res = await signedRequest<PushResponse>({ url, credential: owner, path: pushPath('users'), body: { rows: [{ assumedMasterState: stale, newDocumentState: { ...user('DU100', 'ann'), realname: 'x' } }] } });
    expect(res.body).toEqual({ conflicts: [master], refused: [] });
  });

  it('refuses pushes to the audit log and malformed pushes', async () => {
    const forged = { event_id: 'forged1', time: 1, admin_id: 'x', admin_name: 'x', action: 'x', entity: 'x', entity_id: 'x', summary: 'x', _deleted: false };
    const res = await signedRequest<PushResponse>({ url, credential: owner, path: pushPath('audit'), body: { rows: [{ newDocumentState: forged }] } });
    expect(res.body.refused).toEqual([{ id: 'forged1', code: 'REFUSED', reason: expect.any(String), master: null }]);
    const bad = await signedRequest({ url, credential: owner, path: pushPath('users'), body: { rows: 'nope' } });
    expect(bad).toMatchObject({ status: 400, body: { stat: 'FAIL', code: 40001 } });
  });
});

describe('stream', () => {
  it('says hello, then RESYNC, then a change per commit', async () => {
    const stream = await openStream(url, helpDesk);
    try {
      await stream.waitFor((m) => m.type === 'RESYNC');
      expect(stream.messages.slice(0, 2)).toEqual([{ type: 'hello', hub_id: hub.info.hub_id, protocol: 1 }, { type: 'RESYNC' }]);
      await signedRequest({ url, credential: owner, path: pushPath('users'), body: { rows: [{ newDocumentState: user('DU200', 'bea') }] } });
      const change = await stream.waitFor((m) => m.type === 'change' && m.collection === 'users');
      const audit = await stream.waitFor((m) => m.type === 'change' && m.collection === 'audit');
      expect(change).toEqual({ type: 'change', collection: 'users', checkpoint: { seq: expect.any(Number) } });
      expect(audit.type).toBe('change');
    } finally {
      stream.close();
    }
  });

  it('keeps an idle stream alive with ping/pong', async () => {
    const stream = await openStream(url, owner);
    let pings = 0;
    stream.socket.on('ping', () => pings++);
    await new Promise((r) => setTimeout(r, 1000));
    expect(pings).toBeGreaterThan(1);
    expect(stream.socket.readyState).toBe(stream.socket.OPEN);
    stream.close();
  });

  it('refuses an upgrade that is not signed right', async () => {
    await expect(openStream(url, { ikey: owner.ikey, skey: 'wrong'.repeat(8) })).rejects.toMatchObject({ status: 401 });
    await expect(openStream(url, owner, { date: new Date(Date.now() - 400_000) })).rejects.toMatchObject({ status: 401 });
  });

  it('closes the stream of a key revoked while it is open, and refuses the key from then on', async () => {
    const hank2 = await addAdmin(inspect, 'default', { name: 'Hank Two', role: 'Help Desk' }, operatorActor('root'), Date.now());
    const credential = await issueCredential(inspect, 'default', hank2.admin_id, Date.now());
    const stream = await openStream(url, credential);
    await stream.waitFor((m) => m.type === 'RESYNC');
    await revoke(inspect, 'default', credential.ikey, operatorActor('root'), Date.now());
    hub.server.resync();
    expect(await stream.closed).toBe(CLOSE_REVOKED);
    expect((await signedRequest({ url, credential, path: WHOAMI_PATH })).status).toBe(401);
    await expect(openStream(url, credential)).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a disabled administrator', async () => {
    const dora = await addAdmin(inspect, 'default', { name: 'Dora', role: 'Read-only' }, operatorActor('root'), Date.now());
    const credential = await issueCredential(inspect, 'default', dora.admin_id, Date.now());
    expect((await signedRequest({ url, credential, path: WHOAMI_PATH })).status).toBe(200);
    await revoke(inspect, 'default', 'Dora', operatorActor('root'), Date.now());
    expect((await signedRequest({ url, credential, path: WHOAMI_PATH })).body).toMatchObject({ code: 40101 });
  });
});

describe('HTTPS with a self-signed certificate', () => {
  it('serves requests and the stream over TLS with the certificate whose fingerprint it reports', async () => {
    const tlsDir = path.join(base, 'tls-hub');
    const init = await initHub({ hubDir: tlsDir, listen: { host: '127.0.0.1', port: 0 }, tls: 'self-signed', publicHosts: ['hub.test'] });
    if (!init.owner || !init.fingerprint) throw new Error('no owner or fingerprint');
    const credential = { ikey: init.owner.ikey, skey: init.owner.skey };
    const tlsHub = await startHub({ hubDir: tlsDir, logLevel: 'warn' });
    try {
      expect(tlsHub.info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(tlsHub.info.fingerprint).toBe(init.fingerprint);
      const res = await signedRequest<WhoAmI>({ url: tlsHub.info.url, credential, path: WHOAMI_PATH });
      expect(res.status).toBe(200);
      expect(res.fingerprint).toBe(init.fingerprint);
      const stream = await openStream(tlsHub.info.url, credential);
      await stream.waitFor((m) => m.type === 'RESYNC');
      stream.close();
    } finally {
      await tlsHub.stop('test done');
    }
  });
});

describe('formatDuoDate', () => {
  it('is what the helper signs (sanity check of the test client)', () => {
    expect(formatDuoDate(new Date(0))).toBe('Thu, 01 Jan 1970 00:00:00 -0000');
    expect(STREAM_PATH).toBe('/sync/v1/stream');
  });
});

describe('protocol versions', () => {
  it('refuses sync requests of another protocol version with a clear message, and answers whoami', async () => {
    const headers = { 'X-Factordesk-Protocol': '99' };
    const pull = await signedRequest<{ message: string }>({ url, credential: owner, path: pullPath('users'), headers });
    expect(pull.status).toBe(409);
    expect(pull.body.message).toMatch(/This hub speaks sync protocol 1; the client speaks 99/);
    const who = await signedRequest<WhoAmI>({ url, credential: owner, path: WHOAMI_PATH, headers });
    expect(who.status).toBe(200);
    expect((await signedRequest({ url, credential: owner, path: pullPath('users'), headers: { 'X-Factordesk-Protocol': '1' } })).status).toBe(200);
  });
});

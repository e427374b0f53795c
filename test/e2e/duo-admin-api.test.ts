/**
 * A script written for Duo's Admin API, run unchanged against a factordesk hub: Duo's official Node client
 * (`@duosecurity/duo_api`) talks to a real `hub serve` process (self-signed HTTPS, the client's pinned CA replaced
 * by the hub's certificate through Node's global agent), while a real daemon logged in to the same hub watches.
 * Every change the script makes reaches the daemon's replica through the hub's live stream; the time each took is
 * printed.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHubConfig, tlsFilesOf } from '../../daemon/hub/hub-config.js';
import { hotpCode } from '../../src/otp/hotp.js';
import type { AuditEvent } from '../../src/domain/schemas.js';
import { connectDaemon, type DaemonClient } from '../../tui/rpc-client.js';
import { duoClient, trustHub, type DuoClient, type DuoReply } from '../daemon/hub/admin-api/duo-client.js';
import { cliSandbox, type CliSandbox } from '../helpers/cli.js';
import { readSkey } from '../helpers/hub-wire.js';
import { teamHub, type TeamHub } from '../helpers/sync-hub.js';
import { until } from '../helpers/until.js';

let hub: TeamHub;
let fd: CliSandbox;
let daemon: DaemonClient | undefined;
let duo: DuoClient;
let untrust: (() => void) | undefined;
const latencies: Record<string, number> = {};

/** RFC 4226 appendix D: the seed "12345678901234567890" and its codes for counters 0..9. */
const RFC4226_SECRET_HEX = Buffer.from('12345678901234567890', 'ascii').toString('hex');
const RFC4226_CODES = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

beforeAll(async () => {
  hub = await teamHub('fd-duo-api-hub-');
  await hub.start();
  fd = cliSandbox('fd-duo-api-daemon-');
  await fd.ok('login', hub.url, '--ikey', hub.owner.ikey, '--skey-file', hub.owner.skeyFile);
  daemon = await connectDaemon({ dataDir: fd.dataDir, env: { ...process.env, ...fd.env, NODE_ENV: 'production' }, client: 'test' });
  await until('the daemon online', async () => (await (daemon as DaemonClient).request('sync.status', {})).state === 'online');
  const cert = fs.readFileSync((tlsFilesOf(readHubConfig(hub.hubDir), hub.hubDir) as { cert: string }).cert, 'utf8');
  untrust = trustHub(cert, Number(new URL(hub.url).port));
  duo = duoClient({ ikey: hub.owner.ikey, skey: readSkey(hub.owner.skeyFile) }, '127.0.0.1');
}, 180_000);

afterAll(async () => {
  untrust?.();
  daemon?.close();
  console.log(`Admin API change → visible in the daemon's replica (ms): ${JSON.stringify(latencies)}`);
  await fd?.dispose();
  await hub?.dispose();
}, 120_000);


/** Waits until the daemon shows the change, recording how long after the API's answer it did. */
async function seenByDaemon<T>(change: string, probe: (d: DaemonClient) => Promise<T | undefined | false>): Promise<T> {
  const answered = Date.now();
  const value = await until(`the daemon to see: ${change}`, () => probe(daemon as DaemonClient), 30_000, 20);
  latencies[change] = Date.now() - answered;
  return value;
}

/** Whether a daemon lookup fails (the document is gone from its replica). */
async function gone(lookup: () => Promise<unknown>): Promise<boolean> {
  try {
    await lookup();
    return false;
  } catch {
    return true;
  }
}

async function recentAudit(d: DaemonClient): Promise<AuditEvent[]> {
  return (await d.request('view.query', { entity: 'audit', window: { offset: 0, limit: 50 } })).rows as unknown as AuditEvent[];
}

function ok<T>(reply: DuoReply<T>): T {
  expect(reply, JSON.stringify(reply)).toMatchObject({ stat: 'OK' });
  return reply.response as T;
}

describe("a script using Duo's Node client against a hub", () => {
  let userId: string;
  let phoneId: string;
  let tokenId: string;

  it('creates a user, which the daemon sees', async () => {
    const user = ok(await duo.call<{ user_id: string }>('POST', '/admin/v1/users', { username: 'api-alice', realname: 'Alice Api' }));
    userId = user.user_id;
    const seen = await seenByDaemon('users create', async (d) => (await d.request('users.get', { user: 'api-alice' })).user);
    expect(seen).toMatchObject({ user_id: userId, realname: 'Alice Api' });
  });

  it('creates a phone (the daemon sees its audit event; it has no user yet) and associates it with the user', async () => {
    const phone = ok(await duo.call<{ phone_id: string; type: string }>('POST', '/admin/v1/phones', { number: '+15550101000', type: 'Mobile', platform: 'apple ios', name: 'alice-iphone' }));
    phoneId = phone.phone_id;
    expect(phone.type).toBe('Mobile');
    await seenByDaemon('phones create', async (d) => (await recentAudit(d)).find((e) => e.entity_id === phoneId && e.action === 'phones.add'));
    expect(ok(await duo.call('POST', `/admin/v1/users/${userId}/phones`, { phone_id: phoneId }))).toBe('');
    const seen = await seenByDaemon('phone associate', async (d) => {
      const detail = await d.request('users.get', { user: 'api-alice' });
      return detail.phones.length === 1 ? detail.phones : undefined;
    });
    expect(seen).toEqual([expect.objectContaining({ alias: 'phone1', phone: expect.objectContaining({ phone_id: phoneId, name: 'alice-iphone' }) })]);
  });

  it('pages through 250 phones', async () => {
    for (let i = 1; i < 250; i++) ok(await duo.call('POST', '/admin/v1/phones', { number: `+1555030${String(i).padStart(4, '0')}`, type: 'landline' }));
    const ids: string[] = [];
    let offset: number | undefined = 0;
    let pages = 0;
    while (offset !== undefined) {
      const page: DuoReply<{ phone_id: string }[]> = await duo.call('GET', '/admin/v1/phones', { limit: '100', offset: String(offset) });
      ids.push(...ok(page).map((p) => p.phone_id));
      expect(page.metadata?.total_objects).toBe(250);
      offset = page.metadata?.next_offset;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(250);
    expect(ids[0]).toBe(phoneId);
  });

  it('creates an HOTP token and resyncs it with RFC 4226 codes', async () => {
    const token = ok(await duo.call<{ token_id: string; type: string }>('POST', '/admin/v1/tokens', { type: 'h6', serial: 'RFC4226-1', secret: RFC4226_SECRET_HEX, counter: '0' }));
    tokenId = token.token_id;
    await seenByDaemon('tokens create', async (d) => (await d.request('tokens.get', { token: 'RFC4226-1' })).token_id === tokenId);
    const codes = [4, 5, 6].map((counter) => hotpCode(RFC4226_SECRET_HEX, counter));
    expect(codes).toEqual(RFC4226_CODES.slice(4, 7));
    expect(ok(await duo.call('POST', `/admin/v1/tokens/${tokenId}/resync`, { code1: codes[0], code2: codes[1], code3: codes[2] }))).toBe('');
    const event = await seenByDaemon('tokens resync', async (d) => (await recentAudit(d)).find((e) => e.entity_id === tokenId && e.action === 'tokens.resync'));
    expect(event).toMatchObject({ admin_id: hub.owner.admin_id, summary: expect.stringMatching(/resynchronized, 4 codes skipped/) });
  });

  it('deletes the token, the phone and the user, and the daemon sees each go', async () => {
    expect(ok(await duo.call('DELETE', `/admin/v1/tokens/${tokenId}`))).toBe('');
    await seenByDaemon('tokens delete', (d) => gone(() => d.request('tokens.get', { token: 'RFC4226-1' })));
    expect(ok(await duo.call('DELETE', `/admin/v1/phones/${phoneId}`))).toBe('');
    await seenByDaemon('phones delete', (d) => gone(() => d.request('phones.get', { phone: phoneId })));
    expect(ok(await duo.call('DELETE', `/admin/v1/users/${userId}`))).toBe('');
    await seenByDaemon('users delete', (d) => gone(() => d.request('users.get', { user: 'api-alice' })));
    // Every change was audited as the key's administrator, through the API.
    const events = (await recentAudit(daemon as DaemonClient)).filter((e) => [userId, phoneId, tokenId].includes(e.entity_id));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['tokens.add', 'tokens.resync', 'tokens.delete', 'phones.delete', 'users.delete']));
    for (const e of events) expect(e).toMatchObject({ admin_id: hub.owner.admin_id, summary: expect.stringMatching(/via duo-admin-api/) });
  });
});

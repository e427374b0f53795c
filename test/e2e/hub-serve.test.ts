/**
 * The hub as an operator runs it: `hub init`, `hub admin add|list|revoke`, `hub serve` as a real process, with
 * signed requests and a stream client as daemons send them. Covers the 401s (nothing changed), the role check on
 * a hand-crafted push, an accepted push pulled back and audited, the stream, and `kill -9` during pushes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../../src/domain/token.js';
import { createUser } from '../../src/domain/user.js';
import { pullPath, pushPath, WHOAMI_PATH, type PullResponse, type PushResponse, type SyncedCollection } from '../../src/sync/protocol.js';
import { CLOSE_REVOKED } from '../../daemon/hub/stream.js';
import { cli, cliJson, openStream, readSkey, serveHub, signedRequest, tempDir, type Credential, type ServedHub } from '../helpers/hub-wire.js';

const base = tempDir('fd-e2e-hub-');
const hubDir = path.join(base, 'hub');
let hub: ServedHub | undefined;
let owner: Credential;
let helpDesk: Credential;

interface InitJson {
  hub_id: string;
  owner: { admin_id: string; ikey: string; skey_file: string };
}

beforeAll(async () => {
  const init = await cliJson<InitJson>(['hub', 'init', '--hub-dir', hubDir, '--listen', '127.0.0.1:0', '--owner', 'Olive']);
  owner = { ikey: init.owner.ikey, skey: readSkey(init.owner.skey_file) };
  const hank = await cliJson<{ ikey: string; skey_file: string; role: string }>(['hub', 'admin', 'add', 'Hank', '--role', 'help desk', '--hub-dir', hubDir]);
  expect(hank.role).toBe('Help Desk');
  helpDesk = { ikey: hank.ikey, skey: readSkey(hank.skey_file) };
  hub = await serveHub(hubDir);
});

afterAll(async () => {
  await hub?.stop();
  fs.rmSync(base, { recursive: true, force: true });
});

const url = () => (hub as ServedHub).url;
const T0 = 1_700_000_000_000;
const userDoc = (id: string, username: string) => ({ ...createUser({ username }, T0, id), _deleted: false });

async function pullAll<K extends SyncedCollection>(collection: K, credential = owner): Promise<PullResponse<K>['documents']> {
  const res = await signedRequest<PullResponse<K>>({ url: url(), credential, path: pullPath(collection), query: { limit: '5000' } });
  expect(res.status).toBe(200);
  return res.body.documents;
}

describe('factordesk hub (real processes)', () => {
  it('serves on loopback, prints its URL, and knows who signs', async () => {
    expect(url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const who = await signedRequest<{ identity: { name: string; role: string } }>({ url: url(), credential: owner, path: WHOAMI_PATH });
    expect(who.body.identity).toMatchObject({ name: 'Olive', role: 'Owner' });
  });

  it('refuses a wrong secret, a stale Date and a body changed after signing with 401, and changes nothing', async () => {
    const usersBefore = await pullAll('users');
    const auditBefore = await pullAll('audit');
    const body = { rows: [{ newDocumentState: userDoc('DUX1', 'mallory') }] };
    const attempts = [
      await signedRequest({ url: url(), credential: { ikey: owner.ikey, skey: 'a'.repeat(40) }, path: pushPath('users'), body }),
      await signedRequest({ url: url(), credential: owner, path: pushPath('users'), body, date: new Date(Date.now() - 10 * 60_000) }),
      await signedRequest({ url: url(), credential: owner, path: pushPath('users'), body, sendBody: JSON.stringify({ rows: [{ newDocumentState: userDoc('DUX2', 'eve') }] }) }),
    ];
    for (const res of attempts) expect(res).toMatchObject({ status: 401, body: { stat: 'FAIL', code: 40101 } });
    expect(attempts.map((r) => (r.body as { message_detail: string }).message_detail)).toEqual(['bad-signature', 'stale-date', 'bad-signature']);
    expect(await pullAll('users')).toEqual(usersBefore);
    expect(await pullAll('audit')).toEqual(auditBefore);
  });

  it('accepts an Owner push, pulls it back, and audits it with the daemon that sent it', async () => {
    const res = await signedRequest<PushResponse>({
      url: url(),
      credential: owner,
      path: pushPath('users'),
      body: { rows: [{ newDocumentState: userDoc('DU1', 'ann') }] },
      headers: { 'X-Factordesk-Client': 'owner-laptop' },
    });
    expect(res.body).toEqual({ conflicts: [], refused: [] });
    expect((await pullAll('users', helpDesk)).find((d) => d.user_id === 'DU1')).toMatchObject({ username: 'ann', _hubRev: expect.any(Number) });
    expect((await pullAll('audit')).find((e) => e.entity_id === 'DU1')).toMatchObject({
      action: 'users.add',
      admin_name: 'Olive',
      summary: 'user ann (DU1): added [via owner-laptop]',
    });
  });

  it('refuses a hand-crafted Help Desk push attaching a token to an administrator, with the reason and the master state', async () => {
    const token = { ...createToken({ serial: 'OTP-7', type: 'h6' }, T0), _deleted: false };
    await signedRequest({ url: url(), credential: owner, path: pushPath('tokens'), body: { rows: [{ newDocumentState: token }] } });
    const [master] = (await pullAll('tokens')).filter((d) => d.token_id === token.token_id);
    const res = await signedRequest<PushResponse<'tokens'>>({
      url: url(),
      credential: helpDesk,
      path: pushPath('tokens'),
      body: { rows: [{ assumedMasterState: master, newDocumentState: { ...token, admins: ['DEHANK'], updated: T0 + 1 } }] },
    });
    expect(res.body).toEqual({
      conflicts: [],
      refused: [{ id: token.token_id, code: 'FORBIDDEN', reason: 'Only an Owner can attach hardware tokens to administrators.', master }],
    });
    expect((await pullAll('tokens')).find((d) => d.token_id === token.token_id)?.admins).toEqual([]);
  });

  it('streams hello, RESYNC, then the changes of each commit', async () => {
    const stream = await openStream(url(), helpDesk);
    try {
      await stream.waitFor((m) => m.type === 'RESYNC');
      expect(stream.messages.map((m) => m.type)).toEqual(['hello', 'RESYNC']);
      await signedRequest({ url: url(), credential: owner, path: pushPath('users'), body: { rows: [{ newDocumentState: userDoc('DU2', 'bea') }] } });
      await stream.waitFor((m) => m.type === 'change' && m.collection === 'users');
    } finally {
      stream.close();
    }
  });

  it('lists administrators and their keys, never their secrets', async () => {
    const result = await cli(['--format', 'json', 'hub', 'admin', 'list', '--hub-dir', hubDir]);
    expect(result.exitCode).toBe(0);
    const admins = JSON.parse(result.stdout) as Array<{ name: string; role: string; keys: Array<{ ikey: string }> }>;
    expect(admins.map((a) => [a.name, a.role, a.keys.map((k) => k.ikey)])).toEqual([
      ['Olive', 'Owner', [owner.ikey]],
      ['Hank', 'Help Desk', [helpDesk.ikey]],
    ]);
    expect(result.stdout).not.toContain(owner.skey);
    expect(result.stdout).not.toContain(helpDesk.skey);
  });

  it('refuses a key revoked with `hub admin revoke` from then on, closing its open stream', async () => {
    const stream = await openStream(url(), helpDesk);
    await stream.waitFor((m) => m.type === 'RESYNC');
    const revoked = await cliJson<{ revoked: string[] }>(['hub', 'admin', 'revoke', helpDesk.ikey, '--hub-dir', hubDir]);
    expect(revoked.revoked).toEqual([helpDesk.ikey]);
    expect(await stream.closed).toBe(CLOSE_REVOKED);
    const usersBefore = await pullAll('users');
    const res = await signedRequest({ url: url(), credential: helpDesk, path: pushPath('users'), body: { rows: [{ newDocumentState: userDoc('DUX3', 'x') }] } });
    expect(res).toMatchObject({ status: 401, body: { code: 40101, message_detail: 'unknown-key' } });
    expect(await pullAll('users')).toEqual(usersBefore);
  });

  it('keeps every acknowledged push through kill -9 of the hub, and serves them after a restart', async () => {
    const acknowledged: string[] = [];
    let down = false;
    const writer = async (n: number) => {
      for (let i = 0; !down; i++) {
        const id = `DUK${n}X${i}`;
        try {
          const res = await signedRequest<PushResponse>({ url: url(), credential: owner, path: pushPath('users'), body: { rows: [{ newDocumentState: userDoc(id, `k${n}-${i}`) }] } });
          if (res.status === 200 && res.body.conflicts.length === 0 && res.body.refused.length === 0) acknowledged.push(id);
        } catch {
          down = true;
        }
      }
    };
    const writers = [writer(1), writer(2), writer(3)];
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 5));
    await (hub as ServedHub).kill();
    await Promise.all(writers);
    console.log(`acknowledged before kill -9: ${acknowledged.length}`);

    hub = await serveHub(hubDir);
    const stream = await openStream(url(), owner);
    await stream.waitFor((m) => m.type === 'RESYNC');
    stream.close();
    const present = new Set((await pullAll('users')).map((d) => d.user_id));
    expect(acknowledged.filter((id) => !present.has(id))).toEqual([]);
    const audited = new Set((await pullAll('audit')).map((e) => e.entity_id));
    expect(acknowledged.filter((id) => !audited.has(id))).toEqual([]);
  });

  it('stops cleanly on SIGTERM and removes its serving record', async () => {
    await (hub as ServedHub).stop();
    expect((await (hub as ServedHub).process).exitCode).toBe(0);
    expect(fs.existsSync(path.join(hubDir, 'serving.json'))).toBe(false);
    hub = undefined;
  });
});

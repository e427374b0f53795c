/**
 * Daemons replicating with a team hub, all real processes: `hub serve` (self-signed, pinned at `factordesk login`)
 * and two daemons, an Owner's and a Help Desk administrator's, driven over their RPC sockets and the CLI.
 *
 * - An edit by one appears in the other's replica (the latency is printed).
 * - A Help Desk daemon refuses a token→administrator attach locally; the same change pushed straight to the hub
 *   with its key is refused there; and when it is forced into that daemon's replica, the hub refuses the push and
 *   the replica goes back, with the reason in `sync status`, and it is not pushed again.
 * - The hub stops; both daemons make conflicting edits covering the policy table; the hub restarts; both replicas
 *   equal the hub, the outcome is the policy's, and the resolutions are listed.
 * - Edits made while the hub is down survive a daemon restart and reach the hub when it is back.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplica } from '../../daemon/replica/database.js';
import type { ConflictRecord } from '../../src/conflict-policy.js';
import type { SyncStatus } from '../../src/rpc/contract.js';
import { connectDaemon, type DaemonClient } from '../../tui/rpc-client.js';
import { cliSandbox, type CliSandbox } from '../helpers/cli.js';
import { teamHub, type HubCredential, type TeamHub } from '../helpers/sync-hub.js';
import { until } from '../helpers/until.js';

let hub: TeamHub;
let helpDeskCred: HubCredential;
let ownerFd: CliSandbox;
let helpFd: CliSandbox;
const clients: DaemonClient[] = [];

async function connect(fd: CliSandbox): Promise<DaemonClient> {
  const client = await connectDaemon({ dataDir: fd.dataDir, env: { ...process.env, ...fd.env, NODE_ENV: 'production' }, client: 'test' });
  clients.push(client);
  return client;
}

let A: DaemonClient;
let B: DaemonClient;


const status = (c: DaemonClient): Promise<SyncStatus> => c.request('sync.status', {});

interface Snapshot {
  users: Array<{ user_id: string; username: string; status: string; phone_order: string[] }>;
  phones: Array<{ phone_id: string; name: string; model: string; users: string[] }>;
  tokens: Array<{ token_id: string; serial: string; type: string; users: string[]; admins: string[] }>;
}

function project(users: Record<string, unknown>[], phones: Record<string, unknown>[], tokens: Record<string, unknown>[]): Snapshot {
  const byId = <T extends Record<string, unknown>>(key: string) => (a: T, b: T) => String(a[key]).localeCompare(String(b[key]));
  return {
    users: users
      .map((u) => ({ user_id: String(u.user_id), username: String(u.username), status: String(u.status), phone_order: u.phone_order as string[] }))
      .sort(byId('user_id')),
    phones: phones
      .map((p) => ({ phone_id: String(p.phone_id), name: String(p.name), model: String(p.model), users: [...(p.users as string[])].sort() }))
      .sort(byId('phone_id')),
    tokens: tokens
      .map((t) => ({ token_id: String(t.token_id), serial: String(t.serial), type: String(t.type), users: [...(t.users as string[])].sort(), admins: [...(t.admins as string[])].sort() }))
      .sort(byId('token_id')),
  };
}

async function replicaSnapshot(c: DaemonClient): Promise<Snapshot> {
  const window = { offset: 0, limit: 10_000 };
  const [users, phones, tokens] = await Promise.all([
    c.request('view.query', { entity: 'users', window }),
    c.request('view.query', { entity: 'devices', window }),
    c.request('view.query', { entity: 'tokens', window }),
  ]);
  return project(users.rows as never, phones.rows as never, tokens.rows as never);
}

async function hubSnapshot(): Promise<Snapshot> {
  const [users, phones, tokens] = await Promise.all([hub.documents('users'), hub.documents('phones'), hub.documents('tokens')]);
  return project(users, phones, tokens);
}

/** Waits until both daemons are online with nothing queued and their replicas equal the hub's documents. */
async function converged(): Promise<Snapshot> {
  return until('both replicas to equal the hub', async () => {
    const [sa, sb] = await Promise.all([status(A), status(B)]);
    if (sa.state !== 'online' || sb.state !== 'online' || sa.queued !== 0 || sb.queued !== 0) return undefined;
    const [a, b, h] = await Promise.all([replicaSnapshot(A), replicaSnapshot(B), hubSnapshot()]);
    const same = JSON.stringify(a) === JSON.stringify(h) && JSON.stringify(b) === JSON.stringify(h);
    return same ? h : undefined;
  }, 120_000);
}

beforeAll(async () => {
  hub = await teamHub();
  helpDeskCred = await hub.addAdmin('Helen Desk', 'Help Desk');
  await hub.start();
  ownerFd = cliSandbox('fd-sync-owner-');
  helpFd = cliSandbox('fd-sync-help-');
  const login = await ownerFd.ok('login', hub.url, '--ikey', hub.owner.ikey, '--skey-file', hub.owner.skeyFile);
  expect(login).toContain(hub.fingerprint);
  expect(login).toMatch(/pinned on first use/);
  await helpFd.ok('login', hub.url, '--ikey', helpDeskCred.ikey, '--skey-file', helpDeskCred.skeyFile);
  [A, B] = await Promise.all([connect(ownerFd), connect(helpFd)]);
}, 180_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all([ownerFd?.dispose(), helpFd?.dispose()]);
  await hub?.dispose();
}, 120_000);

describe('two daemons and a hub', () => {
  it('act as the administrators the hub names, online', async () => {
    const [sa, sb] = await Promise.all([
      until('A online', async () => ((await status(A)).state === 'online' ? status(A) : undefined)),
      until('B online', async () => ((await status(B)).state === 'online' ? status(B) : undefined)),
    ]);
    expect(sa).toMatchObject({ hub: hub.url, local: false, identity: { admin_id: hub.owner.admin_id, role: 'Owner' } });
    expect(sb).toMatchObject({ hub: hub.url, identity: { admin_id: helpDeskCred.admin_id, name: 'Helen Desk', role: 'Help Desk' } });
    expect((await helpFd.ok('daemon', 'status'))).toMatch(/Helen Desk \(Help Desk\)/);
  });

  it('shows an edit by one in the other\'s replica', async () => {
    const started = Date.now();
    const user = await A.request('users.add', { username: 'alice' });
    await until('alice at B', async () => (await B.request('users.get', { user: 'alice' })).user.user_id === user.user_id);
    console.log(`Owner's users.add seen in the Help Desk replica after ${Date.now() - started} ms`);

    const phone = await B.request('phones.add', { user: 'alice', type: 'mobile', platform: 'apple ios', number: '+15550001000', name: 'alice-phone' });
    const t1 = Date.now();
    await until('the phone at A', async () => (await A.request('phones.get', { phone: phone.phone.phone_id })).phone.name === 'alice-phone');
    console.log(`Help Desk's phones.add seen in the Owner's replica after ${Date.now() - t1} ms`);
    // The hub audits what it accepts; daemons no longer write their own audit events.
    const audit = await until('the audit event', async () => {
      const rows = (await A.request('view.query', { entity: 'audit', filter: 'phones.add' })).rows;
      return rows.length > 0 ? rows : undefined;
    });
    expect(audit[0]).toMatchObject({ admin_id: helpDeskCred.admin_id, admin_name: 'Helen Desk' });
  });

  it('refuses a Help Desk token→administrator attach locally, at the hub, and rolls it back in the replica', async () => {
    const token = await A.request('tokens.add', { serial: 'REFUSE-1', type: 'h6' });
    await until('the token at B', async () => (await B.request('tokens.get', { token: 'REFUSE-1' })).token_id === token.token_id);

    // 1. The daemon refuses it itself.
    const local = await helpFd.run('tokens', 'attach-admin', 'REFUSE-1', '--admin', 'Helen Desk');
    expect(local.exitCode).toBe(1);
    expect(local.stderr).toMatch(/Only an Owner can attach hardware tokens to administrators/);

    // 2. The same change, hand-crafted and pushed straight to the hub with the Help Desk key.
    const [master] = (await hub.documents('tokens')).filter((d) => d.token_id === token.token_id);
    const raw = hub.client(helpDeskCred);
    const response = await raw.push('tokens', {
      rows: [{ assumedMasterState: master as never, newDocumentState: { ...(master as never as object), admins: [helpDeskCred.admin_id], _deleted: false } as never }],
    });
    raw.close();
    expect(response.refused).toEqual([expect.objectContaining({ id: token.token_id, code: 'FORBIDDEN', reason: expect.stringMatching(/Only an Owner/) })]);
    expect((await hub.documents('tokens')).find((d) => d.token_id === token.token_id)?.admins).toEqual([]);

    // 3. Forced into the Help Desk replica behind the daemon's back: the hub refuses the push, the replica goes back.
    await helpFd.ok('daemon', 'stop');
    const replica = await openReplica({ file: path.join(helpFd.dataDir, 'replica.sqlite') });
    const doc = await replica.collections.tokens.findOne(token.token_id).exec();
    await doc!.incrementalPatch({ admins: [helpDeskCred.admin_id], updated: Date.now() });
    await replica.close();
    B = await connect(helpFd);
    const refused = await until('the refusal', async () => {
      const s = await status(B);
      return s.refused.find((r) => r.id === token.token_id);
    });
    expect(refused).toMatchObject({ collection: 'tokens', code: 'FORBIDDEN', reason: expect.stringMatching(/Only an Owner/) });
    await until('the rollback', async () => (await B.request('tokens.get', { token: 'REFUSE-1' })).admins.length === 0);
    const shown = await helpFd.ok('sync', 'status');
    expect(shown).toMatch(/refused tokens .* Only an Owner can attach hardware tokens to administrators.*rolled back/);
    // Not pushed again: the hub still has no attachment and the replica has nothing queued.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await status(B)).queued).toBe(0);
    expect((await hub.documents('tokens')).find((d) => d.token_id === token.token_id)?.admins).toEqual([]);
    expect((await B.request('tokens.get', { token: 'REFUSE-1' })).admins).toEqual([]);
  });

  it('merges conflicting offline edits by the policy table once the hub is back', async () => {
    // Set up while online (the Owner), and wait until the Help Desk replica has it all.
    for (const username of ['bob', 'carol', 'dave', 'erin']) await A.request('users.add', { username });
    let n = 0;
    const add = async (user: string, name: string) =>
      (await A.request('phones.add', { user, type: 'mobile', platform: 'google android', number: `+1555000${String(++n).padStart(4, '0')}`, name })).phone.phone_id;
    const p1 = await add('alice', 'p1');
    const p2 = await add('alice', 'p2');
    await A.request('phones.attach', { phone: p2, user: 'bob' });
    const d1 = await add('dave', 'd1');
    const d2 = await add('dave', 'd2');
    const d3 = await add('dave', 'd3');
    const p4 = await add('alice', 'p4');
    const p5 = await add('bob', 'p5');
    const p6 = await add('alice', 'p6');
    const p7 = await add('alice', 'p7');
    const ids = (await A.request('users.get', { user: 'erin' })).user.user_id;
    await converged();

    await hub.stop();
    await until('both offline', async () => (await status(A)).state === 'offline' && (await status(B)).state === 'offline');

    // Row by row of the policy table: the Owner's edit, then the Help Desk's.
    await A.request('phones.update', { phone: p1, name: 'p1-owner' }); //               different fields
    await B.request('phones.update', { phone: p1, model: 'model-helpdesk' });
    await A.request('phones.detach', { phone: p2, user: 'bob' }); //                     attach/detach of different users
    await B.request('phones.attach', { phone: p2, user: 'carol' });
    await A.request('phones.reorder', { user: 'dave', phone: d3, position: 1 }); //       two reorders
    await B.request('phones.reorder', { user: 'dave', phone: d2, position: 1 });
    await A.request('phones.delete', { phone: p4 }); //                                  explicit delete vs an edit
    await B.request('phones.update', { phone: p4, name: 'p4-helpdesk' });
    expect((await A.request('phones.detach', { phone: p5, user: 'bob' })).deviceDeleted).toBe(true); // implicit delete vs attach
    await B.request('phones.attach', { phone: p5, user: 'carol' });
    await A.request('phones.update', { phone: p6, name: 'p6-owner' }); //                same scalar field
    await B.request('phones.update', { phone: p6, name: 'p6-helpdesk' });
    await A.request('tokens.add', { serial: 'TWICE-1', type: 'h6' }); //                 same serial imported twice
    await B.request('tokens.add', { serial: 'TWICE-1', type: 't6', totp_step: 30 });
    await A.request('users.delete', { user: 'erin' }); //                                a user deleted vs an attach to it
    await B.request('phones.attach', { phone: p7, user: 'erin' });
    const [qa, qb] = await Promise.all([status(A), status(B)]);
    expect(qa.queued).toBeGreaterThan(0);
    expect(qb.queued).toBeGreaterThan(0);

    await hub.start();
    const started = Date.now();
    const final = await converged();
    console.log(`converged ${Date.now() - started} ms after the hub restarted`);

    const phone = (id: string) => final.phones.find((p) => p.phone_id === id);
    const userId = (username: string) => final.users.find((u) => u.username === username)?.user_id;
    expect(phone(p1)).toMatchObject({ name: 'p1-owner', model: 'model-helpdesk' });
    expect(phone(p2)?.users).toEqual([userId('alice'), userId('carol')].sort());
    const dave = final.users.find((u) => u.username === 'dave')!;
    expect([...dave.phone_order].sort()).toEqual([d1, d2, d3].sort());
    const daveDetail = await B.request('users.get', { user: 'dave' });
    expect(daveDetail.phones.map((p) => p.alias)).toEqual(['phone1', 'phone2', 'phone3']);
    expect(phone(p4)).toBeUndefined();
    expect(phone(p5)?.users).toEqual([userId('carol')]);
    expect(['p6-owner', 'p6-helpdesk']).toContain(phone(p6)?.name);
    expect(final.tokens.filter((t) => t.serial === 'TWICE-1')).toHaveLength(1);
    expect(final.users.find((u) => u.user_id === ids)).toBeUndefined();
    expect(phone(p7)?.users).toEqual([userId('alice')]);

    // Every automatic resolution is recorded by the daemon that made it, with both sides.
    const [sa, sb] = await Promise.all([status(A), status(B)]);
    const [ca, cb] = await Promise.all([A.request('sync.conflicts', {}), B.request('sync.conflicts', {})]);
    // The status counts what `sync.conflicts` lists (taken just before, so nothing recorded since is missing).
    expect(ca.length).toBeGreaterThanOrEqual(sa.conflicts);
    expect(cb.length).toBeGreaterThanOrEqual(sb.conflicts);
    expect(sa.conflicts + sb.conflicts).toBeGreaterThan(0);
    const all: ConflictRecord[] = [...ca, ...cb];
    const rules = new Set(all.map((c) => c.rule));
    for (const rule of [
      'different-fields',
      'set-merge',
      'reorder-merge',
      'explicit-delete-wins',
      'attach-beats-implicit-delete',
      'first-accepted-wins',
      'same-serial',
      'deleted-user-reference',
    ]) {
      expect(rules, `a ${rule} record`).toContain(rule);
    }
    const deleteWins = all.find((c) => c.rule === 'explicit-delete-wins' && c.doc_id === p4)!;
    expect(deleteWins.lost).toContain('p4-helpdesk');
    const listed = (await ownerFd.ok('conflicts', 'list')) + (await helpFd.ok('conflicts', 'list'));
    for (const rule of rules) expect(listed).toContain(rule);
  }, 300_000);

  it('keeps edits made while the hub is down through a daemon restart, and pushes them when it is back', async () => {
    await hub.stop();
    await until('A offline', async () => (await status(A)).state === 'offline');
    await A.request('users.add', { username: 'frank' });
    expect((await status(A)).queued).toBeGreaterThanOrEqual(1);
    await ownerFd.ok('daemon', 'stop');
    A = await connect(ownerFd);
    const after = await status(A);
    expect(after).toMatchObject({ state: 'offline' });
    expect(after.queued).toBeGreaterThanOrEqual(1);
    expect((await A.request('users.get', { user: 'frank' })).user.username).toBe('frank');

    await hub.start();
    await until('frank at the hub', async () => (await hub.documents('users')).some((u) => u.username === 'frank'));
    await until('nothing queued', async () => (await status(A)).queued === 0);
    await until('frank at B', async () => (await B.request('users.get', { user: 'frank' })).user.username === 'frank');
  }, 180_000);
});

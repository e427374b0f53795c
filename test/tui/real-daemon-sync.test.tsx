/**
 * The TUI's sync parts against real processes: a team hub (`hub serve`) and two daemons logged in to it, an Owner's
 * and an Administrator's. While the hub is down both rename one device; when it is back, the daemon whose rename the
 * hub took second records a first-accepted-wins conflict. The TUI on that daemon shows it in its status line (pushed
 * by `sync.changed`) and on the Conflicts screen with both sides; `r` re-applies its side through `sync.reapply`,
 * which edits like any command: the hub and the other daemon get the re-applied name, and the count drops.
 */
import type { AuditRow } from '../../src/rpc/contract.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../src/rpc/contract.js';
import { connectDaemon, type DaemonClient } from '../../tui/rpc-client.js';
import { cliSandbox, type CliSandbox } from '../helpers/cli.js';
import { teamHub, type TeamHub } from '../helpers/sync-hub.js';
import { renderApp, type RenderedApp } from './helpers/render-app.js';
import { until as waitUntil } from '../helpers/until.js';

let hub: TeamHub;
let ownerFd: CliSandbox;
let adminFd: CliSandbox;
const clients: DaemonClient[] = [];
let app: RenderedApp | undefined;

async function connect(fd: CliSandbox): Promise<DaemonClient> {
  const client = await connectDaemon({ dataDir: fd.dataDir, env: { ...process.env, ...fd.env, NODE_ENV: 'production' }, client: 'tui' });
  clients.push(client);
  return client;
}

/** These tests start real hubs and daemons: each wait gets two minutes on a loaded machine. */
const until = <T,>(what: string, probe: () => Promise<T | undefined | false>) => waitUntil(what, probe, 120_000);

const status = (c: DaemonClient): Promise<SyncStatus> => c.request('sync.status', {});
const settled = async (c: DaemonClient) => {
  const s = await status(c);
  return s.state === 'online' && s.queued === 0;
};

beforeAll(async () => {
  hub = await teamHub('fd-tui-sync-hub-');
  const admin = await hub.addAdmin('Adam Admin', 'Administrator');
  await hub.start();
  ownerFd = cliSandbox('fd-tui-sync-owner-');
  adminFd = cliSandbox('fd-tui-sync-admin-');
  await ownerFd.ok('login', hub.url, '--ikey', hub.owner.ikey, '--skey-file', hub.owner.skeyFile);
  await adminFd.ok('login', hub.url, '--ikey', admin.ikey, '--skey-file', admin.skeyFile);
}, 180_000);

afterAll(async () => {
  // As start.tsx does: close first, so that no request goes out on a connection being closed.
  for (const c of clients) c.close();
  app?.unmount();
  await Promise.all([ownerFd?.dispose(), adminFd?.dispose()]);
  await hub?.dispose();
}, 120_000);

describe('the TUI over two daemons and a hub', () => {
  it('shows a conflict pushed by the daemon, and re-applies its side through the hub', async () => {
    const [A, B] = await Promise.all([connect(ownerFd), connect(adminFd)]);
    await A.request('users.add', { username: 'alice' });
    const { phone } = await A.request('phones.add', { user: 'alice', type: 'mobile', platform: 'apple ios', number: '+15550007000', name: 'p-base' });
    await until('both online with the phone', async () => (await settled(A)) && (await settled(B)) && (await B.request('phones.get', { phone: phone.phone_id })).phone.name === 'p-base');

    await hub.stop();
    await until('both offline', async () => (await status(A)).state === 'offline' && (await status(B)).state === 'offline');
    await A.request('phones.update', { phone: phone.phone_id, name: 'p-owner' });
    await B.request('phones.update', { phone: phone.phone_id, name: 'p-admin' });
    await hub.start();
    await until('both in sync again', async () => (await settled(A)) && (await settled(B)));

    // The daemon whose rename the hub took second has the record; its side is its own rename.
    const [ca, cb] = await until('the conflict record', async () => {
      const lists = await Promise.all([A.request('sync.conflicts', {}), B.request('sync.conflicts', {})]);
      return lists.some((l) => l.some((c) => c.doc_id === phone.phone_id && c.rule === 'first-accepted-wins')) ? lists : undefined;
    });
    const loserIsA = ca.some((c) => c.doc_id === phone.phone_id && c.rule === 'first-accepted-wins');
    const [loser, winner] = loserIsA ? [A, B] : [B, A];
    const [mine, theirs] = loserIsA ? ['p-owner', 'p-admin'] : ['p-admin', 'p-owner'];
    const record = (loserIsA ? ca : cb).find((c) => c.doc_id === phone.phone_id && c.rule === 'first-accepted-wins')!;
    expect(record).toMatchObject({ field: 'name', kept: JSON.stringify(theirs), lost: JSON.stringify(mine), state: 'open' });
    const hubName = async () => (await hub.documents('phones')).find((d) => d.phone_id === phone.phone_id)?.name;
    expect(await hubName()).toBe(theirs);

    app = renderApp({ client: loser, size: { columns: 140, rows: 30 } });
    await app.waitFor(/hub: online 127\.0\.0\.1:\d+ · queued 0 · conflicts 1/, 30_000);
    app.press('7');
    let f = await app.waitFor('1 unresolved', 30_000);
    expect(f).toContain(`Yours (lost): ${mine}`);
    expect(f).toContain(`Kept (now):   ${theirs}`);
    app.press('r');
    await app.waitFor('Re-apply your side?');
    const pressed = Date.now();
    app.press('enter');
    f = await app.waitFor(`Re-applied your side of device ${phone.phone_id} · name.`, 30_000);
    // The status line follows the daemon's push: nothing unresolved, and the edit goes out.
    await app.waitFor(/hub: online 127\.0\.0\.1:\d+ · queued 0 · conflicts 0/, 30_000);
    await until('the hub to take the re-applied name', async () => (await hubName()) === mine);
    await until('the other daemon to see it', async () => (await winner.request('phones.get', { phone: phone.phone_id })).phone.name === mine);
    console.log(`re-applied side seen by the other daemon ${Date.now() - pressed} ms after Enter`);
    expect((await loser.request('sync.conflicts', {})).find((c) => c.conflict_id === record.conflict_id)?.state).toBe('reapplied');
    // The re-apply is an ordinary edit: the hub audits it as this administrator's phone update.
    const loserName = loserIsA ? hub.owner.name : 'Adam Admin';
    const event = await until('the audit event of the re-apply', async () => {
      const rows = (await winner.request('view.query', { entity: 'audit', filter: 'phones.update', window: { offset: 0, limit: 100 } })).rows as AuditRow[];
      return rows.find((e) => e.admin_name === loserName && e.entity_id === phone.phone_id && e.summary.includes(`→ '${mine}'`));
    });
    expect(event).toMatchObject({ action: 'phones.update', entity_id: phone.phone_id });
  }, 300_000);
});

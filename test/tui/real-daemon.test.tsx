/**
 * The TUI against a real daemon (in this process, on a temp data directory): reorder, attach and detach,
 * and removing a device's last user, driven by keys and checked through a second client.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../daemon/logger.js';
import { startDaemon, type DaemonHandle } from '../../daemon/run.js';
import { openDaemonService } from '../../daemon/service.js';
import type { FactordeskError } from '../../src/errors.js';
import { connectDaemon } from '../../tui/rpc-client.js';
import type { DaemonClient } from '../../tui/rpc-client-types.js';
import { tempPaths } from '../daemon/fixtures.js';
import { renderApp, type RenderedApp } from './helpers/render-app.js';

let tmp: ReturnType<typeof tempPaths>;
let daemon: DaemonHandle;
let tui: DaemonClient;
let other: DaemonClient;
let app: RenderedApp | undefined;

beforeEach(async () => {
  tmp = tempPaths('fd-tui-real-');
  daemon = await startDaemon({ paths: tmp.paths, openService: openDaemonService, log: silentLogger() });
  tui = await connectDaemon({ paths: tmp.paths, autostart: false, client: 'tui' });
  other = await connectDaemon({ paths: tmp.paths, autostart: false, client: 'test' });
});

afterEach(async () => {
  // As start.tsx does: close first, so no request goes out on a connection being closed.
  tui.close();
  app?.unmount();
  app = undefined;
  other.close();
  await daemon.shutdown('test end');
  tmp.cleanup();
});

async function seed() {
  await other.request('users.add', { username: 'alice', realname: 'Alice Example' });
  await other.request('users.add', { username: 'bob', realname: 'Bob Builder' });
  const work = await other.request('phones.add', { user: 'alice', type: 'mobile', platform: 'apple ios', number: '+15550000001', name: 'work iPhone' });
  const tablet = await other.request('phones.add', { user: 'alice', type: 'tablet', platform: 'google android', name: 'home tablet' });
  const spare = await other.request('phones.add', { user: 'alice', type: 'mobile', platform: 'google android', number: '+15550000003', name: 'spare phone' });
  return { work: work.phone, tablet: tablet.phone, spare: spare.phone };
}

/** Waits (bounded) until the daemon's answer satisfies `ok`. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const order = async () => (await other.request('users.get', { user: 'alice' })).phones.map((p) => `${p.alias}=${p.phone.name}`);
const aliasOf = (frame: string, name: string) => frame.split('\n').find((l) => l.includes(name))?.match(/phone\d/)?.[0];

async function openUser(username: string) {
  app = renderApp({ client: tui, size: { columns: 110, rows: 30 } });
  app.press('2');
  await app.waitFor('Bob Builder');
  if (username === 'bob') app.press('j');
  app.press('enter');
  return app.waitFor(`User · ${username}`);
}

describe('the TUI on a real daemon', () => {
  it("reorders a user's phones with J/K; the daemon's aliases follow", async () => {
    await seed();
    await openUser('alice');
    await app!.waitFor('spare phone');
    app!.press('J');
    await until(order, (o) => o.join() === 'phone1=home tablet,phone2=work iPhone,phone3=spare phone');
    await app!.waitFor((f) => aliasOf(f, 'work iPhone') === 'phone2' && aliasOf(f, 'home tablet') === 'phone1');
    app!.press('G', 'K', 'K');
    await until(order, (o) => o.join() === 'phone1=spare phone,phone2=home tablet,phone3=work iPhone');
    await app!.waitFor((f) => aliasOf(f, 'spare phone') === 'phone1');
  });

  it("shows another administrator's reorder live", async () => {
    const { spare } = await seed();
    await openUser('alice');
    await app!.waitFor('spare phone');
    await other.request('phones.reorder', { user: 'alice', phone: spare.phone_id, position: 1 });
    const f = await app!.waitFor((fr) => aliasOf(fr, 'spare phone') === 'phone1');
    expect(aliasOf(f, 'work iPhone')).toBe('phone2');
  });

  it('attaches a device to another user through the picker, then detaches it again', async () => {
    const { work } = await seed();
    await openUser('alice');
    await app!.waitFor('work iPhone');
    app!.press('enter');
    await app!.waitFor('Device · work iPhone');
    await app!.waitFor('Users (1)');
    app!.press('a');
    await app!.waitFor('Attach work iPhone to another user');
    app!.press('bob');
    await app!.waitFor((f) => f.includes('1 match') && f.includes('Bob Builder'));
    app!.press('enter');
    let f = await app!.waitFor('This device is shared between more than one user (2)');
    expect(f).toMatch(/bob\s+phone1/);
    let detail = await other.request('phones.get', { phone: work.phone_id });
    expect(detail.users.map((u) => `${u.username}:${u.alias}`)).toEqual(['alice:phone1', 'bob:phone1']);

    app!.press('j', 'x');
    f = await app!.waitFor('Remove work iPhone from bob?');
    expect(f).toContain('It stays attached to alice.');
    app!.press('enter');
    await app!.waitFor('Removed work iPhone from bob.');
    detail = await until(
      () => other.request('phones.get', { phone: work.phone_id }),
      (d) => d.users.length === 1,
    );
    expect(detail.users[0]?.username).toBe('alice');
    await app!.waitFor('Users (1)');
  });

  it('deletes the device when its last user is removed, after saying so', async () => {
    const { tablet } = await seed();
    await openUser('alice');
    await app!.waitFor('home tablet');
    app!.press('j', 'x');
    let f = await app!.waitFor('Remove home tablet from alice?');
    expect(f).toContain('alice is the last user of this device: removing it deletes the device.');
    app!.press('enter');
    f = await app!.waitFor('no user remained, so the device was deleted');
    const error = await other.request('phones.get', { phone: tablet.phone_id }).then(
      () => undefined,
      (e: FactordeskError) => e,
    );
    expect(error?.code).toBe('NOT_FOUND');
    await app!.waitFor((fr) => aliasOf(fr, 'home tablet') === undefined && aliasOf(fr, 'spare phone') === 'phone2');
    const devices = await other.request('view.query', { entity: 'devices' });
    expect(devices.total).toBe(2);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { alice, bob, desk, fixtureDaemon, tablet } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';
import { user, userRow } from '../../helpers/rows.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

async function openTablet(role: Parameters<typeof fixtureDaemon>[0] = 'Owner') {
  const d = fixtureDaemon(role);
  d.rows.users.push(userRow(user({ user_id: 'DUCAROL0000000000003', username: 'carol', realname: 'Carol Danvers' })));
  app = renderApp({ client: d, size: { columns: 110, rows: 30 } });
  await app.waitFor('home tablet');
  app.press('j', 'enter');
  await app.waitFor('Device · home tablet');
  return { d, app };
}

describe('Device properties', () => {
  it('shows the device, the shared-device notice, its users with aliases and activation as needing a hub', async () => {
    const { app } = await openTablet();
    const f = await app.waitFor('Users (2)');
    expect(f).toContain('This device is shared between more than one user (2)');
    expect(f).toContain('Platform Google Android 14');
    expect(f).toContain('Model Pixel Tablet');
    expect(f).toMatch(/alice\s+phone2/);
    expect(f).toMatch(/bob\s+phone1/);
    expect(f).toContain('Needs a hub');
  });

  it('attaches the device to another user through a filtered picker over the users view', async () => {
    const { d, app } = await openTablet();
    d.on('phones.attach', ({ phone, user: u }) => ({
      phone: tablet,
      users: [
        { user_id: alice.user_id, username: 'alice', alias: 'phone2' },
        { user_id: bob.user_id, username: 'bob', alias: 'phone1' },
        { user_id: u, username: 'carol', alias: 'phone1' },
      ],
      shared: phone !== '',
    }));
    app.press('a');
    let f = await app.waitFor('carol');
    expect(f).toContain('Attach home tablet to another user');
    expect(f).toContain('shared between more than one user');
    // The users already attached are left out by the picker's filter.
    const picker = d.sent('view.subscribe').find((s) => s.entity === 'users' && s.filter?.includes('-id:='))!;
    expect(picker.filter).toBe(`-id:=${alice.user_id} -id:=${bob.user_id}`);
    expect(f).not.toMatch(/›?\s*alice\s+Alice Example/);
    app.press('car');
    await app.waitFor('Search: car');
    expect(d.sent('view.update').at(-1)?.spec.filter).toBe(`-id:=${alice.user_id} -id:=${bob.user_id} car`);
    app.press('enter');
    f = await app.waitFor('Attached home tablet to carol as phone1');
    expect(f).toContain('shared between 3 users');
    expect(d.sent('phones.attach')).toEqual([{ phone: tablet.phone_id, user: 'DUCAROL0000000000003' }]);
  });

  it('removes the device from one user, saying who keeps it', async () => {
    const { d, app } = await openTablet();
    d.on('phones.detach', () => ({ deviceDeleted: false, remainingUsers: [bob.user_id] }));
    await app.waitFor('Users (2)');
    app.press('x');
    const f = await app.waitFor('Remove home tablet from alice?');
    expect(f).toContain('It stays attached to bob.');
    app.press('y');
    await app.waitFor('Removed home tablet from alice.');
    expect(d.sent('phones.detach')).toEqual([{ phone: tablet.phone_id, user: alice.user_id }]);
  });

  it("says when removing the last user deletes the device, and goes back when it is gone", async () => {
    const d = fixtureDaemon();
    d.on('phones.detach', () => ({ deviceDeleted: true, remainingUsers: [] }));
    app = renderApp({ client: d });
    await app.waitFor('desk phone');
    app.press('G', 'enter');
    await app.waitFor('Device · desk phone');
    await app.waitFor('Users (1)');
    app.press('x');
    const f = await app.waitFor('Remove desk phone from bob?');
    expect(f).toContain('bob is the last user of this device: removing it deletes the device.');
    expect(f).toContain('Remove and delete the device');
    app.press('enter');
    const after = await app.waitFor('no user remained, so the device was deleted');
    expect(after).toContain('Devices · 3 matches');
    expect(d.sent('phones.detach')).toEqual([{ phone: desk.phone_id, user: bob.user_id }]);
  });

  it('deletes the device, naming the users it is removed from', async () => {
    const { d, app } = await openTablet();
    d.on('phones.delete', () => ({ affectedUsers: ['alice', 'bob'] }));
    app.press('D');
    const f = await app.waitFor('Delete home tablet?');
    expect(f).toContain('It is removed from 2 users: alice and bob.');
    app.press('enter');
    await app.waitFor('Deleted home tablet; removed from 2 users.');
    expect(d.sent('phones.delete')).toEqual([{ phone: tablet.phone_id }]);
  });

  it('shows actions the role forbids as unavailable, with the reason', async () => {
    const { d, app } = await openTablet('Read-only');
    app.press('D');
    await app.waitFor('Delete the device from every user: Read-only administrators cannot delete devices');
    app.press('a');
    await app.waitFor('Read-only administrators cannot attach devices to users');
    expect(d.sent('phones.delete')).toEqual([]);
  });

  it('shows a device deleted elsewhere as gone', async () => {
    const { d, app } = await openTablet();
    d.set('devices', d.rows.devices.filter((r) => r.phone_id !== tablet.phone_id));
    await app.waitFor('This device no longer exists.');
  });
});

describe('Devices list bulk delete', () => {
  it('marks rows with Space and deletes them after one confirmation', async () => {
    const d = fixtureDaemon();
    d.on('phones.delete', ({ phone }) => ({ affectedUsers: phone === desk.phone_id ? ['bob'] : ['alice'] }));
    app = renderApp({ client: d });
    await app.waitFor('desk phone');
    app.press('space', 'j', 'space');
    let f = await app.waitFor('2 marked');
    app.press('D');
    f = await app.waitFor('Delete 2 devices?');
    expect(f).toContain('• work iPhone (alice)');
    expect(f).toContain('• desk phone (bob)');
    expect(f).toContain('They are removed from 2 users in all.');
    app.press('enter');
    await app.waitFor('Deleted 2 devices; removed from 2 users.');
    expect(d.sent('phones.delete').map((p) => p.phone)).toEqual(['DPWORK00000000000001', desk.phone_id]);
    expect(Object.keys(app.store.getState().lists.devices.marked)).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { conflict } from '../../../../src/errors.js';
import { alice, bob, fixtureDaemon } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';
import { user, userRow } from '../../helpers/rows.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('Users screen', () => {
  it('lists users with status and their device, token and U2F counts', async () => {
    const d = fixtureDaemon();
    d.rows.users.push(userRow(user({ user_id: 'DUDIS00000000000000009', username: 'dora', status: 'disabled' })));
    app = renderApp({ client: d });
    app.press('2');
    const f = await app.waitFor('dora');
    expect(f).toContain('Users · 3 matches');
    expect(f.split('\n').find((l) => l.includes('alice'))).toMatch(/Alice Example.*active\s+2\s+1\s+1/);
    expect(f.split('\n').find((l) => l.includes('dora'))).toContain('disabled');
  });

  it('adds a user with a form; a refusal stays in the form', async () => {
    const d = fixtureDaemon();
    let calls = 0;
    d.on('users.add', (p) => {
      calls++;
      if (calls === 1) throw conflict('A user named "alice" already exists.');
      return user({ user_id: 'DUNEW0000000000000001', username: p.username, realname: p.realname ?? '' });
    });
    app = renderApp({ client: d });
    app.press('2');
    await app.waitFor('bob');
    app.press('n');
    await app.waitFor('Add a user');
    app.press('alice', 'enter');
    await app.waitFor('A user named "alice" already exists.');
    app.press('backspace', 'backspace', 'backspace', 'backspace', 'backspace', 'carol', 'tab', 'Carol Danvers', 'tab', 'carol@example.com', 'enter');
    await app.waitFor('Added user carol.');
    expect(d.sent('users.add').at(-1)).toEqual({ username: 'carol', realname: 'Carol Danvers', email: 'carol@example.com' });
  });

  it('disables a user after a confirmation and enables a disabled one at once', async () => {
    const d = fixtureDaemon();
    d.on('users.setStatus', (p) => ({ ...(p.user === alice.user_id ? alice : bob), status: p.status }));
    app = renderApp({ client: d });
    app.press('2');
    await app.waitFor('bob');
    app.press('d');
    const f = await app.waitFor('Disable alice?');
    expect(f).toContain('cannot authenticate until enabled again');
    app.press('enter');
    await app.waitFor('Disabled alice.');
    expect(d.sent('users.setStatus')).toEqual([{ user: alice.user_id, status: 'disabled' }]);
    d.set('users', d.rows.users.map((r) => (r.user_id === alice.user_id ? { ...r, status: 'disabled' } : r)));
    await app.waitFor(/alice.*disabled/);
    app.press('d');
    await app.waitFor('Enabled alice.');
    expect(d.sent('users.setStatus').at(-1)).toEqual({ user: alice.user_id, status: 'active' });
  });

  it("deletes a user, saying which devices go with them and which stay with someone else", async () => {
    const d = fixtureDaemon();
    d.on('users.delete', () => ({ deletedDevices: ['DPWORK00000000000001'] }));
    app = renderApp({ client: d });
    app.press('2');
    await app.waitFor('bob');
    app.press('D');
    const f = await app.waitFor('Delete user alice?');
    expect(f).toContain('1 device with no other user is deleted too: work iPhone.');
    expect(f).toContain('Shared devices stay with their other users: home tablet.');
    app.press('enter');
    await app.waitFor('Deleted user alice; 1 device deleted with them.');
    expect(d.sent('users.delete')).toEqual([{ user: alice.user_id }]);
  });

  it('refuses what the role may not do, with the reason', async () => {
    const d = fixtureDaemon('Help Desk');
    app = renderApp({ client: d });
    app.press('2');
    await app.waitFor('bob');
    app.press('D');
    await app.waitFor('Help Desk administrators cannot delete users');
    app.press('n');
    await app.waitFor('Help Desk administrators cannot add users');
    expect(d.sent('users.delete')).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { FakeDaemon } from '../helpers/fake-daemon.js';
import { fixtureDaemon } from '../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../helpers/render-app.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('First run on an empty replica', () => {
  it('says what to do next instead of an empty table, and L loads the small demo data', async () => {
    const d = new FakeDaemon();
    d.on('demo.load', () => {
      const loaded = fixtureDaemon();
      d.set('users', loaded.rows.users);
      d.set('devices', loaded.rows.devices);
      d.set('tokens', loaded.rows.tokens);
      return { users: 2, phones: 3, tokens: 2, u2f: 1, admins: 2 };
    });
    app = renderApp({ client: d });
    const f = await app.waitFor('This replica is empty. What next?');
    expect(f).toContain('n   Add a user');
    expect(f).toContain('t   Add a hardware token');
    expect(f).toContain('L   Load the demo data (small)');
    app.press('L');
    await app.waitFor('Loaded demo data: 2 users, 3 devices, 2 tokens, 1 U2F, 2 administrators.');
    await app.waitFor('home tablet');
    expect(d.sent('demo.load')).toEqual([{ size: 'small' }]);
    expect(app.frame()).not.toContain('What next?');
  });

  it('offers adding a user from any first-run screen', async () => {
    const d = new FakeDaemon();
    app = renderApp({ client: d });
    app.press('3');
    await app.waitFor('This replica is empty.');
    app.press('n');
    await app.waitFor('Add a user');
  });

  it('shows a step the role cannot take as unavailable, with the reason', async () => {
    const d = new FakeDaemon({ role: 'Help Desk' });
    app = renderApp({ client: d, size: { columns: 140, rows: 30 } });
    const f = await app.waitFor('What next?');
    expect(f).toContain('(unavailable: Only an Owner can add administrators, which the demo data includes)');
    app.press('L');
    await app.waitFor('Load the demo data (small): Only an Owner can add administrators');
    expect(d.sent('demo.load')).toEqual([]);
  });
});

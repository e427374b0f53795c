import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDaemon, hotp } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('Administrators screen', () => {
  it('lists administrators and opens one with its login tokens', async () => {
    const d = fixtureDaemon();
    d.on('tokens.detachAdmin', () => hotp);
    app = renderApp({ client: d });
    app.press('5');
    let f = await app.waitFor('Jane Roe');
    expect(f).toMatch(/Jane Roe\s+jane\.roe@example\.com\s+Help Desk\s+Active\s+100001/);
    app.press('j', 'enter');
    f = await app.waitFor('Administrator · Jane Roe');
    expect(f).toContain('Role Help Desk · Status Active');
    expect(f).toContain('Login tokens (1)');
    app.press('x');
    await app.waitFor('Remove token 100001 from administrator Jane Roe?');
    app.press('enter');
    await app.waitFor('Removed token 100001 from administrator Jane Roe.');
    expect(d.sent('tokens.detachAdmin')).toEqual([{ token: '100001', admin: 'DEJANE00000000000002' }]);
  });

  it('attaches a token from the list (Owner) through a token picker', async () => {
    const d = fixtureDaemon();
    d.on('tokens.attachAdmin', () => hotp);
    app = renderApp({ client: d });
    app.press('5');
    await app.waitFor('Jane Roe');
    app.press('a');
    await app.waitFor('Attach a hardware token to ada');
    await app.waitFor('900002');
    app.press('enter');
    await app.waitFor('Attached token 100001 to administrator ada.');
    expect(d.sent('tokens.attachAdmin')).toEqual([{ token: hotp.token_id, admin: 'DEADMIN0000000000001' }]);
  });

  it('says why a role may not see administrators', async () => {
    const d = fixtureDaemon('Help Desk');
    app = renderApp({ client: d });
    app.press('5');
    await app.waitFor('Help Desk administrators cannot view administrators.');
    expect(d.sent('view.subscribe').some((s) => s.entity === 'admins')).toBe(false);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { alice, fixtureDaemon } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('U2F/WebAuthn screen', () => {
  it('lists registrations and deletes one after a confirmation', async () => {
    const d = fixtureDaemon();
    d.on('u2f.delete', () => ({ ok: true }));
    app = renderApp({ client: d });
    app.press('4');
    let f = await app.waitFor('YubiKey 5 NFC');
    expect(f).toMatch(/alice\s+WebAuthn\s+YubiKey 5 NFC\s+Work key/);
    app.press('D');
    f = await app.waitFor('Delete WebAuthn YubiKey 5 NFC of alice?');
    expect(f).toContain('enroll the security key again');
    app.press('enter');
    await app.waitFor('Deleted 1 registration.');
    expect(d.sent('u2f.delete')).toEqual([{ registration: 'DRKEY000000000000001' }]);
  });

  it("opens the registration's user with Enter", async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    app.press('4');
    await app.waitFor('YubiKey 5 NFC');
    app.press('enter');
    await app.waitFor('User · alice');
    expect(d.sent('users.get').at(-1)).toEqual({ user: alice.user_id });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { alice, bob, fixtureDaemon, hotp, vendor } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';
import { token } from '../../helpers/rows.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

async function tokens(role: Parameters<typeof fixtureDaemon>[0] = 'Owner') {
  const d = fixtureDaemon(role);
  d.rows.tokens[0] = { ...d.rows.tokens[0]!, admins: ['DEJANE00000000000002'], admin_names: ['Jane Roe'] };
  app = renderApp({ client: d, size: { columns: 110, rows: 30 } });
  app.press('3');
  await app.waitFor('900002');
  return d;
}

describe('Hardware tokens screen', () => {
  it('lists tokens with type, origin and users; only an Owner sees the administrators column', async () => {
    await tokens('Owner');
    let f = app!.frame();
    expect(f).toMatch(/100001\s+h6\s+HOTP 6 digits\s+third-party\s+alice\s+Jane Roe/);
    expect(f).toContain('Administrators');
    app!.unmount();
    await tokens('Administrator');
    f = app!.frame();
    expect(f).not.toContain('Administrators');
    expect(f).not.toContain('Jane Roe');
  });

  it('refuses to delete a vendor d1 token, with the reason', async () => {
    const d = await tokens();
    app!.press('j', 'D');
    await app!.waitFor('Delete the token (or the marked ones): token 900002 is a Duo-D100 purchased from the vendor');
    expect(d.sent('tokens.delete')).toEqual([]);
  });

  it('deletes a third-party token after saying which users lose it', async () => {
    const d = await tokens();
    d.on('tokens.delete', () => ({ affectedUsers: ['alice'] }));
    app!.press('D');
    const f = await app!.waitFor('Delete token 100001?');
    expect(f).toContain('It is removed from 1 user immediately: alice.');
    app!.press('enter');
    await app!.waitFor('Deleted token 100001.');
    expect(d.sent('tokens.delete')).toEqual([{ token: hotp.token_id }]);
  });

  it('assigns a token to a user through a picker that leaves out its users', async () => {
    const d = await tokens();
    d.on('tokens.assign', () => ({ ...hotp, users: [alice.user_id, bob.user_id] }));
    app!.press('a');
    await app!.waitFor('Assign token 100001 to a user');
    const f = await app!.waitFor('Bob Builder');
    expect(f).toContain('Already assigned to alice');
    expect(f).not.toContain('Alice Example');
    app!.press('enter');
    await app!.waitFor('Assigned token 100001 to bob.');
    expect(d.sent('tokens.assign')).toEqual([{ token: hotp.token_id, user: bob.user_id }]);
  });

  it('attaches a token to an administrator (Owner only; others see why not)', async () => {
    const d = await tokens('Owner');
    d.on('tokens.attachAdmin', () => hotp);
    app!.press('A');
    await app!.waitFor('Attach token 100001 to an administrator');
    await app!.waitFor('Jane Roe');
    app!.press('down', 'enter');
    await app!.waitFor('Attached token 100001 to administrator Jane Roe.');
    expect(d.sent('tokens.attachAdmin')).toEqual([{ token: hotp.token_id, admin: 'DEJANE00000000000002' }]);
    app!.unmount();
    const other = await tokens('Administrator');
    app!.press('A');
    await app!.waitFor('Only an Owner can attach hardware tokens to administrators');
    expect(other.sent('tokens.attachAdmin')).toEqual([]);
  });

  it('shows resync as unavailable until a hub is configured', async () => {
    await tokens();
    app!.press('r');
    await app!.waitFor('Resync the token (three codes): Needs a hub: this daemon is local only');
  });

  it('adds a TOTP token with its time step', async () => {
    const d = await tokens();
    d.on('tokens.add', (p) => token({ token_id: 'DHNEW0000000000000003', serial: p.serial, type: p.type, totp_step: p.totp_step ?? 0 }));
    app!.press('n');
    await app!.waitFor('Add a hardware token');
    expect(app!.frame()).not.toContain('TOTP step');
    app!.press('T-555', 'tab', 't');
    await app!.waitFor('‹ t6 · TOTP 6 digits ›');
    await app!.waitFor('TOTP step (s):');
    app!.press('enter');
    await app!.waitFor('Added t6 token T-555.');
    expect(d.sent('tokens.add')).toEqual([{ serial: 'T-555', type: 't6', totp_step: 30 }]);
  });
});

describe('Token properties', () => {
  it('shows the token, its users and (for an Owner) administrators, and removes either', async () => {
    const d = await tokens();
    d.on('tokens.unassign', () => hotp);
    d.on('tokens.detachAdmin', () => hotp);
    app!.press('enter');
    let f = await app!.waitFor('Hardware token · 100001');
    expect(f).toContain('Type h6 (HOTP 6 digits) · Origin third-party (imported)');
    expect(f).toMatch(/user\s+alice/);
    expect(f).toMatch(/administrator\s+Jane Roe/);
    app!.press('x');
    await app!.waitFor('Remove token 100001 from alice?');
    app!.press('enter');
    await app!.waitFor('Removed token 100001 from alice.');
    app!.press('j', 'x');
    f = await app!.waitFor('Remove token 100001 from administrator Jane Roe?');
    app!.press('y');
    await app!.waitFor('Removed token 100001 from administrator Jane Roe.');
    expect(d.sent('tokens.unassign')).toEqual([{ token: hotp.token_id, user: alice.user_id }]);
    expect(d.sent('tokens.detachAdmin')).toEqual([{ token: '100001', admin: 'DEJANE00000000000002' }]);
  });

  it('says on the page why a vendor token cannot be deleted', async () => {
    const d = await tokens();
    app!.press('j', 'enter');
    const f = await app!.waitFor('Hardware token · 900002');
    expect(f).toContain('Cannot be deleted: token 900002 is a Duo-D100 purchased from the vendor');
    app!.press('D');
    await app!.waitFor('Delete the token: token 900002 is a Duo-D100');
    expect(d.sent('tokens.delete')).toEqual([]);
    expect(vendor.origin).toBe('vendor');
  });
});

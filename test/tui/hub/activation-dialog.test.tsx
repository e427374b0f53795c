import { afterEach, describe, expect, it } from 'vitest';
import type { ActivationView, RequestView } from '../../../src/rpc/contract.js';
import { desk, work } from '../helpers/fixture.js';
import { heldRequests, hubDaemon, requestView } from '../helpers/requests.js';
import { renderApp, type RenderedApp } from '../helpers/render-app.js';
import { qrLines } from '../../../tui/state/hub-actions-slice.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

const URI = 'otpauth://totp/factordesk:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=factordesk&period=30';
const activate = (over: Partial<RequestView> = {}) => requestView({ kind: 'phones.activate', params: { phone_id: work.phone_id }, ...over });
const activation = (over: Partial<ActivationView> = {}): ActivationView => ({
  phone_id: work.phone_id,
  otpauth_uri: URI,
  expires: Date.UTC(2024, 4, 2, 12, 0),
  emailed_to: null,
  ...over,
});

async function openDevice(size = { columns: 80, rows: 24 }, role: Parameters<typeof hubDaemon>[0] = 'Owner') {
  const d = hubDaemon(role);
  app = renderApp({ client: d, size });
  await app.waitFor('work iPhone');
  await app.waitFor('hub: online');
  app.press('enter');
  await app.waitFor('Device · work iPhone');
  return d;
}

describe('the activation dialog', () => {
  it('sends an activation, follows the request, and shows the QR code and the link within 80×24', async () => {
    const d = await openDevice();
    d.on('phones.activate', () => activate({ status: 'running' }));
    d.on('phones.activation', () => activation());
    const hub = heldRequests(d);
    app!.press('A');
    await app!.waitFor('Send a Duo Mobile activation to work iPhone');
    app!.press('enter');
    await app!.waitFor('Running at the hub…');
    expect(d.sent('phones.activate')).toEqual([{ phone: work.phone_id, wait: 0 }]);
    hub.answer(activate({ status: 'done' }));
    const f = await app!.waitFor('Duo Mobile activation · work iPhone');
    expect(d.sent('phones.activation')).toEqual([{ phone: work.phone_id }]);
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(Math.max(...lines.map((l) => Array.from(l).length))).toBeLessThanOrEqual(80);
    // The code is drawn (half blocks) and the link is there whole, across its wrapped lines.
    const qr = await qrLines(URI);
    const qrWidth = Array.from(qr[0]!).length;
    // Every line of the code is drawn whole (the frame drops trailing blanks).
    expect(lines.slice(0, qr.length).map((l) => Array.from(l).slice(0, qrWidth).join('').trimEnd())).toEqual(qr.map((l) => l.trimEnd()));
    const beside = lines.map((l) => Array.from(l).slice(qrWidth).join('').trim()).join('');
    expect(beside.replace(/\s+/g, '')).toContain(URI);
    expect(f).toContain('Valid until 2024-05-02 12:00 UTC');
    app!.press('y');
    expect(app!.copied).toEqual([URI]);
    app!.press('escape');
    await app!.waitFor((x) => x.includes('Device · work iPhone') && !x.includes('Duo Mobile activation ·'));
  });

  it('mails it when given an address, and says so', async () => {
    const d = await openDevice({ columns: 120, rows: 40 });
    d.on('phones.activate', () => activate({ status: 'done' }));
    d.on('phones.activation', () => activation({ emailed_to: 'alice@example.com' }));
    app!.press('A');
    await app!.waitFor('E-mail (optional)');
    app!.press('alice@example.com', 'enter');
    await app!.waitFor('mailed to alice@example.com');
    expect(d.sent('phones.activate')).toEqual([{ phone: work.phone_id, email: 'alice@example.com', wait: 0 }]);
  });

  it('says how large the terminal must be when the code does not fit, and still gives the link', async () => {
    const d = await openDevice({ columns: 60, rows: 18 });
    d.on('phones.activate', () => activate({ status: 'done' }));
    d.on('phones.activation', () => activation());
    app!.press('A', 'enter');
    const f = await app!.waitFor(/The QR code needs a terminal of \d+×\d+ \(this one is 60×18\):\s+widen it/);
    expect(f.replace(/\s+/g, '')).toContain(URI);
    expect(f).not.toMatch(/[█▀▄]{5}/);
  });

  it('shows a queued activation as such, and a failure with the reason', async () => {
    const d = hubDaemon('Owner', 'offline');
    d.on('phones.activate', () => activate({ queued: true }));
    const hub = heldRequests(d);
    app = renderApp({ client: d, size: { columns: 100, rows: 30 } });
    await app.waitFor('work iPhone');
    await app.waitFor('hub: offline');
    app.press('A', 'enter');
    await app.waitFor('Queued — will run when the hub is back.');
    hub.answer(activate({ status: 'failed', error_code: 'UNAVAILABLE', error_message: 'the hub has no mail server configured' }));
    await app.waitFor('Failed: the hub has no mail server configured');
    expect(d.sent('phones.activation')).toEqual([]);
  });

  it('is unavailable with the reason for a landline and for a role without the right', async () => {
    const d = hubDaemon();
    app = renderApp({ client: d, size: { columns: 100, rows: 30 } });
    await app.waitFor('desk phone');
    await app.waitFor('hub: online');
    app.press('j', 'j');
    await app.waitFor((f) => f.split('\n').some((l) => l.includes('›') && l.includes('desk phone')));
    app.press('A');
    await app.waitFor('Send a Duo Mobile activation (QR code and link): A landline cannot run Duo Mobile');
    app.unmount();

    const ro = await openDevice({ columns: 140, rows: 30 }, 'Read-only');
    app!.press('A');
    await app!.waitFor(/Send a Duo Mobile activation \(QR code and link\): Read-only administrators cannot send Duo Mobile activations/);
    app!.press(':', 'activation');
    await app!.waitFor('(unavailable: Read-only adm');
    expect(ro.sent('phones.activate')).toEqual([]);
    expect(desk.type).toBe('landline');
  });

  it("sends one to the device selected on a user's page", async () => {
    const d = hubDaemon();
    d.on('phones.activate', () => activate({ status: 'done' }));
    d.on('phones.activation', () => activation());
    app = renderApp({ client: d, size: { columns: 100, rows: 30 } });
    app.press('2');
    await app.waitFor('Alice Example');
    await app.waitFor('hub: online');
    app.press('enter');
    await app.waitFor('User · alice');
    app.press('A');
    await app.waitFor('Send a Duo Mobile activation to work iPhone');
    app.press('enter');
    await app.waitFor('Duo Mobile activation · work iPhone');
    expect(d.sent('phones.activate')).toEqual([{ phone: work.phone_id, wait: 0 }]);
  });
});

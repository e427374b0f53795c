import { afterEach, describe, expect, it } from 'vitest';
import { refused } from '../../../src/errors.js';
import { hotp } from '../helpers/fixture.js';
import { heldRequests, hubDaemon, requestView } from '../helpers/requests.js';
import { renderApp, type RenderedApp } from '../helpers/render-app.js';
import { tokenRow, token } from '../helpers/rows.js';
import type { RequestView } from '../../../src/rpc/contract.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

const resync = (over: Partial<RequestView> = {}) => requestView({ kind: 'tokens.resync', params: { token_id: hotp.token_id }, ...over });

describe('the resync dialog', () => {
  it('sends three codes, says it is queued while the hub is away, then shows the result when the hub answers', async () => {
    const d = hubDaemon('Owner', 'offline');
    d.on('tokens.resync', () => resync({ status: 'pending', queued: true }));
    const hub = heldRequests(d);
    app = renderApp({ client: d, size: { columns: 110, rows: 30 } });
    app.press('3');
    await app.waitFor('900002');
    await app.waitFor('hub: offline');
    app.press('r');
    await app.waitFor('Resync token 100001');
    app.press('123456', 'tab', '234567', 'tab', '345678', 'enter');
    await app.waitFor('Queued — will run when the hub is back.');
    expect(d.sent('tokens.resync')).toEqual([{ token: hotp.token_id, codes: ['123456', '234567', '345678'], wait: 0 }]);
    await until(() => d.sent('requests.get').length === 1);
    expect(d.sent('requests.get')[0]).toEqual({ request: 'DQ000000000000000001', wait: 5000 });

    d.pushSync({ state: 'online', message: undefined });
    hub.answer(resync({ status: 'running' }));
    await app.waitFor('Running at the hub…');
    hub.answer(resync({ status: 'done', result: { counter: 42 } }));
    const f = await app.waitFor('Token 100001 is in step with the hub again');
    expect(f).toContain('Done.');
    app.press('escape');
    await app.waitFor((x) => !x.includes('Resync token 100001'));
  });

  it("shows the hub's reason when the resync fails", async () => {
    const d = hubDaemon();
    d.on('tokens.resync', () => resync({ status: 'pending' }));
    const hub = heldRequests(d);
    app = renderApp({ client: d, size: { columns: 110, rows: 30 } });
    app.press('3');
    await app.waitFor('900002');
    app.press('enter');
    await app.waitFor('Hardware token · 100001');
    app.press('r', '111111', 'tab', '222222', 'tab', '333333', 'enter');
    await app.waitFor('Sent to the hub; waiting for it to run…');
    hub.answer(resync({ status: 'failed', error_code: 'REFUSED', error_message: 'the codes match no position in the next 1000 steps' }));
    await app.waitFor('Failed: the codes match no position in the next 1000 steps');
  });

  it('keeps the form open with the reason when a code is missing or the daemon refuses', async () => {
    const d = hubDaemon();
    d.on('tokens.resync', () => {
      throw refused('token 100001 is assigned to nobody who can use it');
    });
    app = renderApp({ client: d, size: { columns: 110, rows: 30 } });
    app.press('3');
    await app.waitFor('900002');
    app.press('r', '111111', 'enter');
    await app.waitFor('Type all three codes.');
    expect(d.sent('tokens.resync')).toEqual([]);
    app.press('tab', '222222', 'tab', '333333', 'enter');
    const f = await app.waitFor('token 100001 is assigned to nobody who can use it');
    expect(f).toContain('Code 3:');
  });

  it('is unavailable with the reason: a role without the right, a TOTP token', async () => {
    const ro = hubDaemon('Read-only');
    app = renderApp({ client: ro, size: { columns: 110, rows: 30 } });
    app.press('3');
    await app.waitFor('900002');
    await app.waitFor('hub: online');
    app.press('r');
    await app.waitFor(/Resync the token \(three codes\): Read-only administrators cannot resynchronize hardware tokens/);
    app.press(':', 'resync');
    await app.waitFor('(unavailable: Read-only adm');
    app.press('enter');
    await app.waitFor(/Resync the token \(three codes\): Read-only/);
    app.unmount();

    const d = hubDaemon();
    d.rows.tokens = [tokenRow(token({ token_id: 'DHTOTP00000000000009', serial: 'T-9', type: 't6', totp_step: 30 }))];
    app = renderApp({ client: d, size: { columns: 110, rows: 30 } });
    app.press('3');
    await app.waitFor('T-9');
    await app.waitFor('hub: online');
    app.press('r');
    await app.waitFor('Resync the token (three codes): token T-9 is a TOTP token');
    expect(d.sent('tokens.resync')).toEqual([]);
  });

  it('runs from the palette like any other action', async () => {
    const d = hubDaemon();
    d.on('tokens.resync', () => resync({ status: 'done' }));
    app = renderApp({ client: d, size: { columns: 110, rows: 30 } });
    app.press('3');
    await app.waitFor('900002');
    await app.waitFor('hub: online');
    app.press(':', 'resync');
    await app.waitFor('Resync the token (three codes)');
    app.press('enter');
    await app.waitFor('Resync token 100001');
    app.press('1', 'tab', '2', 'tab', '3', 'enter');
    await app.waitFor('Token 100001 is in step with the hub again');
    expect(d.sent('requests.get')).toEqual([]);
  });
});

async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition never met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

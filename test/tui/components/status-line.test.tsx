import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDaemon } from '../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../helpers/render-app.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

const statusLine = (frame: string) => frame.split('\n').filter((l) => l.trim()).at(-1)!;
const T = Date.UTC(2024, 4, 1, 12, 5);

describe('the status line over the daemon\'s sync state', () => {
  it('shows the hub, queued edits and unresolved conflicts, and follows the daemon\'s pushes', async () => {
    const d = fixtureDaemon();
    d.syncStatus = { ...d.syncStatus, state: 'online', hub: 'https://hub.example.com:8443', queued: 0, conflicts: 2, lastSync: T };
    app = renderApp({ client: d, size: { columns: 140, rows: 30 } });
    let f = await app.waitFor('hub: online hub.example.com:8443');
    expect(statusLine(f)).toContain('queued 0 · conflicts 2');
    expect(statusLine(f)).toContain('ada (Owner)');

    d.pushSync({ state: 'offline', queued: 3, message: 'connection refused (ECONNREFUSED)' });
    f = await app.waitFor('hub: offline hub.example.com:8443 — connection refused (ECONNREFUSED)');
    expect(statusLine(f)).toContain('queued 3 · conflicts 2');

    d.pushSync({ state: 'online', queued: 0, message: undefined });
    f = await app.waitFor((x) => statusLine(x).includes('hub: online') && statusLine(x).includes('queued 0'));
    expect(d.sent('sync.status')).toHaveLength(1);
  });

  it('shows the local hub as such, and the administrator and role the hub names (the keys follow the role)', async () => {
    const d = fixtureDaemon();
    d.syncStatus = { ...d.syncStatus, state: 'online', hub: 'https://127.0.0.1:41111', local: true };
    app = renderApp({ client: d, size: { columns: 140, rows: 30 } });
    await app.waitFor('hub: online (local hub)');
    await app.waitFor('home tablet');
    d.pushSync({ identity: { admin_id: 'DEADMIN0000000000001', name: 'Ada Lovelace', role: 'Read-only' } });
    await app.waitFor('Ada Lovelace (Read-only)');
    app.press('D');
    await app.waitFor('Delete the device (or the marked ones) from every user: Read-only administrators cannot');
  });

  it('tells once on the message line when the hub refused a change', async () => {
    const d = fixtureDaemon();
    const old = { collection: 'tokens', id: 'DHOLD', code: 'FORBIDDEN' as const, reason: 'an old refusal', time: T - 3_600_000 };
    d.syncStatus = { ...d.syncStatus, state: 'online', hub: 'https://hub.example.com:8443', refused: [old] };
    app = renderApp({ client: d, size: { columns: 160, rows: 30 } });
    await app.waitFor('hub: online');
    const refusal = { collection: 'tokens', id: 'DHHOTP00000000000001', code: 'FORBIDDEN' as const, reason: 'only an Owner can attach hardware tokens to administrators', time: T };
    d.pushSync({ refused: [refusal, old] });
    const f = await app.waitFor('The hub refused a change to token DHHOTP00000000000001: only an Owner can attach hardware tokens to administrators (rolled back here).');
    expect(f).not.toContain('an old refusal');
    app.press('8');
    await app.waitFor('2 since the daemon started; the latest:');
  });

  it('says n/a for queued edits and conflicts while local only', async () => {
    app = renderApp({ client: fixtureDaemon(), size: { columns: 120, rows: 30 } });
    const f = await app.waitFor('hub: local only');
    expect(statusLine(f)).toContain('queued n/a · conflicts n/a');
  });
});

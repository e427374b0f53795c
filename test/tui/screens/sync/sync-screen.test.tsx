import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDaemon } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('Sync screen', () => {
  it('shows the daemon, the local-only hub state and what waits for a hub', async () => {
    app = renderApp({ client: fixtureDaemon() });
    app.press('8');
    const f = await app.waitFor('Data directory');
    expect(f).toContain('connected · pid 4242 · version 0.0.0-test');
    expect(f).toContain('/tmp/fd-fake');
    expect(f).toContain('ada (Owner)');
    expect(f).toContain('local only: no hub is configured yet');
    expect(f).toContain('n/a (nothing to push to)');
    await app.waitFor('2 users · 3 devices · 2 tokens');
  });
});

describe('Sync screen with a hub', () => {
  it('shows the hub, why it is offline, queued edits, the last exchange and unresolved conflicts', async () => {
    const d = fixtureDaemon();
    d.syncStatus = {
      ...d.syncStatus,
      state: 'offline',
      hub: 'https://hub.example.com:8443',
      queued: 7,
      conflicts: 2,
      lastSync: Date.UTC(2024, 4, 1, 11, 58),
      message: 'connect ECONNREFUSED 10.0.0.5:8443',
    };
    app = renderApp({ client: d, size: { columns: 120, rows: 30 } });
    app.press('8');
    const f = await app.waitFor('offline · https://hub.example.com:8443 · connect ECONNREFUSED 10.0.0.5:8443');
    expect(f).toMatch(/Queued edits\s+7/);
    expect(f).toMatch(/Last exchange\s+2024-05-01 11:58 UTC/);
    expect(f).toMatch(/Conflicts\s+2 unresolved \(screen 7\)/);
    expect(f).toMatch(/Resync\/activation\s+queued until the hub is back/);
    d.pushSync({ state: 'online', queued: 0, message: undefined });
    await app.waitFor(/Hub\s+online · https:\/\/hub.example.com:8443/);
  });
});

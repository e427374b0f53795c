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

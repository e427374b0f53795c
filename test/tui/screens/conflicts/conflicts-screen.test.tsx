import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDaemon } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('Conflicts screen', () => {
  it('says there is no hub to reconcile with, and re-applying a side is unavailable until there is', async () => {
    app = renderApp({ client: fixtureDaemon() });
    app.press('7');
    const f = await app.waitFor('No hub is configured');
    expect(f).toContain('both sides');
    app.press('r');
    await app.waitFor('Re-apply my side of the conflict: Needs a hub');
  });
});

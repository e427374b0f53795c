import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDaemon } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('Audit screen', () => {
  it('lists events and shows one whole with Enter', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    app.press('6');
    let f = await app.waitFor('added mobile work iPhone to alice');
    expect(f).toMatch(/2024-04-01 00:00\s+ada\s+phone\.add/);
    app.press('enter');
    f = await app.waitFor('Audit event E1');
    expect(f).toContain('Record:        phone DP1');
    app.press('escape');
    await app.waitFor((fr) => !fr.includes('Audit event E1'));
  });
});

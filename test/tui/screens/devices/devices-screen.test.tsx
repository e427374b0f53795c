import { afterEach, describe, expect, it } from 'vitest';
import { deviceRow, phone } from '../../helpers/rows.js';
import { fixtureDaemon, work } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('Devices screen', () => {
  it('lists devices with type, platform, OS, security flags, users and the shared marker', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d, size: { columns: 120, rows: 30 } });
    const f = await app.waitFor('home tablet');
    expect(f).toContain('Devices · 3 matches');
    const workLine = f.split('\n').find((l) => l.includes('work iPhone'))!;
    expect(workLine).toMatch(/Mobile\s+iOS\s+16\.7\s+iPhone 15\s+no\s+yes/);
    expect(workLine).toContain('alice:phone1');
    expect(workLine).not.toContain('shared');
    const tabletLine = f.split('\n').find((l) => l.includes('home tablet'))!;
    expect(tabletLine).toMatch(/Tablet\s+Android\s+14/);
    expect(tabletLine).toContain('alice:phone2, bob:phone1');
    expect(tabletLine).toContain('shared');
    // Only the visible window was asked for.
    expect(d.sent('view.subscribe').find((s) => s.entity === 'devices' && s.window?.limit !== 0)?.window).toEqual({ offset: 0, limit: 30 - 1 - 6 });
  });

  it('filters live with the match count, sending the filter to the daemon', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    await app.waitFor('home tablet');
    app.press('/', 'platform:ios encrypted:no');
    const f = await app.waitFor('1 match ·');
    expect(f).toContain('/platform:ios encrypted:no');
    expect(f).toContain('work iPhone');
    expect(f).not.toContain('home tablet');
    expect(d.sent('view.update').at(-1)?.spec.filter).toBe('platform:ios encrypted:no');
    app.press('enter');
    await app.waitFor('filter: platform:ios encrypted:no');
  });

  it("shows the daemon's parse error inline and Esc puts the filter back", async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    await app.waitFor('home tablet');
    app.press('/', 'colour:red');
    const f = await app.waitFor('unknown key "colour"');
    expect(f).toContain('devices keys are platform');
    app.press('escape');
    await app.waitFor((fr) => fr.includes('Devices · 3 matches') && !fr.includes('colour'));
  });

  it('moves with j/k (bursts count as several keys) and opens the properties with Enter', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    await app.waitFor('desk phone');
    app.press('jjk', 'j');
    await app.waitFor((f) => f.split('\n').some((l) => l.includes('›') && l.includes('desk phone')));
    app.press('enter');
    await app.waitFor('Device · desk phone');
    expect(d.sent('phones.get').at(-1)).toEqual({ phone: 'DPDESK00000000000003' });
  });

  it('asks only for the visible window and scrolls it with view.update', async () => {
    const d = fixtureDaemon();
    d.rows.devices = Array.from({ length: 40 }, (_, i) =>
      deviceRow(phone({ phone_id: `DP${String(i).padStart(18, '0')}`, name: `device ${i}` }), []),
    );
    app = renderApp({ client: d, size: { columns: 100, rows: 14 } });
    await app.waitFor('device 6');
    const visible = 14 - 1 - 6;
    expect(app.frame()).not.toContain(`device ${visible}`);
    app.press('G');
    await app.waitFor('device 39');
    const last = d.sent('view.update').at(-1)!;
    expect(last.spec.window).toEqual({ offset: 40 - visible, limit: visible });
    const frameLines = app.frame().split('\n');
    expect(frameLines.length).toBeLessThanOrEqual(14);
  });

  it('keeps the cursor on the same device when a live update shifts the rows', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    await app.waitFor('desk phone');
    app.press('j');
    await app.waitFor((f) => f.split('\n').some((l) => l.includes('›') && l.includes('home tablet')));
    const newcomer = deviceRow(phone({ phone_id: 'DPNEW000000000000009', name: 'new phone' }), []);
    d.set('devices', [newcomer, ...d.rows.devices]);
    const f = await app.waitFor('new phone');
    expect(f.split('\n').find((l) => l.includes('›'))).toContain('home tablet');
    expect(app.store.getState().lists.devices.cursor).toBe(2);
  });

  it('opens a link at its filter, order and selected row', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d, start: { entity: 'devices', filter: 'user:bob', sort: { key: 'name', dir: 'asc' }, selected: 'DPTABLET000000000002' } });
    const f = await app.waitFor((fr) => fr.split('\n').some((l) => l.includes('›') && l.includes('home tablet')));
    expect(f).toContain('filter: user:bob');
    expect(f).toContain('by name ↑');
    expect(d.sent('view.subscribe').find((s) => s.entity === 'devices' && s.filter)).toMatchObject({ filter: 'user:bob', sort: { key: 'name', dir: 'asc' } });
    expect(work.phone_id).toBeDefined();
  });
});

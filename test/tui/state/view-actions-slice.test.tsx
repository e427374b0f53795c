import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultReportName, resolveReportPath } from '../../../tui/state/view-actions-slice.js';
import { osc52 } from '../../../tui/terminal.js';
import { fixtureDaemon } from '../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../helpers/render-app.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('export', () => {
  it('exports the current view (its filter and order) to a CSV file the TUI writes', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    await app.waitFor('home tablet');
    app.press('/', 'user:alice', 'enter', 's');
    await app.waitFor('by name ↑');
    app.press('e');
    let f = await app.waitFor('Export devices to a file');
    expect(f).toContain('filter: user:alice · order: name ↑');
    expect(f).toContain('factordesk-devices-20240501-1200.csv');
    app.press('tab', 'ctrl+u', 'alice.csv', 'enter');
    f = await app.waitFor('Exported 2 rows of devices to /work/reports/alice.csv');
    expect(d.sent('report.export')).toEqual([{ spec: { entity: 'devices', filter: 'user:alice', sort: { key: 'name', dir: 'asc' } }, format: 'csv' }]);
    const rows = parse(app.written.get('/work/reports/alice.csv')!, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.name)).toEqual(['home tablet', 'work iPhone']);
  });

  it('switches to JSON, the file name following the format', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    await app.waitFor('home tablet');
    app.press('e', 'right');
    await app.waitFor('factordesk-devices-20240501-1200.json');
    app.press('enter');
    await app.waitFor('Exported 3 rows');
    const json = JSON.parse(app.written.get('/work/reports/factordesk-devices-20240501-1200.json')!) as unknown[];
    expect(json).toHaveLength(3);
    expect(d.sent('report.export')[0]?.format).toBe('json');
  });

  it('is unavailable to a role that may not export, with the reason', async () => {
    const d = fixtureDaemon('Help Desk');
    app = renderApp({ client: d });
    await app.waitFor('home tablet');
    app.press('e');
    await app.waitFor('Export this view to CSV or JSON: Help Desk administrators cannot export reports');
  });

  it('names reports by view and time and resolves ~ and relative paths', () => {
    expect(defaultReportName('tokens', 'json', new Date(2024, 0, 2, 3, 4))).toBe('factordesk-tokens-20240102-0304.json');
    expect(resolveReportPath('~/r.csv', '/work', '/home/ada')).toBe('/home/ada/r.csv');
    expect(resolveReportPath('out/r.csv', '/work', '/home/ada')).toBe('/work/out/r.csv');
    expect(resolveReportPath('/abs/r.csv', '/work', '/home/ada')).toBe('/abs/r.csv');
  });
});

describe('link', () => {
  it('copies the view as a factordesk:// link (OSC 52) and shows it', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d, size: { columns: 120, rows: 30 } });
    await app.waitFor('home tablet');
    app.press('/', 'platform:ios encrypted:no', 'enter', 'y');
    const link = 'factordesk://devices?filter=platform%3Aios%20encrypted%3Ano&selected=DPWORK00000000000001';
    const f = await app.waitFor('Link to this view');
    expect(f).toContain(link);
    expect(f).toContain('Reopen it with: factordesk open');
    expect(app.copied).toEqual([link]);
    expect(osc52(link)).toBe(`\u001b]52;c;${Buffer.from(link).toString('base64')}\u0007`);
  });
});

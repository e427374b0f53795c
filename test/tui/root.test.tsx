import { afterEach, describe, expect, it } from 'vitest';
import { fixtureDaemon } from './helpers/fixture.js';
import { renderApp, type RenderedApp } from './helpers/render-app.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

describe('the frame', () => {
  it('has a status line with connection, hub, queued edits, conflicts and who is working', async () => {
    app = renderApp({ client: fixtureDaemon('User Manager'), size: { columns: 120, rows: 30 } });
    const f = await app.waitFor('home tablet');
    const status = f.split('\n').filter((l) => l.trim()).at(-1)!;
    expect(status).toContain('● daemon');
    expect(status).toContain('hub: local only');
    expect(status).toContain('queued n/a');
    expect(status).toContain('conflicts n/a');
    expect(status).toContain('ada (User Manager)');
  });

  it('says when the daemon connection is lost and refuses actions with the reason', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    await app.waitFor('home tablet');
    d.drop();
    let f = await app.waitFor('✖ daemon lost');
    expect(f).toContain('The connection to the daemon was lost; restart factordesk');
    expect(f).toContain('home tablet');
    app.press('D');
    f = await app.waitFor('Delete the device (or the marked ones) from every user: The connection to the daemon was lost');
  });

  it('fits 80×24 and never draws more lines than the terminal has', async () => {
    app = renderApp({ client: fixtureDaemon(), size: { columns: 80, rows: 24 } });
    const shows: Record<string, string> = {
      '1': 'home tablet',
      '2': 'Bob Builder',
      '3': '900002',
      '4': 'YubiKey 5 NFC',
      '5': 'Jane Roe',
      '6': 'phone.add',
      '7': 'No hub is configured',
      '8': 'Data directory',
    };
    for (const [screen, text] of Object.entries(shows)) {
      app.press(screen);
      const f = await app.waitFor(text);
      expect(f.split('\n').length).toBeLessThanOrEqual(23);
      expect(Math.max(...f.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    }
    app.press('2');
    await app.waitFor('Bob Builder');
    app.press('enter');
    const page = await app.waitFor('User · alice');
    expect(page.split('\n').length).toBeLessThanOrEqual(23);
    app.press('?');
    const help = await app.waitFor('Help ·');
    expect(help.split('\n').length).toBeLessThanOrEqual(23);
  });

  it('follows a resize: the window asked of the daemon matches the new height', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d, size: { columns: 80, rows: 24 } });
    await app.waitFor('home tablet');
    app.store.getState().setSize({ columns: 120, rows: 40 });
    await app.waitFor(() => d.sent('view.update').some((u) => u.spec.entity === 'devices' && u.spec.window?.limit === 40 - 1 - 6));
    await app.waitFor('Model');
  });

  it('says when the terminal is too small', async () => {
    app = renderApp({ client: fixtureDaemon(), size: { columns: 30, rows: 8 } });
    await app.waitFor('Terminal too small (30×8)');
  });
});

describe('screens and keys', () => {
  it('switches screens with number keys and Tab / Shift+Tab', async () => {
    app = renderApp({ client: fixtureDaemon() });
    await app.waitFor('home tablet');
    app.press('tab');
    await app.waitFor('Users · 2 matches');
    app.press('tab', 'tab');
    await app.waitFor('U2F/WebAuthn · 1 match');
    app.press('shift+tab');
    await app.waitFor('Hardware tokens · 2 matches');
    app.press('8');
    await app.waitFor('Data directory');
    app.press('tab');
    await app.waitFor('Devices · 3 matches');
  });

  it('q backs out of a page, then quits; Ctrl+C quits from anywhere', async () => {
    app = renderApp({ client: fixtureDaemon() });
    await app.waitFor('home tablet');
    app.press('enter');
    await app.waitFor('Device · work iPhone');
    app.press('q');
    await app.waitFor('Devices · 3 matches');
    expect(app.store.getState().quitRequested).toBe(false);
    app.press('q');
    expect(app.store.getState().quitRequested).toBe(true);
    app.unmount();
    app = renderApp({ client: fixtureDaemon() });
    await app.waitFor('home tablet');
    app.press('/', 'abc', 'ctrl+c');
    expect(app.store.getState().quitRequested).toBe(true);
  });

  it('Esc closes a dialog without running it', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    await app.waitFor('home tablet');
    app.press('D');
    await app.waitFor('Delete work iPhone?');
    app.press('escape');
    await app.waitFor((f) => !f.includes('Delete work iPhone?') && f.includes('home tablet'));
    expect(d.sent('phones.delete')).toEqual([]);
  });

  it('? shows the keys of the current screen from the keymap, with why some are unavailable, and the filter keys', async () => {
    app = renderApp({ client: fixtureDaemon('Read-only'), size: { columns: 120, rows: 60 } });
    await app.waitFor('home tablet');
    app.press('?');
    const f = await app.waitFor('Help ·');
    expect(f).toContain('Devices list');
    expect(f).toMatch(/D\s+Delete the device \(or the marked ones\) from every user\s*│\n│\s+unavailable: Read-only administrators cannot delete devices/);
    expect(f).toMatch(/j \/ ↓\s+Down/);
    expect(f).toContain('Filter keys of devices');
    expect(f).toContain('platform:ios');
    app.press('?');
    await app.waitFor((fr) => !fr.includes('Help ·'));
  });

  it(': runs any action by a fuzzy match on its label', async () => {
    const d = fixtureDaemon();
    app = renderApp({ client: d });
    await app.waitFor('home tablet');
    app.press(':');
    await app.waitFor('Command palette');
    app.press('exprt');
    const f = await app.waitFor('Export this view to CSV or JSON');
    expect(f.split('\n').find((l) => l.includes('Export this view'))).toBeDefined();
    app.press('enter');
    await app.waitFor('Export devices to a file');
  });

  it('lists unavailable actions in the palette with the reason, and says it when one is run', async () => {
    app = renderApp({ client: fixtureDaemon('Read-only') });
    await app.waitFor('home tablet');
    app.press(':', 'delete device');
    await app.waitFor('from every user  (unavailable: Read-only adm');
    app.press('enter');
    await app.waitFor('Delete the device (or the marked ones) from every user: Read-only administrators cannot delete');
  });
});

/**
 * The TUI's token import against real processes: a team hub (`hub serve`) and an Owner's daemon logged in to it. A
 * file with a bad row shows the daemon's own per-row error and imports nothing; the fixed file is dry-run, imported
 * on a second Enter, followed until the hub is done, and its tokens reach the list through the live view.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDaemon, type DaemonClient } from '../../tui/rpc-client.js';
import { cliSandbox, type CliSandbox } from '../helpers/cli.js';
import { teamHub, type TeamHub } from '../helpers/sync-hub.js';
import { renderApp, type RenderedApp } from './helpers/render-app.js';
import { until as waitUntil } from '../helpers/until.js';

const SEED_HEX = '3132333435363738393031323334353637383930';

let hub: TeamHub;
let owner: CliSandbox;
let client: DaemonClient | undefined;
let app: RenderedApp | undefined;
let files: string;

/** These tests start real hubs and daemons: each wait gets two minutes on a loaded machine. */
const until = <T,>(what: string, probe: () => Promise<T | undefined | false>) => waitUntil(what, probe, 120_000);

beforeAll(async () => {
  hub = await teamHub('fd-tui-import-hub-');
  await hub.start();
  owner = cliSandbox('fd-tui-import-owner-');
  await owner.ok('login', hub.url, '--ikey', hub.owner.ikey, '--skey-file', hub.owner.skeyFile);
  files = fs.mkdtempSync(path.join(hub.base, 'files-'));
}, 180_000);

afterAll(async () => {
  client?.close();
  app?.unmount();
  await owner?.dispose();
  await hub?.dispose();
}, 120_000);

describe('token import in the TUI over a real daemon and hub', () => {
  it('names the bad row and imports nothing, then imports the fixed file and lists its tokens', { timeout: 180_000 }, async () => {
    client = await connectDaemon({ dataDir: owner.dataDir, env: { ...process.env, ...owner.env, NODE_ENV: 'production' }, client: 'tui' });
    const c = client;
    await until('online', async () => (await c.request('sync.status', {})).state === 'online');
    const file = path.join(files, 'tokens.csv');
    fs.writeFileSync(file, `TUI-1,${SEED_HEX},0\nTUI-2,${SEED_HEX.slice(0, 30)}zz,0\nTUI-3,${SEED_HEX},5\n`);

    app = renderApp({ client: c, size: { columns: 100, rows: 30 } });
    app.press('3');
    await app.waitFor('hub: online');
    app.press('i', file, 'tab', 'tab', 'h', 'enter');
    let f = await app.waitFor('tokens.csv (duo-csv): 1 bad row; nothing was imported.');
    expect(f).toMatch(/line 2\s+secret:/);
    expect(f).not.toContain(SEED_HEX);

    fs.writeFileSync(file, `TUI-1,${SEED_HEX},0\nTUI-2,${SEED_HEX},0\nTUI-3,${SEED_HEX},5\n`);
    app.press('escape');
    await app.waitFor('Import hardware tokens from a file');
    app.press('enter');
    f = await app.waitFor('3 tokens would be imported: 3 × h6 HOTP 6 digits.');
    expect(f).toMatch(/TUI-3\s+h6\s+counter 5/);
    expect((await c.request('view.query', { entity: 'tokens', filter: 'TUI' })).total).toBe(0);

    app.press('enter');
    await app.waitFor('Imported 3 tokens.', 60_000);
    app.press('enter');
    f = await app.waitFor((x) => x.includes('TUI-1') && x.includes('TUI-2') && x.includes('TUI-3'), 60_000);
    expect(f).toContain('Imported 3 tokens from tokens.csv.');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FactordeskError } from '../../../../src/errors.js';
import type { ImportSummary } from '../../../../src/import/import-tokens.js';
import type { ImportRowError } from '../../../../src/import/imported-token.js';
import type { ImportOutcome, ParamsOf, RequestView } from '../../../../src/rpc/contract.js';
import type { TokenType } from '../../../../src/domain/enums.js';
import { heldRequests, hubDaemon, requestView } from '../../helpers/requests.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';
import { token, tokenRow } from '../../helpers/rows.js';
import type { FakeDaemon } from '../../helpers/fake-daemon.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

let dir: string;
let csv: string;
const CSV = 'A-1,3132333435363738393031323334353637383930\nA-2,3132333435363738393031323334353637383930\n';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-tui-import-'));
  csv = path.join(dir, 'tokens.csv');
  fs.writeFileSync(csv, CSV);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function summary(serials: string[], type: TokenType = 'h6', previewRows = 10): ImportSummary {
  return {
    total: serials.length,
    byType: { [type]: serials.length },
    preview: serials.slice(0, previewRows).map((serial) => ({ serial, type, totp_step: 0, counter: 0, digits: 6, algorithm: 'sha1', public_id: null })),
  };
}

const importRequest = (over: Partial<RequestView> = {}) => requestView({ kind: 'tokens.import', params: { format: 'duo-csv', type: 'h6', count: 2 }, ...over });

/** Answers a dry run with `dry`, and the import itself with `real`. */
function answerImport(d: FakeDaemon, dry: ImportOutcome, real: (p: ParamsOf<'tokens.import'>) => ImportOutcome = () => ({ outcome: 'requested', format: 'duo-csv', summary: summary(['A-1', 'A-2']), request: importRequest() })) {
  d.on('tokens.import', (p) => (p.dryRun ? dry : real(p)));
}

async function tokensScreen(d: FakeDaemon, size = { columns: 100, rows: 30 }): Promise<RenderedApp> {
  app = renderApp({ client: d, size });
  app.press('3');
  await app.waitFor('900002');
  await app.waitFor(/hub: (online|offline)/);
  return app;
}

async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('condition never met');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const fits = (frame: string, size: { columns: number; rows: number }) => {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(size.rows - 1);
  expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(size.columns);
};

describe('the token import dialog', () => {
  it('reads the file, dry-runs it, imports on a second Enter and follows the request until the tokens are in', async () => {
    const d = hubDaemon();
    answerImport(d, { outcome: 'dry-run', format: 'duo-csv', summary: summary(['A-1', 'A-2']) });
    const hub = heldRequests(d);
    const a = await tokensScreen(d);
    a.press('i');
    await a.waitFor('Import hardware tokens from a file');
    a.press(csv, 'tab', 'tab', 'h');
    await a.waitFor('h6 · HOTP 6 digits');
    a.press('enter');
    let f = await a.waitFor('2 tokens would be imported: 2 × h6 HOTP 6 digits.');
    expect(f).toContain('Dry run: nothing has changed yet.');
    expect(f).toMatch(/A-1\s+h6\s+counter 0/);
    expect(f).toMatch(/A-2\s+h6/);
    expect(d.sent('tokens.import')).toEqual([{ content: CSV, filename: 'tokens.csv', type: 'h6', dryRun: true }]);

    a.press('enter');
    await a.waitFor('Sent to the hub; waiting for it to run…');
    expect(d.sent('tokens.import')[1]).toEqual({ content: CSV, filename: 'tokens.csv', type: 'h6', wait: 0 });
    await until(() => d.sent('requests.get').length === 1);
    expect(d.sent('requests.get')[0]).toEqual({ request: 'DQ000000000000000001', wait: 5000 });
    hub.answer(importRequest({ status: 'running' }));
    await a.waitFor('Running at the hub…');
    // The hub commits the tokens; replication brings them to the list's live view.
    d.set('tokens', [...d.rows.tokens, tokenRow(token({ token_id: 'DHA1', serial: 'A-1', type: 'h6' })), tokenRow(token({ token_id: 'DHA2', serial: 'A-2', type: 'h6' }))]);
    hub.answer(importRequest({ status: 'done', result: { imported: 2, by_type: { h6: 2 } } }));
    f = await a.waitFor('Imported 2 tokens.');
    expect(f).toContain('Enter/Esc close');
    a.press('enter');
    f = await a.waitFor((x) => x.includes('A-2') && !x.includes('dry run'));
    expect(f).toContain('Imported 2 tokens from tokens.csv.');
    expect(f).toMatch(/4 matches/);
  });

  it('shows every bad row (line, field, reason), scrollable in 80×24, changes nothing and goes back to the form', async () => {
    const d = hubDaemon();
    const errors: ImportRowError[] = Array.from({ length: 30 }, (_, i) => ({ line: i + 1, field: 'secret', reason: `row ${i + 1}: the secret is not hexadecimal` }));
    errors.push({ line: 31, field: 'serial', reason: 'a token with serial 100001 already exists, and this reason is long enough to be wrapped onto a second line of the dialog' });
    answerImport(d, { outcome: 'invalid', format: 'duo-csv', errors });
    const size = { columns: 80, rows: 24 };
    const a = await tokensScreen(d, size);
    a.press('i', csv, 'tab', 'tab', 'h', 'enter');
    let f = await a.waitFor('tokens.csv (duo-csv): 31 bad rows; nothing was imported.');
    fits(f, size);
    expect(f).toMatch(/line 1\s+secret: row 1: the secret is not hexadecimal/);
    expect(f).not.toContain('line 31');
    expect(f).toMatch(/j\/k 1–\d+ of 32/);

    a.press('pagedown', 'pagedown', 'pagedown', 'j', 'j');
    f = await a.waitFor('line 31');
    fits(f, size);
    expect(f).toContain('serial: a token with serial 100001 already exists');
    expect(f).toContain('second line of the dialog');
    expect(f).toMatch(/j\/k \d+–32 of 32/);
    expect(f).not.toMatch(/line 1\s+secret/);

    a.press('escape');
    f = await a.waitFor('Import hardware tokens from a file');
    expect(f).toContain(csv);
    expect(d.sent('tokens.import').map((p) => p.dryRun)).toEqual([true]);
  });

  it('keeps the preview with the daemon\'s reason when the hub is away, and imports once it is back', async () => {
    const d = hubDaemon('Owner', 'offline');
    let online = false;
    answerImport(d, { outcome: 'dry-run', format: 'duo-csv', summary: summary(['A-1', 'A-2']) }, () => {
      if (!online) {
        throw new FactordeskError('UNAVAILABLE', 'Importing tokens needs the hub, which is not reachable (connection refused).', {
          hint: 'Secrets are never kept on this machine; try again when the hub answers (`factordesk sync status`).',
        });
      }
      return { outcome: 'requested', format: 'duo-csv', summary: summary(['A-1', 'A-2']), request: importRequest({ status: 'done', result: { imported: 2 } }) };
    });
    const a = await tokensScreen(d);
    a.press('i', csv, 'tab', 'tab', 'h', 'enter');
    await a.waitFor('2 tokens would be imported');
    a.press('enter');
    let f = await a.waitFor('Importing tokens needs the hub, which is not reachable (connection refused).');
    expect(f).toContain('Secrets are never kept on this machine');
    expect(f).toContain('2 tokens would be imported');
    online = true;
    d.pushSync({ state: 'online', message: undefined });
    a.press('enter');
    f = await a.waitFor('Imported 2 tokens.');
    expect(f).not.toContain('not reachable');
    expect(d.sent('tokens.import').map((p) => p.dryRun === true)).toEqual([true, false, false]);
  });

  it("shows a failed import's per-row errors from the hub", async () => {
    const d = hubDaemon();
    answerImport(d, { outcome: 'dry-run', format: 'duo-csv', summary: summary(['A-1', 'A-2']) });
    const hub = heldRequests(d);
    const a = await tokensScreen(d);
    a.press('i', csv, 'tab', 'tab', 'h', 'enter');
    await a.waitFor('2 tokens would be imported');
    a.press('enter');
    await a.waitFor('Sent to the hub');
    hub.answer(
      importRequest({
        status: 'failed',
        error_code: 'INVALID_INPUT',
        error_message: '1 serial(s) exist already; nothing was imported.',
        result: { errors: [{ line: 2, field: 'serial', reason: 'a token with serial A-2 already exists' }] },
      }),
    );
    const f = await a.waitFor('Failed: 1 serial(s) exist already; nothing was imported.');
    expect(f).toMatch(/line 2\s+serial: a token with serial A-2 already exists/);
  });

  it('says why a file cannot be read (with ~ as the home directory) and sends nothing', async () => {
    const d = hubDaemon();
    const a = await tokensScreen(d);
    a.press('i', '~/no-such-tokens.csv', 'enter');
    await a.waitFor('Cannot read /home/ada/no-such-tokens.csv: there is no such file.');
    a.press('ctrl+u', dir, 'enter');
    await a.waitFor(`Cannot read ${dir}: it is a directory.`);
    a.press('ctrl+u', 'enter');
    await a.waitFor('Give the path of the token file.');
    expect(d.sent('tokens.import')).toEqual([]);
  });

  it('sends the chosen format and a PSKC password, which the form shows as dots', async () => {
    const d = hubDaemon();
    answerImport(d, { outcome: 'dry-run', format: 'pskc', summary: summary(['P-1'], 't6') });
    const a = await tokensScreen(d);
    a.press('i', csv, 'tab', 'p');
    let f = await a.waitFor('PSKC (RFC 6030 XML)');
    expect(f).not.toContain('Token type:');
    a.press('tab', 'sekrit');
    f = await a.waitFor('••••••');
    expect(f).not.toContain('sekrit');
    a.press('enter');
    f = await a.waitFor('1 token would be imported: 1 × t6 TOTP 6 digits.');
    expect(d.sent('tokens.import')).toEqual([{ content: CSV, filename: 'tokens.csv', format: 'pskc', pskcPassword: 'sekrit', dryRun: true }]);
  });

  it('fits a full preview in 80×24 and runs from the palette', async () => {
    const d = hubDaemon();
    const serials = Array.from({ length: 25 }, (_, i) => `SERIAL-${String(i + 1).padStart(3, '0')}`);
    answerImport(d, { outcome: 'dry-run', format: 'duo-csv', summary: summary(serials, 'h8') });
    const size = { columns: 80, rows: 24 };
    const a = await tokensScreen(d, size);
    a.press(':', 'import');
    await a.waitFor('Import hardware tokens from a file (CSV, PSKC)');
    a.press('enter');
    await a.waitFor('Import hardware tokens from a file');
    a.press(csv, 'enter');
    let f = await a.waitFor('25 tokens would be imported: 25 × h8 HOTP 8 digits.');
    fits(f, size);
    a.press('G', 'pagedown', 'pagedown');
    f = await a.waitFor('… and 15 more tokens');
    fits(f, size);
    expect(f).toContain('SERIAL-010');
  });

  it('receives vendor tokens for Billing (no type: the daemon makes them d1)', async () => {
    const d = hubDaemon('Billing');
    d.on('tokens.receive', (p) => (p.dryRun ? { outcome: 'dry-run', format: 'oath-csv', summary: summary(['V-1'], 'd1') } : { outcome: 'requested', format: 'oath-csv', summary: summary(['V-1'], 'd1'), request: importRequest({ kind: 'tokens.receive', status: 'done', result: { imported: 1 } }) }));
    const a = await tokensScreen(d);
    a.press('i');
    await a.waitFor('Import hardware tokens from a file (CSV, PSKC): Billing administrators cannot import');
    a.press('I');
    let f = await a.waitFor('Receive vendor tokens (Duo-D100) from a file');
    expect(f).not.toContain('Token type');
    a.press(csv, 'enter');
    f = await a.waitFor('1 token would be received: 1 × d1 Duo-D100 (vendor).');
    a.press('enter');
    await a.waitFor('Received 1 token.');
    expect(d.sent('tokens.receive')).toEqual([
      { content: CSV, filename: 'tokens.csv', dryRun: true },
      { content: CSV, filename: 'tokens.csv', wait: 0 },
    ]);
    expect(d.sent('tokens.import')).toEqual([]);
  });

  it('is unavailable with the reason: a role without the right, no hub', async () => {
    const ro = hubDaemon('Read-only');
    let a = await tokensScreen(ro);
    a.press('i');
    await a.waitFor('Import hardware tokens from a file (CSV, PSKC): Read-only administrators cannot import');
    a.press(':', 'import hardware');
    await a.waitFor('(unavailable: Read-only adm');
    a.press('escape');
    await a.waitFor((x) => !x.includes('Command palette'));
    a.press('I');
    await a.waitFor('Receive purchased vendor tokens (Duo-D100) from their file: Only Owner and Billing');
    a.unmount();

    const admin = hubDaemon('Administrator');
    a = await tokensScreen(admin);
    a.press('I');
    await a.waitFor('Receive purchased vendor tokens (Duo-D100) from their file: Only Owner and Billing');
    a.unmount();

    // The fixture's own sync status: a daemon without a hub.
    const local = hubDaemon();
    local.syncStatus = { ...local.syncStatus, state: 'local-only', hub: null };
    app = a = renderApp({ client: local, size: { columns: 110, rows: 30 } });
    a.press('3');
    await a.waitFor('hub: local only');
    a.press('i');
    await a.waitFor('Import hardware tokens from a file (CSV, PSKC): Needs a hub');
    expect([...ro.sent('tokens.import'), ...admin.sent('tokens.receive'), ...local.sent('tokens.import')]).toEqual([]);
  });
});

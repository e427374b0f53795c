/**
 * Hardware tokens end to end, all real processes (a self-signed `hub serve`, daemons started by the CLI):
 *
 * - `tokens import` of a file with one bad row among 1000 imports nothing and names the row; the good file imports
 *   everything, and the seeds are at the hub only (not in the daemon's SQLite file, the logs or a report).
 * - A resync made while the hub is down is queued, runs when the hub returns, the counter moves, and `verify` then
 *   refuses the three codes while the next one verifies; an import while the hub is down is refused, saying why.
 * - A Help Desk administrator cannot receive `d1` tokens nor attach a token to an administrator.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotpCode } from '../../src/otp/hotp.js';
import type { RequestView } from '../../src/rpc/contract.js';
import { cliSandbox, type CliSandbox } from '../helpers/cli.js';
import { teamHub, type HubCredential, type TeamHub } from '../helpers/sync-hub.js';
import { until } from '../helpers/until.js';

const RFC_HEX = '3132333435363738393031323334353637383930';
const SEED = Buffer.from(RFC_HEX, 'hex');
/** A second, recognisable seed for the bulk file, so the grep below finds any of them. */
const BULK_HEX = 'a1b2c3d4e5f60718293a4b5c6d7e8f9001122334';

let hub: TeamHub;
let owner: CliSandbox;
let helpDesk: CliSandbox;
let helpCred: HubCredential;
let files: string;


const online = (fd: CliSandbox) => until('online', async () => (await fd.json<{ state: string }>('sync', 'status')).state === 'online');

/** Every file under a directory, concatenated (what a grep of it would see). */
function bytesUnder(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  let out = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out += fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1');
  }
  return out;
}

beforeAll(async () => {
  hub = await teamHub('fd-tokens-hub-');
  helpCred = await hub.addAdmin('Helen Desk', 'Help Desk');
  await hub.start();
  owner = cliSandbox('fd-tokens-owner-');
  helpDesk = cliSandbox('fd-tokens-help-');
  await owner.ok('login', hub.url, '--ikey', hub.owner.ikey, '--skey-file', hub.owner.skeyFile);
  await helpDesk.ok('login', hub.url, '--ikey', helpCred.ikey, '--skey-file', helpCred.skeyFile);
  await Promise.all([online(owner), online(helpDesk)]);
  files = fs.mkdtempSync(path.join(hub.base, 'files-'));
}, 180_000);

afterAll(async () => {
  await Promise.all([owner?.dispose(), helpDesk?.dispose()]);
  await hub?.dispose();
}, 120_000);

describe('import', { timeout: 180_000 }, () => {
  it('imports nothing from a file with one bad row among 1000, and names the row', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `BULK-${String(i).padStart(4, '0')},${BULK_HEX},0`);
    rows[736] = `BULK-0736,${BULK_HEX.slice(0, 20)}zz,0`;
    const file = path.join(files, 'bulk-bad.csv');
    fs.writeFileSync(file, rows.join('\n') + '\n');
    const result = await owner.run('tokens', 'import', file, '--type', 'h6');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/1 bad row\(s\); nothing was imported/);
    expect(result.stderr).toMatch(/line 737, secret:/);
    expect(result.stderr).not.toContain(BULK_HEX);
    expect(await owner.json<unknown[]>('tokens', 'list', 'BULK')).toEqual([]);
  });

  it('shows a dry run without changing anything, then imports the good file at the hub', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `BULK-${String(i).padStart(4, '0')},${BULK_HEX},0`);
    const file = path.join(files, 'bulk.csv');
    fs.writeFileSync(file, rows.join('\n') + '\n');
    const dry = await owner.ok('tokens', 'import', file, '--type', 'h6', '--dry-run');
    expect(dry).toMatch(/1000 token\(s\) would be imported: 1000 HOTP 6 digits/);
    expect(dry).toContain('BULK-0000');
    expect(dry).not.toContain(BULK_HEX);
    expect(await owner.json<unknown[]>('tokens', 'list', 'BULK')).toEqual([]);

    expect(await owner.ok('tokens', 'import', file, '--type', 'h6')).toMatch(/imported 1000 token\(s\)/);
    const rfc = path.join(files, 'rfc.csv');
    fs.writeFileSync(rfc, `RFC-4226,${RFC_HEX},0\n`);
    await owner.ok('tokens', 'import', rfc, '--type', 'h6');
    await owner.ok('users', 'add', 'ann');
    await owner.ok('tokens', 'assign', 'RFC-4226', '--user', 'ann');
    // The Help Desk replica sees the imported tokens (without secrets) through replication.
    await until('tokens at the Help Desk daemon', async () => (await helpDesk.json<unknown[]>('tokens', 'list', 'RFC-4226', '--limit', '5')).length === 1);
  });

  it('refuses importing a serial that exists, naming it', async () => {
    const file = path.join(files, 'again.csv');
    fs.writeFileSync(file, `NEW-1,${RFC_HEX},0\nRFC-4226,${RFC_HEX},0\n`);
    const result = await owner.run('tokens', 'import', file, '--type', 'h6');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/line 2, serial: .*RFC-4226/);
    expect(await owner.json<unknown[]>('tokens', 'list', 'NEW-1')).toEqual([]);
  });
});

describe('resync while the hub is down', { timeout: 240_000 }, () => {
  it('queues, runs when the hub is back, moves the counter, and verify then refuses those codes', async () => {
    expect((await owner.run('verify', 'ann', hotpCode(SEED, 0))).exitCode).toBe(0);
    await hub.stop();
    await until('owner offline', async () => (await owner.json<{ state: string }>('sync', 'status')).state === 'offline');
    const codes = [5, 6, 7].map((c) => hotpCode(SEED, c));
    const queued = await owner.json<RequestView>('tokens', 'resync', 'RFC-4226', ...codes, '--no-wait');
    expect(queued).toMatchObject({ kind: 'tokens.resync', status: 'pending', queued: true });
    expect(await owner.ok('requests', 'list')).toMatch(new RegExp(`${queued.request_id}\\s+tokens\\.resync\\s+queued`));
    // An import carries secrets, which never wait on this machine: it needs the hub now, and says so.
    const fresh = path.join(files, 'fresh.csv');
    fs.writeFileSync(fresh, `OFFLINE-1,${RFC_HEX},0\n`);
    const offlineImport = await owner.run('tokens', 'import', fresh, '--type', 'h6');
    expect(offlineImport.exitCode).not.toBe(0);
    expect(offlineImport.stderr).toMatch(/Importing tokens needs the hub, which is not reachable/);
    // A restart of the daemon keeps the queued request.
    await owner.ok('daemon', 'stop');

    await hub.start();
    const done = await owner.json<RequestView>('requests', 'show', queued.request_id, '--wait');
    expect(done).toMatchObject({ status: 'done', result: { serial: 'RFC-4226', skipped: 4 } });

    for (const code of codes) {
      const refused = await owner.run('verify', 'ann', code);
      expect(refused.exitCode).toBe(1);
      expect(refused.stdout).toMatch(/refused: Invalid passcode/);
    }
    expect(await owner.ok('verify', 'ann', hotpCode(SEED, 8))).toMatch(/valid passcode for ann \(token:RFC-4226\)/);
  });

  it('refuses a TOTP token at once, offline or not, with the reason', async () => {
    const file = path.join(files, 'totp.csv');
    fs.writeFileSync(file, `TOTP-9,${RFC_HEX},30\n`);
    await owner.ok('tokens', 'import', file, '--type', 't6');
    const result = await owner.run('tokens', 'resync', 'TOTP-9', '111111', '222222', '333333');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/TOTP token; imported TOTP tokens cannot be resynchronized/);
  });
});

describe('roles', { timeout: 120_000 }, () => {
  it('refuses a Help Desk administrator receiving d1 tokens or attaching a token to an administrator', async () => {
    const file = path.join(files, 'vendor.csv');
    fs.writeFileSync(file, `D100-1,${RFC_HEX}\n`);
    const receive = await helpDesk.run('tokens', 'receive', file, '--file-format', 'oath-csv');
    expect(receive.exitCode).toBe(1);
    expect(receive.stderr).toMatch(/can receive hardware tokens purchased from the vendor/);
    const attach = await helpDesk.run('tokens', 'attach-admin', 'RFC-4226', '--admin', 'Olivia Owner');
    expect(attach.exitCode).toBe(1);
    expect(attach.stderr).toMatch(/Only an Owner can attach hardware tokens to administrators/);
    expect(await owner.ok('tokens', 'receive', file, '--file-format', 'oath-csv')).toMatch(/imported 1 token\(s\)/);
    const d1 = await owner.json<Array<{ type: string; origin: string }>>('tokens', 'list', 'D100-1');
    expect(d1).toEqual([expect.objectContaining({ type: 'd1', origin: 'vendor' })]);
  });
});

describe('secrets', { timeout: 120_000 }, () => {
  it('never writes an imported seed into a daemon replica, a log, or a report', async () => {
    const reports = [
      await owner.ok('report', 'tokens'),
      await owner.ok('--format', 'json', 'report', 'tokens'),
      await helpDesk.ok('--format', 'json', 'tokens', 'list', '--limit', '5000'),
      await owner.ok('--format', 'json', 'tokens', 'list', '--limit', '5000'),
    ];
    expect(reports[0]).toContain('RFC-4226');
    const haystacks = {
      'owner data dir': bytesUnder(path.dirname(owner.dataDir)),
      'help desk data dir': bytesUnder(path.dirname(helpDesk.dataDir)),
      'hub log': fs.readFileSync(path.join(hub.hubDir, 'hub.log'), 'latin1'),
      reports: reports.join('\n'),
    };
    expect(haystacks['owner data dir'].length).toBeGreaterThan(0);
    for (const [where, text] of Object.entries(haystacks)) {
      for (const seed of [RFC_HEX, BULK_HEX]) expect(text.includes(seed), `${seed} in ${where}`).toBe(false);
    }
  });
});

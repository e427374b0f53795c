/**
 * Phone activation end to end, all real processes: `hub init` + `hub serve` with SMTP set to a local SMTP server
 * started here, a daemon logged in to it, and the CLI.
 *
 * - `phones activate PHONE --email …` prints a QR code and the otpauth link; the captured mail has the same link
 *   and the QR code as a PNG.
 * - The code an authenticator computes from the link verifies (`factordesk verify`), and the phone shows activated.
 * - An activation past its validity is refused: not shown again, and its codes do not verify.
 * - The seed is in no file of the daemon's (replica, logs) and not in the hub's log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ScureBase32Plugin } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceDetail, OrderedPhone, RequestView } from '../../src/rpc/contract.js';
import { totpCode } from '../../src/otp/totp.js';
import { hubPaths } from '../../src/paths.js';
import { cliSandbox, type CliSandbox } from '../helpers/cli.js';
import { mailHeader, mailPart, startSmtpCapture, type SmtpCapture } from '../helpers/smtp-capture.js';
import { teamHub, type TeamHub } from '../helpers/sync-hub.js';
import { until } from '../helpers/until.js';

const base32 = new ScureBase32Plugin();
const URI = /otpauth:\/\/totp\/[^\s]+/;

let smtp: SmtpCapture;
let hub: TeamHub;
let fd: CliSandbox;
let phone: OrderedPhone;
let tablet: OrderedPhone;
/** Every seed seen in this test, as hex and as base32. */
const seeds: string[] = [];

function seedOf(uri: string): Uint8Array {
  const secret = new URL(uri).searchParams.get('secret') ?? '';
  const bytes = base32.decode(secret);
  seeds.push(secret, Buffer.from(bytes).toString('hex'));
  return bytes;
}


/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(e.parentPath, e.name);
    return e.isDirectory() ? filesUnder(full) : e.isFile() ? [full] : [];
  });
}

beforeAll(async () => {
  smtp = await startSmtpCapture();
  hub = await teamHub('fd-activation-hub-');
  // What an operator adds to hub.json (README, "Mailing activations").
  const configFile = hubPaths(hub.hubDir).configFile;
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(configFile, JSON.stringify({ ...config, smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'factordesk <2fa@example.com>' } }, null, 2));
  await hub.start();
  fd = cliSandbox('fd-activation-');
  await fd.ok('login', hub.url, '--ikey', hub.owner.ikey, '--skey-file', hub.owner.skeyFile);
  await fd.ok('users', 'add', 'alice', '--email', 'alice@example.com');
  phone = await fd.json<OrderedPhone>('phones', 'add', '--user', 'alice', '--type', 'mobile', '--platform', 'ios', '--number', '+15550000001', '--name', 'work iPhone');
  tablet = await fd.json<OrderedPhone>('phones', 'add', '--user', 'alice', '--type', 'tablet', '--platform', 'android', '--name', 'spare tablet');
  // The hub must know the phones before it can activate them.
  await until('the phones at the hub', async () => ((await hub.documents('phones')).length === 2 ? true : undefined));
}, 180_000);

afterAll(async () => {
  await fd?.dispose();
  await hub?.dispose();
  await smtp?.close();
}, 120_000);

describe('phone activation end to end', () => {
  let uri: string;

  it('shows the activation as a QR code and a link, and mails both', async () => {
    const out = await fd.ok('phones', 'activate', phone.phone.phone_id, '--email', 'alice@example.com');
    const qrLines = out.split('\n').filter((l) => /[█▀▄]/.test(l));
    expect(qrLines.length).toBeGreaterThan(10);
    expect(out).toContain('Mailed to alice@example.com.');
    uri = URI.exec(out)?.[0] ?? '';
    expect(uri).toMatch(/^otpauth:\/\/totp\/factordesk:alice\?secret=[A-Z2-7]{32}&issuer=factordesk&algorithm=SHA1&digits=6&period=30$/);

    const mail = await smtp.waitForMail(1);
    expect(mail.to).toEqual(['alice@example.com']);
    expect(mailHeader(mail.raw, 'Subject')).toBe('Activate your authenticator for alice (factordesk)');
    expect(mailPart(mail.raw, 'text/plain')?.content.toString('utf8')).toContain(uri);
    const png = mailPart(mail.raw, 'image/png');
    expect(png?.content.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(png?.headers).toMatch(/Content-ID: </i);
  }, 120_000);

  it('activates the phone with the first code from the link', async () => {
    const before = await fd.json<DeviceDetail>('phones', 'show', phone.phone.phone_id);
    expect(before.phone.activated).toBe(false);
    const code = totpCode(seedOf(uri), Date.now(), 30);
    const verified = await fd.run('verify', 'alice', code);
    expect(verified.exitCode, verified.stderr).toBe(0);
    expect(verified.stdout).toContain(`phone:${phone.phone.phone_id}`);
    const after = await until('the phone to show activated', async () => {
      const detail = await fd.json<DeviceDetail>('phones', 'show', phone.phone.phone_id);
      return detail.phone.activated ? detail : undefined;
    });
    expect(after.phone.activated).toBe(true);
    // Once used, the link is the phone's live credential: it is not shown again.
    const again = await fd.run('phones', 'activation', phone.phone.phone_id);
    expect(again.exitCode).not.toBe(0);
    expect(again.stderr).toMatch(/used already/);
  }, 120_000);

  it('refuses an expired activation: not shown again, and its code does not verify', async () => {
    const queued = await fd.json<RequestView>('phones', 'activate', tablet.phone.phone_id, '--valid-hours', '0.001', '--email', 'alice@example.com', '--no-wait');
    const done = await fd.json<RequestView>('requests', 'show', queued.request_id, '--wait');
    expect(done).toMatchObject({ status: 'done', result: { phone_id: tablet.phone.phone_id, emailed_to: 'alice@example.com' } });
    expect(JSON.stringify(done)).not.toMatch(/otpauth|secret/);
    const mailed = URI.exec(mailPart((await smtp.waitForMail(2)).raw, 'text/plain')?.content.toString('utf8') ?? '')?.[0] ?? '';
    const seed = seedOf(mailed);
    const expires = (done.result as { expires: number }).expires;
    await until('the activation to expire', async () => (Date.now() > expires + 1000 ? true : undefined), 30_000);

    const shown = await fd.run('phones', 'activation', tablet.phone.phone_id);
    expect(shown.exitCode).not.toBe(0);
    expect(shown.stderr).toMatch(/expired; send a new activation/);
    const refused = await fd.run('verify', 'alice', totpCode(seed, Date.now(), 30));
    expect(refused.exitCode).not.toBe(0);
    const detail = await fd.json<DeviceDetail>('phones', 'show', tablet.phone.phone_id);
    expect(detail.phone.activated).toBe(false);
  }, 120_000);

  it("leaves the seed in no file of the daemon's and not in the hub's log", async () => {
    expect(seeds.length).toBe(4);
    const daemonFiles = filesUnder(path.dirname(fd.dataDir));
    expect(daemonFiles.some((f) => /\.sqlite/.test(f))).toBe(true);
    const hubLog = hubPaths(hub.hubDir).logFile;
    for (const file of [...daemonFiles, hubLog]) {
      const bytes = fs.readFileSync(file).toString('latin1');
      for (const seed of seeds) expect(bytes.includes(seed), `${seed} in ${file}`).toBe(false);
    }
    expect(fs.readFileSync(hubLog, 'utf8')).toContain('activation mailed');
  });
});

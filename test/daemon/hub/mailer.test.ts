/**
 * The hub's mail: the activation message (link in the text, QR code as an inline PNG the HTML shows), the `smtp`
 * block of hub.json, and delivery through a real local SMTP server — with AUTH from a password file, and a
 * failure that names the server's reason.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHubConfig, type HubConfig } from '../../../daemon/hub/hub-config.js';
import { activationMessage, isMailAddress, QR_CID, qrPng, smtpMailer } from '../../../daemon/hub/mailer.js';
import { freePort } from '../../../src/free-port.js';
import { mailHeader, mailPart, startSmtpCapture, type SmtpCapture } from '../../helpers/smtp-capture.js';

const URI = 'otpauth://totp/factordesk:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=factordesk&algorithm=SHA1&digits=6&period=30';
const MAIL = { to: 'alice@example.com', otpauthUri: URI, account: 'alice', issuer: 'factordesk', expires: Date.UTC(2030, 0, 2, 3, 4) };
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-mailer-'));
let open: SmtpCapture;
let authed: SmtpCapture;
beforeAll(async () => {
  open = await startSmtpCapture();
  authed = await startSmtpCapture({ user: 'hub', password: 'smtp-pass' });
});
afterAll(async () => {
  await Promise.all([open?.close(), authed?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('activationMessage', () => {
  it('puts the link in the text, the QR code inline in the HTML, and the account in the subject', async () => {
    const png = await qrPng(URI);
    expect(png.subarray(0, 8)).toEqual(PNG_MAGIC);
    const message = activationMessage('factordesk <2fa@example.com>', MAIL, png);
    expect(message.subject).toBe('Activate your authenticator for alice (factordesk)');
    expect(message.text).toContain(URI);
    expect(message.text).toContain('2030-01-02 03:04 UTC');
    expect(message.html).toContain(`src="cid:${QR_CID}"`);
    expect(message.html).toContain(`href="${URI.replace(/&/g, '&#38;')}"`);
    expect(message.attachments).toEqual([{ filename: 'activation-qr.png', content: png, contentType: 'image/png', cid: QR_CID }]);
  });

  it('escapes what it puts into HTML', () => {
    const message = activationMessage('a@b.c', { ...MAIL, account: '<script>x</script>' }, Buffer.alloc(0));
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&#60;script&#62;');
  });
});

describe('isMailAddress', () => {
  it('takes one plain address and nothing that could become several recipients or a header', () => {
    expect(isMailAddress('alice@example.com')).toBe(true);
    expect(isMailAddress('a.b+tag@sub.example.org')).toBe(true);
    for (const bad of ['alice', 'a@b@c', 'a,b@example.com', 'Alice <a@example.com>', 'a@example.com\r\nBcc: x@y.z', 'a @b.c', '']) {
      expect(isMailAddress(bad), bad).toBe(false);
    }
  });
});

describe('the smtp block of hub.json', () => {
  const base: HubConfig = {
    version: 1,
    hub_id: 'HB1',
    account: 'default',
    listen: { host: '127.0.0.1', port: 7443 },
    public_hosts: [],
    db: 'sqlite:hub.sqlite',
    tls: null,
    plain_http: false,
    created: 1,
  };

  it('is optional, and read with secure defaulting to port 465', () => {
    expect(checkHubConfig(base).smtp).toBeUndefined();
    expect(checkHubConfig({ ...base, smtp: { host: 'mail', port: 465, from: 'a@b.c' } }).smtp).toEqual({ host: 'mail', port: 465, secure: true, from: 'a@b.c' });
    expect(checkHubConfig({ ...base, smtp: { host: 'mail', port: 587, from: 'a@b.c', user: 'u', password_file: '/etc/pw' } }).smtp).toEqual({
      host: 'mail',
      port: 587,
      secure: false,
      from: 'a@b.c',
      user: 'u',
      password_file: '/etc/pw',
    });
  });

  it('refuses an incomplete or wrong block with what is wrong', () => {
    const cases: [unknown, RegExp][] = [
      ['mail', /not an object/],
      [{ port: 25, from: 'a@b.c' }, /no host/],
      [{ host: 'mail', port: 0, from: 'a@b.c' }, /no valid port/],
      [{ host: 'mail', port: 25, from: 'nobody' }, /sender address/],
      [{ host: 'mail', port: 25, from: 'a@b.c', secure: 'yes' }, /secure/],
      [{ host: 'mail', port: 25, from: 'a@b.c', user: 'u' }, /go together/],
      [{ host: 'mail', port: 25, from: 'a@b.c', user: 'u', password_file: 'pw.txt' }, /absolute path/],
    ];
    for (const [smtp, message] of cases) expect(() => checkHubConfig({ ...base, smtp }), JSON.stringify(smtp)).toThrow(message);
  });
});

describe('smtpMailer', () => {
  it('delivers the activation with its link and the inline PNG', async () => {
    const mailer = smtpMailer({ host: '127.0.0.1', port: open.port, secure: false, from: 'factordesk <2fa@example.com>' });
    const sent = await mailer.sendActivation(MAIL);
    const mail = await open.waitForMail(1);
    expect(mail.to).toEqual(['alice@example.com']);
    expect(mail.from).toBe('2fa@example.com');
    expect(mail.raw).toContain(`Message-ID: ${sent.messageId}`);
    expect(mailHeader(mail.raw, 'Subject')).toBe('Activate your authenticator for alice (factordesk)');
    expect(mailPart(mail.raw, 'text/plain')?.content.toString('utf8')).toContain(URI);
    const image = mailPart(mail.raw, 'image/png');
    expect(image?.headers).toMatch(new RegExp(`Content-ID: <${QR_CID}>`, 'i'));
    expect(image?.content.subarray(0, 8)).toEqual(PNG_MAGIC);
  });

  it('logs in with the password from the password file', async () => {
    const passwordFile = path.join(dir, 'smtp-password');
    fs.writeFileSync(passwordFile, 'smtp-pass\n', { mode: 0o600 });
    const mailer = smtpMailer({ host: '127.0.0.1', port: authed.port, secure: false, from: '2fa@example.com', user: 'hub', password_file: passwordFile });
    await mailer.sendActivation(MAIL);
    expect((await authed.waitForMail(1)).user).toBe('hub');
  });

  it('fails UNAVAILABLE with the reason when the server refuses the login or is not there', async () => {
    const passwordFile = path.join(dir, 'wrong-password');
    fs.writeFileSync(passwordFile, 'wrong\n');
    const refused = smtpMailer({ host: '127.0.0.1', port: authed.port, secure: false, from: '2fa@example.com', user: 'hub', password_file: passwordFile });
    await expect(refused.sendActivation(MAIL)).rejects.toMatchObject({ code: 'UNAVAILABLE', userMessage: expect.stringMatching(/did not take the mail: Invalid login/) });
    const nobody = smtpMailer({ host: '127.0.0.1', port: await freePort(), secure: false, from: '2fa@example.com' });
    await expect(nobody.sendActivation(MAIL)).rejects.toMatchObject({ code: 'UNAVAILABLE', userMessage: expect.stringMatching(/ECONNREFUSED/) });
    const unreadable = smtpMailer({ host: '127.0.0.1', port: authed.port, secure: false, from: '2fa@example.com', user: 'hub', password_file: path.join(dir, 'missing') });
    await expect(unreadable.sendActivation(MAIL)).rejects.toMatchObject({ code: 'UNAVAILABLE', userMessage: expect.stringMatching(/cannot read its SMTP password file/) });
    expect(authed.mails).toHaveLength(1);
  });
});

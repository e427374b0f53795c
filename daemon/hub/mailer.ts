/**
 * Mail the hub sends: a phone's activation (its otpauth link, and the same link as a QR code in an inline PNG)
 * through the SMTP server of the hub's config (nodemailer). The message is composed by a pure function so that
 * what it says is tested without a server; the transport is made per mail (activations are rare) with short
 * timeouts, because a request runner waits for it.
 */
import fs from 'node:fs';
import nodemailer from 'nodemailer';
import QRCode from 'qrcode';
import { FactordeskError } from '../../src/errors.js';
import type { HubSmtpConfig } from './hub-config.js';

/** The inline QR image's content id (the HTML part refers to it). */
export const QR_CID = 'activation-qr@factordesk';
const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/** What an activation mail says. */
export interface ActivationMail {
  to: string;
  /** The `otpauth://` URI (it holds the seed: this mail is the only place it leaves the hub). */
  otpauthUri: string;
  /** Who the authenticator entry is for (the URI's account). */
  account: string;
  issuer: string;
  /** Epoch ms. */
  expires: number;
}

/** A composed message, as nodemailer takes it. */
export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: Buffer; contentType: string; cid: string }[];
}

/** Sends the hub's mail. */
export interface Mailer {
  /** Sends an activation; answers the SMTP server's message id. Throws FactordeskError UNAVAILABLE on failure. */
  sendActivation(mail: ActivationMail): Promise<{ messageId: string }>;
}

/**
 * The HTML specification's "valid e-mail address": a single plain address, so that nothing the hub is given can
 * become a list of recipients or a header.
 */
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** True for one plain e-mail address (`user@example.com`; no display name, no list). */
export function isMailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The activation mail's subject, text, HTML and inline QR image. */
export function activationMessage(from: string, mail: ActivationMail, qrPng: Buffer): MailMessage {
  const expires = new Date(mail.expires).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const text = [
    `An administrator set up two-factor authentication for ${mail.account} (${mail.issuer}).`,
    '',
    'Open this link on your phone to add it to your authenticator app, or scan the QR code in this mail:',
    mail.otpauthUri,
    '',
    `The activation expires at ${expires}. Do not forward this mail: anyone with the link can make your codes.`,
  ].join('\n');
  const html = [
    `<p>An administrator set up two-factor authentication for <b>${escapeHtml(mail.account)}</b> (${escapeHtml(mail.issuer)}).</p>`,
    '<p>Scan this QR code with your authenticator app:</p>',
    `<p><img src="cid:${QR_CID}" alt="activation QR code" width="240" height="240"></p>`,
    `<p>Or, on your phone, open <a href="${escapeHtml(mail.otpauthUri)}">this activation link</a>.</p>`,
    `<p>The activation expires at ${escapeHtml(expires)}. Do not forward this mail: anyone with the link can make your codes.</p>`,
  ].join('\n');
  return {
    from,
    to: mail.to,
    subject: `Activate your authenticator for ${mail.account} (${mail.issuer})`,
    text,
    html,
    attachments: [{ filename: 'activation-qr.png', content: qrPng, contentType: 'image/png', cid: QR_CID }],
  };
}

/** The QR code of a URI as a PNG. */
export function qrPng(uri: string): Promise<Buffer> {
  return QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

function readPassword(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (cause) {
    throw new FactordeskError('UNAVAILABLE', `The hub cannot read its SMTP password file ${file}.`, {
      hint: 'Fix the smtp block of hub.json or the file, then send the activation again.',
      cause,
    });
  }
}

/** A mailer sending through the configured SMTP server. */
export function smtpMailer(config: HubSmtpConfig): Mailer {
  return {
    async sendActivation(mail) {
      const message = activationMessage(config.from, mail, await qrPng(mail.otpauthUri));
      const transport = nodemailer.createTransport({
        host: config.host,
        port: config.port,
        secure: config.secure,
        connectionTimeout: CONNECT_TIMEOUT_MS,
        greetingTimeout: CONNECT_TIMEOUT_MS,
        socketTimeout: SOCKET_TIMEOUT_MS,
        ...(config.user !== undefined && config.password_file !== undefined
          ? { auth: { user: config.user, pass: readPassword(config.password_file) } }
          : {}),
      });
      try {
        const info = await transport.sendMail(message);
        return { messageId: String(info.messageId) };
      } catch (cause) {
        // nodemailer's message names the step that failed (connect, AUTH, RCPT) and the server's reply; never the body.
        const reason = cause instanceof Error ? cause.message : String(cause);
        throw new FactordeskError('UNAVAILABLE', `The SMTP server ${config.host}:${config.port} did not take the mail: ${reason}`, {
          hint: "Check the hub's smtp settings and the server, then send the activation again.",
          cause,
        });
      } finally {
        transport.close();
      }
    },
  };
}

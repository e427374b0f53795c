/**
 * A local SMTP server (smtp-server) that keeps every message it is given, for tests of the hub's mail; and the
 * few MIME readings those tests need (a text part decoded from quoted-printable, an inline image's bytes).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  from: string;
  to: string[];
  /** The user that authenticated, if any. */
  user?: string;
  raw: string;
}

export interface SmtpCapture {
  port: number;
  mails: CapturedMail[];
  /** Resolves with the n-th mail (1-based) once it has arrived. */
  waitForMail(n?: number, ms?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 (plain SMTP; with `auth`, AUTH is required and checked). */
export async function startSmtpCapture(auth?: { user: string; password: string }): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    logger: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.password) return callback(null, { user: credentials.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          ...(typeof session.user === 'string' ? { user: session.user } : {}),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        for (const wake of [...waiters]) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    waitForMail(n = 1, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const mail = mails[n - 1];
          if (!mail) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(mail);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`mail ${n} did not arrive; ${mails.length} arrived`));
        }, ms);
        if (!check()) waiters.add(check);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface MimePart {
  headers: string;
  body: string;
}

/** The leaf parts of a MIME message (nested multiparts flattened). */
export function mimeParts(raw: string): MimePart[] {
  const split = raw.indexOf('\r\n\r\n');
  const headers = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers.replace(/\r\n\s+/g, ' '))?.[1];
  if (!/^content-type:\s*multipart\//im.test(headers) || boundary === undefined) return [{ headers, body }];
  return body
    .split(`--${boundary}`)
    .slice(1)
    .filter((part) => !part.startsWith('--'))
    .flatMap((part) => mimeParts(part.replace(/^\r\n/, '')));
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodedBody(part: MimePart): Buffer {
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(part.headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return Buffer.from(decodeQuotedPrintable(part.body), 'utf8');
  return Buffer.from(part.body, 'utf8');
}

/** The decoded body of the first part of a content type (e.g. `text/plain`, `image/png`), with its headers. */
export function mailPart(raw: string, contentType: string): { headers: string; content: Buffer } | undefined {
  const part = mimeParts(raw).find((p) => new RegExp(`^content-type:\\s*${contentType.replace('/', '\\/')}`, 'im').test(p.headers));
  return part ? { headers: part.headers, content: decodedBody(part) } : undefined;
}

/** A header's value (unfolded), from the message's top headers. */
export function mailHeader(raw: string, name: string): string | undefined {
  const headers = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n\s+/g, ' ');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1];
}

/**
 * TLS to a hub with its certificate pinned on first use: a self-signed hub certificate cannot be verified by
 * a CA, so the daemon remembers its SHA-256 fingerprint at `factordesk login` and refuses any other one.
 *
 * Fingerprint format: colon-separated upper-case hex of the SHA-256 of the certificate's DER, which is what
 * node's `getPeerCertificate().fingerprint256` gives and what `factordesk hub serve` prints.
 */
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { FactordeskError } from '../src/errors.js';

/** Upper-cases and re-colons a fingerprint given in any common spelling (`ab:cd…`, `ABCD…`, `sha256/AB:CD`). */
export function normalizeFingerprint(value: string): string {
  const hex = value.replace(/^sha-?256[:/ ]?/i, '').replace(/[^0-9a-f]/gi, '').toUpperCase();
  if (hex.length !== 64) {
    throw new FactordeskError('INVALID_INPUT', `"${value}" is not a SHA-256 certificate fingerprint`, {
      hint: 'Give 32 bytes in hex, e.g. AB:CD:…, as `factordesk hub serve` prints it.',
    });
  }
  return hex.match(/../g)!.join(':');
}

/** The error for a hub that presents another certificate than the pinned one. */
export function pinMismatchError(url: string, pinned: string, presented: string): FactordeskError {
  return new FactordeskError(
    'REFUSED',
    `The hub at ${url} presented a different TLS certificate than the one pinned at login: ` +
      `pinned SHA-256 ${pinned}, presented SHA-256 ${presented}`,
    {
      hint:
        'If the hub really changed its certificate (compare with what `factordesk hub serve` prints on the hub), ' +
        `pin the new one with \`factordesk login ${url} --ikey … --skey-file … --repin\`; otherwise someone may be intercepting the connection.`,
    },
  );
}

/** True for the error {@link pinMismatchError} makes (it travels through HTTP and WebSocket layers as a cause). */
export function isPinMismatch(error: unknown): error is FactordeskError {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof FactordeskError && e.code === 'REFUSED' && /different TLS certificate/.test(e.userMessage)) return true;
  }
  return false;
}

/**
 * An HTTPS agent that accepts exactly one certificate, by fingerprint, whatever signed it; host names are
 * not checked either (a hub on 127.0.0.1 or a bare IP has a certificate with no matching name).
 * With no pin it accepts any certificate: only for the first-use probe of `factordesk login`.
 */
export class PinnedAgent extends https.Agent {
  constructor(
    private readonly pin: string | undefined,
    private readonly url: string,
    options: https.AgentOptions = {},
  ) {
    super({ keepAlive: true, ...options });
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false, checkServerIdentity: () => undefined });
    if (this.pin === undefined) return socket;
    const pin = this.pin;
    const done = (err: Error | null, stream?: Duplex) => callback?.(err, stream as Duplex);
    const onError = (err: Error) => done(err);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      socket.off('error', onError);
      const presented = socket.getPeerCertificate().fingerprint256;
      if (presented === pin) {
        done(null, socket);
        return;
      }
      const error = pinMismatchError(this.url, pin, presented ?? 'none');
      socket.destroy();
      done(error);
    });
    // Handed over through the callback once the certificate is checked (node's Agent supports that).
    return undefined;
  }
}

/** Connects to an https URL and returns the certificate fingerprint the server presents (no request is sent). */
export function fetchFingerprint(url: string, timeoutMs = 10_000): Promise<string> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: Number(u.port || 443),
      servername: net.isIP(u.hostname) ? undefined : u.hostname,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new FactordeskError('UNAVAILABLE', `The hub at ${url} did not answer within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new FactordeskError('UNAVAILABLE', `Cannot reach the hub at ${url}: ${err.message}`, { cause: err }));
    });
  });
}

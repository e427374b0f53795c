/**
 * The hub's TLS material: a self-signed certificate made by `hub init --self-signed`, or one given, and its
 * fingerprint, which daemons pin on first use.
 *
 * Fingerprint format: the SHA-256 of the certificate's DER bytes as upper-case hex pairs joined by colons
 * (`AB:CD:…`, 95 characters), exactly Node's `X509Certificate.fingerprint256` and what a TLS client sees as
 * `socket.getPeerCertificate().fingerprint256`, so the daemon compares strings.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { generate } from 'selfsigned';
import { FactordeskError, invalid } from '../../src/errors.js';

/** Self-signed certificates last long: a renewal changes the pinned fingerprint on every daemon. */
const SELF_SIGNED_YEARS = 5;

/** The TLS files a hub serves with, loaded and checked. */
export interface TlsMaterial {
  cert: string;
  key: string;
  fingerprint: string;
}

/** The SHA-256 fingerprint of a PEM certificate (see the format above). */
export function certificateFingerprint(pem: string | Buffer): string {
  return new X509Certificate(pem).fingerprint256;
}

/** True when `value` is a fingerprint in the format above. */
export function isFingerprint(value: string): boolean {
  return /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(value);
}

/**
 * Makes a self-signed certificate (EC P-256, SHA-256) for localhost, 127.0.0.1, ::1 and the given host names,
 * writes cert and key (0600) and returns the fingerprint.
 */
export async function generateSelfSigned(options: {
  hosts: readonly string[];
  certFile: string;
  keyFile: string;
  now?: Date;
}): Promise<string> {
  const now = options.now ?? new Date();
  const names = [...new Set(['localhost', '127.0.0.1', '::1', ...options.hosts.map((h) => stripPort(h))])];
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + SELF_SIGNED_YEARS);
  const commonName = options.hosts.length > 0 ? stripPort(options.hosts[0] as string) : 'localhost';
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names.map((n) => (net.isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
    ],
  });
  for (const file of [options.certFile, options.keyFile]) fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(options.keyFile, pems.private, { mode: 0o600 });
  fs.writeFileSync(options.certFile, pems.cert, { mode: 0o644 });
  return certificateFingerprint(pems.cert);
}

function stripPort(host: string): string {
  const bracketed = /^\[(.*)\](:\d+)?$/.exec(host);
  if (bracketed) return bracketed[1] ?? host;
  return net.isIP(host) === 6 ? host : host.replace(/:\d+$/, '');
}

/** Reads and checks a certificate and its key: both PEM, the key matching the certificate. */
export function loadTls(files: { cert: string; key: string }): TlsMaterial {
  let cert: string;
  let key: string;
  try {
    cert = fs.readFileSync(files.cert, 'utf8');
    key = fs.readFileSync(files.key, 'utf8');
  } catch (cause) {
    throw new FactordeskError('INVALID_INPUT', `cannot read the TLS certificate or key (${files.cert}, ${files.key})`, {
      hint: 'check the paths and permissions',
      cause,
    });
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (cause) {
    throw new FactordeskError('INVALID_INPUT', `${files.cert} is not a PEM certificate`, { cause });
  }
  let matches: boolean;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(key));
  } catch (cause) {
    throw new FactordeskError('INVALID_INPUT', `${files.key} is not a PEM private key (an encrypted key is not supported)`, { cause });
  }
  if (!matches) throw invalid(`the key ${files.key} does not belong to the certificate ${files.cert}`);
  return { cert, key, fingerprint: x509.fingerprint256 };
}

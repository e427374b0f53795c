/**
 * Secrets as token files give them: hex (what Duo and OATH files use) or base32 (what vendors print),
 * normalised to lower-case hex. Error messages never quote the value: they end up in logs and terminals.
 */
import { ScureBase32Plugin } from 'otplib';
import { invalid } from '../errors.js';

/** RFC 4226 requires at least 128 bits of seed; otplib enforces the same floor. */
export const MIN_SECRET_BYTES = 16;
/** otplib's ceiling (a SHA-512 block); longer seeds are hashed down by HMAC anyway. */
export const MAX_SECRET_BYTES = 64;

const base32 = new ScureBase32Plugin();

export type SecretEncoding = 'hex' | 'base32';

const HEX = /^[0-9a-f]+$/i;
const BASE32 = /^[A-Z2-7]+=*$/i;

/**
 * How a secret is written. Hex wins when both readings are possible: Duo's import takes hex, and a
 * base32 seed made only of the letters A-F and digits 2-7 is vanishingly rare at real lengths.
 */
export function secretEncoding(text: string): SecretEncoding | null {
  const s = text.replace(/\s+/g, '');
  if (s.length > 0 && s.length % 2 === 0 && HEX.test(s)) return 'hex';
  if (s.length > 0 && BASE32.test(s)) return 'base32';
  return null;
}

function checkLength(bytes: number): void {
  if (bytes < MIN_SECRET_BYTES) {
    throw invalid(`secret is ${bytes} bytes; at least ${MIN_SECRET_BYTES} (128 bits, RFC 4226) are needed`);
  }
  if (bytes > MAX_SECRET_BYTES) throw invalid(`secret is ${bytes} bytes; at most ${MAX_SECRET_BYTES} are allowed`);
}

/** Checks a seed given as bytes and returns it as lower-case hex. */
export function secretBytesToHex(bytes: Uint8Array): string {
  checkLength(bytes.length);
  return Buffer.from(bytes).toString('hex');
}

/** A HOTP/TOTP seed in hex or base32 (blanks ignored), as lower-case hex; its length is checked. */
export function parseOtpSecret(text: string): string {
  const s = text.replace(/\s+/g, '');
  if (s === '') throw invalid('secret is missing');
  const encoding = secretEncoding(s);
  if (encoding === 'hex') return secretBytesToHex(Buffer.from(s, 'hex'));
  if (encoding === 'base32') {
    let bytes: Uint8Array;
    try {
      bytes = base32.decode(s.toUpperCase());
    } catch {
      throw invalid('secret is not valid base32 (its length does not fit whole bytes)');
    }
    return secretBytesToHex(bytes);
  }
  if (HEX.test(s)) throw invalid('secret has an odd number of hex digits');
  throw invalid('secret is neither hex (0-9, a-f) nor base32 (A-Z, 2-7)');
}

/** A fixed-size value in hex (a YubiKey private id or AES key), as lower-case hex. */
export function parseFixedHex(text: string, bytes: number, what: string): string {
  const s = text.replace(/\s+/g, '');
  if (s === '') throw invalid(`${what} is missing`);
  if (!HEX.test(s)) throw invalid(`${what} is not hex (0-9, a-f)`);
  if (s.length !== bytes * 2) {
    throw invalid(`${what} has ${s.length} hex digits; it must have ${bytes * 2} (${bytes} bytes)`);
  }
  return s.toLowerCase();
}

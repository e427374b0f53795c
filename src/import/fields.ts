/**
 * The columns token files share, each parsed or refused with a reason: serial, counter, time step, code
 * length, hash, and the type code that digits and kind give.
 */
import type { TokenType } from '../domain/enums.js';
import { DEFAULT_TOTP_STEP, MAX_TOTP_STEP, validateSerial } from '../domain/token.js';
import { invalid } from '../errors.js';
import type { OtpAlgorithm, OtpDigits } from '../otp/options.js';

/** The two OATH families a file can name. */
export type OathKind = 'hotp' | 'totp';

/** A serial as the domain accepts it (≤ 128 printable characters, trimmed). */
export function parseSerial(text: string): string {
  return validateSerial(text);
}

/** An HOTP counter: a whole number from 0 (empty means 0). */
export function parseCounter(text: string | undefined): number {
  const s = (text ?? '').trim();
  if (s === '') return 0;
  if (!/^[0-9]+$/.test(s)) throw invalid(`counter '${s}' is not a whole number`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw invalid(`counter ${s} is too large; at most ${Number.MAX_SAFE_INTEGER}`);
  return n;
}

/** A TOTP step in whole seconds, 1 to 300 (empty means 30). */
export function parseStep(text: string | undefined): number {
  const s = (text ?? '').trim();
  if (s === '') return DEFAULT_TOTP_STEP;
  const n = /^[0-9]+$/.test(s) ? Number(s) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TOTP_STEP) {
    throw invalid(`time step '${s}' is out of range; use whole seconds from 1 to ${MAX_TOTP_STEP} (usually 30)`);
  }
  return n;
}

/** A code length: 6 or 8 (empty means 6). */
export function parseDigits(text: string | undefined): OtpDigits {
  const s = (text ?? '').trim();
  if (s === '' || s === '6') return 6;
  if (s === '8') return 8;
  throw invalid(`code length '${s}' is not supported; tokens show 6 or 8 digits`);
}

/** A hash name: sha1, sha256 or sha512, in any case, with or without a dash or an HMAC- prefix (empty means sha1). */
export function parseAlgorithm(text: string | undefined): OtpAlgorithm {
  const s = (text ?? '').trim();
  if (s === '') return 'sha1';
  const m = /^(?:hmac-?)?sha-?(1|256|512)$/i.exec(s);
  if (m === null) throw invalid(`hash '${s}' is not supported; use sha1, sha256 or sha512`);
  return `sha${m[1]}` as OtpAlgorithm;
}

/** hotp or totp, in any case. */
export function parseOathKind(text: string | undefined): OathKind {
  const s = (text ?? '').trim().toLowerCase();
  if (s === 'hotp' || s === 'totp') return s;
  throw invalid(`token kind '${(text ?? '').trim()}' is not supported; use hotp or totp`);
}

/** The type code of an OATH token: h6, h8, t6 or t8. */
export function oathTokenType(kind: OathKind, digits: OtpDigits): TokenType {
  return `${kind === 'hotp' ? 'h' : 't'}${digits}` as TokenType;
}

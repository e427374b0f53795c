/**
 * What every OTP function shares: the code length, the HMAC hash and the shape of a secret. Secrets are
 * kept as lower-case hex (the import normalises to it), so a string here is hex, never base32: otplib
 * would otherwise read a string as base32.
 */
import { invalid } from '../errors.js';

export const OTP_ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const;
export type OtpAlgorithm = (typeof OTP_ALGORITHMS)[number];

export const OTP_DIGITS = [6, 8] as const;
export type OtpDigits = (typeof OTP_DIGITS)[number];

/** Code length and hash; both default to the OATH hardware-token norm (6 digits, SHA-1). */
export interface OtpOptions {
  digits?: OtpDigits;
  algorithm?: OtpAlgorithm;
}

/** A seed as lower-case hex or as raw bytes. */
export type OtpSecret = string | Uint8Array;

/** The options with their defaults filled in. */
export function withDefaults(opts: OtpOptions = {}): Required<OtpOptions> {
  return { digits: opts.digits ?? 6, algorithm: opts.algorithm ?? 'sha1' };
}

/** The seed's bytes; a string must be hex (an even number of hex digits). */
export function secretBytes(secret: OtpSecret): Uint8Array {
  if (typeof secret !== 'string') return secret;
  if (secret.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(secret)) {
    throw invalid('an OTP secret must be given as hex here');
  }
  return new Uint8Array(Buffer.from(secret, 'hex'));
}

/** True when `code` has the shape of a code of this length (digits only), before any HMAC is spent on it. */
export function isCodeShaped(code: string, digits: OtpDigits): boolean {
  return code.length === digits && /^[0-9]+$/.test(code);
}

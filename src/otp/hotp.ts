/**
 * HOTP (RFC 4226): the code for a counter, and verification with a look-ahead window. The counter is an
 * argument; storing the next counter after a match is the caller's job (the hub's).
 */
import { createGuardrails, generateSync, verifySync } from 'otplib';
import { invalid } from '../errors.js';
import { isCodeShaped, secretBytes, withDefaults, type OtpOptions, type OtpSecret } from './options.js';

/** otplib counts the stored counter itself as one of its checks. */
const OTPLIB_MAX_CHECKS = 99;

function assertCounter(counter: number): void {
  if (!Number.isSafeInteger(counter) || counter < 0) {
    throw invalid(`HOTP counter ${counter} is out of range; use a whole number from 0`);
  }
}

/** The HOTP code for `counter`, zero-padded to the requested number of digits. */
export function hotpCode(secret: OtpSecret, counter: number, opts: OtpOptions = {}): string {
  assertCounter(counter);
  const { digits, algorithm } = withDefaults(opts);
  return generateSync({ secret: secretBytes(secret), strategy: 'hotp', counter, digits, algorithm });
}

/**
 * The counter at which `code` matches, looking at `counter` and the `window` counters after it (so
 * window 0 checks the stored counter alone), or null. The next stored counter should be the match + 1.
 */
export function verifyHotp(
  secret: OtpSecret,
  code: string,
  counter: number,
  window: number,
  opts: OtpOptions = {},
): number | null {
  assertCounter(counter);
  if (!Number.isSafeInteger(window) || window < 0) {
    throw invalid(`HOTP look-ahead window ${window} is out of range; use a whole number from 0`);
  }
  const { digits, algorithm } = withDefaults(opts);
  if (!isCodeShaped(code, digits)) return null;
  const checks = window + 1;
  const result = verifySync({
    secret: secretBytes(secret),
    strategy: 'hotp',
    token: code,
    counter,
    counterTolerance: [0, window],
    digits,
    algorithm,
    // otplib caps the window at 99 checks to bound the HMAC work; our callers choose wider windows on purpose.
    ...(checks > OTPLIB_MAX_CHECKS ? { guardrails: createGuardrails({ MAX_WINDOW: checks }) } : {}),
  });
  return result.valid ? counter + result.delta : null;
}

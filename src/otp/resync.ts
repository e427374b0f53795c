/**
 * HOTP resynchronisation by three consecutive codes, as the reference panel does it: scan a window ahead
 * of the stored counter for the place where the three codes follow one another, then move the counter
 * past the last one so that these codes, and every older one, never verify again.
 */
import { timingSafeEqual } from 'node:crypto';
import { assertResyncable } from '../domain/token.js';
import type { TokenType } from '../domain/enums.js';
import { FactordeskError, invalid, isFactordeskError } from '../errors.js';
import { hotpCode } from './hotp.js';
import { isCodeShaped, withDefaults, type OtpOptions, type OtpSecret } from './options.js';

/** The default number of counters scanned ahead of the stored one (the common 2FA-server default). */
export const DEFAULT_RESYNC_WINDOW = 1000;

export interface ResyncOptions extends OtpOptions {
  /** The first code may sit at the stored counter or up to `window` counters after it. */
  window?: number;
}

export interface ResyncSuccess {
  ok: true;
  /** The counter to store: one past the third code. */
  counter: number;
  /** The counter at which the first code matched. */
  matchedAt: number;
}

export type ResyncFailureReason = 'refused' | 'invalid-code' | 'no-match';

export interface ResyncFailure {
  ok: false;
  reason: ResyncFailureReason;
  message: string;
  hint?: string;
}

export type ResyncResult = ResyncSuccess | ResyncFailure;

function sameCode(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Finds three consecutive codes within the window ahead of `counter` and returns the counter to store, or
 * a typed failure: codes of the wrong shape, or codes that are not consecutive codes of this token there.
 */
export function resyncHotp(
  secret: OtpSecret,
  counter: number,
  codes: readonly string[],
  opts: ResyncOptions = {},
): ResyncResult {
  const { digits, algorithm } = withDefaults(opts);
  const window = opts.window ?? DEFAULT_RESYNC_WINDOW;
  if (!Number.isSafeInteger(window) || window < 0) throw invalid(`resync window ${window} is out of range`);
  if (codes.length !== 3) {
    const message = `a resync needs three consecutive codes; ${codes.length} were given`;
    return { ok: false, reason: 'invalid-code', message };
  }
  const trimmed = codes.map((c) => c.trim());
  const badIndex = trimmed.findIndex((c) => !isCodeShaped(c, digits));
  if (badIndex >= 0) {
    return {
      ok: false,
      reason: 'invalid-code',
      message: `code ${badIndex + 1} is not a ${digits}-digit code`,
      hint: `type the ${digits} digits shown by the token, pressing its button between codes`,
    };
  }
  const last = counter + window + 2;
  if (!Number.isSafeInteger(counter) || counter < 0 || !Number.isSafeInteger(last)) {
    throw invalid(`HOTP counter ${counter} is out of range`);
  }
  const [c1, c2, c3] = trimmed as [string, string, string];
  // Each code of the window is computed at most once, and only as far as the scan gets.
  const sequence: string[] = [];
  const codeAt = (i: number): string => (sequence[i] ??= hotpCode(secret, counter + i, { digits, algorithm }));
  for (let i = 0; i <= window; i++) {
    if (sameCode(codeAt(i), c1) && sameCode(codeAt(i + 1), c2) && sameCode(codeAt(i + 2), c3)) {
      return { ok: true, counter: counter + i + 3, matchedAt: counter + i };
    }
  }
  return {
    ok: false,
    reason: 'no-match',
    message: `the three codes are not consecutive codes of this token within ${window} presses of its stored counter`,
    hint: 'press the button once per code and type the codes in the order shown; check the serial on the token',
  };
}

/** What resyncToken needs to know about the token: its type for the refusal, its seed and counter. */
export interface ResyncTarget {
  serial: string;
  type: TokenType;
  secret: OtpSecret;
  counter: number;
}

/**
 * Resynchronises a stored token: TOTP and YubiKey OTP tokens are refused with the reference product's
 * message, HOTP tokens are resynchronised by resyncHotp.
 */
export function resyncToken(target: ResyncTarget, codes: readonly string[], opts: ResyncOptions = {}): ResyncResult {
  try {
    assertResyncable(target);
  } catch (e) {
    if (!isFactordeskError(e)) throw e;
    return { ok: false, reason: 'refused', message: e.userMessage, ...(e.hint !== undefined ? { hint: e.hint } : {}) };
  }
  // An h8 token shows 8 digits; the caller may still say so explicitly from the stored secret material.
  const digits = opts.digits ?? (target.type === 'h8' ? 8 : 6);
  return resyncHotp(target.secret, target.counter, codes, { ...opts, digits });
}

/** The error a failed resync becomes at a boundary: REFUSED for the token type, INVALID_INPUT otherwise. */
export function resyncFailureError(failure: ResyncFailure): FactordeskError {
  return new FactordeskError(failure.reason === 'refused' ? 'REFUSED' : 'INVALID_INPUT', failure.message, {
    ...(failure.hint !== undefined ? { hint: failure.hint } : {}),
  });
}

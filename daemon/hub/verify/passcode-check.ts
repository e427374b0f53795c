/**
 * Which of a user's factors a passcode belongs to, and the record to store when it does: HOTP within a look-ahead
 * window (the counter moves past the match), TOTP within ±1 step (the step is remembered, so a code is accepted
 * once), YubiKey OTP (AES, CRC, private id, counters strictly increasing), and the TOTP seed of a phone's
 * activation (refused once expired unless the phone is already activated). Pure: records and a time in, a match out.
 */
import type { Token } from '../../../src/domain/schemas.js';
import { isTotpToken } from '../../../src/domain/token.js';
import { verifyHotp } from '../../../src/otp/hotp.js';
import { verifyTotp } from '../../../src/otp/totp.js';
import { verifyYubikeyOtp } from '../../../src/otp/yubico.js';
import { ACTIVATION_DIGITS, ACTIVATION_STEP_SECONDS, type ActivationSecret } from '../activation-secrets.js';
import { yubikeyCredentialOf, type TokenSecret } from '../token-secrets.js';

/** HOTP codes accepted ahead of the stored counter when verifying (a resync covers larger gaps). */
export const HOTP_LOOK_AHEAD = 10;

/** A factor of the user with its server-only record. */
export type Factor =
  | { kind: 'token'; token: Pick<Token, 'token_id' | 'serial' | 'type'>; secret: TokenSecret }
  | { kind: 'phone'; phoneId: string; secret: ActivationSecret };

/** The factor a passcode verified, and its record as it must be stored now. */
export type PasscodeMatch =
  | { kind: 'token'; token: Pick<Token, 'token_id' | 'serial' | 'type'>; secret: TokenSecret }
  | { kind: 'phone'; phoneId: string; secret: ActivationSecret; firstCode: boolean };

function hex(secretHex: string): Buffer {
  return Buffer.from(secretHex, 'hex');
}

function checkToken(factor: Extract<Factor, { kind: 'token' }>, passcode: string, now: number): TokenSecret | null {
  const { secret, token } = factor;
  if (token.type === 'yk') {
    const credential = yubikeyCredentialOf(secret);
    if (!credential) return null;
    const result = verifyYubikeyOtp(passcode, credential, secret.yubikey_last);
    return result.ok ? { ...secret, yubikey_last: result.counters } : null;
  }
  if (secret.secret_hex === null) return null;
  const opts = { ...(secret.digits ? { digits: secret.digits } : {}), ...(secret.algorithm ? { algorithm: secret.algorithm } : {}) };
  if (isTotpToken(token.type)) {
    const step = verifyTotp(hex(secret.secret_hex), passcode, now, secret.step || 30, { ...opts, lastUsedStep: secret.last_step >= 0 ? secret.last_step : null });
    return step === null ? null : { ...secret, last_step: step };
  }
  const matched = verifyHotp(hex(secret.secret_hex), passcode, secret.counter, HOTP_LOOK_AHEAD, opts);
  return matched === null ? null : { ...secret, counter: matched + 1 };
}

function checkPhone(factor: Extract<Factor, { kind: 'phone' }>, passcode: string, now: number): ActivationSecret | null {
  const { secret } = factor;
  if (!secret.activated && now > secret.expires) return null;
  const step = verifyTotp(hex(secret.secret_hex), passcode, now, ACTIVATION_STEP_SECONDS, {
    digits: ACTIVATION_DIGITS,
    lastUsedStep: secret.last_step >= 0 ? secret.last_step : null,
  });
  return step === null ? null : { ...secret, last_step: step, activated: true };
}

/** The first factor `passcode` verifies at `now`, with its updated record; null when none does. */
export function checkPasscode(factors: readonly Factor[], passcode: string, now: number): PasscodeMatch | null {
  const code = passcode.trim();
  for (const factor of factors) {
    if (factor.kind === 'token') {
      const secret = checkToken(factor, code, now);
      if (secret) return { kind: 'token', token: factor.token, secret };
    } else {
      const secret = checkPhone(factor, code, now);
      if (secret) return { kind: 'phone', phoneId: factor.phoneId, secret, firstCode: !factor.secret.activated };
    }
  }
  return null;
}

/** True when an activation can no longer be used: expired before its first code. */
export function activationExpired(secret: ActivationSecret, now: number): boolean {
  return !secret.activated && now > secret.expires;
}

/**
 * TOTP (RFC 6238): the code at a given time, and verification within a clock skew with replay protection.
 * The time is an argument (milliseconds since the epoch); nothing here reads the clock.
 */
import { generateSync, verifySync } from 'otplib';
import { invalid } from '../errors.js';
import { isCodeShaped, secretBytes, withDefaults, type OtpOptions, type OtpSecret } from './options.js';

/** How far a code may be from the current step, and the last step already accepted for this token. */
export interface TotpVerifyOptions extends OtpOptions {
  /** Steps accepted on either side of the current one; default 1 (±30 s with the usual step). */
  skewSteps?: number;
  /** The time step of the last accepted code: codes at or before it are refused as replays. */
  lastUsedStep?: number | null;
}

function assertStep(step: number): void {
  if (!Number.isInteger(step) || step < 1) throw invalid(`TOTP step ${step} is out of range; use whole seconds from 1`);
}

function epochSeconds(timeMs: number): number {
  if (!Number.isFinite(timeMs) || timeMs < 0) throw invalid(`time ${timeMs} is not a valid instant`);
  return Math.floor(timeMs / 1000);
}

/** The time step (counter) that `timeMs` falls in. */
export function totpStepAt(timeMs: number, step: number): number {
  assertStep(step);
  return Math.floor(epochSeconds(timeMs) / step);
}

/** The TOTP code valid at `timeMs` for a step of `step` seconds. */
export function totpCode(secret: OtpSecret, timeMs: number, step: number, opts: OtpOptions = {}): string {
  assertStep(step);
  const { digits, algorithm } = withDefaults(opts);
  return generateSync({ secret: secretBytes(secret), epoch: epochSeconds(timeMs), period: step, digits, algorithm });
}

/**
 * The time step at which `code` matches within ±skewSteps of the step at `timeMs`, or null. A code whose
 * step is at or before `lastUsedStep` is refused, so each code verifies at most once; the caller stores
 * the returned step as the new lastUsedStep.
 */
export function verifyTotp(
  secret: OtpSecret,
  code: string,
  timeMs: number,
  step: number,
  opts: TotpVerifyOptions = {},
): number | null {
  assertStep(step);
  const skewSteps = opts.skewSteps ?? 1;
  if (!Number.isInteger(skewSteps) || skewSteps < 0) throw invalid(`TOTP skew ${skewSteps} is out of range`);
  const { digits, algorithm } = withDefaults(opts);
  if (!isCodeShaped(code, digits)) return null;
  const lastUsedStep = opts.lastUsedStep ?? null;
  const result = verifySync({
    secret: secretBytes(secret),
    token: code,
    epoch: epochSeconds(timeMs),
    period: step,
    digits,
    algorithm,
    // otplib's tolerance is in seconds; whole steps on either side give exactly ±skewSteps steps.
    epochTolerance: skewSteps * step,
    ...(lastUsedStep !== null ? { afterTimeStep: lastUsedStep } : {}),
  });
  if (!result.valid) return null;
  const matched = totpStepAt(timeMs, step) + result.delta;
  // Belt and braces: the replay rule is the point of this function, so it does not rest on the library alone.
  if (lastUsedStep !== null && matched <= lastUsedStep) return null;
  return matched;
}

/** Small builders for domain tests: deterministic ids and times, no I/O. */
import { createPhone } from '../../../src/domain/phone.js';
import type { Phone, User } from '../../../src/domain/schemas.js';
import { createUser } from '../../../src/domain/user.js';

export const T0 = 1_700_000_000_000;

/** A user with a readable id (`U-alice`). */
export function user(username: string, now = T0): User {
  return createUser({ username }, now, `U-${username}`);
}

/** A mobile phone attached to `userId`, created at `created`. */
export function mobile(phoneId: string, userId: string, created = T0, number = '+15550100000'): Phone {
  return createPhone({ type: 'mobile', number }, userId, created, phoneId);
}

/** A tablet (no number) attached to `userId`. */
export function tablet(phoneId: string, userId: string, created = T0): Phone {
  return createPhone({ type: 'tablet', name: `tab ${phoneId}` }, userId, created, phoneId);
}

/** Runs `fn` and returns the FactordeskError it throws (fails the test when it does not throw). */
export function thrown(fn: () => unknown): { code: string; userMessage: string; hint?: string } {
  try {
    fn();
  } catch (e) {
    return e as { code: string; userMessage: string; hint?: string };
  }
  throw new Error('expected the call to throw');
}

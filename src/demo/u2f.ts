/** Demo U2F/WebAuthn registrations: mostly WebAuthn, spread over users, added over the past three years. */
import type { U2fKind } from '../domain/enums.js';
import type { U2fRegistration } from '../domain/schemas.js';
import { U2F_CREDENTIALS, U2F_LABELS, WEBAUTHN_CREDENTIALS } from './catalog.js';
import { demoId } from './demo-ids.js';
import { categoryDeck, pastTime, type Rng } from './random.js';

const DAY = 86_400_000;
const KINDS: readonly U2fKind[] = ['u2f', 'webauthn'];
const KIND_WEIGHTS = [25, 75];

/** `count` registrations of random users (a user may have several); `userIds` must not be empty when count > 0. */
export function buildU2f(rng: Rng, count: number, userIds: readonly string[], now: number): U2fRegistration[] {
  const kinds = categoryDeck(rng, count, KIND_WEIGHTS, true);
  return Array.from({ length: count }, (_, i): U2fRegistration => {
    const kind = KINDS[kinds[i] ?? 0] ?? 'webauthn';
    const credential_name = rng.pick(kind === 'webauthn' ? WEBAUTHN_CREDENTIALS : U2F_CREDENTIALS);
    return {
      registration_id: demoId(rng, 'DR'),
      kind,
      user_id: rng.pick(userIds),
      credential_name,
      label: rng.chance(0.4) ? credential_name : rng.pick(U2F_LABELS),
      // Duo reports this one in epoch seconds.
      date_added: Math.floor(pastTime(rng, now, DAY, 3 * 365 * DAY) / 1000),
    };
  });
}

/**
 * What the hub keeps about a phone's activation: the TOTP seed the authenticator app receives (in the
 * otpauth URI), when the activation expires, and the replay mark of the last code that verified. Stored with the
 * server-only secrets (kind `activation`, id = phone_id): never in a pulled document, a log line or a report.
 * A phone becomes activated when its first code verifies (daemon/hub/verify/); the seed then keeps serving it.
 */
import type { HubStore, JsonValue } from './store.js';

export const ACTIVATION_SECRET_KIND = 'activation';
/** The code length and step the activation's otpauth URI announces. */
export const ACTIVATION_DIGITS = 6;
export const ACTIVATION_STEP_SECONDS = 30;

export interface ActivationSecret {
  /** TOTP seed, lower-case hex (20 random bytes). */
  secret_hex: string;
  /** Epoch ms. */
  created: number;
  /** Epoch ms after which a not yet activated phone's codes are refused. */
  expires: number;
  /** Where it was mailed, if it was. */
  emailed_to: string | null;
  /** True once a code from it verified (the phone is activated; expiry no longer applies). */
  activated: boolean;
  /** The last time step that verified (-1 for none): each code is accepted once. */
  last_step: number;
  /** The request that created it (an activation run again answers the same). */
  request_id: string | null;
}

/** Reads a phone's activation record. */
export async function readActivation(store: HubStore, account: string, phoneId: string): Promise<ActivationSecret | undefined> {
  const value = await store.getSecret(account, ACTIVATION_SECRET_KIND, phoneId);
  return value === undefined ? undefined : (value as unknown as ActivationSecret);
}

/** Writes a phone's activation record. */
export async function writeActivation(store: HubStore, account: string, phoneId: string, secret: ActivationSecret): Promise<void> {
  await store.putSecret(account, ACTIVATION_SECRET_KIND, phoneId, secret as unknown as JsonValue);
}

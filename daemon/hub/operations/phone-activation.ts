/**
 * Phone activation at the hub: a fresh TOTP seed for the phone's authenticator app, kept with the hub's secrets
 * (activation-secrets.ts) and handed out only as an `otpauth://` URI — to the administrator who asks the hub for
 * it (activation-routes.ts) and, when asked, by mail. The request's answer (replicated to every daemon) says
 * only which phone, until when, and where it was mailed.
 *
 * A new activation replaces the phone's previous one, so the old link stops working, and an activated phone
 * goes back to not activated until its new app's first code verifies (daemon/hub/verify/).
 *
 * All or nothing for the mail: when a mail is asked and the hub has no SMTP server, nothing is made; when the
 * server does not take the mail, the previous activation is put back and the request fails with the server's
 * reason. Run again for the same request, the operation answers the same without mailing twice.
 */
import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { ScureBase32Plugin } from 'otplib';
import type { Phone, User } from '../../../src/domain/schemas.js';
import type { ActivationView } from '../../../src/rpc/contract.js';
import { FactordeskError, invalid, notFound, refused } from '../../../src/errors.js';
import {
  ACTIVATION_DIGITS,
  ACTIVATION_SECRET_KIND,
  ACTIVATION_STEP_SECONDS,
  readActivation,
  writeActivation,
  type ActivationSecret,
} from '../activation-secrets.js';
import { authorizedPush, type Pusher } from '../authorized-push.js';
import { isMailAddress, type Mailer } from '../mailer.js';
import type { HubStore } from '../store.js';
import { bodyOf } from '../stored-document.js';
import { OperationFailure, optionalStringParam, stringParam, type Operation, type OperationResult } from '../requests/operation.js';

/** The issuer authenticator apps show above the code. */
export const ACTIVATION_ISSUER = 'factordesk';
/** The reference product's validity, and the longest an activation may be valid. */
export const DEFAULT_VALID_HOURS = 24;
export const MAX_VALID_HOURS = 24 * 30;
/** Seed length: 160 bits, RFC 4226's recommendation for HMAC-SHA1. */
export const SEED_BYTES = 20;
const HOUR_MS = 3_600_000;
const base32 = new ScureBase32Plugin();

/** What an activation needs from the hub. */
export interface ActivationDeps {
  store: HubStore;
  account: string;
  /** The hub's clock, epoch ms. */
  now: () => number;
  /** Who asks (the phone's activated flag is cleared in their name, audited like their own edit). */
  pusher: Pusher;
  /** Absent: the hub mails nothing, and an activation asked to be mailed is refused. */
  mailer?: Mailer;
  log?: Logger;
  /** Default ACTIVATION_ISSUER. */
  issuer?: string;
}

export interface ActivationInput {
  phoneId: string;
  /** Default DEFAULT_VALID_HOURS. */
  validHours?: number;
  /** Mail the activation here too. */
  email?: string;
  /** The request being answered (for idempotence); absent for direct calls (the Duo Admin API). */
  requestId?: string;
}

/** A created activation, as the administrator who made it may see it (it holds the seed). */
export interface CreatedActivation extends ActivationView {
  /** Seconds from creation to expiry. */
  valid_secs: number;
  /** The account name the authenticator app shows. */
  account_name: string;
}

/** The `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30` URI of a seed. */
export function activationUri(input: { secret: Uint8Array | string; issuer: string; account: string }): string {
  const bytes = typeof input.secret === 'string' ? new Uint8Array(Buffer.from(input.secret, 'hex')) : input.secret;
  // Each part is encoded on its own: a colon inside the issuer or the account must not read as the separator.
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const query = [
    `secret=${base32.encode(bytes, { padding: false })}`,
    `issuer=${encodeURIComponent(input.issuer)}`,
    'algorithm=SHA1',
    `digits=${ACTIVATION_DIGITS}`,
    `period=${ACTIVATION_STEP_SECONDS}`,
  ].join('&');
  return `otpauth://totp/${label}?${query}`;
}

/** The name an authenticator entry gets: the phone's first user's username, else its number, name or id. */
export function activationAccountName(phone: Pick<Phone, 'phone_id' | 'number' | 'name'>, firstUser: Pick<User, 'username'> | undefined): string {
  return firstUser?.username || phone.number || phone.name || phone.phone_id;
}

/** Checks an activation's validity in hours (a fraction is allowed: tests and short-lived links). */
export function checkValidHours(value: unknown): number {
  if (value === undefined) return DEFAULT_VALID_HOURS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_VALID_HOURS) {
    throw invalid(`An activation is valid for more than 0 and at most ${MAX_VALID_HOURS} hours.`);
  }
  return value;
}

/** The phone, live and able to run an authenticator app; else NOT_FOUND or REFUSED. */
export async function activatablePhone(store: HubStore, account: string, phoneId: string): Promise<Phone> {
  const [doc] = await store.get(account, 'phones', [phoneId]);
  const phone = doc as unknown as Phone | undefined;
  if (!doc || doc._deleted || !phone || phone.deletion !== '') throw notFound(`No phone ${phoneId} at the hub.`);
  if (phone.type === 'landline') throw refused(`A landline has no authenticator app to activate (${phone.number || phone.phone_id}).`);
  return phone;
}

/** The account name of a phone's activation, from the hub's documents. */
export async function accountNameOf(store: HubStore, account: string, phone: Phone): Promise<string> {
  const first = phone.users[0];
  const [user] = first === undefined ? [] : await store.get(account, 'users', [first]);
  return activationAccountName(phone, user && !user._deleted ? (user as unknown as User) : undefined);
}

function viewOf(phoneId: string, record: ActivationSecret, issuer: string, accountName: string): CreatedActivation {
  return {
    phone_id: phoneId,
    otpauth_uri: activationUri({ secret: record.secret_hex, issuer, account: accountName }),
    expires: record.expires,
    emailed_to: record.emailed_to,
    valid_secs: Math.round((record.expires - record.created) / 1000),
    account_name: accountName,
  };
}

function newRecord(now: number, hours: number, requestId: string | undefined): ActivationSecret {
  return {
    secret_hex: crypto.randomBytes(SEED_BYTES).toString('hex'),
    created: now,
    expires: now + Math.round(hours * HOUR_MS),
    emailed_to: null,
    activated: false,
    last_step: -1,
    request_id: requestId ?? null,
  };
}

/** Puts the previous activation back (or none), after a mail that did not go. */
async function restore(deps: ActivationDeps, phoneId: string, previous: ActivationSecret | undefined): Promise<void> {
  if (previous) await writeActivation(deps.store, deps.account, phoneId, previous);
  else await deps.store.deleteSecret(deps.account, ACTIVATION_SECRET_KIND, phoneId);
}

/** Clears the phone's activated flag (its old app's seed is gone), in the requester's name; retried on a race. */
async function markNotActivated(deps: ActivationDeps, phoneId: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [doc] = await deps.store.get(deps.account, 'phones', [phoneId]);
    if (!doc || doc._deleted || doc['activated'] !== true) return;
    const before = { ...bodyOf(doc), _deleted: false };
    const now = deps.now();
    const result = await authorizedPush(
      deps.store,
      deps.account,
      'phones',
      [{ assumedMasterState: before, newDocumentState: { ...before, activated: false, updated: Math.max(now, Number(doc['updated']) + 1) } }],
      deps.pusher,
      now,
    );
    const refusal = result.refused[0];
    if (refusal) {
      deps.log?.warn({ phone_id: phoneId, reason: refusal.reason }, 'the phone stays marked activated: clearing the flag was refused');
      return;
    }
    if (result.conflicts.length === 0) return;
  }
}

/**
 * Creates (or, for a request already answered, finds) a phone's activation: see the file comment. Throws
 * FactordeskError: NOT_FOUND (phone), REFUSED (landline), INVALID_INPUT (hours, address), UNAVAILABLE (mail).
 */
export async function createActivation(deps: ActivationDeps, input: ActivationInput): Promise<CreatedActivation> {
  const { store, account } = deps;
  const issuer = deps.issuer ?? ACTIVATION_ISSUER;
  const hours = checkValidHours(input.validHours);
  const email = input.email?.trim() || undefined;
  if (email !== undefined && !isMailAddress(email)) throw invalid(`"${email}" is not an e-mail address.`);
  const phone = await activatablePhone(store, account, input.phoneId);
  const accountName = await accountNameOf(store, account, phone);
  const previous = await readActivation(store, account, phone.phone_id);
  const again = previous !== undefined && input.requestId !== undefined && previous.request_id === input.requestId ? previous : undefined;
  if (again && (email === undefined || again.emailed_to === email)) return viewOf(phone.phone_id, again, issuer, accountName);
  if (email !== undefined && !deps.mailer) {
    throw new FactordeskError('UNAVAILABLE', 'This hub has no SMTP server configured, so it cannot mail activations; nothing was changed.', {
      hint: 'Add an "smtp" block to the hub\'s hub.json (see the README), or activate without --email and show the QR code.',
    });
  }
  // Run again after the record was written but before the mail went: mail the same seed rather than a new one.
  let record = again ?? newRecord(deps.now(), hours, input.requestId);
  if (!again) await writeActivation(store, account, phone.phone_id, record);
  if (email !== undefined && deps.mailer) {
    let messageId: string;
    try {
      const view = viewOf(phone.phone_id, record, issuer, accountName);
      ({ messageId } = await deps.mailer.sendActivation({ to: email, otpauthUri: view.otpauth_uri, account: accountName, issuer, expires: record.expires }));
    } catch (error) {
      await restore(deps, phone.phone_id, again ? undefined : previous);
      deps.log?.warn({ phone_id: phone.phone_id, request_id: input.requestId, to: email, err: error }, 'activation mail failed; the activation was withdrawn');
      const reason = error instanceof FactordeskError ? error.userMessage.replace(/\.$/, '') : 'The activation could not be mailed';
      throw new FactordeskError('UNAVAILABLE', `${reason}; nothing was changed.`, {
        hint: error instanceof FactordeskError && error.hint !== undefined ? error.hint : 'Check the hub log, then send the activation again.',
        cause: error,
      });
    }
    record = { ...record, emailed_to: email };
    await writeActivation(store, account, phone.phone_id, record);
    deps.log?.info({ phone_id: phone.phone_id, request_id: input.requestId, admin_id: deps.pusher.admin_id, to: email, message_id: messageId }, 'activation mailed');
  }
  await markNotActivated(deps, phone.phone_id);
  return viewOf(phone.phone_id, record, issuer, accountName);
}

/** The `phones.activate` request: params `{phone_id, valid_hours, email?}`; answers `{phone_id, expires, emailed_to}`. */
export const phonesActivateOperation: Operation = async (cx) => {
  const phoneId = stringParam(cx.request, 'phone_id');
  const hours = (cx.request.params as { valid_hours?: unknown }).valid_hours;
  const email = optionalStringParam(cx.request, 'email');
  try {
    const created = await createActivation(
      {
        store: cx.store,
        account: cx.account,
        now: cx.now,
        pusher: cx.requester,
        log: cx.log,
        ...(cx.settings.mailer ? { mailer: cx.settings.mailer } : {}),
      },
      { phoneId, validHours: checkValidHours(hours), requestId: cx.request.request_id, ...(email !== undefined ? { email } : {}) },
    );
    // Never the URI: this answer is replicated to every daemon.
    const result: OperationResult = { phone_id: created.phone_id, expires: created.expires, emailed_to: created.emailed_to };
    return result;
  } catch (error) {
    // The hint travels in the answer (the runner keeps only the message of a plain error).
    if (error instanceof FactordeskError && !(error instanceof OperationFailure)) {
      throw new OperationFailure(error.code, error.userMessage, { phone_id: phoneId, ...(error.hint !== undefined ? { hint: error.hint } : {}) });
    }
    throw error;
  }
};


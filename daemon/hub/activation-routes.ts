/**
 * `GET /sync/v1/activations/:phone_id`: a phone's pending activation (ActivationView, with the otpauth URI that
 * holds the seed) for an administrator whose role may send activations, who shows it as a QR code. It is fetched
 * when shown and never replicated. An expired activation, or one already used (the seed is then the phone's live
 * credential, not something to hand out again), is refused: a new activation is the way forward.
 */
import type { FastifyInstance } from 'fastify';
import type { ActivationView } from '../../src/rpc/contract.js';
import { notFound, refused } from '../../src/errors.js';
import { assertAllowed } from '../../src/roles.js';
import { SYNC_PREFIX } from '../../src/sync/protocol.js';
import { readActivation, type ActivationSecret } from './activation-secrets.js';
import { accountNameOf, activatablePhone, activationUri, ACTIVATION_ISSUER } from './operations/phone-activation.js';
import type { HubStore } from './store.js';

export interface ActivationRouteDeps {
  store: HubStore;
  account: string;
  now: () => Date;
  /** Default ACTIVATION_ISSUER. */
  issuer?: string;
}

/** Why an activation record cannot be shown at `now`, or undefined when it can. */
export function unshowableReason(record: ActivationSecret, now: number): string | undefined {
  if (record.activated) return 'has been used already; send a new activation to move the phone to another app';
  if (now > record.expires) return 'expired; send a new activation';
  return undefined;
}

/** Registers the activation route. */
export function registerActivationRoutes(app: FastifyInstance, deps: ActivationRouteDeps): void {
  const { store, account } = deps;
  app.get(`${SYNC_PREFIX}/activations/:phone_id`, async (request, reply): Promise<ActivationView> => {
    const who = request.who;
    if (!who) throw new Error('unauthenticated request reached the activation route');
    assertAllowed(who.admin.role, 'phones.activate');
    const { phone_id: phoneId } = request.params as { phone_id: string };
    const phone = await activatablePhone(store, account, phoneId);
    const record = await readActivation(store, account, phone.phone_id);
    const label = phone.number || phone.phone_id;
    if (!record) throw notFound(`Phone ${label} has no activation.`, `Create one: factordesk phones activate ${phone.phone_id}`);
    const reason = unshowableReason(record, deps.now().getTime());
    if (reason !== undefined) throw refused(`The activation of phone ${label} ${reason}.`, `factordesk phones activate ${phone.phone_id}`);
    // The answer holds the seed: no cache on the way may keep it.
    void reply.header('cache-control', 'no-store');
    return {
      phone_id: phone.phone_id,
      otpauth_uri: activationUri({ secret: record.secret_hex, issuer: deps.issuer ?? ACTIVATION_ISSUER, account: await accountNameOf(store, account, phone) }),
      expires: record.expires,
      emailed_to: record.emailed_to,
    };
  });
}

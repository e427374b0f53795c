/**
 * `/admin/v1/phones/{phone_id}/activation_url` and `/send_sms_activation`: activations of a phone's authenticator
 * app, made by the hub's phone activation operation (daemon/hub/operations/phone-activation.ts).
 *
 * `activation_url` answers Duo's fields: `activation_url` is the `otpauth://` URI the app takes (it holds the
 * seed, so it goes only to the administrator who asked), `activation_barcode` the same as a QR code (a PNG data
 * URL), `valid_secs`. The hub texts nothing: it has no SMS delivery, so `send_sms_activation` is refused with
 * 400 and a way forward, after the phone is checked.
 */
import QRCode from 'qrcode';
import { newEventId } from '../../../src/domain/ids.js';
import { refused } from '../../../src/errors.js';
import { createActivation, MAX_VALID_HOURS } from '../operations/phone-activation.js';
import { ADMIN_API_CLIENT } from './commit.js';
import { requirePhone } from './lookups.js';
import { pathParam, type ApiRequest, type ApiRoute } from './route.js';

/** Duo's default validity of an activation. */
export const DEFAULT_VALID_SECS = 86_400;
const MAX_VALID_SECS = MAX_VALID_HOURS * 3600;

async function activationUrl(request: ApiRequest) {
  const phoneId = pathParam(request, 'phone_id');
  const validSecs = request.params.integer('valid_secs', 1, MAX_VALID_SECS) ?? DEFAULT_VALID_SECS;
  // `install` asks Duo for an installation link of Duo Mobile; any TOTP app will do here, so there is none.
  request.params.flag('install');
  const phone = await requirePhone(request.docs, phoneId);
  if (phone.deletion === 'implicit') {
    throw refused(`phone ${phoneId} has no user yet, and only a user's phone is activated`, `associate it first: POST /admin/v1/users/USER_ID/phones with phone_id=${phoneId}`);
  }
  const { deps, write, who } = request;
  const now = () => deps.now().getTime();
  const created = await createActivation({ store: deps.store, account: deps.account, now, pusher: write.pusher }, { phoneId, validHours: validSecs / 3600 });
  // The seed is a hub secret, not a document: the audit event is what daemons see of the activation.
  const time = now();
  await deps.store.appendAudit(deps.account, {
    event_id: newEventId(time),
    time,
    admin_id: who.admin.admin_id,
    admin_name: who.admin.name,
    action: 'phones.activate',
    entity: 'phones',
    entity_id: phoneId,
    summary: `phone ${created.account_name} (${phoneId}): activation created, valid until ${new Date(created.expires).toISOString()} [via ${ADMIN_API_CLIENT}]`,
  });
  return {
    response: {
      activation_url: created.otpauth_uri,
      activation_barcode: await QRCode.toDataURL(created.otpauth_uri, { errorCorrectionLevel: 'M', margin: 2 }),
      valid_secs: created.valid_secs,
    },
  };
}

async function sendSmsActivation(request: ApiRequest): Promise<never> {
  await requirePhone(request.docs, pathParam(request, 'phone_id'));
  throw refused(
    'this hub has no SMS delivery configured, so it cannot text activations; nothing was sent or changed',
    'call activation_url and hand the link or its barcode to the user, or mail it from the hub: factordesk phones activate PHONE --email ADDRESS',
  );
}

/** The activation endpoints. */
export const activationRoutes: ApiRoute[] = [
  { method: 'POST', url: '/phones/:phone_id/activation_url', action: 'phones.activate', handler: activationUrl },
  { method: 'POST', url: '/phones/:phone_id/send_sms_activation', action: 'phones.activate', handler: sendSmsActivation },
];

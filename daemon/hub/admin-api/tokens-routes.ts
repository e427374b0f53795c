/**
 * `/admin/v1/tokens`: list (or look one up by `type` and `serial` together), get, create (h6/h8: secret, counter;
 * t6/t8: secret, totp_step; yk: private_id, aes_key), delete, and `resync` of an HOTP token with three consecutive
 * codes. The token document is replicated; its secret stays on the hub (token-secrets.ts) and goes with it.
 */
import { newEventId } from '../../../src/domain/ids.js';
import type { Token } from '../../../src/domain/schemas.js';
import { assertDeletable, createToken, parseTokenType, validateSerial } from '../../../src/domain/token.js';
import { conflict, invalid, notFound, refused } from '../../../src/errors.js';
import { parseCounter, parseStep } from '../../../src/import/fields.js';
import { oathToken, yubikeyToken, type ImportedToken } from '../../../src/import/imported-token.js';
import { parseFixedHex, parseOtpSecret } from '../../../src/import/secret.js';
import { DEFAULT_RESYNC_WINDOW } from '../../../src/otp/resync.js';
import { isModhex } from '../../../src/otp/yubico.js';
import { resyncAtHub } from '../operations/token-resync.js';
import { deleteTokenSecret, tokenSecretOf, writeTokenSecret } from '../token-secrets.js';
import { ADMIN_API_CLIENT, commit } from './commit.js';
import { byCreated, fieldsOf, liveById, requireToken } from './lookups.js';
import type { ApiParams } from './params.js';
import { tokenObject } from './objects.js';
import { listResult, pathParam, type ApiRequest, type ApiRoute } from './route.js';

/** The token (metadata and secret) a create request describes. */
export function importedTokenOf(params: ApiParams): ImportedToken {
  const type = parseTokenType(params.required('type'));
  const serial = validateSerial(params.required('serial'));
  switch (type) {
    case 'h6':
    case 'h8':
      return oathToken({
        serial,
        type,
        secretHex: parseOtpSecret(params.required('secret')),
        digits: type === 'h8' ? 8 : 6,
        algorithm: 'sha1',
        counter: parseCounter(params.get('counter')),
      });
    case 't6':
    case 't8':
      return oathToken({
        serial,
        type,
        secretHex: parseOtpSecret(params.required('secret')),
        digits: type === 't8' ? 8 : 6,
        algorithm: 'sha1',
        step: parseStep(params.get('totp_step')),
      });
    case 'yk':
      return yubikeyToken({
        serial,
        privateId: parseFixedHex(params.required('private_id'), 6, 'private_id'),
        aesKey: parseFixedHex(params.required('aes_key'), 16, 'aes_key'),
        // Duo takes the public id as the serial: a modhex serial is the key's public id.
        publicId: isModhex(serial) ? serial : null,
      });
    default:
      throw refused(`${type} tokens are provisioned by the vendor and arrive with a purchase; they cannot be created here`);
  }
}

async function tokenResponse(request: ApiRequest, token: Token): Promise<unknown> {
  return tokenObject(token, await liveById(request.docs, 'users'), await liveById(request.docs, 'admins'));
}

async function list(request: ApiRequest) {
  const type = request.params.get('type');
  const serial = request.params.get('serial');
  if ((type === undefined) !== (serial === undefined)) throw invalid('type and serial look a token up together; give both or neither');
  const wantedType = type === undefined ? undefined : parseTokenType(type);
  const tokens = [...(await request.docs.all('tokens')).values()]
    .filter((t) => !t._deleted && (wantedType === undefined || (t.type === wantedType && t.serial === serial?.trim())))
    .sort(byCreated((t) => t.token_id));
  const users = await liveById(request.docs, 'users');
  const admins = await liveById(request.docs, 'admins');
  return listResult(request, tokens, (token) => tokenObject(token, users, admins));
}

async function get(request: ApiRequest) {
  return { response: await tokenResponse(request, fieldsOf(await requireToken(request.docs, pathParam(request, 'token_id')))) };
}

async function create(request: ApiRequest) {
  const imported = importedTokenOf(request.params);
  const token = createToken({ serial: imported.serial, type: imported.type, totp_step: imported.totp_step }, request.deps.now().getTime());
  await commit(request.write, async () => {
    const master = await request.docs.getOne('tokens', token.token_id);
    if (master && !master._deleted) throw conflict(`a ${master.type} token with serial ${master.serial} already exists (${master.token_id})`);
    return [{ collection: 'tokens', before: master, after: { ...token, _deleted: false } }];
  });
  // Written once the document is in: a create that lost a race for the serial never replaces the winner's secret.
  await writeTokenSecret(request.deps.store, request.deps.account, token.token_id, tokenSecretOf(imported));
  return { response: await tokenResponse(request, token) };
}

async function remove(request: ApiRequest) {
  const tokenId = pathParam(request, 'token_id');
  const now = request.deps.now().getTime();
  await commit(request.write, async () => {
    const master = await request.docs.getOne('tokens', tokenId);
    if (!master) throw notFound(`no hardware token with id ${tokenId}`);
    if (master._deleted) return [];
    assertDeletable(master);
    return [{ collection: 'tokens', before: master, after: { ...fieldsOf(master), updated: now, _deleted: true } }];
  });
  await deleteTokenSecret(request.deps.store, request.deps.account, tokenId);
  return { response: '' };
}

async function resync(request: ApiRequest) {
  const tokenId = pathParam(request, 'token_id');
  const codes = [request.params.required('code1'), request.params.required('code2'), request.params.required('code3')].map((c) => c.trim());
  const { store, account } = request.deps;
  const now = () => request.deps.now().getTime();
  const result = await resyncAtHub({ store, account, now, window: request.deps.resyncWindow ?? DEFAULT_RESYNC_WINDOW }, { tokenId, codes });
  // The counter is a hub secret, not a document: the audit event is what daemons see of the resync.
  const time = now();
  await store.appendAudit(account, {
    event_id: newEventId(time),
    time,
    admin_id: request.who.admin.admin_id,
    admin_name: request.who.admin.name,
    action: 'tokens.resync',
    entity: 'tokens',
    entity_id: tokenId,
    summary: `token ${String(result['serial'])} (${tokenId}): resynchronized, ${String(result['skipped'])} codes skipped [via ${ADMIN_API_CLIENT}]`,
  });
  return { response: '' };
}

/** The hardware token endpoints (a user's tokens: user-tokens-routes.ts). */
export const tokenRoutes: ApiRoute[] = [
  { method: 'GET', url: '/tokens', action: 'tokens.view', handler: list },
  { method: 'POST', url: '/tokens', action: 'tokens.add', handler: create },
  { method: 'GET', url: '/tokens/:token_id', action: 'tokens.view', handler: get },
  { method: 'DELETE', url: '/tokens/:token_id', action: 'tokens.delete', handler: remove },
  { method: 'POST', url: '/tokens/:token_id/resync', action: 'tokens.resync', handler: resync },
];

/**
 * Authentication of a request to the hub: a Duo-signed request (v2 or v5, Date within 300 s, constant-time
 * comparison; src/auth/duo-signature.ts) with an active integration key of an active administrator. Every
 * failure is the same 401 Duo envelope, with a message saying which check failed.
 */
import type { Admin } from '../../src/domain/schemas.js';
import {
  parseAuthorization,
  parseDuoDate,
  verifyRequestAsync,
  type DuoParams,
  type RequestHeaders,
  type VerifyFailure,
} from '../../src/auth/duo-signature.js';
import type { HubFailure } from '../../src/sync/protocol.js';
import { getAdmin } from './admin-directory.js';
import { lookupCredential } from './credentials.js';
import type { HubStore } from './store.js';

/** The largest Date offset from the hub's clock a request may have. */
export const MAX_SKEW_SECONDS = 300;

/** Who signed a request. */
export interface Authenticated {
  ikey: string;
  admin: Admin;
}

export type AuthOutcome = { ok: true; who: Authenticated } | { ok: false; failure: HubFailure };

/** What was received, as the server saw it. */
export interface ReceivedRequest {
  headers: RequestHeaders;
  method: string;
  /** The path without the query, as sent. */
  path: string;
  params: DuoParams;
  body?: Uint8Array;
}

const MESSAGES: Record<VerifyFailure | 'disabled', string> = {
  'missing-authorization': 'Missing request credentials',
  'bad-authorization': 'Invalid request credentials (Authorization must be Basic base64(ikey:hex signature))',
  'missing-date': 'Missing Date header',
  'bad-date': 'Invalid Date header (use RFC 2822, e.g. Tue, 21 Aug 2012 17:29:18 -0000)',
  'stale-date': `Date header is more than ${MAX_SKEW_SECONDS} seconds away from the hub's clock`,
  'unknown-key': 'Invalid integration key in request credentials (unknown or revoked)',
  'bad-signature': 'Invalid signature in request credentials',
  disabled: 'The administrator of this integration key is disabled',
};

/** The Duo failure envelope for an HTTP status and detail code, e.g. (401, 1) → code 40101. */
export function failure(status: number, detail: number, message: string, messageDetail?: string): HubFailure {
  return { stat: 'FAIL', code: status * 100 + detail, message, ...(messageDetail !== undefined ? { message_detail: messageDetail } : {}) };
}

/** The 401 envelope of a failed check. */
export function unauthorized(reason: VerifyFailure | 'disabled'): HubFailure {
  return failure(401, 1, MESSAGES[reason], reason);
}

/** Checks a request's signature and credential, and resolves the administrator who signed it. */
export async function authenticate(
  request: ReceivedRequest,
  context: { store: HubStore; account: string; hosts: readonly string[]; now: Date },
): Promise<AuthOutcome> {
  const { store, account } = context;
  let adminId: string | undefined;
  const result = await verifyRequestAsync({
    headers: request.headers,
    method: request.method,
    host: context.hosts,
    path: request.path,
    params: request.params,
    body: request.body ?? '',
    now: context.now,
    maxSkewSeconds: MAX_SKEW_SECONDS,
    lookupSecret: async (ikey) => {
      const record = await lookupCredential(store, account, ikey);
      if (!record || record.revoked !== null) return undefined;
      adminId = record.admin_id;
      return record.skey;
    },
  });
  if (!result.ok) return { ok: false, failure: unauthorized(result.reason) };
  const admin = adminId === undefined ? undefined : await getAdmin(store, account, adminId);
  if (!admin || admin.status !== 'Active') return { ok: false, failure: unauthorized('disabled') };
  return { ok: true, who: { ikey: result.ikey, admin } };
}

function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * The checks that need no body, made before the body is read: credentials present and well formed, Date fresh,
 * key active. A request failing them is refused without the hub parsing (possibly large) unauthenticated input;
 * `authenticate` still makes every check once the body is in.
 */
export async function precheck(
  headers: RequestHeaders,
  context: { store: HubStore; account: string; now: Date },
): Promise<HubFailure | undefined> {
  const authorization = header(headers, 'authorization');
  if (authorization === undefined) return unauthorized('missing-authorization');
  const parsed = parseAuthorization(authorization);
  if (!parsed) return unauthorized('bad-authorization');
  const dateText = header(headers, 'date');
  if (dateText === undefined) return unauthorized('missing-date');
  const date = parseDuoDate(dateText);
  if (!date) return unauthorized('bad-date');
  if (Math.abs(context.now.getTime() - date.getTime()) > MAX_SKEW_SECONDS * 1000) return unauthorized('stale-date');
  const record = await lookupCredential(context.store, context.account, parsed.ikey);
  if (!record || record.revoked !== null) return unauthorized('unknown-key');
  return undefined;
}

/** True while the key still authenticates (not revoked, administrator active): for long-lived streams. */
export async function stillValid(store: HubStore, account: string, ikey: string): Promise<boolean> {
  const record = await lookupCredential(store, account, ikey);
  if (!record || record.revoked !== null) return false;
  const admin = await getAdmin(store, account, record.admin_id);
  return admin?.status === 'Active';
}

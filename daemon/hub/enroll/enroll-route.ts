/**
 * `POST /enroll/v1/u2f`: the one way a U2F/WebAuthn registration is created. The enrolling client (a portal or an
 * authentication adapter, signing with its integration key like every hub request) sends the user's credential
 * together with a passcode from one of the user's existing factors, which proves the user is present; the hub
 * checks it like `verify` does (consuming the code), keeps the credential's public key with its secrets, and
 * writes the registration document, audited as the user's enrollment. Administrators list and delete
 * registrations; they never create one.
 */
import type { FastifyInstance } from 'fastify';
import { U2F_KINDS, type U2fKind } from '../../../src/domain/enums.js';
import { newId } from '../../../src/domain/ids.js';
import type { U2fRegistration } from '../../../src/domain/schemas.js';
import { forbidden, invalid } from '../../../src/errors.js';
import { ENROLL_U2F_PATH } from '../../../src/sync/protocol.js';
import type { HubStore, JsonValue } from '../store.js';
import type { Verifier } from '../verify/verifier.js';
import { userAndPasscode } from '../verify/verify-route.js';

/** Where a registration's public key is kept (server-only). */
export const CREDENTIAL_SECRET_KIND = 'webauthn-credential';
const MAX_NAME = 128;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

export interface EnrollRouteDeps {
  store: HubStore;
  account: string;
  now: () => Date;
  verifier: Verifier;
}

interface Credential {
  kind: U2fKind;
  credential_name: string;
  label: string;
  credential_id: string;
  public_key: string;
}

function text(value: unknown, name: string, max: number, required = true): string {
  const t = typeof value === 'string' ? value.trim() : '';
  if (required && t === '') throw invalid(`the enrollment needs ${name}`);
  if ([...t].length > max || /\p{C}/u.test(t)) throw invalid(`${name} must be printable text of at most ${max} characters`);
  return t;
}

function base64url(value: unknown, name: string, max: number): string {
  const t = typeof value === 'string' ? value.trim() : '';
  if (t === '' || t.length > max || !BASE64URL.test(t)) throw invalid(`${name} must be base64url text of at most ${max} characters`);
  return t;
}

/** The credential part of an enrollment body, or a clear error. */
export function parseCredential(body: unknown): Credential {
  const b = (body ?? {}) as Record<string, unknown>;
  const kind = typeof b['kind'] === 'string' ? b['kind'].toLowerCase() : '';
  if (!(U2F_KINDS as readonly string[]).includes(kind)) throw invalid(`kind must be one of ${U2F_KINDS.join(', ')}`);
  return {
    kind: kind as U2fKind,
    credential_name: text(b['credential_name'], 'a credential_name', MAX_NAME),
    label: text(b['label'], 'a label', MAX_NAME, false),
    credential_id: base64url(b['credential_id'], 'credential_id', 1024),
    public_key: base64url(b['public_key'], 'public_key', 4096),
  };
}

/** Registers the enrollment route. */
export function registerEnrollRoute(app: FastifyInstance, deps: EnrollRouteDeps): void {
  const { store, account } = deps;
  app.post(ENROLL_U2F_PATH, async (request, reply) => {
    const who = request.who;
    if (!who) throw new Error('unauthenticated request reached the enrollment route');
    const { user: ref, passcode } = userAndPasscode(request.body);
    const credential = parseCredential(request.body);
    const check = await deps.verifier.verify(ref, passcode, who.admin.admin_id);
    if (!check.ok || !check.user) throw forbidden(`The passcode was not accepted: ${check.reason ?? 'invalid passcode'}`);
    if (check.via === 'bypass') throw forbidden('Enrolling a security key needs a passcode from one of the user\'s factors; this user bypasses two-factor checks.');
    const now = deps.now().getTime();
    const registration: U2fRegistration = {
      registration_id: newId('DR'),
      kind: credential.kind,
      user_id: check.user.user_id,
      credential_name: credential.credential_name,
      label: credential.label,
      date_added: Math.floor(now / 1000),
    };
    await store.putSecret(account, CREDENTIAL_SECRET_KIND, registration.registration_id, {
      credential_id: credential.credential_id,
      public_key: credential.public_key,
    } as JsonValue);
    await store.push(account, 'u2f', [{ newDocumentState: { ...registration, _deleted: false } }], {
      adminId: check.user.user_id,
      adminName: `${check.user.username} (self-enrollment)`,
      time: now,
      audit: () => ({
        action: 'u2f.enroll',
        summary: `${credential.kind} registration '${credential.credential_name}' (${registration.registration_id}) enrolled by ${check.user?.username} [via ${who.admin.name}]`,
      }),
    });
    return reply.code(201).send(registration);
  });
}

/**
 * `POST /auth/v1/verify {user, passcode}`: checks a passcode as a PAM or RADIUS adapter asks the registry
 * (verifier.ts); answers VerifyResult with status 200 whether or not the code is good.
 */
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../../src/errors.js';
import { assertAllowed } from '../../../src/roles.js';
import type { VerifyResult } from '../../../src/rpc/contract.js';
import { VERIFY_PATH } from '../../../src/sync/protocol.js';
import type { Verifier } from './verifier.js';

const MAX_PASSCODE_LENGTH = 64;

/** The user and passcode of a verify (or enrollment) body, or a clear error. */
export function userAndPasscode(body: unknown): { user: string; passcode: string } {
  const value = body as { user?: unknown; passcode?: unknown } | null;
  const user = typeof value?.user === 'string' ? value.user.trim() : '';
  const passcode = typeof value?.passcode === 'string' ? value.passcode.trim() : '';
  if (user === '' || passcode === '') throw invalid('the body needs {"user": "...", "passcode": "..."}');
  if (passcode.length > MAX_PASSCODE_LENGTH) throw invalid(`a passcode has at most ${MAX_PASSCODE_LENGTH} characters`);
  return { user, passcode };
}

/** Registers the verify route. */
export function registerVerifyRoute(app: FastifyInstance, verifier: Verifier): void {
  app.post(VERIFY_PATH, async (request): Promise<VerifyResult> => {
    if (!request.who) throw new Error('unauthenticated request reached the verify route');
    // An adapter's key needs to see users; a Billing key has no business checking their codes.
    assertAllowed(request.who.admin.role, 'users.view');
    const { user, passcode } = userAndPasscode(request.body);
    const { user: _user, ...result } = await verifier.verify(user, passcode, request.who.admin.admin_id);
    return result;
  });
}

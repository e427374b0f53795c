/**
 * HOTP resynchronisation at the hub: three consecutive codes move the stored counter past the last of them (so
 * those codes and every older one never verify again). TOTP and YubiKey tokens are refused as the reference
 * product refuses them. Failed attempts are rate-limited per token, and a request applied once answers the same
 * when run again (after a hub crash between the counter write and the answer).
 */
import type { Token } from '../../../src/domain/schemas.js';
import { FactordeskError, invalid, notFound, refused } from '../../../src/errors.js';
import { resyncFailureError, resyncToken } from '../../../src/otp/resync.js';
import type { HubStore } from '../store.js';
import { readTokenSecret, writeTokenSecret, type TokenSecret } from '../token-secrets.js';
import { OperationFailure, stringParam, type Operation, type OperationResult } from '../requests/operation.js';

/** Failed resyncs allowed per token within FAILURE_WINDOW_MS. */
export const MAX_RESYNC_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** How many applied requests a token remembers. */
const APPLIED_KEPT = 10;

export interface ResyncInput {
  tokenId: string;
  codes: readonly string[];
  /** The request being answered (for idempotence); absent for direct calls (the Duo Admin API). */
  requestId?: string;
}

export interface ResyncDeps {
  store: HubStore;
  account: string;
  now: () => number;
  window: number;
}

/** The failed attempts still counting at `now`. */
export function recentFailures(failures: readonly number[], now: number): number[] {
  return failures.filter((t) => now - t < FAILURE_WINDOW_MS);
}

async function liveToken(store: HubStore, account: string, tokenId: string): Promise<Token> {
  const [doc] = await store.get(account, 'tokens', [tokenId]);
  if (!doc || doc._deleted) throw notFound(`No token ${tokenId} at the hub.`);
  return doc as unknown as Token;
}

/**
 * Resynchronises one token at the hub; answers `{token_id, serial, skipped}` (how many codes the token had
 * been pressed ahead) or throws FactordeskError: NOT_FOUND, REFUSED (type, rate limit), INVALID_INPUT (codes).
 */
export async function resyncAtHub(deps: ResyncDeps, input: ResyncInput): Promise<OperationResult> {
  const { store, account } = deps;
  const token = await liveToken(store, account, input.tokenId);
  const secret = await readTokenSecret(store, account, token.token_id);
  if (!secret) {
    throw notFound(`The hub has no secret for token ${token.serial}, so it cannot check its codes.`, 'Import the token file that holds its secret.');
  }
  const applied = input.requestId === undefined ? undefined : secret.applied.find((a) => a.request_id === input.requestId);
  if (applied) return applied.result;
  const now = deps.now();
  const failures = recentFailures(secret.resync_failures, now);
  if (failures.length >= MAX_RESYNC_FAILURES) {
    const retry = new Date(Math.min(...failures) + FAILURE_WINDOW_MS).toISOString().slice(11, 16);
    throw refused(`Too many failed resync attempts for token ${token.serial}; try again after ${retry} UTC.`);
  }
  if (secret.secret_hex === null) throw refused(`token ${token.serial} has no HOTP seed; only HOTP tokens can be resynchronized`);
  const outcome = resyncToken(
    { serial: token.serial, type: token.type, secret: Buffer.from(secret.secret_hex, 'hex'), counter: secret.counter },
    input.codes,
    { window: deps.window, ...(secret.digits ? { digits: secret.digits } : {}), ...(secret.algorithm ? { algorithm: secret.algorithm } : {}) },
  );
  if (!outcome.ok) {
    // A refusal by type is not an attempt at guessing codes; wrong codes are.
    if (outcome.reason !== 'refused') await writeTokenSecret(store, account, token.token_id, { ...secret, resync_failures: [...failures, now] });
    throw resyncFailureError(outcome);
  }
  const result: OperationResult = { token_id: token.token_id, serial: token.serial, skipped: outcome.matchedAt - secret.counter };
  const next: TokenSecret = {
    ...secret,
    counter: outcome.counter,
    resync_failures: [],
    applied: input.requestId === undefined ? secret.applied : [...secret.applied, { request_id: input.requestId, result }].slice(-APPLIED_KEPT),
  };
  await writeTokenSecret(store, account, token.token_id, next);
  return result;
}

/** The `tokens.resync` request: params `{token_id, codes}`. */
export const tokenResyncOperation: Operation = async (cx) => {
  const tokenId = stringParam(cx.request, 'token_id');
  const codes = (cx.request.params as { codes?: unknown }).codes;
  if (!Array.isArray(codes) || codes.some((c) => typeof c !== 'string')) throw invalid('A resync request needs its codes as a list of text.');
  try {
    return await resyncAtHub(
      { store: cx.store, account: cx.account, now: cx.now, window: cx.settings.resyncWindow },
      { tokenId, codes: codes as string[], requestId: cx.request.request_id },
    );
  } catch (error) {
    // The serial helps the person reading the failure in a list of requests.
    if (error instanceof FactordeskError && !(error instanceof OperationFailure)) {
      throw new OperationFailure(error.code, error.userMessage, { token_id: tokenId, ...(error.hint !== undefined ? { hint: error.hint } : {}) });
    }
    throw error;
  }
};

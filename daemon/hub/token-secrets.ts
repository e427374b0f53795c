/**
 * What the hub keeps about a token beside its replicated document: the seed or YubiKey keys, the moving
 * counters, and the bookkeeping of resync attempts. Stored with the store's server-only
 * secrets (kind `token`, id = token_id), so it is never in a pulled document, a log line or a report.
 */
import type { TokenType } from '../../src/domain/enums.js';
import type { ImportedToken } from '../../src/import/imported-token.js';
import type { OtpAlgorithm, OtpDigits } from '../../src/otp/options.js';
import type { YubikeyCounters, YubikeyCredential } from '../../src/otp/yubico.js';
import type { HubStore, JsonValue } from './store.js';

/** The secret kind of token records. */
export const TOKEN_SECRET_KIND = 'token';

/** The server-only record of one token. */
export interface TokenSecret {
  type: TokenType;
  /** HOTP/TOTP seed, lower-case hex; null for YubiKey OTP. */
  secret_hex: string | null;
  digits: OtpDigits | null;
  algorithm: OtpAlgorithm | null;
  /** HOTP: the next counter a code may have (everything below has been used or skipped). */
  counter: number;
  /** TOTP: seconds per code; 0 for the other types. */
  step: number;
  /** TOTP: the last time step that verified, so a code is accepted once (replay protection); -1 for none. */
  last_step: number;
  /** YubiKey OTP keys (hex; public id in modhex, null when unknown). */
  private_id: string | null;
  aes_key: string | null;
  public_id: string | null;
  /** YubiKey OTP: the counters of the last accepted OTP. */
  yubikey_last: YubikeyCounters | null;
  /** Epoch ms of recent failed resync attempts (rate limit). */
  resync_failures: number[];
  /** The last resync requests applied, with their answers: running one again (after a hub crash) answers the same. */
  applied: { request_id: string; result: Record<string, JsonValue> }[];
}

/** The record of a freshly imported token. */
export function tokenSecretOf(token: ImportedToken): TokenSecret {
  return {
    type: token.type,
    secret_hex: token.secret_hex,
    digits: token.digits,
    algorithm: token.algorithm,
    counter: token.counter,
    step: token.totp_step,
    last_step: -1,
    private_id: token.private_id,
    aes_key: token.aes_key,
    public_id: token.public_id,
    yubikey_last: null,
    resync_failures: [],
    applied: [],
  };
}

/** The YubiKey credential of a record, or null when it is not a YubiKey OTP token. */
export function yubikeyCredentialOf(secret: TokenSecret): YubikeyCredential | null {
  if (secret.private_id === null || secret.aes_key === null) return null;
  return { publicId: secret.public_id, privateId: secret.private_id, aesKey: secret.aes_key };
}

/** Reads a token's record; undefined when the hub has none (a token added without its secret). */
export async function readTokenSecret(store: HubStore, account: string, tokenId: string): Promise<TokenSecret | undefined> {
  const value = await store.getSecret(account, TOKEN_SECRET_KIND, tokenId);
  return value === undefined ? undefined : (value as unknown as TokenSecret);
}

/** Writes a token's record (replacing the previous one). */
export async function writeTokenSecret(store: HubStore, account: string, tokenId: string, secret: TokenSecret): Promise<void> {
  await store.putSecret(account, TOKEN_SECRET_KIND, tokenId, secret as unknown as JsonValue);
}

/** Removes a token's record (after the token was deleted). */
export async function deleteTokenSecret(store: HubStore, account: string, tokenId: string): Promise<boolean> {
  return store.deleteSecret(account, TOKEN_SECRET_KIND, tokenId);
}

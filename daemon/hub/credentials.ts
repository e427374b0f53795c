/**
 * Administrator credentials: an integration key (`DI` + 18 characters, like Duo's) and a 40-character secret key
 * that signs every request. The secret is server-only: it lives in the store's secrets (never in a document,
 * a log line or a report) and leaves the hub once, as a 0600 file for its administrator.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { base32, type RandomSource } from '../../src/domain/ids.js';
import type { HubStore, JsonValue } from './store.js';

/** Secret kind of one credential, by ikey. */
export const CREDENTIAL_KIND = 'credential';
/** Secret kind listing an administrator's ikeys, by admin_id (the store has no listing of secrets). */
export const ADMIN_KEYS_KIND = 'admin-keys';

export const SECRET_KEY_LENGTH = 40;
const IKEY_PATTERN = /^DI[0-9A-HJKMNP-TV-Z]{18}$/;
const SKEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** What the hub keeps of a credential. */
export interface CredentialRecord {
  skey: string;
  admin_id: string;
  /** Epoch milliseconds. */
  created: number;
  /** Epoch milliseconds of the revocation; null while the key is active. */
  revoked: number | null;
}

/** A credential as listed: everything but the secret. */
export interface CredentialInfo {
  ikey: string;
  admin_id: string;
  created: number;
  revoked: number | null;
}

/** A credential just issued: the only moment the secret key is handed out. */
export interface IssuedCredential {
  ikey: string;
  skey: string;
}

const defaultRandom: RandomSource = (size) => randomBytes(size);

/** A new integration key: `DI` and 18 Crockford base32 characters (90 random bits). */
export function newIntegrationKey(random: RandomSource = defaultRandom): string {
  return `DI${base32(random(12), 18)}`;
}

/** True when `value` looks like an integration key. */
export function isIntegrationKey(value: string): boolean {
  return IKEY_PATTERN.test(value);
}

/** A new secret key: 40 letters and digits (about 238 random bits; rejection sampling keeps them uniform). */
export function newSecretKey(random: RandomSource = defaultRandom): string {
  let out = '';
  while (out.length < SECRET_KEY_LENGTH) {
    for (const byte of random(64)) {
      // 248 = 4 × 62: bytes above it would favour the first characters.
      if (byte < 248 && out.length < SECRET_KEY_LENGTH) out += SKEY_ALPHABET[byte % 62];
    }
  }
  return out;
}

function asRecord(value: JsonValue | undefined): CredentialRecord | undefined {
  const v = value as Partial<CredentialRecord> | null | undefined;
  if (!v || typeof v !== 'object' || typeof v.skey !== 'string' || typeof v.admin_id !== 'string') return undefined;
  return { skey: v.skey, admin_id: v.admin_id, created: Number(v.created ?? 0), revoked: typeof v.revoked === 'number' ? v.revoked : null };
}

async function keysOf(store: HubStore, account: string, adminId: string): Promise<string[]> {
  const value = (await store.getSecret(account, ADMIN_KEYS_KIND, adminId)) as { ikeys?: unknown } | undefined;
  return Array.isArray(value?.ikeys) ? value.ikeys.filter((k): k is string => typeof k === 'string') : [];
}

/** Issues a credential for an administrator and keeps its secret server-side. */
export async function issueCredential(store: HubStore, account: string, adminId: string, now: number): Promise<IssuedCredential> {
  const ikey = newIntegrationKey();
  const skey = newSecretKey();
  const record: CredentialRecord = { skey, admin_id: adminId, created: now, revoked: null };
  await store.putSecret(account, CREDENTIAL_KIND, ikey, { ...record });
  await store.putSecret(account, ADMIN_KEYS_KIND, adminId, { ikeys: [...(await keysOf(store, account, adminId)), ikey] });
  return { ikey, skey };
}

/** The credential of an ikey, revoked or not; undefined when the hub never issued it. */
export async function lookupCredential(store: HubStore, account: string, ikey: string): Promise<CredentialRecord | undefined> {
  if (ikey === '' || ikey.length > 200 || ikey.includes('\0')) return undefined;
  return asRecord(await store.getSecret(account, CREDENTIAL_KIND, ikey));
}

/** Revokes a key; false when it is unknown or already revoked. */
export async function revokeCredential(store: HubStore, account: string, ikey: string, now: number): Promise<boolean> {
  const record = await lookupCredential(store, account, ikey);
  if (!record || record.revoked !== null) return false;
  await store.putSecret(account, CREDENTIAL_KIND, ikey, { ...record, revoked: now });
  return true;
}

/** An administrator's credentials, without their secrets, oldest first. */
export async function credentialsOf(store: HubStore, account: string, adminId: string): Promise<CredentialInfo[]> {
  const out: CredentialInfo[] = [];
  for (const ikey of await keysOf(store, account, adminId)) {
    const record = await lookupCredential(store, account, ikey);
    if (record) out.push({ ikey, admin_id: record.admin_id, created: record.created, revoked: record.revoked });
  }
  return out;
}

/**
 * Writes a secret key to `<dir>/<ikey>.skey` (or `file`), readable by the owner only, and returns the path.
 * Refuses to overwrite an existing file.
 */
export function writeSecretKeyFile(skey: string, target: { dir: string; ikey: string } | { file: string }): string {
  const file = 'file' in target ? path.resolve(target.file) : path.join(target.dir, `${target.ikey}.skey`);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${skey}\n`, { mode: 0o600, flag: 'wx' });
  return file;
}

/** Reads a secret-key file (the key on its first line). */
export function readSecretKeyFile(file: string): string {
  return fs.readFileSync(file, 'utf8').split('\n')[0]?.trim() ?? '';
}

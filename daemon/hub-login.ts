/**
 * `factordesk login`: point this data directory at a hub. Checks the hub's certificate against the pin for that
 * hub (trust on first use, or an expected fingerprint), asks the hub's whoami with the given key, and writes the
 * `hub` section and the identity into config.json. The daemon is told to reload by the caller.
 */
import fs from 'node:fs';
import { FactordeskError, invalid } from '../src/errors.js';
import type { Identity } from '../src/rpc/contract.js';
import { HubClient } from './hub-client.js';
import { hubOrigin, readConfigFile, updateConfigFile, type HubConfig } from './hub-config.js';
import { fetchFingerprint, normalizeFingerprint, pinMismatchError } from './hub-tls.js';

export interface LoginOptions {
  configFile: string;
  url: string;
  ikey: string;
  /** Absolute path of the file holding the secret key. */
  skeyFile: string;
  /** Accept a certificate other than the pinned one. */
  repin?: boolean;
  /** The fingerprint to expect instead of trusting the first one seen. */
  fingerprint?: string;
  timeoutMs?: number;
}

export interface LoginResult {
  /** The hub's origin. */
  hub: string;
  hubId: string;
  identity: Identity;
  fingerprint: string | undefined;
  /** How the certificate was accepted. */
  pin: 'first-use' | 'unchanged' | 'repinned' | 'given' | 'none';
  skeyFileReadableByOthers: boolean;
}

/** Reads a secret-key file (trimmed); INVALID_INPUT with the reason when it cannot be used. */
export function readSkeyFile(file: string): { skey: string; readableByOthers: boolean } {
  let text: string;
  let mode: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    mode = fs.statSync(file).mode;
  } catch (cause) {
    throw new FactordeskError('INVALID_INPUT', `Cannot read the secret key file ${file}: ${(cause as Error).message}`, { cause });
  }
  const skey = text.trim();
  if (skey === '' || /\s/.test(skey)) throw invalid(`${file} does not hold a secret key (one line, no spaces)`);
  return { skey, readableByOthers: (mode & 0o044) !== 0 };
}

/** Checks the hub and the key, then records them in config.json; nothing is written when anything fails. */
export async function login(options: LoginOptions): Promise<LoginResult> {
  let origin: string;
  try {
    const parsed = new URL(options.url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)');
    origin = hubOrigin(options.url);
  } catch {
    throw invalid(`"${options.url}" is not a hub URL`, 'Give it as https://HOST:PORT.');
  }
  if (options.ikey.trim() === '') throw invalid('The integration key (--ikey) is empty.');
  const { skey, readableByOthers } = readSkeyFile(options.skeyFile);

  const config = readConfigFile(options.configFile);
  const previous = typeof config.hub === 'object' && config.hub !== null && safeOrigin(config.hub.url) === origin ? config.hub : undefined;
  let fingerprint: string | undefined;
  let pin: LoginResult['pin'] = 'none';
  if (origin.startsWith('https:')) {
    const presented = await fetchFingerprint(origin, options.timeoutMs);
    if (options.fingerprint !== undefined) {
      const expected = normalizeFingerprint(options.fingerprint);
      if (expected !== presented) throw pinMismatchError(origin, expected, presented);
      pin = 'given';
    } else if (previous?.fingerprint !== undefined && previous.fingerprint !== presented) {
      if (!options.repin) throw pinMismatchError(origin, previous.fingerprint, presented);
      pin = 'repinned';
    } else {
      pin = previous?.fingerprint === presented ? 'unchanged' : 'first-use';
    }
    fingerprint = presented;
  }

  const client = new HubClient({ url: origin, ikey: options.ikey, skey, ...(fingerprint ? { fingerprint } : {}) }, { timeoutMs: options.timeoutMs ?? 15_000 });
  let who;
  try {
    who = await client.whoami();
  } finally {
    client.close();
  }

  const hub: HubConfig = { url: origin, ikey: options.ikey, skeyFile: options.skeyFile, hub_id: who.hub_id };
  if (fingerprint !== undefined) hub.fingerprint = fingerprint;
  updateConfigFile(options.configFile, (current) => ({ ...current, hub, identity: { ...who.identity } }));
  return { hub: origin, hubId: who.hub_id, identity: who.identity, fingerprint, pin, skeyFileReadableByOthers: readableByOthers };
}

function safeOrigin(url: unknown): string | undefined {
  try {
    return typeof url === 'string' ? hubOrigin(url) : undefined;
  } catch {
    return undefined;
  }
}

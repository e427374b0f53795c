/**
 * The `hub` section of the data directory's config.json: which hub this daemon replicates with and the
 * credentials it signs with. Written by `factordesk login` and by the zero-setup local hub; read by the daemon.
 *
 *   "hub": { "url", "ikey", "skey" | "skeyFile", "fingerprint"?, "hub_id"?, "local"? }   a hub
 *   "hub": "none"                                                                      local-only, by choice
 *   no "hub"                                                                           zero setup: a local hub
 *
 * The file holds a secret key (the local hub's, or one given inline), so it is always written 0600, atomically.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROLES } from '../src/domain/enums.js';
import { FactordeskError } from '../src/errors.js';
import type { Identity } from '../src/rpc/contract.js';

export interface HubConfig {
  /** `https://host:port` (or `http://` on loopback). */
  url: string;
  ikey: string;
  /** The secret key inline (the local hub's), or… */
  skey?: string;
  /** …a file holding it (what `login --skey-file` names; read at each start). */
  skeyFile?: string;
  /** The pinned certificate fingerprint (see hub-tls.ts); absent for http. */
  fingerprint?: string;
  /** The hub's id from whoami: replication checkpoints belong to one hub. */
  hub_id?: string;
  /** True for the zero-setup hub this daemon created under its data directory. */
  local?: boolean;
}

/** What config.json says about the hub. */
export type HubSetting = { kind: 'hub'; hub: HubConfig } | { kind: 'none' } | { kind: 'unset' };

/** Every field of config.json this module and identity.ts know; others are kept as they are. */
export interface ConfigFileContents {
  identity?: Partial<Identity>;
  hub?: HubConfig | 'none';
  [key: string]: unknown;
}

/** Reads config.json ({} when missing); INVALID_INPUT when it is not a JSON object. */
export function readConfigFile(configFile: string): ConfigFileContents {
  if (!fs.existsSync(configFile)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch (cause) {
    throw new FactordeskError('INVALID_INPUT', `The config file ${configFile} is not valid JSON`, {
      hint: 'Fix or remove it; a new local Owner identity is created when it is missing.',
      cause,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new FactordeskError('INVALID_INPUT', `The config file ${configFile} is not a JSON object`);
  }
  return parsed as ConfigFileContents;
}

/** Applies `change` to config.json and writes it back atomically with mode 0600. */
export function updateConfigFile(configFile: string, change: (config: ConfigFileContents) => ConfigFileContents): ConfigFileContents {
  const next = change(readConfigFile(configFile));
  fs.mkdirSync(path.dirname(configFile), { recursive: true, mode: 0o700 });
  const tmp = `${configFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, configFile);
  return next;
}

/** The hub setting of config.json, checked. */
export function readHubSetting(configFile: string): HubSetting {
  const hub = readConfigFile(configFile).hub;
  if (hub === undefined) return { kind: 'unset' };
  if (hub === 'none') return { kind: 'none' };
  const bad = (what: string) =>
    new FactordeskError('INVALID_INPUT', `The "hub" of ${configFile} ${what}`, {
      hint: 'Run `factordesk login https://HOST:PORT --ikey … --skey-file …` again, or set "hub": "none" to work locally.',
    });
  if (hub === null || typeof hub !== 'object') throw bad('must be an object or "none"');
  if (typeof hub.url !== 'string' || !/^https?:\/\//.test(hub.url)) throw bad('needs an http(s) "url"');
  if (typeof hub.ikey !== 'string' || hub.ikey === '') throw bad('needs an "ikey"');
  if (typeof hub.skey !== 'string' && typeof hub.skeyFile !== 'string') throw bad('needs an "skey" or an "skeyFile"');
  return { kind: 'hub', hub };
}

/** The secret key of a hub config (reading its file when it names one). */
export function readSecretKey(hub: HubConfig): string {
  if (hub.skey !== undefined) return hub.skey;
  const file = hub.skeyFile!;
  try {
    const skey = fs.readFileSync(file, 'utf8').trim();
    if (skey === '') throw new Error('the file is empty');
    return skey;
  } catch (cause) {
    throw new FactordeskError('INVALID_INPUT', `Cannot read the hub secret key from ${file}: ${(cause as Error).message}`, {
      hint: 'Run `factordesk login … --skey-file FILE` with a file that holds the secret key.',
      cause,
    });
  }
}

/** The identity cached in config.json (written from the hub's whoami), if complete. */
export function cachedIdentity(configFile: string): Identity | undefined {
  const found = readConfigFile(configFile).identity;
  if (!found?.admin_id || !found.name || !found.role || !(ROLES as readonly string[]).includes(found.role)) return undefined;
  return { admin_id: found.admin_id, name: found.name, role: found.role };
}

/** The origin of a hub URL, as replication state and pins are keyed by it (`https://host:port`). */
export function hubOrigin(url: string): string {
  return new URL(url).origin;
}

/** True when the env variable asks for no zero-setup hub (tests, or people who want a hub-less daemon). */
export function localHubDisabled(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.FACTORDESK_NO_LOCAL_HUB;
  return value !== undefined && value !== '' && value !== '0';
}

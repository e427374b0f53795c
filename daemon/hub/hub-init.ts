/**
 * Creating a hub directory (`factordesk hub init`, and the daemon's zero-setup local hub): the config, the store
 * (SQLite by default, or a PostgreSQL database checked and migrated), TLS material, the hub's identity, and a
 * first Owner with a credential. A second hub process for an existing PostgreSQL hub adopts its identity and
 * creates no Owner.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { base32 } from '../../src/domain/ids.js';
import type { Admin } from '../../src/domain/schemas.js';
import { conflict, invalid } from '../../src/errors.js';
import { ensurePrivateDir, hubPaths } from '../../src/paths.js';
import { addAdmin, listAdmins, operatorActor, type Actor } from './admin-directory.js';
import { issueCredential, writeSecretKeyFile } from './credentials.js';
import {
  DEFAULT_ACCOUNT,
  DEFAULT_LISTEN,
  HUB_CONFIG_VERSION,
  isLoopbackHost,
  storeUrlOf,
  writeHubConfig,
  type HubConfig,
  type ListenAddress,
} from './hub-config.js';
import { openStore, parseStoreUrl, type HubStore } from './store.js';
import { generateSelfSigned, loadTls } from './tls.js';

/** The store secret holding the hub's identity (shared by every hub process on one database). */
const IDENTITY_KIND = 'hub';
const IDENTITY_ID = 'identity';

export interface InitHubOptions {
  hubDir: string;
  listen?: ListenAddress;
  /** `self-signed`: make a certificate; files: use these; undefined: plain HTTP. */
  tls?: 'self-signed' | { cert: string; key: string };
  /** Store URL; default SQLite `hub.sqlite` in the hub directory. */
  db?: string;
  publicHosts?: readonly string[];
  /** Allow plain HTTP on a non-loopback address (a TLS-terminating proxy in front). */
  plainHttp?: boolean;
  /** The first Owner (default: named after the OS user). Not created when the store already has administrators. */
  owner?: { name?: string; email?: string; admin_id?: string };
  /** Who the audit trail says made the Owner. */
  actor?: Actor;
  now?: number;
}

export interface InitHubResult {
  config: HubConfig;
  hubDir: string;
  fingerprint?: string;
  /** True when the store already belonged to a hub (another process of it), whose identity was adopted. */
  adopted: boolean;
  /** The Owner made, with its credential; absent when the store already had administrators. */
  owner?: { admin: Admin; ikey: string; skey: string; skeyFile: string };
}

/** A new hub id: `HB` + 18 base32 characters. */
export function newHubId(): string {
  return `HB${base32(randomBytes(12), 18)}`;
}

function osUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'owner';
  }
}

/** The hub identity recorded in the store, or undefined for a fresh store. */
export async function storedHubId(store: HubStore, account: string): Promise<string | undefined> {
  const value = (await store.getSecret(account, IDENTITY_KIND, IDENTITY_ID)) as { hub_id?: unknown } | undefined;
  return typeof value?.hub_id === 'string' ? value.hub_id : undefined;
}

/** Creates a hub directory; refuses one that already has a config. */
export async function initHub(options: InitHubOptions): Promise<InitHubResult> {
  const paths = hubPaths(options.hubDir);
  const now = options.now ?? Date.now();
  if (fs.existsSync(paths.configFile)) {
    throw conflict(`${paths.hubDir} already holds a hub (hub.json exists)`, 'serve it with `factordesk hub serve --hub-dir DIR`, or choose another --hub-dir');
  }
  const listen = options.listen ?? { ...DEFAULT_LISTEN };
  if (!options.tls && !isLoopbackHost(listen.host) && !options.plainHttp) {
    throw invalid(
      `listening on ${listen.host} without TLS would send administrators' data in the clear`,
      'add --self-signed (or --cert FILE --key FILE), or --plain-http when a TLS proxy sits in front',
    );
  }
  const db = options.db ?? 'sqlite:hub.sqlite';
  parseStoreUrl(db);
  ensurePrivateDir(paths.hubDir);

  const config: HubConfig = {
    version: HUB_CONFIG_VERSION,
    hub_id: '',
    account: DEFAULT_ACCOUNT,
    listen,
    public_hosts: [...new Set(options.publicHosts ?? [])],
    db,
    tls: null,
    plain_http: options.plainHttp === true,
    created: now,
  };

  let fingerprint: string | undefined;
  if (options.tls === 'self-signed') {
    fingerprint = await generateSelfSigned({ hosts: config.public_hosts, certFile: paths.certFile, keyFile: paths.keyFile });
    config.tls = { cert: path.relative(paths.hubDir, paths.certFile), key: path.relative(paths.hubDir, paths.keyFile) };
  } else if (options.tls) {
    const files = { cert: path.resolve(options.tls.cert), key: path.resolve(options.tls.key) };
    fingerprint = loadTls(files).fingerprint;
    config.tls = files;
  }

  const store = await openStore(storeUrlOf(config, paths.hubDir));
  let result: InitHubResult;
  try {
    const existing = await storedHubId(store, config.account);
    config.hub_id = existing ?? newHubId();
    if (!existing) await store.putSecret(config.account, IDENTITY_KIND, IDENTITY_ID, { hub_id: config.hub_id, created: now });
    result = { config, hubDir: paths.hubDir, adopted: existing !== undefined, ...(fingerprint ? { fingerprint } : {}) };
    if ((await listAdmins(store, config.account)).length === 0) {
      const owner = options.owner ?? {};
      const admin = await addAdmin(
        store,
        config.account,
        { name: owner.name ?? osUsername(), role: 'Owner', email: owner.email ?? '', ...(owner.admin_id ? { admin_id: owner.admin_id } : {}) },
        options.actor ?? operatorActor(),
        now,
      );
      const credential = await issueCredential(store, config.account, admin.admin_id, now);
      const skeyFile = writeSecretKeyFile(credential.skey, { dir: paths.credentialsDir, ikey: credential.ikey });
      result.owner = { admin, ...credential, skeyFile };
    }
  } finally {
    await store.close();
  }
  // Written last: a hub directory with a config is a complete one.
  writeHubConfig(paths.hubDir, config);
  return result;
}

/** Throws unless the store belongs to the hub the config names (or is fresh, and then records it). */
export async function checkStoreIdentity(store: HubStore, config: HubConfig, now = Date.now()): Promise<void> {
  const stored = await storedHubId(store, config.account);
  if (stored === undefined) {
    await store.putSecret(config.account, IDENTITY_KIND, IDENTITY_ID, { hub_id: config.hub_id, created: now });
    return;
  }
  if (stored !== config.hub_id) {
    throw conflict(
      `the database belongs to hub ${stored}, but this hub directory is hub ${config.hub_id}`,
      'point --db at this hub\'s own database, or create the hub directory again with `hub init --db URL` to join that hub',
    );
  }
}

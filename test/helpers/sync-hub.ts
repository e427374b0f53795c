/**
 * A team hub for the daemon-sync end-to-end tests: `hub init --self-signed` on a free loopback port (so daemons pin
 * its certificate), credentials from `hub admin add`, `hub serve` that a test stops and starts again, and the hub's
 * documents as the Owner pulls them through the daemon's own hub client.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HubClient } from '../../daemon/hub-client.js';
import { freePort } from '../../src/free-port.js';
import type { SyncedCollection } from '../../src/sync/protocol.js';
import { cliJson, serveHub, tempDir, type ServedHub } from './hub-wire.js';

export interface HubCredential {
  admin_id: string;
  name: string;
  ikey: string;
  skeyFile: string;
}

export interface TeamHub {
  base: string;
  hubDir: string;
  url: string;
  fingerprint: string;
  owner: HubCredential;
  addAdmin(name: string, role: string): Promise<HubCredential>;
  /** Starts `hub serve`; resolves once it serves. */
  start(): Promise<void>;
  /** Stops it (SIGTERM) and waits until it has exited. */
  stop(): Promise<void>;
  /** A client of the hub signing with `credential`, certificate pinned. */
  client(credential: HubCredential): HubClient;
  /** Every live document of a collection at the hub. */
  documents(collection: SyncedCollection): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

const KEYS: Record<string, string> = { users: 'user_id', phones: 'phone_id', tokens: 'token_id', u2f: 'registration_id', admins: 'admin_id', audit: 'event_id' };

/** Makes the hub (not started yet). */
export async function teamHub(prefix = 'fd-sync-hub-'): Promise<TeamHub> {
  const base = tempDir(prefix);
  const hubDir = path.join(base, 'hub');
  const port = await freePort();
  const init = await cliJson<{ url: string; fingerprint: string; owner: { admin_id: string; name: string; ikey: string; skey_file: string } }>([
    'hub', 'init', '--hub-dir', hubDir, '--listen', `127.0.0.1:${port}`, '--self-signed', '--owner', 'Olivia Owner',
  ]);
  const owner: HubCredential = { admin_id: init.owner.admin_id, name: init.owner.name, ikey: init.owner.ikey, skeyFile: init.owner.skey_file };
  let served: ServedHub | undefined;
  const clients: HubClient[] = [];

  const hub: TeamHub = {
    base,
    hubDir,
    url: init.url,
    fingerprint: init.fingerprint,
    owner,
    async addAdmin(name, role) {
      const added = await cliJson<{ admin_id: string; name: string; ikey: string; skey_file: string }>(['hub', 'admin', 'add', name, '--role', role, '--hub-dir', hubDir]);
      return { admin_id: added.admin_id, name: added.name, ikey: added.ikey, skeyFile: added.skey_file };
    },
    async start() {
      if (served) throw new Error('the hub is already running');
      served = await serveHub(hubDir);
    },
    async stop() {
      const s = served;
      served = undefined;
      await s?.stop();
    },
    client(credential) {
      const skey = fs.readFileSync(credential.skeyFile, 'utf8').trim();
      const c = new HubClient({ url: init.url, ikey: credential.ikey, skey, fingerprint: init.fingerprint });
      clients.push(c);
      return c;
    },
    async documents(collection) {
      const c = hub.client(owner);
      const docs = new Map<unknown, Record<string, unknown>>();
      let checkpoint: { seq: number } | null = null;
      try {
        for (;;) {
          const page = await c.pull(collection, checkpoint, 500);
          for (const doc of page.documents as unknown as Record<string, unknown>[]) docs.set(doc[KEYS[collection] ?? 'id'], doc);
          if (page.documents.length < 500 || !page.checkpoint) break;
          checkpoint = page.checkpoint;
        }
      } finally {
        c.close();
      }
      return [...docs.values()].filter((d) => d._deleted !== true);
    },
    async dispose() {
      for (const c of clients) c.close();
      await hub.stop();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
  return hub;
}

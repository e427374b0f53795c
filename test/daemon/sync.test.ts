/**
 * The daemon's sync controller: which mode config.json and the environment choose, zero setup with a local hub
 * (a real hub in this process, handed in as the local-hub starter), whoami adopted as the identity, a failing
 * local hub reported without blocking, and a reload after the configuration changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../daemon/logger.js';
import { openReplica, type Replica } from '../../daemon/replica/database.js';
import { RefusalLog, syncConflictHandlers } from '../../daemon/replica/sync-conflicts.js';
import { SyncController, type LocalHubStarter } from '../../daemon/sync.js';
import { initHub } from '../../daemon/hub/hub-init.js';
import { startHub, type HubHandle } from '../../daemon/hub/run-hub.js';
import { openStore } from '../../daemon/hub/store.js';
import { readHubConfig, storeUrlOf } from '../../daemon/hub/hub-config.js';
import { resolvePaths, type ResolvedPaths } from '../../src/paths.js';
import type { Identity } from '../../src/rpc/contract.js';
import { tempDir } from '../helpers/hub-wire.js';
import { makeUser } from './replica/fixtures/docs.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Setup {
  paths: ResolvedPaths;
  replica: Replica;
  identity: Identity;
  sync: SyncController;
}

async function setup(options: { config?: unknown; env?: Record<string, string>; startLocalHub?: LocalHubStarter } = {}): Promise<Setup> {
  const base = tempDir('fd-sync-controller-');
  cleanups.push(() => fs.rmSync(base, { recursive: true, force: true }));
  const paths = resolvePaths({ env: {}, dataDir: path.join(base, 'data') });
  fs.mkdirSync(paths.dataDir, { recursive: true });
  if (options.config !== undefined) fs.writeFileSync(paths.configFile, JSON.stringify(options.config));
  const identity: Identity = { admin_id: 'DELOCAL', name: 'solo', role: 'Owner' };
  const refusals = new RefusalLog();
  let sync: SyncController | undefined;
  const replica = await openReplica({
    file: paths.dbFile,
    name: `t${Math.random().toString(36).slice(2, 10)}`,
    conflictHandlers: syncConflictHandlers({ refusals, onConflicts: (r) => sync?.storeConflicts(r), adminId: () => identity.admin_id }),
  });
  cleanups.push(() => replica.close());
  let tail: Promise<unknown> = Promise.resolve();
  sync = new SyncController({
    paths,
    env: options.env ?? {},
    log: silentLogger(),
    replica,
    identity,
    refusals,
    serialize: (fn) => {
      const result = tail.then(fn, fn);
      tail = result.catch(() => undefined);
      return result;
    },
    client: { backoff: { initialMs: 20, maxMs: 200 } },
    ...(options.startLocalHub ? { startLocalHub: options.startLocalHub } : {}),
  });
  cleanups.push(() => sync?.close());
  return { paths, replica, identity, sync };
}

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SyncController modes', () => {
  it('works locally with "hub": "none", and audits locally', async () => {
    const { sync } = await setup({ config: { hub: 'none' } });
    sync.start();
    expect(sync.status()).toMatchObject({ hub: null, local: false, state: 'local-only', queued: 0, lastSync: null, conflicts: 0, refused: [] });
    expect(sync.auditsLocally()).toBe(true);
    expect(sync.synced).toBe(false);
  });

  it('works locally when no hub is configured and FACTORDESK_NO_LOCAL_HUB is set', async () => {
    let asked = false;
    const { sync } = await setup({ env: { FACTORDESK_NO_LOCAL_HUB: '1' }, startLocalHub: async () => ((asked = true), Promise.reject(new Error('no'))) });
    sync.start();
    expect(sync.status().state).toBe('local-only');
    expect(asked).toBe(false);
  });

  it('works locally, saying why, when the hub configuration is broken', async () => {
    const { sync } = await setup({ config: { hub: { url: 'gopher://x' } } });
    sync.start();
    expect(sync.status()).toMatchObject({ state: 'local-only', message: expect.stringMatching(/"url"/) });
  });

  it('reports a local hub that does not start, stops auditing locally meanwhile, and closes without waiting it out', async () => {
    const { sync } = await setup({ startLocalHub: async () => Promise.reject(new Error('port trouble')) });
    sync.start();
    await until('the failure', () => sync.status().message?.includes('port trouble'));
    expect(sync.status()).toMatchObject({ state: 'offline', local: true, hub: null });
    expect(sync.auditsLocally()).toBe(false);
    const closing = Date.now();
    await sync.close();
    console.log(`closed ${Date.now() - closing} ms after asking`);
  });
});

describe('SyncController with a local hub', () => {
  it('creates it with the daemon\'s administrator as Owner, records it, replicates, and stops it on close', async () => {
    let hub: HubHandle | undefined;
    let stopped = 0;
    const { sync, paths, replica, identity } = await setup({
      startLocalHub: async ({ dataDir, owner }) => {
        const hubDir = path.join(dataDir, 'hub');
        const init = await initHub({ hubDir, listen: { host: '127.0.0.1', port: 0 }, owner });
        hub = await startHub({ hubDir, logLevel: 'warn' });
        return {
          url: hub.info.url,
          ikey: init.owner!.ikey,
          skey: init.owner!.skey,
          hub_id: hub.info.hub_id,
          stop: async () => {
            stopped++;
            await hub?.stop('daemon closed');
          },
        };
      },
    });
    cleanups.push(() => hub?.stop('test end'));
    await replica.collections.users.insert(makeUser(1));
    sync.start();
    const status = await until('online', () => {
      const s = sync.status();
      return s.state === 'online' && s.queued === 0 ? s : undefined;
    });
    expect(status).toMatchObject({ local: true, hub: hub!.info.url, identity: { admin_id: 'DELOCAL', name: 'solo', role: 'Owner' } });
    expect(identity).toEqual({ admin_id: 'DELOCAL', name: 'solo', role: 'Owner' });
    const config = JSON.parse(fs.readFileSync(paths.configFile, 'utf8')) as { hub: Record<string, unknown> };
    expect(config.hub).toMatchObject({ url: hub!.info.url, local: true, hub_id: hub!.info.hub_id, skey: expect.any(String) });
    expect(sync.auditsLocally()).toBe(false);

    // The user made before the hub existed reached it.
    const store = await openStore(storeUrlOf(readHubConfig(path.join(paths.dataDir, 'hub')), path.join(paths.dataDir, 'hub')));
    try {
      await until('the user at the hub', async () => (await store.get('default', 'users', ['u000001'])).length === 1);
    } finally {
      await store.close();
    }

    // Moving to "no hub" stops the local hub and works locally.
    fs.writeFileSync(paths.configFile, JSON.stringify({ ...config, hub: 'none' }));
    expect((await sync.reload()).state).toBe('local-only');
    await until('the local hub stopped', () => stopped === 1);
    await sync.close();
    expect(stopped).toBe(1);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listAdminsWithKeys } from '../../../daemon/hub/admin-directory.js';
import { readHubConfig, storeUrlOf, writeHubConfig } from '../../../daemon/hub/hub-config.js';
import { initHub } from '../../../daemon/hub/hub-init.js';
import { startHub } from '../../../daemon/hub/run-hub.js';
import { openStore, pullAll } from '../../../daemon/hub/store.js';
import { tempDir } from '../../helpers/hub-wire.js';

const base = tempDir('fd-hub-init-');
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('initHub', () => {
  it('creates config, SQLite store, identity and an Owner with a credential whose secret is only in a 0600 file and the secret store', async () => {
    const hubDir = path.join(base, 'a');
    const result = await initHub({ hubDir, owner: { name: 'Olive', email: 'olive@example.com' } });
    const config = readHubConfig(hubDir);
    expect(config).toMatchObject({ hub_id: expect.stringMatching(/^HB[0-9A-Z]{18}$/), listen: { host: '127.0.0.1', port: 7443 }, db: 'sqlite:hub.sqlite', tls: null });
    expect(result.adopted).toBe(false);
    expect(result.owner?.admin).toMatchObject({ name: 'Olive', role: 'Owner', status: 'Active' });
    expect(fs.statSync(hubDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(result.owner?.skeyFile as string).mode & 0o777).toBe(0o600);
    const store = await openStore(storeUrlOf(config, hubDir));
    try {
      const [owner] = await listAdminsWithKeys(store, 'default');
      expect(owner?.keys.map((k) => k.ikey)).toEqual([result.owner?.ikey]);
      // The secret key appears in no replicated document (admins, audit, anything).
      for (const collection of ['admins', 'audit', 'users']) {
        expect(JSON.stringify((await pullAll(store, 'default', collection)).documents)).not.toContain(result.owner?.skey);
      }
    } finally {
      await store.close();
    }
  });

  it('refuses a directory that already holds a hub', async () => {
    const hubDir = path.join(base, 'b');
    await initHub({ hubDir });
    await expect(initHub({ hubDir })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses plain HTTP on a non-loopback address unless asked for', async () => {
    await expect(initHub({ hubDir: path.join(base, 'c'), listen: { host: '0.0.0.0', port: 0 } })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      hint: expect.stringContaining('--self-signed'),
    });
    expect(fs.existsSync(path.join(base, 'c', 'hub.json'))).toBe(false);
    const ok = await initHub({ hubDir: path.join(base, 'd'), listen: { host: '0.0.0.0', port: 0 }, plainHttp: true });
    expect(ok.config.plain_http).toBe(true);
  });

  it('refuses a store URL of an unknown scheme with one clear sentence', async () => {
    await expect(initHub({ hubDir: path.join(base, 'e'), db: 'mysql://x/y' })).rejects.toThrow(/Unsupported hub database URL scheme "mysql:"/);
  });

  it('joins the hub already in a database: same identity, no second Owner', async () => {
    const first = await initHub({ hubDir: path.join(base, 'f1'), db: `sqlite:${path.join(base, 'shared.sqlite')}` });
    const second = await initHub({ hubDir: path.join(base, 'f2'), db: `sqlite:${path.join(base, 'shared.sqlite')}` });
    expect(second.adopted).toBe(true);
    expect(second.config.hub_id).toBe(first.config.hub_id);
    expect(second.owner).toBeUndefined();
  });

  it('will not serve a database that belongs to another hub', async () => {
    const hubDir = path.join(base, 'g');
    await initHub({ hubDir, listen: { host: '127.0.0.1', port: 0 } });
    writeHubConfig(hubDir, { ...readHubConfig(hubDir), hub_id: 'HBOTHER' });
    await expect(startHub({ hubDir, logLevel: 'silent' })).rejects.toThrow(/belongs to hub HB/);
  });
});

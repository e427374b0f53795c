import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  credentialsOf,
  isIntegrationKey,
  issueCredential,
  lookupCredential,
  newIntegrationKey,
  newSecretKey,
  readSecretKeyFile,
  revokeCredential,
  writeSecretKeyFile,
} from '../../../daemon/hub/credentials.js';
import { openStore, type HubStore } from '../../../daemon/hub/store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-hub-cred-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let store: HubStore;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

describe('keys', () => {
  it('makes Duo-shaped integration keys and 40-character alphanumeric secret keys', () => {
    const ikey = newIntegrationKey();
    expect(ikey).toMatch(/^DI[0-9A-Z]{18}$/);
    expect(isIntegrationKey(ikey)).toBe(true);
    expect(isIntegrationKey('alice')).toBe(false);
    const skeys = new Set(Array.from({ length: 50 }, () => newSecretKey()));
    expect(skeys.size).toBe(50);
    for (const skey of skeys) expect(skey).toMatch(/^[A-Za-z0-9]{40}$/);
  });
});

describe('credentials in the store', () => {
  it('issues, looks up, lists and revokes, keeping the secret only in the secret store', async () => {
    const a = await issueCredential(store, 'default', 'DE1', 100);
    const b = await issueCredential(store, 'default', 'DE1', 200);
    expect(await lookupCredential(store, 'default', a.ikey)).toEqual({ skey: a.skey, admin_id: 'DE1', created: 100, revoked: null });
    expect(await credentialsOf(store, 'default', 'DE1')).toEqual([
      { ikey: a.ikey, admin_id: 'DE1', created: 100, revoked: null },
      { ikey: b.ikey, admin_id: 'DE1', created: 200, revoked: null },
    ]);
    expect(await revokeCredential(store, 'default', a.ikey, 300)).toBe(true);
    expect(await revokeCredential(store, 'default', a.ikey, 400)).toBe(false);
    expect((await lookupCredential(store, 'default', a.ikey))?.revoked).toBe(300);
    expect(await lookupCredential(store, 'default', 'DINOPE')).toBeUndefined();
    expect(await lookupCredential(store, 'default', '')).toBeUndefined();
  });
});

describe('secret key files', () => {
  it('writes the key owner-only, never over an existing file, and reads it back', () => {
    const file = writeSecretKeyFile('s'.repeat(40), { dir: path.join(dir, 'creds'), ikey: 'DIX' });
    expect(file).toBe(path.join(dir, 'creds', 'DIX.skey'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readSecretKeyFile(file)).toBe('s'.repeat(40));
    expect(() => writeSecretKeyFile('t'.repeat(40), { file })).toThrow(/EEXIST/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cachedIdentity,
  hubOrigin,
  localHubDisabled,
  readHubSetting,
  readSecretKey,
  updateConfigFile,
} from '../../daemon/hub-config.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-hub-config-'));
  file = path.join(dir, 'config.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (value: unknown) => fs.writeFileSync(file, JSON.stringify(value));

describe('readHubSetting', () => {
  it('tells unset (zero setup), "none" (local only) and a hub apart', () => {
    expect(readHubSetting(file)).toEqual({ kind: 'unset' });
    write({ hub: 'none' });
    expect(readHubSetting(file)).toEqual({ kind: 'none' });
    const hub = { url: 'https://hub.example.com:7443', ikey: 'DI1', skeyFile: '/k' };
    write({ identity: { admin_id: 'DE1' }, hub });
    expect(readHubSetting(file)).toEqual({ kind: 'hub', hub });
  });

  it.each([
    [{ hub: 42 }, /must be an object or "none"/],
    [{ hub: { url: 'ftp://x', ikey: 'DI1', skey: 's' } }, /http\(s\) "url"/],
    [{ hub: { url: 'https://x', skey: 's' } }, /"ikey"/],
    [{ hub: { url: 'https://x', ikey: 'DI1' } }, /"skey" or an "skeyFile"/],
  ])('refuses a broken hub entry %j with what is wrong and how to fix it', (config, message) => {
    write(config);
    expect(() => readHubSetting(file)).toThrow(message);
    try {
      readHubSetting(file);
    } catch (e) {
      expect((e as { hint?: string }).hint).toMatch(/factordesk login/);
    }
  });

  it('refuses a file that is not a JSON object', () => {
    fs.writeFileSync(file, '[1,2]');
    expect(() => readHubSetting(file)).toThrow(/not a JSON object/);
    fs.writeFileSync(file, '{');
    expect(() => readHubSetting(file)).toThrow(/not valid JSON/);
  });
});

describe('updateConfigFile', () => {
  it('keeps the other keys, writes 0600, and leaves no temp file', () => {
    write({ identity: { admin_id: 'DE1', name: 'x', role: 'Owner' }, other: true });
    fs.chmodSync(file, 0o644);
    updateConfigFile(file, (c) => ({ ...c, hub: 'none' }));
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ identity: { admin_id: 'DE1', name: 'x', role: 'Owner' }, other: true, hub: 'none' });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });
});

describe('secrets and identity', () => {
  it('reads the secret key inline or from its file, and says which file failed', () => {
    expect(readSecretKey({ url: 'https://x', ikey: 'DI1', skey: 'inline' })).toBe('inline');
    const keyFile = path.join(dir, 'k.skey');
    fs.writeFileSync(keyFile, 'from-file\n');
    expect(readSecretKey({ url: 'https://x', ikey: 'DI1', skeyFile: keyFile })).toBe('from-file');
    expect(() => readSecretKey({ url: 'https://x', ikey: 'DI1', skeyFile: path.join(dir, 'missing') })).toThrow(/Cannot read the hub secret key from .*missing/);
  });

  it('gives the cached identity only when it is complete and its role known', () => {
    write({ identity: { admin_id: 'DE1', name: 'Olive', role: 'Owner' } });
    expect(cachedIdentity(file)).toEqual({ admin_id: 'DE1', name: 'Olive', role: 'Owner' });
    write({ identity: { admin_id: 'DE1', name: 'Olive', role: 'Wizard' } });
    expect(cachedIdentity(file)).toBeUndefined();
  });

  it('keys hubs by origin, and reads the opt-out switch', () => {
    expect(hubOrigin('https://Hub.Example.com:7443/some/path')).toBe('https://hub.example.com:7443');
    expect(localHubDisabled({ FACTORDESK_NO_LOCAL_HUB: '1' })).toBe(true);
    expect(localHubDisabled({ FACTORDESK_NO_LOCAL_HUB: '' })).toBe(false);
    expect(localHubDisabled({ FACTORDESK_NO_LOCAL_HUB: '0' })).toBe(false);
    expect(localHubDisabled({})).toBe(false);
  });
});

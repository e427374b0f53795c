import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  acceptedHostNames,
  checkHubConfig,
  checkPublicHost,
  isLoopbackHost,
  parseListen,
  readHubConfig,
  storeUrlOf,
  writeHubConfig,
  type HubConfig,
} from '../../../daemon/hub/hub-config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-hub-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const config: HubConfig = {
  version: 1,
  hub_id: 'HB1',
  account: 'default',
  listen: { host: '127.0.0.1', port: 7443 },
  public_hosts: ['hub.example.com'],
  db: 'sqlite:hub.sqlite',
  tls: null,
  plain_http: false,
  created: 1,
};

describe('parseListen', () => {
  it('reads HOST:PORT, [v6]:PORT, :PORT and PORT', () => {
    expect(parseListen('0.0.0.0:8443')).toEqual({ host: '0.0.0.0', port: 8443 });
    expect(parseListen('[::1]:7443')).toEqual({ host: '::1', port: 7443 });
    expect(parseListen(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListen('9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListen('localhost:0')).toEqual({ host: 'localhost', port: 0 });
  });

  it('refuses what is not an address', () => {
    for (const bad of ['host', '127.0.0.1:70000', '::1:80', 'a b:1', '127.0.0.1:x']) expect(() => parseListen(bad), bad).toThrow(/not HOST:PORT/);
  });
});

describe('host names', () => {
  it('accepts the names a client may sign, with and without the port', () => {
    const names = acceptedHostNames(config, 7443);
    for (const name of ['hub.example.com', 'hub.example.com:7443', '127.0.0.1', '127.0.0.1:7443', 'localhost:7443', '[::1]:7443']) {
      expect(names).toContain(name);
    }
    expect(acceptedHostNames({ ...config, public_hosts: ['Hub.Example.com:443'] }, 7443)).toContain('hub.example.com:443');
    expect(names).not.toContain('evil.example.com');
  });

  it('knows loopback addresses and checks public host names', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(checkPublicHost('Hub.Example.com')).toBe('hub.example.com');
    expect(checkPublicHost('10.0.0.5:8443')).toBe('10.0.0.5:8443');
    expect(() => checkPublicHost('not a host')).toThrow(/not a host name/);
  });
});

describe('the config file', () => {
  it('round-trips, owner-only, and resolves a relative SQLite path against the hub directory', () => {
    const hubDir = path.join(dir, 'hub');
    writeHubConfig(hubDir, config);
    expect(fs.statSync(path.join(hubDir, 'hub.json')).mode & 0o777).toBe(0o600);
    expect(readHubConfig(hubDir)).toEqual(config);
    expect(storeUrlOf(config, hubDir)).toBe(`sqlite:${path.join(hubDir, 'hub.sqlite')}`);
    expect(storeUrlOf({ db: 'postgres://x/y' }, hubDir)).toBe('postgres://x/y');
  });

  it('says clearly when a directory is not a hub directory or its config is broken', () => {
    expect(() => readHubConfig(path.join(dir, 'none'))).toThrow(/not a hub directory/);
    expect(() => checkHubConfig({ ...config, version: 9 })).toThrow(/version 9/);
    expect(() => checkHubConfig({ ...config, listen: { host: 'x', port: -1 } })).toThrow(/listen/);
  });
});

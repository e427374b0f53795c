/**
 * `factordesk login` against a real hub in this process (self-signed TLS): trust on first use, the pin kept and
 * checked on the next login, a changed certificate refused with both fingerprints until `--repin`, an expected
 * fingerprint given up front, and nothing written when anything fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../daemon/hub-login.js';
import { initHub } from '../../daemon/hub/hub-init.js';
import { startHub, type HubHandle } from '../../daemon/hub/run-hub.js';
import { generateSelfSigned } from '../../daemon/hub/tls.js';
import { FactordeskError } from '../../src/errors.js';
import { hubPaths } from '../../src/paths.js';
import { tempDir } from '../helpers/hub-wire.js';
import { freePort } from '../../src/free-port.js';

const base = tempDir('fd-login-');
const hubDir = path.join(base, 'hub');
const configFile = path.join(base, 'data', 'config.json');
let hub: HubHandle;
let url: string;
let first: string;
let ikey: string;
let skeyFile: string;

async function serve(): Promise<void> {
  hub = await startHub({ hubDir, logLevel: 'warn' });
  url = hub.info.url;
}

beforeAll(async () => {
  // A fixed port: pins belong to an origin, and the hub is restarted with a new certificate on the same one.
  const init = await initHub({ hubDir, listen: { host: '127.0.0.1', port: await freePort() }, tls: 'self-signed', owner: { name: 'Olive' } });
  ikey = init.owner!.ikey;
  skeyFile = init.owner!.skeyFile;
  first = init.fingerprint!;
  await serve();
});

afterAll(async () => {
  await hub?.stop('test done');
  fs.rmSync(base, { recursive: true, force: true });
});

const config = () => JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;

async function failure(p: Promise<unknown>): Promise<FactordeskError> {
  try {
    await p;
  } catch (e) {
    return e as FactordeskError;
  }
  throw new Error('expected a failure');
}

describe('login', () => {
  it('pins the certificate on first use and records the hub and who the key belongs to (0600)', async () => {
    const result = await login({ configFile, url, ikey, skeyFile });
    expect(result).toMatchObject({ hub: url, fingerprint: first, pin: 'first-use', identity: { name: 'Olive', role: 'Owner' }, hubId: hub.info.hub_id });
    expect(config()).toEqual({
      hub: { url, ikey, skeyFile, hub_id: hub.info.hub_id, fingerprint: first },
      identity: result.identity,
    });
    expect(fs.statSync(configFile).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(config())).not.toContain(fs.readFileSync(skeyFile, 'utf8').trim());
  });

  it('accepts the same certificate again', async () => {
    expect((await login({ configFile, url, ikey, skeyFile })).pin).toBe('unchanged');
  });

  it('refuses a changed certificate naming both fingerprints and --repin, changing nothing; --repin takes it', async () => {
    await hub.stop('new certificate');
    const paths = hubPaths(hubDir);
    const second = await generateSelfSigned({ hosts: [], certFile: paths.certFile, keyFile: paths.keyFile });
    await serve();
    const before = fs.readFileSync(configFile, 'utf8');
    const error = await failure(login({ configFile, url, ikey, skeyFile }));
    expect(error.code).toBe('REFUSED');
    expect(error.userMessage).toContain(`pinned SHA-256 ${first}`);
    expect(error.userMessage).toContain(`presented SHA-256 ${second}`);
    expect(error.hint).toMatch(/--repin/);
    expect(fs.readFileSync(configFile, 'utf8')).toBe(before);

    const repinned = await login({ configFile, url, ikey, skeyFile, repin: true });
    expect(repinned).toMatchObject({ pin: 'repinned', fingerprint: second });
    expect((config().hub as { fingerprint: string }).fingerprint).toBe(second);
  });

  it('checks an expected fingerprint given up front, in any common spelling', async () => {
    const current = (config().hub as { fingerprint: string }).fingerprint;
    const given = await login({ configFile, url, ikey, skeyFile, fingerprint: current.replace(/:/g, '').toLowerCase() });
    expect(given.pin).toBe('given');
    const wrong = await failure(login({ configFile, url, ikey, skeyFile, fingerprint: 'AB'.repeat(32) }));
    expect(wrong.userMessage).toMatch(/different TLS certificate/);
  });

  it('refuses a key the hub does not know, and a missing key file, without writing', async () => {
    const before = fs.readFileSync(configFile, 'utf8');
    const other = path.join(base, 'other.skey');
    fs.writeFileSync(other, 'x'.repeat(40), { mode: 0o600 });
    expect((await failure(login({ configFile, url, ikey, skeyFile: other }))).code).toBe('FORBIDDEN');
    expect((await failure(login({ configFile, url, ikey, skeyFile: path.join(base, 'nope') }))).userMessage).toMatch(/Cannot read the secret key file/);
    expect((await failure(login({ configFile, url: 'ftp://x', ikey, skeyFile }))).code).toBe('INVALID_INPUT');
    expect(fs.readFileSync(configFile, 'utf8')).toBe(before);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataDirHash, ensureRuntimeDir, hubPaths, localHubDir, MAX_SOCKET_PATH_BYTES, resolveHubDir, resolvePaths } from '../../src/paths.js';
import { FactordeskError } from '../../src/errors.js';

const base = { home: '/home/ann', uid: 1234, cwd: '/work' };
const resolve = (env: Record<string, string | undefined>, dataDir?: string) => resolvePaths({ ...base, env, dataDir });

describe('resolvePaths: data directory', () => {
  it('step 1: --data-dir wins over FACTORDESK_HOME and XDG_DATA_HOME', () => {
    const p = resolve({ FACTORDESK_HOME: '/fh', XDG_DATA_HOME: '/xdg' }, '/opt/fd');
    expect(p.dataDir).toBe('/opt/fd');
  });

  it('step 1: a relative --data-dir is taken from the working directory', () => {
    expect(resolve({}, 'profiles/a').dataDir).toBe('/work/profiles/a');
  });

  it('step 2: FACTORDESK_HOME when there is no --data-dir', () => {
    expect(resolve({ FACTORDESK_HOME: '/fh', XDG_DATA_HOME: '/xdg' }).dataDir).toBe('/fh');
  });

  it('step 2: FACTORDESK_HOME may start with ~/', () => {
    expect(resolve({ FACTORDESK_HOME: '~/fd' }).dataDir).toBe('/home/ann/fd');
  });

  it('step 3: $XDG_DATA_HOME/factordesk', () => {
    expect(resolve({ XDG_DATA_HOME: '/xdg/data' }).dataDir).toBe('/xdg/data/factordesk');
  });

  it('step 4: ~/.local/share/factordesk, with $HOME before the given home', () => {
    expect(resolve({}).dataDir).toBe('/home/ann/.local/share/factordesk');
    expect(resolve({ HOME: '/home/bob' }).dataDir).toBe('/home/bob/.local/share/factordesk');
  });

  it('treats empty values as unset at every step', () => {
    const p = resolve({ FACTORDESK_HOME: '', XDG_DATA_HOME: '', XDG_STATE_HOME: '', XDG_RUNTIME_DIR: '', HOME: '' }, '');
    expect(p.dataDir).toBe('/home/ann/.local/share/factordesk');
    expect(p.stateDir).toBe('/home/ann/.local/state/factordesk');
    expect(p.runtimeDir).toBe('/tmp/factordesk-1234');
  });

  it('ignores relative XDG values, as the XDG specification says', () => {
    const p = resolve({ XDG_DATA_HOME: 'rel/data', XDG_STATE_HOME: 'rel/state', XDG_RUNTIME_DIR: 'rel/run' });
    expect(p.dataDir).toBe('/home/ann/.local/share/factordesk');
    expect(p.stateDir).toBe('/home/ann/.local/state/factordesk');
    expect(p.runtimeDir).toBe('/tmp/factordesk-1234');
  });
});

describe('resolvePaths: state directory', () => {
  it('lives inside an explicit data directory (--data-dir or FACTORDESK_HOME)', () => {
    expect(resolve({ XDG_STATE_HOME: '/xs' }, '/d').stateDir).toBe('/d/state');
    expect(resolve({ XDG_STATE_HOME: '/xs', FACTORDESK_HOME: '/fh' }).stateDir).toBe('/fh/state');
  });

  it('is $XDG_STATE_HOME/factordesk, else ~/.local/state/factordesk, with a default data directory', () => {
    expect(resolve({ XDG_STATE_HOME: '/xs' }).stateDir).toBe('/xs/factordesk');
    expect(resolve({ XDG_DATA_HOME: '/xd' }).stateDir).toBe('/home/ann/.local/state/factordesk');
  });

  it('holds the log file', () => {
    expect(resolve({}, '/d').logFile).toBe('/d/state/daemon.log');
  });
});

describe('resolvePaths: runtime directory and files', () => {
  it('step 1: $XDG_RUNTIME_DIR/factordesk; step 2: /tmp/factordesk-<uid>', () => {
    expect(resolve({ XDG_RUNTIME_DIR: '/run/user/1234' }).runtimeDir).toBe('/run/user/1234/factordesk');
    expect(resolve({}).runtimeDir).toBe('/tmp/factordesk-1234');
  });

  it('names the socket, pid file and lock after a hash of the absolute data directory', () => {
    const p = resolve({ XDG_RUNTIME_DIR: '/run/user/1234' }, '/d');
    const h = dataDirHash('/d');
    expect(h).toMatch(/^[0-9a-f]{12}$/);
    expect(p.socketPath).toBe(`/run/user/1234/factordesk/daemon-${h}.sock`);
    expect(p.pidFile).toBe(`/run/user/1234/factordesk/daemon-${h}.pid`);
    expect(p.startLockFile).toBe(`/run/user/1234/factordesk/daemon-${h}.lock`);
  });

  it('gives two data directories two sockets, and one directory (however written) one socket', () => {
    const env = { XDG_RUNTIME_DIR: '/run/user/1234' };
    expect(resolve(env, '/a').socketPath).not.toBe(resolve(env, '/b').socketPath);
    expect(resolve(env, '/work/a').socketPath).toBe(resolve(env, 'a/').socketPath);
  });

  it('falls back to /tmp when the socket path would not fit in sun_path', () => {
    const long = '/run/' + 'x'.repeat(100);
    const p = resolve({ XDG_RUNTIME_DIR: long }, '/d');
    expect(p.runtimeDir).toBe('/tmp/factordesk-1234');
    expect(Buffer.byteLength(p.socketPath)).toBeLessThanOrEqual(MAX_SOCKET_PATH_BYTES);
  });

  it('puts the replica and config in the data directory', () => {
    const p = resolve({}, '/d');
    expect(p.dbFile).toBe('/d/replica.sqlite');
    expect(p.configFile).toBe('/d/config.json');
  });
});

describe('ensureRuntimeDir', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-paths-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('creates the directory with mode 0700', () => {
    const dir = path.join(tmp, 'factordesk');
    ensureRuntimeDir(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('tightens an existing directory we own that others can reach', () => {
    const dir = path.join(tmp, 'factordesk');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o755);
    ensureRuntimeDir(dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a symbolic link', () => {
    const real = path.join(tmp, 'real');
    fs.mkdirSync(real, { mode: 0o700 });
    const link = path.join(tmp, 'factordesk');
    fs.symlinkSync(real, link);
    expect(() => ensureRuntimeDir(link)).toThrow(/symbolic link/);
  });

  it('refuses a directory owned by someone else', () => {
    const dir = path.join(tmp, 'factordesk');
    fs.mkdirSync(dir, { mode: 0o700 });
    const otherUid = fs.statSync(dir).uid + 1;
    let error: unknown;
    try {
      ensureRuntimeDir(dir, otherUid);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FactordeskError);
    expect((error as FactordeskError).code).toBe('REFUSED');
    expect((error as FactordeskError).userMessage).toMatch(/belongs to another user/);
  });
});

describe('hub directory', () => {
  it('step 1: --hub-dir (relative to the working directory, ~ expanded)', () => {
    expect(resolveHubDir({ ...base, env: { XDG_DATA_HOME: '/xdg' }, hubDir: 'hubs/team' })).toBe('/work/hubs/team');
    expect(resolveHubDir({ ...base, env: {}, hubDir: '~/hub' })).toBe('/home/ann/hub');
  });

  it('steps 2 and 3: $XDG_DATA_HOME/factordesk-hub, else ~/.local/share/factordesk-hub (an empty or relative XDG value is unset)', () => {
    expect(resolveHubDir({ ...base, env: { XDG_DATA_HOME: '/xdg' } })).toBe('/xdg/factordesk-hub');
    expect(resolveHubDir({ ...base, env: { XDG_DATA_HOME: '' } })).toBe('/home/ann/.local/share/factordesk-hub');
    expect(resolveHubDir({ ...base, env: { XDG_DATA_HOME: 'rel' }, hubDir: '' })).toBe('/home/ann/.local/share/factordesk-hub');
  });

  it('puts the local hub inside the data directory and names the files of a hub directory', () => {
    expect(localHubDir('/d')).toBe('/d/hub');
    expect(hubPaths('/h')).toEqual({
      hubDir: '/h',
      configFile: '/h/hub.json',
      dbFile: '/h/hub.sqlite',
      certFile: '/h/tls/cert.pem',
      keyFile: '/h/tls/key.pem',
      credentialsDir: '/h/credentials',
      logFile: '/h/hub.log',
      runtimeFile: '/h/serving.json',
      startLockFile: '/h/start.lock',
    });
  });
});

/**
 * The daemon's life cycle through real processes: `node --import tsx tui/cli/main.ts …`, each test with its own
 * data directory and its own XDG_RUNTIME_DIR.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePaths, type ResolvedPaths } from '../../../../src/paths.js';
import { PROTOCOL_VERSION } from '../../../../src/rpc/contract.js';
import { connectDaemon } from '../../../../tui/rpc-client.js';
import { rawConnection } from '../../../daemon/fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const ENTRY = path.join(ROOT, 'tui/cli/main.ts');

interface Sandbox {
  base: string;
  runtime: string;
  env: Record<string, string>;
  paths(dataDir?: string): ResolvedPaths;
  dataDir(name?: string): string;
  cli(args: string[], dataDir?: string): Promise<{ exitCode: number; stdout: string; stderr: string }>;
}

const sandboxes: Sandbox[] = [];

function sandbox(): Sandbox {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-cli-daemon-'));
  const runtime = path.join(base, 'run');
  fs.mkdirSync(runtime, { mode: 0o700 });
  const env = { XDG_RUNTIME_DIR: runtime, FACTORDESK_HOME: '', XDG_STATE_HOME: path.join(base, 'state') };
  const dataDir = (name = 'data') => path.join(base, name);
  const s: Sandbox = {
    base,
    runtime,
    env,
    dataDir,
    paths: (dir = dataDir()) => resolvePaths({ env, dataDir: dir }),
    async cli(args, dir = dataDir()) {
      const r = await execa(process.execPath, ['--import', 'tsx', ENTRY, '--data-dir', dir, ...args], {
        cwd: ROOT,
        env,
        reject: false,
        stdin: 'ignore',
        timeout: 60_000,
      });
      return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
  };
  sandboxes.push(s);
  return s;
}

afterEach(async () => {
  for (const s of sandboxes.splice(0)) {
    for (const name of fs.readdirSync(s.base)) {
      if (fs.existsSync(path.join(s.base, name, 'replica.sqlite')) || name.startsWith('data')) await s.cli(['daemon', 'stop'], path.join(s.base, name));
    }
    fs.rmSync(s.base, { recursive: true, force: true });
  }
});

const mode = (p: string) => fs.statSync(p).mode & 0o777;

describe('factordesk daemon', () => {
  it('start, status (exit 0, pid), stop (socket gone), status (exit 3)', async () => {
    const s = sandbox();
    const paths = s.paths();
    const started = await s.cli(['daemon', 'start']);
    expect(started.exitCode).toBe(0);
    const pid = Number(/pid:\s+(\d+)/.exec(started.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(started.stdout).toContain(paths.socketPath);

    const status = await s.cli(['--format', 'json', 'daemon', 'status']);
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'running', pid, data_dir: paths.dataDir, socket: paths.socketPath, log_file: paths.logFile });

    const stopped = await s.cli(['daemon', 'stop']);
    expect(stopped.exitCode).toBe(0);
    expect(stopped.stdout).toBe(`daemon stopped (pid ${pid})`);
    expect(fs.existsSync(paths.socketPath)).toBe(false);
    expect(fs.existsSync(paths.pidFile)).toBe(false);

    const after = await s.cli(['daemon', 'status']);
    expect(after.exitCode).toBe(3);
    expect(after.stdout).toMatch(/status:\s+not running/);
  });

  it('stop when nothing runs says so and succeeds', async () => {
    const s = sandbox();
    const r = await s.cli(['daemon', 'stop']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('daemon is not running');
  });

  it('is started on the first client request, with a 0600 socket in a 0700 directory', async () => {
    const s = sandbox();
    const paths = s.paths();
    expect(fs.existsSync(paths.socketPath)).toBe(false);
    const client = await connectDaemon({ dataDir: s.dataDir(), env: s.env, client: 'test' });
    try {
      expect(client.hello.pid).not.toBe(process.pid);
      expect(client.hello.dataDir).toBe(paths.dataDir);
      expect(mode(paths.socketPath)).toBe(0o600);
      expect(mode(paths.runtimeDir)).toBe(0o700);
      expect(fs.statSync(paths.socketPath).isSocket()).toBe(true);
    } finally {
      client.close();
    }
    const status = await s.cli(['daemon', 'status']);
    expect(status.exitCode).toBe(0);
  });

  it('is started by a CLI subcommand that needs it', async () => {
    const s = sandbox();
    const r = await s.cli(['--format', 'json', 'users', 'list']);
    expect(r.exitCode).toBe(0);
    expect((await s.cli(['daemon', 'status'])).exitCode).toBe(0);
  });

  it('runs two daemons side by side for two data directories', async () => {
    const s = sandbox();
    const [a, b] = [s.dataDir('data-a'), s.dataDir('data-b')];
    const [ra, rb] = await Promise.all([s.cli(['--format', 'json', 'daemon', 'start'], a), s.cli(['--format', 'json', 'daemon', 'start'], b)]);
    expect(ra.exitCode).toBe(0);
    expect(rb.exitCode).toBe(0);
    const [ja, jb] = [JSON.parse(ra.stdout), JSON.parse(rb.stdout)];
    expect(ja.pid).not.toBe(jb.pid);
    expect(ja.socket).not.toBe(jb.socket);
    expect(path.dirname(ja.socket)).toBe(path.dirname(jb.socket));
    expect(JSON.parse((await s.cli(['--format', 'json', 'daemon', 'status'], a)).stdout).pid).toBe(ja.pid);
    expect(JSON.parse((await s.cli(['--format', 'json', 'daemon', 'status'], b)).stdout).pid).toBe(jb.pid);
  });

  it('refuses a second `daemon run` on the same data directory: exit 1, one line and a hint, no stack', async () => {
    const s = sandbox();
    const first = await s.cli(['--format', 'json', 'daemon', 'start']);
    const pid = JSON.parse(first.stdout).pid as number;
    const second = await s.cli(['daemon', 'run']);
    expect(second.exitCode).toBe(1);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toEqual([
      `factordesk: a daemon is already running for ${s.paths().dataDir} (pid ${pid})`,
      'hint: stop it with `factordesk daemon stop`, or use another --data-dir',
    ]);
    expect(JSON.parse((await s.cli(['--format', 'json', 'daemon', 'status'])).stdout).pid).toBe(pid);
  });

  it('stops cleanly on SIGTERM: exit 0, socket and pid file removed', async () => {
    const s = sandbox();
    const paths = s.paths();
    const daemon = execa(process.execPath, ['--import', 'tsx', ENTRY, '--data-dir', s.dataDir(), 'daemon', 'run'], {
      cwd: ROOT,
      env: s.env,
      reject: false,
      stdin: 'ignore',
    });
    // Wait until it serves (a client without autostart succeeds).
    for (;;) {
      const client = await connectDaemon({ dataDir: s.dataDir(), env: s.env, autostart: false }).catch(() => undefined);
      if (client) {
        expect(client.hello.pid).toBe(daemon.pid);
        client.close();
        break;
      }
      if (daemon.exitCode !== null) throw new Error(`daemon exited early: ${(await daemon).stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(fs.existsSync(paths.pidFile)).toBe(true);
    daemon.kill('SIGTERM');
    const result = await daemon;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`serving ${paths.dataDir}`);
    expect(fs.existsSync(paths.socketPath)).toBe(false);
    expect(fs.existsSync(paths.pidFile)).toBe(false);
    const log = fs.readFileSync(paths.logFile, 'utf8');
    expect(log).toContain('"reason":"SIGTERM"');
    expect(log).toContain('daemon stopped');
  });

  it('survives malformed messages on its socket and serves the next request', async () => {
    const s = sandbox();
    expect((await s.cli(['daemon', 'start'])).exitCode).toBe(0);
    const raw = await rawConnection(s.paths().socketPath);
    raw.write('\u0000\u0001 garbage without any header\r\n\r\n');
    expect(await raw.next()).toMatchObject({ id: null, error: { code: -32700 } });
    await raw.closed();
    const raw2 = await rawConnection(s.paths().socketPath);
    raw2.frame('{"jsonrpc":"2.0","id":1,"method":"session.hello","params":');
    expect(await raw2.next()).toMatchObject({ id: null, error: { code: -32700, message: 'Parse error' } });
    raw2.frame(`{"jsonrpc":"2.0","id":2,"method":"session.hello","params":{"client":"raw","protocol":${PROTOCOL_VERSION}}}`);
    expect(await raw2.next()).toMatchObject({ id: 2, result: { protocol: PROTOCOL_VERSION } });
    raw2.close();
    const status = await s.cli(['daemon', 'status']);
    expect(status.exitCode).toBe(0);
    expect(fs.readFileSync(s.paths().logFile, 'utf8')).not.toContain('daemon crashed');
  });
});

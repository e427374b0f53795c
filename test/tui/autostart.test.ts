import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FactordeskError } from '../../src/errors.js';
import { daemonCommand, ensureDaemon, lastStartError, tryAcquireStartLock, type ProbeResult } from '../../tui/autostart.js';
import { tempPaths } from '../daemon/fixtures.js';

let tmp: ReturnType<typeof tempPaths>;
beforeEach(() => {
  tmp = tempPaths('fd-autostart-');
  fs.mkdirSync(tmp.paths.runtimeDir, { recursive: true, mode: 0o700 });
});
afterEach(() => tmp.cleanup());

const never = new Promise<number | undefined>(() => undefined);

/** A scripted probe: returns the given results in turn, then the last one forever. */
function script(...results: ProbeResult<string>[]) {
  let i = 0;
  const calls: string[] = [];
  return {
    calls,
    probe: async () => {
      const r = results[Math.min(i++, results.length - 1)]!;
      calls.push(r.state);
      return r;
    },
  };
}

const ready: ProbeResult<string> = { state: 'ready', client: 'C' };
const down: ProbeResult<string> = { state: 'unreachable', reason: 'no socket' };

async function caught(p: Promise<unknown>): Promise<FactordeskError> {
  try {
    await p;
  } catch (e) {
    return e as FactordeskError;
  }
  throw new Error('expected a rejection');
}

describe('ensureDaemon', () => {
  it('returns the client of a ready daemon without a lock or a spawn', async () => {
    const s = script(ready);
    let spawned = 0;
    const c = await ensureDaemon({ paths: tmp.paths, probe: s.probe, stop: async () => undefined, spawn: () => (spawned++, { pid: 1, exited: never }) });
    expect(c).toBe('C');
    expect(spawned).toBe(0);
    expect(fs.existsSync(tmp.paths.startLockFile)).toBe(false);
  });

  it('probes, takes the lock, probes again, spawns once, polls until ready, and releases the lock', async () => {
    const s = script(down, down, down, down, ready);
    const seen: boolean[] = [];
    let spawned = 0;
    const c = await ensureDaemon({
      paths: tmp.paths,
      probe: async () => {
        seen.push(fs.existsSync(tmp.paths.startLockFile));
        return s.probe();
      },
      stop: async () => undefined,
      spawn: () => (spawned++, { pid: 1, exited: never }),
      pollMs: 1,
    });
    expect(c).toBe('C');
    expect(spawned).toBe(1);
    // The first probe is made without the lock, the second (before spawning) with it.
    expect(seen.slice(0, 2)).toEqual([false, true]);
    expect(fs.existsSync(tmp.paths.startLockFile)).toBe(false);
  });

  it('does not spawn when the daemon came up while it waited for the lock', async () => {
    const s = script(down, ready);
    let spawned = 0;
    await ensureDaemon({ paths: tmp.paths, probe: s.probe, stop: async () => undefined, spawn: () => (spawned++, { pid: 1, exited: never }) });
    expect(spawned).toBe(0);
  });

  it('waits for another client that holds a fresh lock instead of spawning a second daemon', async () => {
    const other = tryAcquireStartLock(tmp.paths.startLockFile)!;
    const s = script(down, down, down, ready);
    let spawned = 0;
    await ensureDaemon({ paths: tmp.paths, probe: s.probe, stop: async () => undefined, spawn: () => (spawned++, { pid: 1, exited: never }), pollMs: 1 });
    expect(spawned).toBe(0);
    other.release();
  });

  it('stops a daemon that needs a restart, then starts a new one', async () => {
    const s = script({ state: 'needs-restart', client: 'OLD', reason: 'protocol 0' }, down, down, ready);
    const stopped: string[] = [];
    let spawned = 0;
    await ensureDaemon({ paths: tmp.paths, probe: s.probe, stop: async (c) => void stopped.push(c), spawn: () => (spawned++, { pid: 1, exited: never }), pollMs: 1 });
    expect(stopped).toEqual(['OLD']);
    expect(spawned).toBe(1);
  });

  it('gives up when a restarted daemon still cannot serve this client', async () => {
    const mismatch: ProbeResult<string> = { state: 'needs-restart', client: 'X', reason: 'protocol 0' };
    const error = await caught(ensureDaemon({ paths: tmp.paths, probe: script(mismatch).probe, stop: async () => undefined, spawn: () => ({ pid: 1, exited: never }), pollMs: 1 }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.userMessage).toMatch(/protocol 0/);
  });

  it('times out with a message naming the log file', async () => {
    const error = await caught(
      ensureDaemon({ paths: tmp.paths, probe: script(down).probe, stop: async () => undefined, spawn: () => ({ pid: 1, exited: never }), timeoutMs: 50, maxWaitMs: 100, pollMs: 5 }),
    );
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.userMessage).toMatch(/did not start within/);
    expect(error.hint).toContain(tmp.paths.logFile);
    expect(fs.existsSync(tmp.paths.startLockFile)).toBe(false);
  });

  it('waits past the timeout while the daemon it spawned is still alive (loading a large replica), up to maxWaitMs', async () => {
    let probes = 0;
    const probe = async (): Promise<ProbeResult<string>> => (++probes > 30 ? ready : down);
    const c = await ensureDaemon({ paths: tmp.paths, probe, stop: async () => undefined, spawn: () => ({ pid: 1, exited: never }), timeoutMs: 1, maxWaitMs: 30_000, pollMs: 2 });
    expect(c).toBe('C');
    const error = await caught(
      ensureDaemon({ paths: tmp.paths, probe: script(down).probe, stop: async () => undefined, spawn: () => ({ pid: 1, exited: never }), timeoutMs: 1, maxWaitMs: 40, pollMs: 2 }),
    );
    expect(error.userMessage).toMatch(/did not start within/);
  });

  it('hands the spawned daemon the environment the paths came from', async () => {
    const env = { XDG_RUNTIME_DIR: '/run/x', ONLY: 'this' };
    let given: unknown;
    await ensureDaemon({
      paths: tmp.paths,
      env,
      probe: script(down, down, ready).probe,
      stop: async () => undefined,
      spawn: (_p, _d, e) => ((given = e), { pid: 1, exited: never }),
      pollMs: 1,
    });
    expect(given).toBe(env);
  });

  it('reports why a spawned daemon exited, from its log', async () => {
    fs.mkdirSync(path.dirname(tmp.paths.logFile), { recursive: true });
    fs.writeFileSync(
      tmp.paths.logFile,
      JSON.stringify({ level: 50, msg: 'daemon did not start', err: { message: 'Another factordesk daemon is already using replica.sqlite' } }) + '\n',
    );
    const error = await caught(
      ensureDaemon({ paths: tmp.paths, probe: script(down).probe, stop: async () => undefined, spawn: () => ({ pid: 1, exited: Promise.resolve(1) }), pollMs: 1 }),
    );
    expect(error.userMessage).toBe('the daemon exited with code 1 before it was ready: Another factordesk daemon is already using replica.sqlite');
  });
});

describe('tryAcquireStartLock', () => {
  it('is exclusive until released', () => {
    const a = tryAcquireStartLock(tmp.paths.startLockFile);
    expect(a).toBeDefined();
    expect(tryAcquireStartLock(tmp.paths.startLockFile)).toBeUndefined();
    a!.release();
    const b = tryAcquireStartLock(tmp.paths.startLockFile);
    expect(b).toBeDefined();
    b!.release();
  });

  it('takes over a stale lock left by a client that died', () => {
    fs.writeFileSync(tmp.paths.startLockFile, '99999 dead\n');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(tmp.paths.startLockFile, old, old);
    const lock = tryAcquireStartLock(tmp.paths.startLockFile, 5000);
    expect(lock).toBeDefined();
    lock!.release();
  });

  it('does not remove a lock another client took after ours went stale', () => {
    const ours = tryAcquireStartLock(tmp.paths.startLockFile)!;
    fs.unlinkSync(tmp.paths.startLockFile);
    const theirs = tryAcquireStartLock(tmp.paths.startLockFile)!;
    ours.release();
    expect(fs.existsSync(tmp.paths.startLockFile)).toBe(true);
    theirs.release();
    expect(fs.existsSync(tmp.paths.startLockFile)).toBe(false);
  });
});

describe('daemonCommand', () => {
  it('runs this checkout\'s CLI entry with tsx (from the sources) and passes --data-dir only when given', () => {
    const withDir = daemonCommand('/d');
    expect(withDir.file).toBe(process.execPath);
    const entry = withDir.args.find((a) => a.endsWith(path.join('tui', 'cli', 'main.ts')));
    expect(entry).toBeDefined();
    expect(fs.existsSync(entry!)).toBe(true);
    expect(withDir.args[0]).toBe('--import');
    expect(withDir.args[1]).toMatch(/^file:.*tsx.*loader\.mjs$/);
    expect(withDir.args.slice(-4)).toEqual(['--data-dir', '/d', 'daemon', 'run']);
    expect(daemonCommand(undefined).args.slice(-2)).toEqual(['daemon', 'run']);
    expect(daemonCommand(undefined).args).not.toContain('--data-dir');
  });
});

describe('lastStartError', () => {
  it('is undefined without a log file', () => {
    expect(lastStartError(path.join(tmp.base, 'none.log'))).toBeUndefined();
  });
});

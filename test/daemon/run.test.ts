import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../daemon/logger.js';
import { probeSocket, readPid, startDaemon, type DaemonHandle } from '../../daemon/run.js';
import { FactordeskError } from '../../src/errors.js';
import { ensureRuntimeDir } from '../../src/paths.js';
import { fakeService, rawConnection, tempPaths } from './fixtures.js';

let tmp: ReturnType<typeof tempPaths>;
const handles: DaemonHandle[] = [];
const log = silentLogger();

beforeEach(() => {
  tmp = tempPaths('fd-run-');
});
afterEach(async () => {
  for (const h of handles.splice(0)) await h.shutdown('test end').catch(() => undefined);
  tmp.cleanup();
});

async function start(service = fakeService()) {
  const handle = await startDaemon({ paths: tmp.paths, openService: service.open, log });
  handles.push(handle);
  return handle;
}

async function caught(p: Promise<unknown>): Promise<FactordeskError> {
  try {
    await p;
  } catch (e) {
    return e as FactordeskError;
  }
  throw new Error('expected a rejection');
}

describe('startDaemon', () => {
  it('serves on a 0600 socket in a 0700 runtime directory and writes its pid file', async () => {
    await start();
    const { paths } = tmp;
    expect(fs.statSync(paths.socketPath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(paths.runtimeDir).mode & 0o777).toBe(0o700);
    expect(readPid(paths.pidFile)).toBe(process.pid);
    expect(await probeSocket(paths.socketPath)).toBe('live');
  });

  it('refuses a second daemon on the same data directory before opening its service', async () => {
    await start();
    const second = fakeService();
    const error = await caught(startDaemon({ paths: tmp.paths, openService: second.open, log }));
    expect(error).toBeInstanceOf(FactordeskError);
    expect(error.code).toBe('CONFLICT');
    expect(error.userMessage).toBe(`a daemon is already running for ${tmp.paths.dataDir} (pid ${process.pid})`);
    expect(second.state.opened).toBe(0);
    expect(await probeSocket(tmp.paths.socketPath)).toBe('live');
  });

  it('passes on the CONFLICT of a service that finds its replica locked, leaving no socket behind', async () => {
    const locked = async () => {
      throw new FactordeskError('CONFLICT', 'Another factordesk daemon is already using replica.sqlite');
    };
    const error = await caught(startDaemon({ paths: tmp.paths, openService: locked, log }));
    expect(error.code).toBe('CONFLICT');
    expect(fs.existsSync(tmp.paths.socketPath)).toBe(false);
    expect(fs.existsSync(tmp.paths.pidFile)).toBe(false);
  });

  it('removes a stale socket (connecting is refused) and serves', async () => {
    ensureRuntimeDir(tmp.paths.runtimeDir);
    // A process that binds the socket and dies without cleaning up leaves exactly this behind.
    await execa(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(tmp.paths.socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`], { reject: false });
    expect(fs.existsSync(tmp.paths.socketPath)).toBe(true);
    expect(await probeSocket(tmp.paths.socketPath)).toBe('refused');
    await start();
    expect(await probeSocket(tmp.paths.socketPath)).toBe('live');
  });

  it('shuts down on session.shutdown: closes the service, removes socket and pid file', async () => {
    const service = fakeService();
    const handle = await start(service);
    const c = await rawConnection(tmp.paths.socketPath);
    c.frame(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session.shutdown', params: {} }));
    expect(await c.next()).toMatchObject({ id: 1, result: { ok: true } });
    await handle.stopped;
    await c.closed();
    expect(service.state.closed).toBe(1);
    expect(fs.existsSync(tmp.paths.socketPath)).toBe(false);
    expect(fs.existsSync(tmp.paths.pidFile)).toBe(false);
  });

  it('shuts down once however often it is asked', async () => {
    const service = fakeService();
    const handle = await start(service);
    await Promise.all([handle.shutdown('a'), handle.shutdown('b')]);
    await handle.shutdown('c');
    expect(service.state.closed).toBe(1);
  });
});

describe('runDaemon', () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

  it('logs an uncaught exception, removes its socket and pid file, and exits 1', async () => {
    const script = path.join(tmp.base, 'crash.mts');
    fs.writeFileSync(
      script,
      `import { runDaemon } from ${JSON.stringify(path.join(root, 'daemon/run.ts'))};
       const paths = ${JSON.stringify(tmp.paths)};
       await runDaemon({
         paths,
         openService: async () => {
           setTimeout(() => { throw new Error('kaboom in a timer'); }, 100);
           return { handlers: {} as never, close: async () => undefined };
         },
       });`,
    );
    const r = await execa(process.execPath, ['--import', 'tsx', script], { cwd: root, reject: false });
    expect(r.exitCode).toBe(1);
    expect(fs.existsSync(tmp.paths.socketPath)).toBe(false);
    expect(fs.existsSync(tmp.paths.pidFile)).toBe(false);
    const fatal = fs
      .readFileSync(tmp.paths.logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string } })
      .find((l) => l.level === 60);
    expect(fatal).toMatchObject({ msg: 'daemon crashed', err: { message: 'kaboom in a timer' } });
  });
});

import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../daemon/logger.js';
import { startDaemon, type DaemonHandle } from '../../daemon/run.js';
import { FactordeskError } from '../../src/errors.js';
import { PROTOCOL_VERSION, type ViewUpdate } from '../../src/rpc/contract.js';
import { connectDaemon, DaemonUnreachableError, stopDaemon } from '../../tui/rpc-client.js';
import type { DaemonClient } from '../../tui/rpc-client-types.js';
import { boom, fakeService, refuse, tempPaths } from '../daemon/fixtures.js';

let tmp: ReturnType<typeof tempPaths>;
const handles: DaemonHandle[] = [];
const clients: DaemonClient[] = [];
const log = silentLogger();
const update: ViewUpdate = { subscriptionId: 's1', entity: 'devices', total: 0, offset: 0, rows: [], version: 3 };

beforeEach(() => {
  tmp = tempPaths('fd-client-');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const h of handles.splice(0)) await h.shutdown('test end').catch(() => undefined);
  tmp.cleanup();
});

async function serve(protocol?: number) {
  const service = fakeService(
    {
      'tokens.delete': refuse,
      'users.delete': boom,
      'view.subscribe': async (_spec, ctx) => {
        setTimeout(() => ctx.notify(update), 10);
        return { ...update, version: 1 };
      },
    },
    protocol,
  );
  const handle = await startDaemon({ paths: tmp.paths, openService: service.open, log });
  handles.push(handle);
  return handle;
}

async function connect(options: Parameters<typeof connectDaemon>[0] = {}) {
  const c = await connectDaemon({ paths: tmp.paths, autostart: false, client: 'test', ...options });
  clients.push(c);
  return c;
}

async function caught(p: Promise<unknown>): Promise<FactordeskError> {
  try {
    await p;
  } catch (e) {
    return e as FactordeskError;
  }
  throw new Error('expected a rejection');
}

describe('connectDaemon without autostart', () => {
  it('connects and keeps the handshake answer', async () => {
    await serve();
    const c = await connect();
    expect(c.hello).toMatchObject({ version: '9.9.9', protocol: PROTOCOL_VERSION, pid: process.pid, dataDir: tmp.paths.dataDir });
  });

  it('fails with DaemonUnreachableError (UNAVAILABLE) when nothing answers', async () => {
    const error = await caught(connect());
    expect(error).toBeInstanceOf(DaemonUnreachableError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.hint).toContain(tmp.paths.logFile);
  });

  it('fails with DaemonUnreachableError when the daemon speaks another protocol', async () => {
    await serve(PROTOCOL_VERSION + 1);
    const error = await caught(connect());
    expect(error).toBeInstanceOf(DaemonUnreachableError);
    expect(error.userMessage).toMatch(/protocol/);
  });
});

describe('DaemonClient', () => {
  it('rejects with a FactordeskError carrying the daemon code, message and hint', async () => {
    await serve();
    const c = await connect();
    const error = await caught(c.request('tokens.delete', { token: 'x' }));
    expect(error).toBeInstanceOf(FactordeskError);
    expect(error.code).toBe('REFUSED');
    expect(error.userMessage).toBe('cannot delete a vendor token');
    expect(error.hint).toBe('it is vendor-provisioned');
  });

  it('shows a daemon bug as INTERNAL with a pointer to the log', async () => {
    await serve();
    const c = await connect();
    const error = await caught(c.request('users.delete', { user: 'x' }));
    expect(error.code).toBe('INTERNAL');
    expect(error.userMessage).toBe(`internal error in the daemon; see ${tmp.paths.logFile}`);
  });

  it('delivers view.changed pushes to listeners until they unsubscribe', async () => {
    await serve();
    const c = await connect();
    const received: ViewUpdate[] = [];
    const arrived = new Promise<void>((resolve) =>
      c.onViewChanged((u) => {
        received.push(u);
        resolve();
      }),
    );
    await c.request('view.subscribe', { entity: 'devices' });
    await arrived;
    expect(received).toEqual([update]);
  });

  it('tells onClose listeners when the daemon goes away, and then fails requests as UNAVAILABLE', async () => {
    const handle = await serve();
    const c = await connect();
    const dropped = new Promise<void>((resolve) => c.onClose(resolve));
    await handle.shutdown('test');
    await dropped;
    const error = await caught(c.request('session.hello', { client: 't', protocol: PROTOCOL_VERSION }));
    expect(error.code).toBe('UNAVAILABLE');
  });
});

describe('stopDaemon', () => {
  it('asks the daemon to shut down and returns once its socket is gone', async () => {
    const handle = await serve();
    const c = await connect();
    await stopDaemon(c, tmp.paths);
    await handle.stopped;
    expect(fs.existsSync(tmp.paths.socketPath)).toBe(false);
  });
});

describe('connectDaemon with autostart', () => {
  it('starts a daemon when none answers, and uses the running one next time', async () => {
    let spawned = 0;
    const spawn = () => {
      spawned++;
      void serve();
      return { pid: process.pid, exited: new Promise<number | undefined>(() => undefined) };
    };
    const c = await connect({ autostart: true, spawn });
    expect(c.hello.dataDir).toBe(tmp.paths.dataDir);
    await connect({ autostart: true, spawn });
    expect(spawned).toBe(1);
  });

  it('restarts a daemon of another protocol', async () => {
    const old = await serve(PROTOCOL_VERSION + 1);
    const spawn = () => {
      void serve();
      return { pid: process.pid, exited: new Promise<number | undefined>(() => undefined) };
    };
    const c = await connect({ autostart: true, spawn });
    await old.stopped;
    expect(c.hello.protocol).toBe(PROTOCOL_VERSION);
  });

  it('reports a daemon that exits before it is ready as DaemonUnreachableError naming the log', async () => {
    const spawn = () => ({ pid: 1, exited: Promise.resolve<number | undefined>(1) });
    const error = await caught(connect({ autostart: true, spawn }));
    expect(error).toBeInstanceOf(DaemonUnreachableError);
    expect(error.userMessage).toMatch(/exited with code 1/);
    expect(error.hint).toContain(tmp.paths.logFile);
  });
});

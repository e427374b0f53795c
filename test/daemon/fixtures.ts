/** A stand-in daemon service and raw-socket helpers for the daemon process tests. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FactordeskError } from '../../src/errors.js';
import { resolvePaths, type ResolvedPaths } from '../../src/paths.js';
import { PROTOCOL_VERSION, type Hello } from '../../src/rpc/contract.js';
import type { RpcHandlers } from '../../daemon/rpc-server.js';
import type { DaemonService, OpenServiceContext } from '../../daemon/run.js';

/** A temp base with a data dir and a private runtime dir; `cleanup` removes it. */
export function tempPaths(prefix = 'fd-daemon-'): { base: string; paths: ResolvedPaths; cleanup(): void } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const runtime = path.join(base, 'run');
  fs.mkdirSync(runtime, { mode: 0o700 });
  const paths = resolvePaths({ env: { XDG_RUNTIME_DIR: runtime }, dataDir: path.join(base, 'data') });
  return { base, paths, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

/** Handlers for hello and shutdown plus whatever a test adds; other methods are unknown to the server. */
export function fakeHandlers(paths: ResolvedPaths, ctx: Pick<OpenServiceContext, 'requestShutdown'> | undefined, extra: Partial<RpcHandlers> = {}, protocol = PROTOCOL_VERSION): RpcHandlers {
  const startedAt = Date.now();
  const hello = async (): Promise<Hello> => ({
    version: '9.9.9',
    protocol,
    pid: process.pid,
    dataDir: paths.dataDir,
    identity: { admin_id: 'A1', name: 'test', role: 'Owner' },
    startedAt,
  });
  return {
    'session.hello': hello,
    'session.shutdown': async () => {
      ctx?.requestShutdown();
      return { ok: true as const };
    },
    ...extra,
  } as RpcHandlers;
}

/** An openService that serves fakeHandlers and records that it was closed. */
export function fakeService(extra: Partial<RpcHandlers> = {}, protocol?: number) {
  const state = { opened: 0, closed: 0 };
  const open = async (ctx: OpenServiceContext): Promise<DaemonService> => {
    state.opened++;
    return {
      handlers: fakeHandlers(ctx.paths, ctx, extra, protocol),
      close: async () => {
        state.closed++;
      },
    };
  };
  return { open, state };
}

/** A thrown error that is not a FactordeskError, for the internal-error path. */
export const boom = async (): Promise<never> => {
  throw new TypeError('secret internals at line 42');
};

export const refuse = async (): Promise<never> => {
  throw new FactordeskError('REFUSED', 'cannot delete a vendor token', { hint: 'it is vendor-provisioned' });
};

/** A raw connection that writes bytes and reads Content-Length framed JSON messages. */
export async function rawConnection(socketPath: string) {
  const socket = net.connect(socketPath);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffer = Buffer.alloc(0);
  const messages: unknown[] = [];
  const waiters: Array<() => void> = [];
  let ended = false;
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) break;
      const match = /Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString());
      if (!match) throw new Error('bad frame from server');
      const length = Number(match[1]);
      if (buffer.length < headerEnd + 4 + length) break;
      messages.push(JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()));
      buffer = buffer.subarray(headerEnd + 4 + length);
    }
    waiters.splice(0).forEach((w) => w());
  });
  socket.on('close', () => {
    ended = true;
    waiters.splice(0).forEach((w) => w());
  });
  socket.on('error', () => undefined);
  return {
    socket,
    write(text: string) {
      socket.write(text);
    },
    frame(body: string) {
      socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    },
    /** Waits for the next message (or undefined if the socket closes first). */
    async next(): Promise<unknown> {
      while (messages.length === 0 && !ended) await new Promise<void>((r) => waiters.push(r));
      return messages.shift();
    },
    async closed(): Promise<void> {
      while (!ended) await new Promise<void>((r) => waiters.push(r));
    },
    close() {
      socket.destroy();
    },
  };
}

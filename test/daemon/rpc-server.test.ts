import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type DaemonLogger } from '../../daemon/logger.js';
import { startRpcServer, type RpcServer } from '../../daemon/rpc-server.js';
import { ensureRuntimeDir, type ResolvedPaths } from '../../src/paths.js';
import { RPC_ERROR, VIEW_CHANGED, type ViewUpdate } from '../../src/rpc/contract.js';
import { JSONRPC_ERROR } from '../../src/rpc/errors-wire.js';
import { boom, fakeHandlers, rawConnection, refuse, tempPaths } from './fixtures.js';

let tmp: ReturnType<typeof tempPaths>;
let paths: ResolvedPaths;
let logger: DaemonLogger;
let server: RpcServer | undefined;
const closed: string[] = [];
const update: ViewUpdate = { subscriptionId: 's1', entity: 'users', total: 0, offset: 0, rows: [], version: 1 };

beforeEach(async () => {
  tmp = tempPaths('fd-rpc-');
  paths = tmp.paths;
  ensureRuntimeDir(paths.runtimeDir);
  logger = createLogger({ logFile: paths.logFile, level: 'debug' });
  closed.length = 0;
  server = await startRpcServer({
    socketPath: paths.socketPath,
    log: logger.log,
    logFile: paths.logFile,
    handlers: fakeHandlers(paths, undefined, {
      'users.delete': boom,
      'tokens.delete': refuse,
      'users.get': async (params, ctx) => {
        ctx.onClose(() => closed.push(ctx.connectionId));
        ctx.notify(update);
        return { user: { username: params.user } } as never;
      },
    }),
  });
});

afterEach(async () => {
  await server?.close();
  await logger.close();
  tmp.cleanup();
});

const request = (id: number, method: string, params?: unknown) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });

describe('startRpcServer', () => {
  it('creates the socket with mode 0600', () => {
    expect(fs.statSync(paths.socketPath).mode & 0o777).toBe(0o600);
  });

  it('answers a request with the handler result', async () => {
    const c = await rawConnection(paths.socketPath);
    c.frame(request(1, 'session.hello', { client: 't', protocol: 1 }));
    expect(await c.next()).toMatchObject({ id: 1, result: { version: '9.9.9', dataDir: paths.dataDir } });
    c.close();
  });

  it('sends a FactordeskError as code, message and hint', async () => {
    const c = await rawConnection(paths.socketPath);
    c.frame(request(2, 'tokens.delete', { token: 'x' }));
    expect(await c.next()).toEqual({
      jsonrpc: '2.0',
      id: 2,
      error: { code: RPC_ERROR.APPLICATION, message: 'cannot delete a vendor token', data: { code: 'REFUSED', hint: 'it is vendor-provisioned' } },
    });
    c.close();
  });

  it('hides an internal error behind a pointer to the log, and logs the whole error', async () => {
    const c = await rawConnection(paths.socketPath);
    c.frame(request(3, 'users.delete', { user: 'x' }));
    const reply = (await c.next()) as { error: { message: string; data: unknown } };
    expect(reply.error.message).toBe(`internal error in the daemon; see ${paths.logFile}`);
    expect(reply.error.data).toEqual({ code: 'INTERNAL' });
    expect(JSON.stringify(reply)).not.toMatch(/secret internals|TypeError/);
    c.close();
    await server?.close();
    logger.flush();
    const log = fs.readFileSync(paths.logFile, 'utf8');
    expect(log).toContain('secret internals at line 42');
    expect(log).toContain('TypeError');
  });

  it('answers an unknown method, and Object.prototype names, with MethodNotFound', async () => {
    const c = await rawConnection(paths.socketPath);
    c.frame(request(4, 'no.such'));
    expect(await c.next()).toMatchObject({ id: 4, error: { code: JSONRPC_ERROR.METHOD_NOT_FOUND } });
    c.frame(request(5, 'constructor', {}));
    expect(await c.next()).toMatchObject({ id: 5, error: { code: JSONRPC_ERROR.METHOD_NOT_FOUND } });
    c.close();
  });

  it('refuses params that are not an object with InvalidParams', async () => {
    const c = await rawConnection(paths.socketPath);
    for (const [id, params] of [[6, [1, 2]], [7, 5], [8, null]] as const) {
      c.frame(request(id, 'session.hello', params));
      expect(await c.next()).toMatchObject({ id, error: { code: JSONRPC_ERROR.INVALID_PARAMS } });
    }
    c.close();
  });

  it('answers a body that is not JSON with a parse error and keeps serving the connection', async () => {
    const c = await rawConnection(paths.socketPath);
    c.frame('{"jsonrpc": "2.0", "id": 9, "method": ');
    expect(await c.next()).toMatchObject({ id: null, error: { code: JSONRPC_ERROR.PARSE_ERROR } });
    c.frame(request(10, 'session.hello', { client: 't', protocol: 1 }));
    expect(await c.next()).toMatchObject({ id: 10, result: { version: '9.9.9' } });
    c.close();
  });

  it('answers JSON that is not JSON-RPC with Invalid Request and keeps serving the connection', async () => {
    const c = await rawConnection(paths.socketPath);
    c.frame('{"hello": "world"}');
    expect(await c.next()).toMatchObject({ id: null, error: { code: JSONRPC_ERROR.INVALID_REQUEST } });
    c.frame('{"jsonrpc": "2.0", "id": 11, "method": 42}');
    expect(await c.next()).toMatchObject({ id: 11, error: { code: JSONRPC_ERROR.INVALID_REQUEST } });
    c.frame('[1, 2, 3]');
    expect(await c.next()).toMatchObject({ id: null, error: { code: JSONRPC_ERROR.INVALID_REQUEST } });
    c.frame(request(12, 'session.hello', { client: 't', protocol: 1 }));
    expect(await c.next()).toMatchObject({ id: 12, result: { version: '9.9.9' } });
    c.close();
  });

  it('hangs up on a client whose framing is garbage, without a stack, and serves the next client', async () => {
    const c = await rawConnection(paths.socketPath);
    c.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const reply = await c.next();
    expect(reply).toMatchObject({ id: null, error: { code: JSONRPC_ERROR.PARSE_ERROR, message: 'Parse error' } });
    await c.closed();
    const c2 = await rawConnection(paths.socketPath);
    c2.write('Content-Length: nope\r\n\r\n');
    expect(await c2.next()).toMatchObject({ error: { code: JSONRPC_ERROR.PARSE_ERROR } });
    await c2.closed();
    const c3 = await rawConnection(paths.socketPath);
    c3.frame(request(13, 'session.hello', { client: 't', protocol: 1 }));
    expect(await c3.next()).toMatchObject({ id: 13, result: { version: '9.9.9' } });
    c3.close();
  });

  it('lets a handler push view.changed to its connection and learn when it closes', async () => {
    const c = await rawConnection(paths.socketPath);
    c.frame(request(14, 'users.get', { user: 'alice' }));
    const first = await c.next();
    const second = await c.next();
    expect(first).toEqual({ jsonrpc: '2.0', method: VIEW_CHANGED, params: update });
    expect(second).toMatchObject({ id: 14, result: { user: { username: 'alice' } } });
    expect(closed).toEqual([]);
    c.close();
    await c.closed();
    while (server!.connectionCount() > 0) await new Promise((r) => setTimeout(r, 10));
    expect(closed).toEqual(['c1']);
  });

  it('closes: connections end and the socket file is removed', async () => {
    const c = await rawConnection(paths.socketPath);
    await server!.close();
    await c.closed();
    expect(fs.existsSync(paths.socketPath)).toBe(false);
  });
});

/**
 * Bad input through the real CLI and daemon: each gets a one-line error, exit 1 (2 for usage), no stack trace,
 * and leaves the replica exactly as it was.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePaths } from '../../src/paths.js';
import { connectDaemon } from '../../tui/rpc-client.js';
import { cliSandbox, type CliResult, type CliSandbox } from '../helpers/cli.js';

let fd: CliSandbox;
let phoneId: string;

/** Everything a command could have changed, as the daemon reports it. */
async function snapshot(): Promise<string> {
  const client = await connectDaemon({ dataDir: fd.dataDir, env: fd.env, autostart: false });
  try {
    const parts = [];
    for (const entity of ['devices', 'users', 'tokens', 'audit'] as const) {
      parts.push((await client.request('report.export', { spec: { entity }, format: 'json' })).content);
    }
    return parts.join('\n');
  } finally {
    client.close();
  }
}

/** Writes one framed message straight to the daemon's socket and returns the first reply. */
function rawRpc(body: string): Promise<string> {
  const { socketPath } = resolvePaths({ env: fd.env, dataDir: fd.dataDir });
  return new Promise<string>((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
      if (data.includes('}')) {
        socket.end();
        resolve(data);
      }
    });
    socket.on('error', reject);
    socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

function expectCleanRefusal(result: CliResult, message: RegExp, exitCode = 1): void {
  expect(result.exitCode).toBe(exitCode);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(result.stderr.split('\n')[0]).toMatch(/^factordesk: /);
  expect(result.stdout).toBe('');
}

beforeAll(async () => {
  fd = cliSandbox('fd-bad-');
  await fd.ok('users', 'add', 'alice');
  const added = await fd.json<{ phone: { phone_id: string } }>(
    'phones', 'add', '--user', 'alice', '--type', 'mobile', '--platform', 'ios', '--number', '+15550001111',
  );
  phoneId = added.phone.phone_id;
  await fd.ok('phones', 'add', '--user', 'alice', '--type', 'tablet', '--platform', 'ios', '--name', 'iPad');
});
afterAll(async () => {
  await fd.dispose();
});

describe('bad input is refused cleanly and changes nothing', () => {
  it('an unknown filter key names the key and the known ones', async () => {
    const before = await snapshot();
    const result = await fd.run('phones', 'list', 'colour:blue');
    expectCleanRefusal(result, /colour/);
    expect(result.stderr).toMatch(/platform/);
    expect(await snapshot()).toBe(before);
  });

  it('a 129-character serial is refused', async () => {
    const before = await snapshot();
    const result = await fd.run('tokens', 'add', 'S'.repeat(129), '--type', 'h6');
    expectCleanRefusal(result, /128/);
    expect(await snapshot()).toBe(before);
  });

  it('an unknown user is refused', async () => {
    const before = await snapshot();
    const result = await fd.run('phones', 'add', '--user', 'nobody', '--type', 'mobile', '--number', '+15550002222');
    expectCleanRefusal(result, /nobody/);
    expect(await snapshot()).toBe(before);
  });

  it('a reorder out of range is refused', async () => {
    const before = await snapshot();
    const result = await fd.run('phones', 'reorder', '--user', 'alice', phoneId, '5');
    expectCleanRefusal(result, /out of range/);
    expect(await snapshot()).toBe(before);
  });

  it('a usage error exits 2', async () => {
    const result = await fd.run('phones', 'reorder', '--user', 'alice');
    expect(result.exitCode).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a malformed RPC message gets an error response and the daemon keeps serving, unchanged', async () => {
    const before = await snapshot();
    const reply = await rawRpc('{"jsonrpc":"2.0","id":1,"method":"phones.delete","params":');
    expect(reply).toMatch(/-32700|Parse error/i);
    expect(reply).not.toMatch(/\n\s+at /);
    expect(await snapshot()).toBe(before);
    expect((await fd.run('daemon', 'status')).exitCode).toBe(0);
  });

  it('a command with wrongly typed parameters is refused without a stack', async () => {
    const before = await snapshot();
    const reply = await rawRpc(
      JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'phones.reorder', params: { user: 'alice', phone: phoneId, position: 'first' } }),
    );
    const message = JSON.parse(reply.slice(reply.indexOf('{'))) as { id: number; error?: { message: string; data?: { code: string } } };
    expect(message.id).toBe(7);
    expect(message.error?.data?.code).toBe('INVALID_INPUT');
    expect(reply).not.toMatch(/\n\s+at /);
    expect(await snapshot()).toBe(before);
  });
});

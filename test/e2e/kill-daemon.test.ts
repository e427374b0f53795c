/**
 * No data loss: every write the daemon acknowledged is present after the daemon is killed with SIGKILL in the
 * middle of a stream of writes, and after it restarts by itself on the next request.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDaemon } from '../../tui/rpc-client.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-kill-'));
const runtime = path.join(base, 'run');
fs.mkdirSync(runtime, { mode: 0o700 });
const env = { ...process.env, XDG_RUNTIME_DIR: runtime, NODE_ENV: 'production' };
const dataDir = path.join(base, 'data');

afterAll(async () => {
  const client = await connectDaemon({ dataDir, env, autostart: false }).catch(() => undefined);
  if (client) {
    await client.request('session.shutdown', {}).catch(() => undefined);
    client.close();
  }
  fs.rmSync(base, { recursive: true, force: true });
});

describe('kill -9 of the daemon', () => {
  it('keeps every acknowledged write', async () => {
    const client = await connectDaemon({ dataDir, env, client: 'test' });
    const pid = client.hello.pid;
    const acknowledged: string[] = [];
    let stopped = false;
    client.onClose(() => {
      stopped = true;
    });

    // Writers keep going until the connection drops; the kill lands while requests are in flight.
    const writer = async (n: number) => {
      for (let i = 0; !stopped; i++) {
        const username = `user-${n}-${i}`;
        try {
          await client.request('users.add', { username });
          acknowledged.push(username);
        } catch {
          return;
        }
      }
    };
    const writers = [writer(1), writer(2), writer(3)];
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 5));
    process.kill(pid, 'SIGKILL');
    await Promise.all(writers);
    client.close();
    expect(acknowledged.length).toBeGreaterThanOrEqual(150);

    // The next client starts a new daemon on the same data directory (the kernel freed the lock).
    const again = await connectDaemon({ dataDir, env, client: 'test' });
    expect(again.hello.pid).not.toBe(pid);
    const page = await again.request('view.query', { entity: 'users', window: { offset: 0, limit: 1000 } });
    const present = new Set((page.rows as { username: string }[]).map((r) => r.username));
    const missing = acknowledged.filter((u) => !present.has(u));
    expect(missing).toEqual([]);
    // The replica still works after the crash: a new write is accepted and read back.
    await again.request('users.add', { username: 'after-restart' });
    const detail = await again.request('users.get', { user: 'after-restart' });
    expect(detail.user.username).toBe('after-restart');
    again.close();
  });
});

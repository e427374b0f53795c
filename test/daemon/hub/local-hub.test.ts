/**
 * Zero setup: the daemon's local hub is created once, started as a detached `hub serve` process, found running
 * on the next call, restarted when it died, moved when its port was taken, and stopped on request.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WHOAMI_PATH, type WhoAmI } from '../../../src/sync/protocol.js';
import { ensureLocalHub, stopHubProcess, type LocalHub } from '../../../daemon/hub/local-hub.js';
import { readServingInfo } from '../../../daemon/hub/run-hub.js';
import { isAlive } from '../../../src/process-alive.js';
import { readHubConfig } from '../../../daemon/hub/hub-config.js';
import { signedRequest, tempDir } from '../../helpers/hub-wire.js';

const base = tempDir('fd-local-hub-');
const dataDir = path.join(base, 'data');
const hubDir = path.join(dataDir, 'hub');

afterAll(async () => {
  await stopHubProcess(hubDir);
  fs.rmSync(base, { recursive: true, force: true });
});

async function waitDead(pid: number): Promise<void> {
  while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
}

describe('ensureLocalHub', () => {
  let first: LocalHub;

  it('creates a loopback SQLite hub with an Owner for the OS user, starts it, and returns how to reach it', async () => {
    first = await ensureLocalHub({ dataDir, owner: { name: 'solo' } });
    expect(first.hubDir).toBe(hubDir);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.fingerprint).toBeUndefined();
    expect(first.skey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(isAlive(first.pid)).toBe(true);
    expect(readHubConfig(hubDir).listen.port).toBe(Number(new URL(first.url).port));
    const who = await signedRequest<WhoAmI>({ url: first.url, credential: first, path: WHOAMI_PATH });
    expect(who.body.identity).toEqual({ admin_id: first.admin_id, name: 'solo', role: 'Owner' });
    expect(who.body.hub_id).toBe(first.hub_id);
  });

  it('finds the running hub on the next call instead of starting another', async () => {
    const again = await ensureLocalHub({ dataDir });
    expect(again).toMatchObject({ pid: first.pid, url: first.url, ikey: first.ikey, skey: first.skey, hub_id: first.hub_id });
  });

  it('starts it again after it was killed, with the same credential and data', async () => {
    process.kill(first.pid, 'SIGKILL');
    await waitDead(first.pid);
    const restarted = await ensureLocalHub({ dataDir });
    expect(restarted.pid).not.toBe(first.pid);
    expect(restarted).toMatchObject({ url: first.url, ikey: first.ikey, hub_id: first.hub_id, admin_id: first.admin_id });
    first = restarted;
  });

  it('moves to another port when its own was taken while it was stopped', async () => {
    await first.stop();
    expect(isAlive(first.pid)).toBe(false);
    expect(readServingInfo(hubDir)).toBeUndefined();
    const port = Number(new URL(first.url).port);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const moved = await ensureLocalHub({ dataDir });
      expect(moved.url).not.toBe(first.url);
      expect(readHubConfig(hubDir).listen.port).toBe(Number(new URL(moved.url).port));
      expect((await signedRequest({ url: moved.url, credential: moved, path: WHOAMI_PATH })).status).toBe(200);
      await moved.stop();
    } finally {
      squatter.close();
    }
  });
});

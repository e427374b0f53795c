/**
 * Zero setup for one administrator, with real processes and the product's default (no FACTORDESK_NO_LOCAL_HUB):
 * the first daemon start creates a local hub under the data directory, in the background, and replicates with it;
 * the hub audits the edits; the hub stops with the daemon and comes back with it, data intact.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../src/rpc/contract.js';
import { readServingInfo } from '../../daemon/hub/run-hub.js';
import { isAlive } from '../../src/process-alive.js';
import { cliSandbox } from '../helpers/cli.js';
import { until } from '../helpers/until.js';

const fd = cliSandbox('fd-zero-setup-');
// The suite disables the local hub for every other test; this one runs the default.
fd.env.FACTORDESK_NO_LOCAL_HUB = '';
const hubDir = path.join(fd.dataDir, 'hub');

afterAll(async () => {
  await fd.dispose();
}, 60_000);


const online = () =>
  until('the daemon online with its local hub', async () => {
    const s = await fd.json<SyncStatus>('sync', 'status');
    return s.state === 'online' && s.queued === 0 ? s : undefined;
  });

describe('the first daemon start with no hub configured', () => {
  it('answers at once and replicates with a local hub it creates', async () => {
    const started = Date.now();
    await fd.ok('users', 'add', 'solo');
    console.log(`first command (daemon start included) took ${Date.now() - started} ms`);

    const status = await online();
    expect(status).toMatchObject({ local: true, hub: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), identity: { role: 'Owner', name: os.userInfo().username } });
    const config = JSON.parse(fs.readFileSync(path.join(fd.dataDir, 'config.json'), 'utf8')) as { hub: { url: string; local: boolean } };
    expect(config.hub).toMatchObject({ url: status.hub, local: true });
    expect((fs.statSync(path.join(fd.dataDir, 'config.json')).mode & 0o777).toString(8)).toBe('600');
    expect(readServingInfo(hubDir)?.url).toBe(status.hub);

    // The hub recorded the edit (daemons with a hub no longer write their own audit events).
    const audit = await until('the hub\'s audit event', async () => {
      const rows = await fd.json<Array<{ action: string; summary: string }>>('audit', 'list', 'action:users.add');
      return rows.length > 0 ? rows : undefined;
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.summary).toMatch(/solo/);
  });

  it('stops the local hub with the daemon, and starts it again with the next daemon, data intact', async () => {
    const pid = readServingInfo(hubDir)?.pid;
    expect(pid).toBeDefined();
    await fd.ok('daemon', 'stop');
    await until('the hub to stop', async () => (isAlive(pid!) ? undefined : true), 20_000);

    const users = await fd.json<Array<{ username: string }>>('users', 'list');
    expect(users.map((u) => u.username)).toEqual(['solo']);
    const status = await online();
    expect(status.local).toBe(true);
    expect(readServingInfo(hubDir)?.pid).not.toBe(pid);
    await fd.ok('users', 'add', 'second');
    await until('the second user audited at the hub', async () => {
      const rows = await fd.json<unknown[]>('audit', 'list', 'action:users.add');
      return rows.length === 2 ? rows : undefined;
    });
  });
});

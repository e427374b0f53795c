/** The role matrix is enforced by the real daemon for the administrator it acts as (from its config file). */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../helpers/cli.js';

let fd: CliSandbox;

beforeAll(async () => {
  fd = cliSandbox('fd-roles-');
  fs.mkdirSync(fd.dataDir, { recursive: true });
  fs.writeFileSync(
    path.join(fd.dataDir, 'config.json'),
    JSON.stringify({ identity: { admin_id: 'DEHELPDESK0000000000', name: 'hd', role: 'Help Desk' } }),
  );
});
afterAll(async () => {
  await fd.dispose();
});

describe('a Help Desk daemon', () => {
  it('refuses to create a user, with the reason, and changes nothing', async () => {
    const result = await fd.run('users', 'add', 'mallory');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/Help Desk/);
    const users = await fd.json<unknown[]>('users', 'list');
    expect(users).toEqual([]);
  });

  it('refuses to export a report', async () => {
    const result = await fd.run('report', 'devices');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/export/i);
  });

  it('refuses to attach a token to an administrator: Owner only', async () => {
    const result = await fd.run('tokens', 'attach-admin', 'ANY', '--admin', 'hd');
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/Only an Owner/);
  });

  it('reports who it acts as', async () => {
    const status = await fd.ok('daemon', 'status');
    expect(status).toMatch(/Help Desk/);
  });
});

/**
 * The foundation's end-to-end story through real processes: the CLI starts a real daemon on a fresh data
 * directory and drives every device rule of the reference text, then exports a filtered view.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceDetail, OrderedPhone, UserDetail } from '../../src/rpc/contract.js';
import type { User } from '../../src/domain/schemas.js';
import { cliSandbox, type CliSandbox } from '../helpers/cli.js';

let fd: CliSandbox;
beforeAll(() => {
  fd = cliSandbox('fd-e2e-');
});
afterAll(async () => {
  await fd.dispose();
});

const aliases = (detail: UserDetail) => detail.phones.map((p) => `${p.alias}=${p.phone.name}`);

describe('a real daemon driven through the CLI', () => {
  let work: OrderedPhone;
  let home: OrderedPhone;

  it('adds users alice and bob (starting the daemon on first use)', async () => {
    const alice = await fd.json<User>('users', 'add', 'alice', '--realname', 'Alice Example', '--email', 'alice@example.com');
    const bob = await fd.json<User>('users', 'add', 'bob');
    expect(alice.username).toBe('alice');
    expect(alice.user_id).toMatch(/^DU[0-9A-Z]{18}$/);
    expect(bob.status).toBe('active');
    const status = await fd.run('daemon', 'status');
    expect(status.exitCode).toBe(0);
  });

  it('adds two phones to alice as phone1 and phone2', async () => {
    work = await fd.json<OrderedPhone>(
      'phones', 'add', '--user', 'alice', '--type', 'mobile', '--platform', 'ios', '--number', '+15550000001',
      '--name', 'work iPhone', '--os-version', '16.7',
    );
    home = await fd.json<OrderedPhone>(
      'phones', 'add', '--user', 'alice', '--type', 'tablet', '--platform', 'Android', '--name', 'home tablet',
    );
    expect(work.alias).toBe('phone1');
    expect(home.alias).toBe('phone2');
    expect(work.phone.platform).toBe('apple ios');
    expect(home.phone.platform).toBe('google android');
    const detail = await fd.json<UserDetail>('users', 'show', 'alice');
    expect(aliases(detail)).toEqual(['phone1=work iPhone', 'phone2=home tablet']);
  });

  it('reorders them: the aliases swap', async () => {
    const detail = await fd.json<UserDetail>('phones', 'reorder', '--user', 'alice', home.phone.phone_id, '1');
    expect(aliases(detail)).toEqual(['phone1=home tablet', 'phone2=work iPhone']);
    const again = await fd.json<UserDetail>('users', 'show', 'alice');
    expect(aliases(again)).toEqual(['phone1=home tablet', 'phone2=work iPhone']);
  });

  it('attaches the work phone to bob too: it is shared', async () => {
    const detail = await fd.json<DeviceDetail>('phones', 'attach', 'alice:phone2', '--user', 'bob');
    expect(detail.shared).toBe(true);
    expect(detail.users.map((u) => `${u.username}:${u.alias}`).sort()).toEqual(['alice:phone2', 'bob:phone1']);
    const table = await fd.ok('phones', 'show', work.phone.phone_id);
    expect(table).toContain('shared between more than one user');
  });

  it('exports a filtered view to CSV and JSON, field by field', async () => {
    const csvFile = path.join(fd.dataDir, 'ios.csv');
    const jsonFile = path.join(fd.dataDir, 'ios.json');
    await fd.ok('report', 'devices', 'platform:ios', 'shared:yes', '--output', csvFile);
    await fd.ok('--format', 'json', 'report', 'devices', 'platform:ios', 'shared:yes', '--output', jsonFile);

    const rows = parse(fs.readFileSync(csvFile, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      phone_id: work.phone.phone_id,
      name: 'work iPhone',
      number: '+15550000001',
      type: 'Mobile',
      platform: 'Apple iOS',
      os_version: '16.7',
      shared: 'true',
    });
    expect(row.users).toContain('alice (phone2)');
    expect(row.users).toContain('bob (phone1)');

    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as Record<string, unknown>[];
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({
      phone_id: work.phone.phone_id,
      name: 'work iPhone',
      number: '+15550000001',
      type: 'Mobile',
      platform: 'Apple iOS',
      os_version: '16.7',
      shared: true,
    });
    const text = JSON.stringify(json) + fs.readFileSync(csvFile, 'utf8');
    expect(text).not.toMatch(/secret|aes_key|seed/i);
  });

  it('removes the shared phone from alice (kept for bob), then from bob (gone)', async () => {
    const first = await fd.json<{ deviceDeleted: boolean }>('phones', 'detach', work.phone.phone_id, '--user', 'alice');
    expect(first.deviceDeleted).toBe(false);
    const bobs = await fd.json<UserDetail>('users', 'show', 'bob');
    expect(aliases(bobs)).toEqual(['phone1=work iPhone']);
    const alices = await fd.json<UserDetail>('users', 'show', 'alice');
    expect(aliases(alices)).toEqual(['phone1=home tablet']);

    const second = await fd.json<{ deviceDeleted: boolean }>('phones', 'detach', work.phone.phone_id, '--user', 'bob');
    expect(second.deviceDeleted).toBe(true);
    const gone = await fd.run('phones', 'show', work.phone.phone_id);
    expect(gone.exitCode).toBe(1);
    expect(gone.stderr).toMatch(/no device/i);
  });

  it('deletes the other device: gone from every user', async () => {
    await fd.ok('phones', 'attach', home.phone.phone_id, '--user', 'bob');
    const result = await fd.json<{ affectedUsers: string[] }>('phones', 'delete', home.phone.phone_id);
    expect(result.affectedUsers.sort()).toEqual(['alice', 'bob']);
    for (const user of ['alice', 'bob']) {
      const detail = await fd.json<UserDetail>('users', 'show', user);
      expect(detail.phones).toEqual([]);
    }
    const all = await fd.json<unknown[]>('phones', 'list');
    expect(all).toEqual([]);
  });

  it('records every change in the audit trail', async () => {
    const events = await fd.json<{ action: string }[]>('audit', 'list');
    const actions = events.map((e) => e.action);
    for (const action of ['user.add', 'phone.add', 'phone.reorder', 'phone.attach', 'phone.detach', 'phone.delete']) {
      expect(actions).toContain(action);
    }
  });
});

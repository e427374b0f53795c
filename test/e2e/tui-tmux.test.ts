/**
 * The real TUI in a real terminal: tmux runs `factordesk` (which talks to a real daemon) on a fresh data
 * directory with the demo data loaded. Keys go in with send-keys; every check polls capture-pane until the
 * text appears (bounded), and the results are checked again through the CLI and the exported file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserDetail, UserRow } from '../../src/rpc/contract.js';
import { cliSandbox, type CliSandbox } from '../helpers/cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVER = `fd-e2e-${process.pid}`;
const SESSION = 'fd';

let fd: CliSandbox;

const tmux = (...args: string[]) => execa('tmux', ['-L', SERVER, ...args], { reject: true });
const capture = async () => (await tmux('capture-pane', '-p', '-t', SESSION)).stdout;
/** Named keys (Enter, Escape, Tab, C-u …). */
const keys = (...names: string[]) => tmux('send-keys', '-t', SESSION, ...names);
/** Literal text, typed as it is. */
const type = (text: string) => tmux('send-keys', '-t', SESSION, '-l', text);

/** Polls the screen until `expected` shows (bounded); returns that screen. */
// Generous: under a loaded CI machine the first screen waits for tsx to compile the TUI and for the daemon.
async function screen(expected: string | RegExp | ((s: string) => boolean), timeoutMs = 90_000): Promise<string> {
  const ok = (s: string) => (typeof expected === 'string' ? s.includes(expected) : expected instanceof RegExp ? expected.test(s) : expected(s));
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await capture();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the screen never showed ${String(expected)}; last screen:\n${last}`);
}

/** Starts the TUI in a fresh tmux session of the given size; the shell line after it reports the exit code. */
async function startTui(columns: number, rows: number, args = ''): Promise<void> {
  await tmux('kill-session', '-t', SESSION).catch(() => undefined);
  const env = Object.entries(fd.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const command = `node --import tsx tui/cli/main.ts --data-dir '${fd.dataDir}' ${args}; echo "TUI EXITED $?"; sleep 600`;
  await tmux('new-session', '-d', '-s', SESSION, '-x', String(columns), '-y', String(rows), '-c', ROOT, ...env, command);
}

const aliasOf = (s: string, name: string) => s.split('\n').find((l) => l.includes(name) && /phone\d/.test(l))?.match(/phone\d/)?.[0];

beforeAll(async () => {
  fd = cliSandbox('fd-e2e-tui-');
  await fd.ok('demo', 'load');
}, 180_000);

afterAll(async () => {
  await tmux('kill-server').catch(() => undefined);
  await fd.dispose();
});

describe('the TUI in tmux', { timeout: 300_000 }, () => {
  it('filters, exports CSV, reorders a user\'s phones and detaches a device', async () => {
    await startTui(120, 40);
    await screen('Devices · 50 matches');
    const first = await capture();
    expect(first.split('\n').length).toBeLessThanOrEqual(40);
    expect(first).toContain('hub: local only');

    // Filter.
    const expected = (await fd.json<unknown[]>('phones', 'list', 'platform:ios', 'encrypted:no', '--limit', '1000')).length;
    await keys('/');
    await type('platform:ios encrypted:no');
    await screen(`/platform:ios encrypted:no    ${expected} match`);
    await keys('Enter');
    const filtered = await screen('filter: platform:ios encrypted:no');
    const rows = filtered.split('\n').filter((l) => / iOS /.test(l));
    expect(rows).toHaveLength(expected);

    // Export CSV.
    const file = path.join(path.dirname(fd.dataDir), 'ios-unencrypted.csv');
    await keys('e');
    await screen('Export devices to a file');
    await keys('Tab', 'C-u');
    await type(file);
    await keys('Enter');
    await screen(`Exported ${expected} row`);
    const csv = parse(fs.readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(expected);
    for (const row of csv) {
      expect(row.platform).toBe('Apple iOS');
      expect(row.encrypted).toBe('Unencrypted');
    }

    // Reorder a user's phones.
    const [someone] = await fd.json<UserRow[]>('users', 'list', 'phones:>1', '--limit', '1');
    const before = await fd.json<UserDetail>('users', 'show', someone!.username);
    const [p1, p2] = before.phones.map((p) => p.phone);
    const label = (p: typeof p1) => p!.name || p!.number || p!.phone_id;
    await keys('2');
    await screen('Users · 40 matches');
    await keys('/');
    await type(`username:=${someone!.username}`);
    await screen('Users · 1 match');
    await keys('Enter', 'Enter');
    let s = await screen(`User · ${someone!.username}`);
    s = await screen((x) => aliasOf(x, label(p2)) === 'phone2');
    expect(aliasOf(s, label(p1))).toBe('phone1');
    await keys('J');
    s = await screen((x) => aliasOf(x, label(p1)) === 'phone2' && aliasOf(x, label(p2)) === 'phone1');
    const after = await fd.json<UserDetail>('users', 'show', someone!.username);
    expect(after.phones.slice(0, 2).map((p) => p.phone.phone_id)).toEqual([p2!.phone_id, p1!.phone_id]);

    // Detach the moved device (the cursor stayed on it).
    await keys('x');
    s = await screen(`Remove ${label(p1)} from ${someone!.username}?`);
    await keys('Enter');
    await screen(`Removed ${label(p1)} from ${someone!.username}`);
    const detached = await fd.json<UserDetail>('users', 'show', someone!.username);
    expect(detached.phones.map((p) => p.phone.phone_id)).not.toContain(p1!.phone_id);
    expect(detached.phones).toHaveLength(before.phones.length - 1);

    // q backs out of the page, then quits; the alternate screen is left.
    await keys('q', 'q');
    const end = await screen('TUI EXITED 0');
    expect(end).not.toContain('hub: local only');
  });

  it('works at 80×24, follows a resize, and Ctrl+C restores the terminal', async () => {
    const total = (await fd.json<unknown[]>('phones', 'list', '--limit', '1000')).length;
    await startTui(80, 24);
    let s = await screen(`Devices · ${total} matches`);
    expect(s.split('\n').length).toBeLessThanOrEqual(24);
    expect(Math.max(...s.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    await tmux('resize-window', '-t', SESSION, '-x', '120', '-y', '40');
    s = await screen((x) => x.includes('Model') && x.includes('· : commands'));
    await keys('C-c');
    s = await screen('TUI EXITED 0');
    expect(s).not.toContain('Devices ·');
  });

  it('opens a factordesk:// link at its view', async () => {
    const link = (await fd.ok('link', 'users', 'status:active', '--sort', 'email:desc')).trim();
    await startTui(100, 30, `open '${link}'`);
    const s = await screen('filter: status:active');
    expect(s).toContain('Users ·');
    expect(s).toContain('by e-mail ↓');
    await keys('q');
    await screen('TUI EXITED 0');
  });
});

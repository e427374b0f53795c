/**
 * The sync handlers over a real replica, read model and sync controller (no hub): conflict records are stored as
 * the conflict handler would, then settled. Re-applying a side goes through the ordinary command handlers (role
 * checks, domain rules, audit); what can't be re-applied is refused with nothing changed; settling persists across a
 * restart; `sync.status` subscribes its connection to `sync.changed` pushes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandContext } from '../../../daemon/command-context.js';
import { phoneCommands } from '../../../daemon/commands/phones.js';
import { syncCommands } from '../../../daemon/commands/sync.js';
import { tokenCommands } from '../../../daemon/commands/tokens.js';
import { userCommands } from '../../../daemon/commands/users.js';
import { silentLogger } from '../../../daemon/logger.js';
import { openReplica, type Replica } from '../../../daemon/replica/database.js';
import { RefusalLog } from '../../../daemon/replica/sync-conflicts.js';
import type { RpcCallContext, RpcHandlers } from '../../../daemon/rpc-server.js';
import { SyncController } from '../../../daemon/sync.js';
import { ReadModel } from '../../../daemon/views/read-model.js';
import { toConflictRecord, type ConflictRecord, type ConflictRule } from '../../../src/conflict-policy/record.js';
import { COLLECTIONS, type CollectionName } from '../../../src/domain/schemas.js';
import type { FactordeskError } from '../../../src/errors.js';
import { resolvePaths } from '../../../src/paths.js';
import type { Identity, MethodName, ParamsOf, ResultOf, SyncStatus } from '../../../src/rpc/contract.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Daemon {
  replica: Replica;
  identity: Identity;
  sync: SyncController;
  call<M extends MethodName>(method: M, params: ParamsOf<M>, ctx?: RpcCallContext): Promise<ResultOf<M>>;
  close(): Promise<void>;
}

/** The command layer as daemon/service.ts wires it, over a replica file in `dir`, without a hub. */
async function openDaemon(dir: string, identity: Identity): Promise<Daemon> {
  const paths = resolvePaths({ env: {}, dataDir: dir });
  fs.mkdirSync(paths.dataDir, { recursive: true });
  fs.writeFileSync(paths.configFile, JSON.stringify({ hub: 'none' }));
  // One name per directory: a reopened replica finds its documents under it.
  const replica = await openReplica({ file: paths.dbFile, name: `t${createHash('sha256').update(dir).digest('hex').slice(0, 12)}` });
  const model = new ReadModel();
  const names = Object.keys(COLLECTIONS) as CollectionName[];
  for (const name of names) model.load(name, replica.allDocs(name));
  const subs = names.map((name) => replica.changes(name).subscribe((change) => model.apply(name, change)));
  let tail: Promise<unknown> = Promise.resolve();
  const run = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = tail.then(fn, fn);
    tail = result.catch(() => undefined);
    return result;
  };
  const sync = new SyncController({ paths, env: {}, log: silentLogger(), replica, identity, refusals: new RefusalLog(), serialize: run });
  sync.start();
  const cx = createCommandContext({ identity, replica, model });
  const handlers = {
    ...userCommands(cx, run),
    ...phoneCommands(cx, run),
    ...tokenCommands(cx, run),
  } as Partial<RpcHandlers> as RpcHandlers;
  const call = <M extends MethodName>(method: M, params: ParamsOf<M>, ctx: RpcCallContext): Promise<ResultOf<M>> =>
    (handlers[method] as (p: ParamsOf<M>, c: RpcCallContext) => Promise<ResultOf<M>>)(params, ctx);
  Object.assign(handlers, syncCommands(sync, { cx, call }));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await sync.close();
    for (const s of subs) s.unsubscribe();
    await replica.close();
  };
  cleanups.push(close);
  return { replica, identity, sync, call: (method, params, ctx = fakeCall()) => call(method, params, ctx), close };
}

/** A connection as a handler sees it, recording the sync pushes it gets. */
function fakeCall(id = 'c1'): RpcCallContext & { pushes: SyncStatus[]; close(): void } {
  const closers: (() => void)[] = [];
  const pushes: SyncStatus[] = [];
  return {
    connectionId: id,
    pushes,
    notify: () => undefined,
    notifySync: (status) => void pushes.push(status),
    onClose: (fn) => void closers.push(fn),
    close: () => closers.splice(0).forEach((fn) => fn()),
  };
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-sync-commands-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Stores a record as the conflict handler does. */
async function record(d: Daemon, collection: CollectionName, docId: string, rule: ConflictRule, field: string, kept: unknown, lost: unknown): Promise<ConflictRecord> {
  const r = toConflictRecord({ collection, docId, inputs: JSON.stringify([field, kept, lost]), time: Date.now(), adminId: d.identity.admin_id }, { field, kept, lost, rule });
  await d.replica.conflicts.bulkUpsert([{ ...r }]);
  return r;
}

async function until<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const owner = (): Identity => ({ admin_id: 'DEOWNER', name: 'olivia', role: 'Owner' });

async function seed(d: Daemon) {
  await d.call('users.add', { username: 'alice' });
  const a = await d.call('phones.add', { user: 'alice', type: 'mobile', platform: 'apple ios', number: '+15550000001', name: 'theirs' });
  const b = await d.call('phones.add', { user: 'alice', type: 'tablet', platform: 'google android', name: 'tab' });
  const c = await d.call('phones.add', { user: 'alice', type: 'mobile', platform: 'google android', number: '+15550000003', name: 'spare' });
  return { a: a.phone, b: b.phone, c: c.phone };
}

describe('sync.reapply', () => {
  it("re-applies a lost field through phones.update, audits it, and the conflict stops counting", async () => {
    const d = await openDaemon(tempDir(), owner());
    const { a } = await seed(d);
    const r = await record(d, 'phones', a.phone_id, 'first-accepted-wins', 'name', 'theirs', 'mine');
    expect((await d.call('sync.status', {})).conflicts).toBe(1);
    const [listed] = await d.call('sync.conflicts', {});
    expect(listed).toMatchObject({ conflict_id: r.conflict_id, state: 'open' });

    const settled = await d.call('sync.reapply', { conflict_id: r.conflict_id });
    expect(settled).toMatchObject({ state: 'reapplied', settled_by: 'DEOWNER' });
    expect((await d.call('phones.get', { phone: a.phone_id })).phone.name).toBe('mine');
    expect((await d.call('sync.status', {})).conflicts).toBe(0);
    const audit = d.replica.allDocs('audit').map((e) => e.action);
    expect(audit).toContain('phone.update');
    await expect(d.call('sync.reapply', { conflict_id: r.conflict_id })).rejects.toMatchObject({ code: 'REFUSED', userMessage: expect.stringContaining('already settled') });
  });

  it("re-applies a lost order of a user's phones with phones.reorder", async () => {
    const d = await openDaemon(tempDir(), owner());
    const { a, b, c } = await seed(d);
    const alice = (await d.call('users.get', { user: 'alice' })).user;
    const r = await record(d, 'users', alice.user_id, 'reorder-merge', 'phone_order', [a.phone_id, b.phone_id, c.phone_id], [c.phone_id, a.phone_id, b.phone_id]);
    await d.call('sync.reapply', { conflict_id: r.conflict_id });
    const order = (await d.call('users.get', { user: 'alice' })).phones.map((p) => `${p.alias}=${p.phone.name}`);
    expect(order).toEqual(['phone1=spare', 'phone2=theirs', 'phone3=tab']);
  });

  it('checks the role of every step first: a refused one changes nothing and the conflict stays open', async () => {
    const identity: Identity = { admin_id: 'DEADMIN', name: 'adam', role: 'Administrator' };
    const d = await openDaemon(tempDir(), identity);
    identity.role = 'Owner';
    await d.call('users.add', { username: 'alice' });
    const token = await d.call('tokens.add', { serial: 'T-1', type: 'h6' });
    const alice = (await d.call('users.get', { user: 'alice' })).user;
    identity.role = 'Administrator';
    // Its side assigned the token to alice and attached it to an administrator, which only an Owner may.
    const r = await record(d, 'tokens', token.token_id, 'same-serial', 'admins,users', { admins: [], users: [] }, { admins: ['DEADMIN'], users: [alice.user_id] });
    const error = (await d.call('sync.reapply', { conflict_id: r.conflict_id }).catch((e: unknown) => e)) as FactordeskError;
    expect(error.code).toBe('FORBIDDEN');
    expect(error.userMessage).toMatch(/Owner/);
    expect((await d.call('tokens.get', { token: 'T-1' })).users).toEqual([]);
    expect((await d.call('sync.conflicts', {}))[0]?.state).toBe('open');
  });

  it('refuses what no command brings back (a deleted device, both sides kept), and accepting settles it', async () => {
    const d = await openDaemon(tempDir(), owner());
    const gone = await record(d, 'phones', 'DPGONE0000000000000', 'explicit-delete-wins', 'name', null, 'renamed');
    const both = await record(d, 'phones', 'DPGONE0000000000000', 'different-fields', 'model,name', { model: 'x', name: 'y' }, { model: 'x', name: 'z' });
    expect((await d.call('sync.status', {})).conflicts).toBe(1);
    await expect(d.call('sync.reapply', { conflict_id: gone.conflict_id })).rejects.toMatchObject({
      code: 'REFUSED',
      userMessage: expect.stringContaining('a delete wins over edits'),
    });
    await expect(d.call('sync.reapply', { conflict_id: both.conflict_id })).rejects.toMatchObject({ code: 'REFUSED', userMessage: expect.stringContaining('kept both sides') });
    expect(await d.call('sync.reapply', { conflict_id: gone.conflict_id, accept: true })).toMatchObject({ state: 'accepted' });
    expect((await d.call('sync.status', {})).conflicts).toBe(0);
    await expect(d.call('sync.reapply', { conflict_id: 'DCNOPE' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps what was settled across a restart', async () => {
    const dir = tempDir();
    const d = await openDaemon(dir, owner());
    const r = await record(d, 'phones', 'DPGONE0000000000000', 'explicit-delete-wins', 'name', null, 'renamed');
    const open = await record(d, 'phones', 'DPGONE0000000000000', 'first-accepted-wins', 'model', 'a', 'b');
    await d.call('sync.reapply', { conflict_id: r.conflict_id, accept: true });
    await d.close();
    const again = await openDaemon(dir, owner());
    const states = Object.fromEntries((await again.call('sync.conflicts', {})).map((c) => [c.conflict_id, c.state]));
    expect(states).toEqual({ [r.conflict_id]: 'accepted', [open.conflict_id]: 'open' });
    expect((await again.call('sync.status', {})).conflicts).toBe(1);
  });
});

describe('sync.changed', () => {
  it('pushes the status to a connection that asked for it whenever it changes, until the connection closes', async () => {
    const d = await openDaemon(tempDir(), owner());
    const conn = fakeCall('c7');
    const first = await d.call('sync.status', {}, conn);
    expect(first).toMatchObject({ state: 'local-only', conflicts: 0 });
    await d.call('sync.status', {}, conn); // asking again does not subscribe twice
    const r = await record(d, 'phones', 'DPGONE0000000000000', 'explicit-delete-wins', 'name', null, 'renamed');
    const pushed = await until('a push with the conflict', () => conn.pushes.find((s) => s.conflicts === 1));
    expect(pushed.state).toBe('local-only');
    await d.call('sync.reapply', { conflict_id: r.conflict_id, accept: true });
    await until('a push without it', () => conn.pushes.at(-1)?.conflicts === 0);
    expect(conn.pushes.filter((s) => s.conflicts === 1)).toHaveLength(1);
    conn.close();
    const count = conn.pushes.length;
    await record(d, 'phones', 'DPGONE0000000000000', 'first-accepted-wins', 'model', 'a', 'b');
    await d.call('sync.conflicts', {});
    // Another watcher sees the new record; the closed connection is not told any more.
    const other = fakeCall('c8');
    await d.call('sync.status', {}, other);
    await record(d, 'phones', 'DPGONE0000000000000', 'first-accepted-wins', 'model', 'c', 'd');
    await until('the other connection to hear of it', () => other.pushes.some((s) => s.conflicts === 2));
    expect(conn.pushes).toHaveLength(count);
  });
});

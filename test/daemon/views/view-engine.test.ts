import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReadModel } from '../../../daemon/views/read-model.js';
import { MAX_LIMIT, ViewEngine } from '../../../daemon/views/view-engine.js';
import type { DeviceRow, TokenRow, UserRow, ViewSpec, ViewUpdate } from '../../../src/rpc/contract.js';
import type { CollectionName } from '../../../src/domain/schemas.js';
import { FactordeskError } from '../../../src/errors.js';
import { DAY, T0, generateDataSet, makeAdmin, makeAudit, makePhone, makeToken, makeU2f, makeUser } from './view-data.js';

const NOW = T0;
const seen = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();

/** A small hand-made data set. */
function smallModel(): ReadModel {
  const model = new ReadModel();
  model.load('users', [
    makeUser('carol', { phone_order: ['P3'] }),
    makeUser('alice', { phone_order: ['P1', 'P2'] }),
    makeUser('bob', { phone_order: ['P2'] }),
  ]);
  model.load('phones', [
    makePhone('P1', ['U-alice'], { name: 'Alice phone', platform: 'apple ios', os_version: '9.3', last_seen: seen(3) }),
    makePhone('P2', ['U-alice', 'U-bob'], { name: 'desk', platform: 'google android', os_version: '14', last_seen: seen(1) }),
    makePhone('P3', ['U-carol'], { name: 'carol tab', type: 'tablet', platform: 'google android', os_version: '10.1', last_seen: '' }),
  ]);
  model.load('tokens', [makeToken('900', { users: ['U-bob'] }), makeToken('100', { users: ['U-alice', 'U-bob'] })]);
  model.load('u2f', [makeU2f('1', 'U-bob'), makeU2f('2', 'U-alice')]);
  model.load('admins', [makeAdmin('2', 'Zoe'), makeAdmin('1', 'Adam')]);
  model.load('audit', [makeAudit('1', NOW - 2000), makeAudit('2', NOW - 1000), makeAudit('3', NOW - 3000)]);
  return model;
}

/** A model with `n` users and as many devices. */
function largeModel(n: number): ReadModel {
  const data = generateDataSet({ users: n, phones: n }, 5);
  const model = new ReadModel();
  model.load('users', data.users);
  model.load('phones', data.phones);
  return model;
}

const engines: ViewEngine[] = [];
function engineOver(model: ReadModel, coalesceMs = 16): ViewEngine {
  const engine = new ViewEngine(model, { now: () => NOW, coalesceMs });
  engines.push(engine);
  return engine;
}

afterEach(() => {
  for (const e of engines.splice(0)) e.close();
  vi.useRealTimers();
});

function failure(fn: () => unknown): FactordeskError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FactordeskError);
    return e as FactordeskError;
  }
  throw new Error('expected an error');
}

const deviceIds = (result: { rows: unknown[] }) => (result.rows as DeviceRow[]).map((r) => r.phone_id);

describe('ViewEngine.query', () => {
  it('returns total, rows, offset and version', () => {
    const engine = engineOver(smallModel());
    const result = engine.query({ entity: 'devices' });
    expect(result).toMatchObject({ entity: 'devices', total: 3, offset: 0 });
    expect(result.rows).toHaveLength(3);
    expect(result.version).toBe(engine.version('devices'));
  });

  it('builds device rows with users, aliases and the shared flag', () => {
    const engine = engineOver(smallModel());
    const row = engine.query({ entity: 'devices', filter: 'shared:yes' }).rows[0] as DeviceRow;
    expect(row.phone_id).toBe('P2');
    expect(row.shared).toBe(true);
    expect(row.user_refs).toEqual([
      { user_id: 'U-alice', username: 'alice', alias: 'phone2' },
      { user_id: 'U-bob', username: 'bob', alias: 'phone1' },
    ]);
  });

  it('sorts every view by its default order', () => {
    const engine = engineOver(smallModel());
    expect(deviceIds(engine.query({ entity: 'devices' }))).toEqual(['P2', 'P1', 'P3']);
    expect((engine.query({ entity: 'users' }).rows as UserRow[]).map((r) => r.username)).toEqual(['alice', 'bob', 'carol']);
    expect((engine.query({ entity: 'tokens' }).rows as TokenRow[]).map((r) => r.serial)).toEqual(['100', '900']);
    expect(engine.query({ entity: 'u2f' }).rows.map((r) => (r as { username: string }).username)).toEqual(['alice', 'bob']);
    expect(engine.query({ entity: 'admins' }).rows.map((r) => (r as { name: string }).name)).toEqual(['Adam', 'Zoe']);
    expect(engine.query({ entity: 'audit' }).rows.map((r) => (r as { event_id: string }).event_id)).toEqual(['E-2', 'E-1', 'E-3']);
  });

  it('sorts by any column, ascending or descending, versions numerically', () => {
    const engine = engineOver(smallModel());
    expect(deviceIds(engine.query({ entity: 'devices', sort: { key: 'os_version', dir: 'asc' } }))).toEqual(['P1', 'P3', 'P2']);
    expect(deviceIds(engine.query({ entity: 'devices', sort: { key: 'name', dir: 'desc' } }))).toEqual(['P2', 'P3', 'P1']);
    expect(deviceIds(engine.query({ entity: 'devices', sort: { key: 'user_refs', dir: 'asc' } }))).toEqual(['P1', 'P2', 'P3']);
    expect(deviceIds(engine.query({ entity: 'devices', sort: { key: 'shared', dir: 'desc' } }))[0]).toBe('P2');
    const users = engine.query({ entity: 'users', sort: { key: 'phone_count', dir: 'desc' } }).rows as UserRow[];
    expect(users.map((u) => `${u.username}:${u.phone_count}`)).toEqual(['alice:2', 'bob:1', 'carol:1']);
    const tokens = engine.query({ entity: 'tokens', sort: { key: 'usernames', dir: 'asc' } }).rows as TokenRow[];
    expect(tokens.map((t) => t.serial)).toEqual(['100', '900']);
  });

  it('pages through a window and caps the limit', () => {
    const engine = engineOver(largeModel(1500));
    const all = engine.rowsFor({ entity: 'users' }) as UserRow[];
    const page = engine.query({ entity: 'users', window: { offset: 200, limit: 50 } });
    expect(page.total).toBe(1500);
    expect(page.offset).toBe(200);
    expect((page.rows as UserRow[]).map((u) => u.user_id)).toEqual(all.slice(200, 250).map((u) => u.user_id));
    expect(engine.query({ entity: 'users' }).rows).toHaveLength(100);
    expect(engine.query({ entity: 'users', window: { offset: 0, limit: 5000 } }).rows).toHaveLength(MAX_LIMIT);
    expect(engine.query({ entity: 'users', window: { offset: 1490, limit: 100 } }).rows).toHaveLength(10);
    expect(engine.query({ entity: 'users', window: { offset: 9999, limit: 10 } })).toMatchObject({ total: 1500, rows: [] });
    expect(engine.query({ entity: 'users', window: { offset: 0, limit: 0 } })).toMatchObject({ total: 1500, rows: [] });
  });

  it('returns every matching row, in order, for reports', () => {
    const engine = engineOver(largeModel(1500));
    const rows = engine.rowsFor({ entity: 'devices', filter: 'platform:ios', sort: { key: 'phone_id', dir: 'asc' } }) as DeviceRow[];
    expect(rows.length).toBe(engine.query({ entity: 'devices', filter: 'platform:ios' }).total);
    expect(rows.length).toBeGreaterThan(MAX_LIMIT / 10);
    expect(rows.every((r) => r.platform === 'apple ios')).toBe(true);
    expect(rows.map((r) => r.phone_id)).toEqual(rows.map((r) => r.phone_id).sort());
  });

  it('sees every change applied so far, without waiting for a push', () => {
    const model = smallModel();
    const engine = engineOver(model);
    const before = engine.query({ entity: 'devices', filter: 'carol' });
    model.apply('phones', { op: 'UPDATE', doc: makePhone('P3', ['U-carol', 'U-alice'], { name: 'carol tab', type: 'tablet', platform: 'google android' }) });
    const after = engine.query({ entity: 'devices', filter: 'carol' });
    expect((after.rows[0] as DeviceRow).shared).toBe(true);
    expect(after.version).toBeGreaterThan(before.version);
  });

  it('refuses an unknown view, a bad filter, sort or window', () => {
    const engine = engineOver(smallModel());
    expect(failure(() => engine.query({ entity: 'phones' as never })).userMessage).toBe('Unknown view "phones".');
    const filter = failure(() => engine.query({ entity: 'devices', filter: 'encrypted:maybe' }));
    expect(filter.code).toBe('INVALID_INPUT');
    expect(filter.userMessage).toContain('encrypted does not accept "maybe"');
    const sort = failure(() => engine.query({ entity: 'devices', sort: { key: 'colour', dir: 'asc' } }));
    expect(sort.userMessage).toBe('Cannot sort devices by "colour".');
    expect(sort.hint).toContain('phone_id, number');
    expect(sort.hint).toContain('user_refs, shared');
    expect(failure(() => engine.query({ entity: 'devices', sort: { key: 'name', dir: 'up' as never } })).userMessage).toContain('neither asc nor desc');
    expect(failure(() => engine.query({ entity: 'devices', window: { offset: -1, limit: 10 } })).userMessage).toContain('offset');
    expect(failure(() => engine.query({ entity: 'devices', window: { offset: 0, limit: 1.5 } })).userMessage).toContain('limit');
  });

  it('bumps the version of the views a change touches, and only those', () => {
    const model = smallModel();
    const engine = engineOver(model);
    const versions = () => Object.fromEntries((['devices', 'users', 'tokens', 'u2f', 'admins', 'audit'] as const).map((e) => [e, engine.version(e)]));
    const before = versions();
    model.apply('users', { op: 'UPDATE', doc: makeUser('bob', { username: 'robert', phone_order: ['P2'] }) });
    const after = versions();
    expect(after.users).toBe(before.users! + 1);
    expect(after.devices).toBe(before.devices! + 1);
    expect(after.tokens).toBe(before.tokens! + 1);
    expect(after.u2f).toBe(before.u2f! + 1);
    expect(after.admins).toBe(before.admins);
    expect(after.audit).toBe(before.audit);
  });
});

describe('ViewEngine subscriptions', () => {
  function subscribe(engine: ViewEngine, spec: ViewSpec) {
    const pushes: ViewUpdate[] = [];
    const initial = engine.subscribe(spec, (u) => pushes.push(u));
    return { initial, pushes };
  }

  it('starts with the first page and a new id', () => {
    const engine = engineOver(smallModel());
    const a = subscribe(engine, { entity: 'devices' });
    const b = subscribe(engine, { entity: 'devices' });
    expect(a.initial).toMatchObject({ entity: 'devices', total: 3, offset: 0 });
    expect(a.initial.subscriptionId).not.toBe(b.initial.subscriptionId);
  });

  it('pushes the new page after a change that affects it', () => {
    const model = smallModel();
    const engine = engineOver(model);
    const { initial, pushes } = subscribe(engine, { entity: 'devices', filter: 'platform:ios' });
    model.apply('phones', { op: 'UPDATE', doc: makePhone('P2', ['U-alice', 'U-bob'], { name: 'desk', platform: 'apple ios', last_seen: seen(1) }) });
    engine.flush();
    expect(pushes).toHaveLength(1);
    expect(pushes[0]).toMatchObject({ subscriptionId: initial.subscriptionId, total: 2 });
    expect(deviceIds(pushes[0]!)).toEqual(['P2', 'P1']);
    expect(pushes[0]!.version).toBeGreaterThan(initial.version);
  });

  it('pushes device rows when a user is renamed or reorders its phones', () => {
    const model = smallModel();
    const engine = engineOver(model);
    const { pushes } = subscribe(engine, { entity: 'devices', filter: 'shared:yes' });
    model.apply('users', { op: 'UPDATE', doc: makeUser('bob', { username: 'robert', phone_order: ['P2'] }) });
    engine.flush();
    expect((pushes[0]!.rows[0] as DeviceRow).user_refs.map((r) => r.username)).toEqual(['alice', 'robert']);
    model.apply('users', { op: 'UPDATE', doc: makeUser('alice', { phone_order: ['P2', 'P1'] }) });
    engine.flush();
    expect((pushes[1]!.rows[0] as DeviceRow).user_refs[0]).toEqual({ user_id: 'U-alice', username: 'alice', alias: 'phone1' });
  });

  it('does not push when neither the total nor a visible row changed', () => {
    const model = largeModel(500);
    const engine = engineOver(model);
    const { initial, pushes } = subscribe(engine, { entity: 'devices', sort: { key: 'phone_id', dir: 'asc' }, window: { offset: 0, limit: 10 } });
    // A device far below the window changes a field that does not move it.
    const far = model.phone('P0000400')!;
    model.apply('phones', { op: 'UPDATE', doc: { ...far, model: 'Changed' } });
    engine.flush();
    expect(pushes).toHaveLength(0);
    expect(engine.version('devices')).toBeGreaterThan(initial.version);
    // A visible device changes: push.
    model.apply('phones', { op: 'UPDATE', doc: { ...model.phone('P0000003')!, model: 'Changed' } });
    engine.flush();
    expect(pushes).toHaveLength(1);
    // A device out of the window is deleted: the total changes, push.
    model.apply('phones', { op: 'DELETE', doc: model.phone('P0000450')! });
    engine.flush();
    expect(pushes).toHaveLength(2);
    expect(pushes[1]!.total).toBe(initial.total - 1);
  });

  it('does not push a subscription whose entity did not change', () => {
    const model = smallModel();
    const engine = engineOver(model);
    const { pushes } = subscribe(engine, { entity: 'admins' });
    model.apply('audit', { op: 'INSERT', doc: makeAudit('9', NOW) });
    engine.flush();
    expect(pushes).toHaveLength(0);
  });

  it('coalesces the changes of one frame into one push per subscription', async () => {
    vi.useFakeTimers();
    const model = largeModel(300);
    const engine = engineOver(model, 16);
    const devices = subscribe(engine, { entity: 'devices' });
    const users = subscribe(engine, { entity: 'users', filter: 'phones:>1' });
    for (let i = 0; i < 50; i++) {
      const p = model.phone(`P${String(i).padStart(7, '0')}`)!;
      model.apply('phones', { op: 'UPDATE', doc: { ...p, users: [...p.users, 'U0000299'], last_seen: seen(0) } });
    }
    vi.advanceTimersByTime(15);
    expect(devices.pushes).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(devices.pushes).toHaveLength(1);
    expect(users.pushes).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(devices.pushes).toHaveLength(1);
    // The next change starts a new frame.
    model.apply('phones', { op: 'UPDATE', doc: { ...model.phone('P0000001')!, name: 'again' } });
    vi.advanceTimersByTime(16);
    expect(devices.pushes).toHaveLength(2);
  });

  it('pushes once for a bulk load of thousands of documents', async () => {
    vi.useFakeTimers();
    const model = largeModel(100);
    const engine = engineOver(model, 16);
    const { pushes } = subscribe(engine, { entity: 'devices', filter: 'bulk' });
    for (let i = 0; i < 5000; i++) {
      model.apply('phones', { op: 'INSERT', doc: makePhone(`B${i}`, [`U${String(i % 100).padStart(7, '0')}`], { name: `bulk ${i}` }) });
    }
    model.load('tokens', Array.from({ length: 2000 }, (_, i) => makeToken(String(i))));
    vi.advanceTimersByTime(16);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.total).toBe(5000);
  });

  it('changes a subscription’s spec with update, and pushes follow the new spec', () => {
    const model = smallModel();
    const engine = engineOver(model);
    const { initial, pushes } = subscribe(engine, { entity: 'devices', filter: 'platform:ios' });
    const updated = engine.update(initial.subscriptionId, { entity: 'devices', filter: 'type:tablet' });
    expect(updated.subscriptionId).toBe(initial.subscriptionId);
    expect(deviceIds(updated)).toEqual(['P3']);
    model.apply('phones', { op: 'UPDATE', doc: makePhone('P1', ['U-alice'], { name: 'Alice phone', platform: 'apple ios', os_version: '9.4', last_seen: seen(3) }) });
    engine.flush();
    expect(pushes).toHaveLength(0);
    model.apply('phones', { op: 'UPDATE', doc: makePhone('P3', ['U-carol'], { name: 'renamed tab', type: 'tablet', platform: 'google android' }) });
    engine.flush();
    expect(pushes).toHaveLength(1);
    expect((pushes[0]!.rows[0] as DeviceRow).name).toBe('renamed tab');
  });

  it('keeps the previous spec when an update is refused', () => {
    const engine = engineOver(smallModel());
    const { initial } = subscribe(engine, { entity: 'devices', filter: 'platform:ios' });
    expect(failure(() => engine.update(initial.subscriptionId, { entity: 'devices', filter: 'platform:' })).code).toBe('INVALID_INPUT');
    expect(deviceIds(engine.update(initial.subscriptionId, { entity: 'devices', filter: 'platform:ios' }))).toEqual(['P1']);
  });

  it('stops pushing after unsubscribe, and refuses unknown subscriptions', () => {
    const model = smallModel();
    const engine = engineOver(model);
    const { initial, pushes } = subscribe(engine, { entity: 'devices' });
    expect(engine.unsubscribe(initial.subscriptionId)).toBe(true);
    expect(engine.unsubscribe(initial.subscriptionId)).toBe(false);
    model.apply('phones', { op: 'DELETE', doc: model.phone('P1')! });
    engine.flush();
    expect(pushes).toHaveLength(0);
    const e = failure(() => engine.update(initial.subscriptionId, { entity: 'devices' }));
    expect(e.code).toBe('NOT_FOUND');
  });

  it('keeps pushing to other subscriptions when one push throws', () => {
    const model = smallModel();
    const engine = engineOver(model);
    engine.subscribe({ entity: 'devices' }, () => {
      throw new Error('client gone');
    });
    const { pushes } = subscribe(engine, { entity: 'devices' });
    model.apply('phones', { op: 'DELETE', doc: model.phone('P1')! });
    engine.flush();
    expect(pushes).toHaveLength(1);
  });

  it('stops pushing after close', () => {
    vi.useFakeTimers();
    const model = smallModel();
    const engine = engineOver(model);
    const { pushes } = subscribe(engine, { entity: 'devices' });
    engine.close();
    model.apply('phones', { op: 'DELETE', doc: model.phone('P1')! });
    vi.advanceTimersByTime(100);
    expect(pushes).toHaveLength(0);
  });

  it('gives, keystroke by keystroke, the rows a fresh query gives', () => {
    const model = largeModel(3000);
    const engine = engineOver(model);
    const { initial } = subscribe(engine, { entity: 'devices', window: { offset: 0, limit: 1000 } });
    const typed = 'platform:ios -os:<16 alice smith';
    let checked = 0;
    for (let i = 1; i <= typed.length; i++) {
      const spec: ViewSpec = { entity: 'devices', filter: typed.slice(0, i), window: { offset: 0, limit: 1000 } };
      let live;
      try {
        live = engine.update(initial.subscriptionId, spec);
      } catch {
        continue;
      }
      const fresh = engineOver(model).query(spec);
      expect(live.total).toBe(fresh.total);
      expect(deviceIds(live)).toEqual(deviceIds(fresh));
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    expect(engine.lastMatchStats('devices').narrowed).toBe(true);
  });
});

describe('ViewEngine with every collection', () => {
  it('lists users with counts that follow token and U2F changes', () => {
    const model = smallModel();
    const engine = engineOver(model);
    model.apply('tokens', { op: 'INSERT', doc: makeToken('555', { users: ['U-carol'] }) });
    model.apply('u2f', { op: 'DELETE', doc: makeU2f('1', 'U-bob') });
    const users = engine.query({ entity: 'users' }).rows as UserRow[];
    expect(users.map((u) => `${u.username}:${u.token_count}:${u.u2f_count}`)).toEqual(['alice:1:1', 'bob:2:0', 'carol:1:0']);
  });

  it('lists administrators with their tokens after a token is attached', () => {
    const model = smallModel();
    const engine = engineOver(model);
    model.apply('tokens', { op: 'UPDATE', doc: makeToken('900', { users: ['U-bob'], admins: ['A-2'] }) });
    expect(engine.query({ entity: 'admins', filter: 'token:9' }).rows).toMatchObject([{ name: 'Zoe', token_serials: ['900'] }]);
    model.apply('admins', { op: 'UPDATE', doc: makeAdmin('2', 'Zoey') });
    expect(engine.query({ entity: 'tokens', filter: 'admin:zoey' }).rows).toMatchObject([{ serial: '900', admin_names: ['Zoey'] }]);
  });

  it('reloads a collection wholesale', () => {
    const model = smallModel();
    const engine = engineOver(model);
    expect(engine.query({ entity: 'audit' }).total).toBe(3);
    const names: CollectionName[] = ['audit'];
    for (const name of names) model.load(name, [makeAudit('x', NOW)]);
    expect(engine.query({ entity: 'audit' }).rows).toMatchObject([{ event_id: 'E-x' }]);
  });
});

describe('ViewEngine.warm', () => {
  it('builds the indexes before the first query, with changes applied', () => {
    const model = smallModel();
    const engine = engineOver(model);
    model.apply('phones', { op: 'DELETE', doc: model.phone('P1')! });
    expect(engine.isBuilt('devices')).toBe(false);
    engine.warm(['devices']);
    expect(engine.isBuilt('devices')).toBe(true);
    expect(engine.isBuilt('users')).toBe(false);
    expect(engine.query({ entity: 'devices' }).total).toBe(2);
  });

  it('forgets the results of its warm-up filters: the first real query computes its own', () => {
    const model = smallModel();
    const engine = engineOver(model);
    engine.warm(['devices', 'users']);
    const warmed = engine.query({ entity: 'devices', filter: 'a' });
    expect(engine.lastMatchStats('devices').cached).toBe(false);
    expect(warmed.total).toBe(engineOver(model).query({ entity: 'devices', filter: 'a' }).total);
    engine.query({ entity: 'devices', filter: 'a' });
    expect(engine.lastMatchStats('devices').cached).toBe(true);
  });
});

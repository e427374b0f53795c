import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReadModel, type DocChange } from '../../../daemon/views/read-model.js';
import type { CollectionName, DocTypes, Phone, User } from '../../../src/domain/schemas.js';
import { makeAdmin, makeAudit, makePhone, makeToken, makeU2f, makeUser, T0 } from './view-data.js';

/** A model loaded with the given documents. */
function modelWith(docs: Partial<{ [K in CollectionName]: DocTypes[K][] }>): ReadModel {
  const model = new ReadModel();
  for (const [name, list] of Object.entries(docs)) model.load(name as CollectionName, list as never);
  return model;
}

const upsert = <K extends CollectionName>(model: ReadModel, name: K, doc: DocTypes[K], op: DocChange<DocTypes[K]>['op'] = 'UPDATE') =>
  model.apply(name, { op, doc });

/** A user's phones as `alias=phone_id`. */
const order = (model: ReadModel, userId: string) => model.orderedPhonesOfUser(userId).map((o) => `${o.alias}=${o.phone.phone_id}`);

describe('ReadModel lookups', () => {
  const alice = makeUser('Alice', { phone_order: ['P2', 'P1'] });
  const bob = makeUser('bob');
  const model = modelWith({
    users: [alice, bob],
    phones: [
      makePhone('P1', ['U-Alice'], { number: '+15550100001' }),
      makePhone('P2', ['U-Alice', 'U-bob'], { number: '+15550100002' }),
      makePhone('P3', ['U-bob'], { number: '+15550100002' }),
    ],
    tokens: [makeToken('123456', { users: ['U-Alice'], admins: ['A-1'] }), makeToken('abc', { users: ['U-Alice', 'U-bob'] })],
    u2f: [makeU2f('1', 'U-Alice'), makeU2f('2', 'U-bob')],
    admins: [makeAdmin('1', 'Jane Admin')],
    audit: [makeAudit('1', T0)],
  });

  it('finds users by id and by username, case-insensitively', () => {
    expect(model.user('U-Alice')?.username).toBe('Alice');
    expect(model.userByUsername('alice')?.user_id).toBe('U-Alice');
    expect(model.userByUsername(' ALICE ')?.user_id).toBe('U-Alice');
    expect(model.userByUsername('carol')).toBeUndefined();
    expect(model.users().map((u) => u.user_id).sort()).toEqual(['U-Alice', 'U-bob']);
  });

  it('finds devices by id and by number whatever its separators', () => {
    expect(model.phone('P1')?.number).toBe('+15550100001');
    expect(model.phonesByNumber('+1 (555) 010-0001').map((p) => p.phone_id)).toEqual(['P1']);
    expect(model.phonesByNumber('15550100002').map((p) => p.phone_id).sort()).toEqual(['P2', 'P3']);
    expect(model.phonesByNumber('')).toEqual([]);
  });

  it('lists a user’s devices, in the user’s order with aliases', () => {
    expect(model.phonesOfUser('U-Alice').map((p) => p.phone_id).sort()).toEqual(['P1', 'P2']);
    expect(order(model, 'U-Alice')).toEqual(['phone1=P2', 'phone2=P1']);
    expect(model.aliasOf('U-Alice', 'P1')).toBe('phone2');
    expect(model.aliasOf('U-Alice', 'P3')).toBe('');
    expect(model.orderedPhonesOfUser('U-nobody')).toEqual([]);
  });

  it('gives a device’s users with their aliases', () => {
    expect(model.deviceUserRefs('P2')).toEqual([
      { user_id: 'U-Alice', username: 'Alice', alias: 'phone1' },
      { user_id: 'U-bob', username: 'bob', alias: 'phone1' },
    ]);
    expect(model.deviceUserRefs('nope')).toEqual([]);
  });

  it('finds tokens by id, by exact serial, by user and by administrator', () => {
    expect(model.token('T-abc')?.serial).toBe('abc');
    expect(model.tokenBySerial('123456')?.token_id).toBe('T-123456');
    expect(model.tokenBySerial(' abc ')?.token_id).toBe('T-abc');
    expect(model.tokenBySerial('ABC')).toBeUndefined();
    expect(model.tokensOfUser('U-Alice').map((t) => t.serial).sort()).toEqual(['123456', 'abc']);
    expect(model.tokensOfAdmin('A-1').map((t) => t.serial)).toEqual(['123456']);
    expect(model.tokenCount('U-bob')).toBe(1);
  });

  it('finds U2F registrations, administrators and audit events', () => {
    expect(model.u2f('R-1')?.user_id).toBe('U-Alice');
    expect(model.u2fOfUser('U-bob').map((r) => r.registration_id)).toEqual(['R-2']);
    expect(model.u2fCount('U-Alice')).toBe(1);
    expect(model.admin('A-1')?.name).toBe('Jane Admin');
    expect(model.admins()).toHaveLength(1);
    expect(model.auditEvent('E-1')?.time).toBe(T0);
  });

  it('counts documents per collection', () => {
    expect(['users', 'phones', 'tokens', 'u2f', 'admins', 'audit'].map((n) => model.count(n as CollectionName))).toEqual([2, 3, 2, 2, 1, 1]);
  });
});

describe('ReadModel orders', () => {
  it('puts devices missing from phone_order last, oldest first, then by id, and ignores stale ids', () => {
    const model = modelWith({
      users: [makeUser('a', { phone_order: ['gone', 'P3'] })],
      phones: [
        makePhone('P1', ['U-a'], { created: T0 + 5 }),
        makePhone('P2', ['U-a'], { created: T0 + 1 }),
        makePhone('P0', ['U-a'], { created: T0 + 5 }),
        makePhone('P3', ['U-a'], { created: T0 + 9 }),
      ],
    });
    expect(order(model, 'U-a')).toEqual(['phone1=P3', 'phone2=P2', 'phone3=P0', 'phone4=P1']);
  });
});

describe('ReadModel incremental updates', () => {
  const base = () =>
    modelWith({
      users: [makeUser('a', { phone_order: ['P1', 'P2'] }), makeUser('b', { phone_order: ['P2'] })],
      phones: [makePhone('P1', ['U-a']), makePhone('P2', ['U-a', 'U-b'])],
    });

  it('attaches a device: it joins the user’s list, last, and becomes shared', () => {
    const model = base();
    upsert(model, 'phones', makePhone('P1', ['U-a', 'U-b'], { created: T0 + 1 }));
    expect(order(model, 'U-b')).toEqual(['phone1=P2', 'phone2=P1']);
    expect(model.deviceUserRefs('P1').map((r) => `${r.username}:${r.alias}`)).toEqual(['a:phone1', 'b:phone2']);
  });

  it('detaches a device: the aliases after it move up and it is no longer shared', () => {
    const model = base();
    upsert(model, 'phones', makePhone('P2', ['U-b']));
    expect(order(model, 'U-a')).toEqual(['phone1=P1']);
    expect(model.deviceUserRefs('P2')).toEqual([{ user_id: 'U-b', username: 'b', alias: 'phone1' }]);
    expect(model.phonesOfUser('U-a').map((p) => p.phone_id)).toEqual(['P1']);
  });

  it('reorders: a new phone_order changes the aliases', () => {
    const model = base();
    upsert(model, 'users', makeUser('a', { phone_order: ['P2', 'P1'] }));
    expect(order(model, 'U-a')).toEqual(['phone1=P2', 'phone2=P1']);
    expect(model.aliasOf('U-a', 'P1')).toBe('phone2');
  });

  it('deletes a device: it leaves every user and the remaining aliases stay contiguous', () => {
    const model = base();
    model.apply('phones', { op: 'DELETE', doc: makePhone('P1', ['U-a']) });
    expect(model.phone('P1')).toBeUndefined();
    expect(order(model, 'U-a')).toEqual(['phone1=P2']);
    expect(model.count('phones')).toBe(1);
  });

  it('treats a device marked deleted, or a document flagged _deleted, as gone', () => {
    const model = base();
    upsert(model, 'phones', makePhone('P1', ['U-a'], { deletion: 'explicit' }));
    expect(model.phone('P1')).toBeUndefined();
    expect(order(model, 'U-a')).toEqual(['phone1=P2']);
    upsert(model, 'phones', { ...makePhone('P2', ['U-a', 'U-b']), _deleted: true } as Phone);
    expect(model.phonesOfUser('U-b')).toEqual([]);
  });

  it('indexes a new device by number and forgets the old number when it changes', () => {
    const model = base();
    upsert(model, 'phones', makePhone('P3', ['U-b'], { number: '+15550100003' }), 'INSERT');
    expect(model.phonesByNumber('+1 555 010 0003').map((p) => p.phone_id)).toEqual(['P3']);
    upsert(model, 'phones', makePhone('P3', ['U-b'], { number: '+15550100004' }));
    expect(model.phonesByNumber('+15550100003')).toEqual([]);
    expect(model.phonesByNumber('+15550100004').map((p) => p.phone_id)).toEqual(['P3']);
  });

  it('renames a user: the new username finds it, the old one does not, device refs follow', () => {
    const model = base();
    upsert(model, 'users', makeUser('a', { username: 'Zed', phone_order: ['P1', 'P2'] }));
    expect(model.userByUsername('a')).toBeUndefined();
    expect(model.userByUsername('zed')?.user_id).toBe('U-a');
    expect(model.deviceUserRefs('P1')[0]?.username).toBe('Zed');
  });

  it('deletes a user: lookups forget it, device refs show its id', () => {
    const model = base();
    model.apply('users', { op: 'DELETE', doc: makeUser('b') });
    expect(model.user('U-b')).toBeUndefined();
    expect(model.userByUsername('b')).toBeUndefined();
    expect(model.deviceUserRefs('P2')[1]).toEqual({ user_id: 'U-b', username: 'U-b', alias: 'phone1' });
  });

  it('moves tokens and U2F registrations between users and administrators', () => {
    const model = modelWith({ tokens: [makeToken('1', { users: ['U-a'], admins: ['A-1'] })], u2f: [makeU2f('1', 'U-a')] });
    upsert(model, 'tokens', makeToken('1', { users: ['U-b'], admins: [] }));
    expect(model.tokensOfUser('U-a')).toEqual([]);
    expect(model.tokensOfUser('U-b').map((t) => t.serial)).toEqual(['1']);
    expect(model.tokensOfAdmin('A-1')).toEqual([]);
    upsert(model, 'u2f', makeU2f('1', 'U-b'));
    expect(model.u2fOfUser('U-a')).toEqual([]);
    expect(model.u2fCount('U-b')).toBe(1);
    model.apply('tokens', { op: 'DELETE', doc: makeToken('1') });
    expect(model.tokenBySerial('1')).toBeUndefined();
    expect(model.tokenCount('U-b')).toBe(0);
  });

  it('strips RxDB bookkeeping fields from stored documents', () => {
    const model = new ReadModel();
    model.load('users', [{ ...makeUser('a'), _rev: '1-x', _meta: { lwt: 1 } } as User]);
    upsert(model, 'users', { ...makeUser('b'), _rev: '2-y' } as User, 'INSERT');
    expect(Object.keys(model.user('U-a')!).some((k) => k.startsWith('_'))).toBe(false);
    expect(Object.keys(model.user('U-b')!).some((k) => k.startsWith('_'))).toBe(false);
  });

  it('ignores the deletion of a document it does not hold', () => {
    const model = base();
    model.takeDirty();
    model.apply('phones', { op: 'DELETE', doc: makePhone('P9', []) });
    expect(model.takeDirty()).toEqual({});
  });
});

describe('ReadModel dirty rows', () => {
  const base = () =>
    modelWith({
      users: [makeUser('a', { phone_order: ['P1', 'P2'] }), makeUser('b')],
      phones: [makePhone('P1', ['U-a']), makePhone('P2', ['U-a']), makePhone('P3', ['U-b'])],
      tokens: [makeToken('1', { users: ['U-a'], admins: ['A-1'] })],
      u2f: [makeU2f('1', 'U-a')],
      admins: [makeAdmin('1', 'Jane')],
    });
  const dirty = (model: ReadModel) => {
    const d = model.takeDirty();
    return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v === 'all' ? 'all' : [...v].sort()]));
  };

  it('marks every view reading a collection after a load', () => {
    const model = new ReadModel();
    model.load('users', []);
    expect(dirty(model)).toEqual({ users: 'all', devices: 'all', tokens: 'all', u2f: 'all' });
    model.load('admins', []);
    expect(dirty(model)).toEqual({ admins: 'all', tokens: 'all' });
  });

  it('marks the device, the users concerned and all their devices on attach', () => {
    const model = base();
    model.takeDirty();
    upsert(model, 'phones', makePhone('P3', ['U-b', 'U-a']));
    expect(dirty(model)).toEqual({ devices: ['P1', 'P2', 'P3'], users: ['U-a'] });
  });

  it('marks only the device when a field other than its users changes', () => {
    const model = base();
    model.takeDirty();
    upsert(model, 'phones', makePhone('P1', ['U-a'], { name: 'new' }));
    expect(dirty(model)).toEqual({ devices: ['P1'] });
  });

  it('marks the user’s devices on reorder, and also its tokens and U2F on rename', () => {
    const model = base();
    model.takeDirty();
    upsert(model, 'users', makeUser('a', { phone_order: ['P2', 'P1'] }));
    expect(dirty(model)).toEqual({ users: ['U-a'], devices: ['P1', 'P2'] });
    upsert(model, 'users', makeUser('a', { username: 'z', phone_order: ['P2', 'P1'] }));
    expect(dirty(model)).toEqual({ users: ['U-a'], devices: ['P1', 'P2'], tokens: ['T-1'], u2f: ['R-1'] });
    upsert(model, 'users', makeUser('a', { username: 'z', phone_order: ['P2', 'P1'], email: 'x@y' }));
    expect(dirty(model)).toEqual({ users: ['U-a'] });
  });

  it('marks users and administrators whose token lists change, and tokens of a renamed administrator', () => {
    const model = base();
    model.takeDirty();
    upsert(model, 'tokens', makeToken('1', { users: ['U-b'], admins: ['A-1'] }));
    expect(dirty(model)).toEqual({ tokens: ['T-1'], users: ['U-a', 'U-b'] });
    upsert(model, 'tokens', makeToken('1', { serial: '2', users: ['U-b'], admins: ['A-1'] }));
    expect(dirty(model)).toEqual({ tokens: ['T-1'], admins: ['A-1'] });
    upsert(model, 'admins', makeAdmin('1', 'Janet'));
    expect(dirty(model)).toEqual({ admins: ['A-1'], tokens: ['T-1'] });
  });

  it('signals the first change after each take, once', () => {
    const model = base();
    model.takeDirty();
    let signals = 0;
    const stop = model.onDirty(() => signals++);
    upsert(model, 'phones', makePhone('P1', ['U-a'], { name: 'x' }));
    upsert(model, 'phones', makePhone('P1', ['U-a'], { name: 'y' }));
    expect(signals).toBe(1);
    model.takeDirty();
    upsert(model, 'phones', makePhone('P1', ['U-a'], { name: 'z' }));
    expect(signals).toBe(2);
    stop();
    model.takeDirty();
    upsert(model, 'phones', makePhone('P1', ['U-a'], { name: 'w' }));
    expect(signals).toBe(2);
  });
});

describe('ReadModel: incremental equals a fresh load', () => {
  const USERS = ['a', 'b', 'c'];
  const PHONES = ['P1', 'P2', 'P3', 'P4', 'P5'];
  type Op =
    | { kind: 'attach'; phone: string; user: string; created: number }
    | { kind: 'detach'; phone: string; user: string }
    | { kind: 'reorder'; user: string; order: string[] }
    | { kind: 'delete'; phone: string }
    | { kind: 'rename'; user: string; name: string };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('attach' as const), phone: fc.constantFrom(...PHONES), user: fc.constantFrom(...USERS), created: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant('detach' as const), phone: fc.constantFrom(...PHONES), user: fc.constantFrom(...USERS) }),
    fc.record({ kind: fc.constant('reorder' as const), user: fc.constantFrom(...USERS), order: fc.shuffledSubarray([...PHONES, 'gone']) }),
    fc.record({ kind: fc.constant('delete' as const), phone: fc.constantFrom(...PHONES) }),
    fc.record({ kind: fc.constant('rename' as const), user: fc.constantFrom(...USERS), name: fc.constantFrom('x', 'y', 'z') }),
  );

  it('keeps aliases, shared flags and lookups right through attach, detach, reorder, delete and rename', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const users = new Map(USERS.map((u) => [`U-${u}`, makeUser(u)]));
        const phones = new Map<string, Phone>();
        const model = modelWith({ users: [...users.values()], phones: [] });
        for (const o of ops) {
          if (o.kind === 'attach') {
            const prev = phones.get(o.phone);
            const members = prev ? [...new Set([...prev.users, `U-${o.user}`])] : [`U-${o.user}`];
            const next = makePhone(o.phone, members, { created: prev?.created ?? T0 + o.created, number: `+1555000000${o.phone.slice(1)}` });
            phones.set(o.phone, next);
            model.apply('phones', { op: prev ? 'UPDATE' : 'INSERT', doc: next });
          } else if (o.kind === 'detach' || o.kind === 'delete') {
            const prev = phones.get(o.phone);
            if (!prev) continue;
            const members = o.kind === 'delete' ? [] : prev.users.filter((u) => u !== `U-${o.user}`);
            if (members.length === 0) {
              phones.delete(o.phone);
              model.apply('phones', { op: 'DELETE', doc: prev });
            } else {
              const next = { ...prev, users: members };
              phones.set(o.phone, next);
              model.apply('phones', { op: 'UPDATE', doc: next });
            }
          } else {
            const prev = users.get(`U-${o.user}`)!;
            const next = o.kind === 'reorder' ? { ...prev, phone_order: o.order } : { ...prev, username: `${o.user}-${o.name}` };
            users.set(next.user_id, next);
            model.apply('users', { op: 'UPDATE', doc: next });
          }
        }
        const fresh = modelWith({ users: [...users.values()], phones: [...phones.values()] });
        for (const userId of users.keys()) {
          expect(order(model, userId)).toEqual(order(fresh, userId));
          const aliases = model.orderedPhonesOfUser(userId).map((p) => p.alias);
          expect(aliases).toEqual(aliases.map((_, i) => `phone${i + 1}`));
        }
        for (const phoneId of PHONES) {
          expect(model.deviceUserRefs(phoneId)).toEqual(fresh.deviceUserRefs(phoneId));
          expect(model.phonesByNumber(`+1555000000${phoneId.slice(1)}`).length).toBe(phones.has(phoneId) ? 1 : 0);
        }
        for (const u of users.values()) expect(model.userByUsername(u.username)?.user_id).toBe(u.user_id);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * A small model of RxDB replication for the convergence property test: a hub holding the master state of
 * every document with compare-and-swap on the assumed master state, and replicas with a fork (local
 * state), the assumed master of each document and the set of documents changed locally. Operations use
 * the domain's own transitions, so replicas only make edits the daemon would make.
 */
import type { WithDeleted } from 'rxdb';
import {
  documentsEqual,
  mergeDocument,
  repairDeletedUserReferences,
  type ConflictRecord,
} from '../../../src/conflict-policy.js';
import { tokenIdForSerial } from '../../../src/domain/ids.js';
import { attachUser, createPhone, detachUser, isDeleted, markDeleted, updatePhone } from '../../../src/domain/phone.js';
import type { Phone, Token, User } from '../../../src/domain/schemas.js';
import { assignUser, createToken, unassignUser } from '../../../src/domain/token.js';
import { createUser, movePhone, orderedPhones, setStatus, withPhoneAppended, withPhoneRemoved } from '../../../src/domain/user.js';

export interface SimDocs {
  users: User;
  phones: Phone;
  tokens: Token;
}
export type SimCollection = keyof SimDocs;
type Stored = WithDeleted<SimDocs[SimCollection]>;

const ID_FIELD: { [C in SimCollection]: keyof SimDocs[C] & string } = {
  users: 'user_id',
  phones: 'phone_id',
  tokens: 'token_id',
};

function keyOf(collection: SimCollection, id: string): string {
  return `${collection}/${id}`;
}

function collectionOf(key: string): SimCollection {
  return key.slice(0, key.indexOf('/')) as SimCollection;
}

function explicitTombstone(doc: Stored | undefined): boolean {
  return doc !== undefined && doc._deleted && (doc as Partial<Phone>).deletion === 'explicit';
}

/** The hub: master states with a revision each; a push is accepted only if its assumed state is current. */
export class SimHub {
  readonly docs = new Map<string, { doc: Stored; rev: number }>();
  /** Keys of explicitly deleted devices that a later accepted write brought back. */
  readonly resurrections: string[] = [];

  /** Compare-and-swap: the real master state when `assumed` is not the current one. */
  push(key: string, next: Stored, assumed: Stored | undefined): { ok: true } | { ok: false; real: Stored } {
    const current = this.docs.get(key);
    if (current === undefined ? assumed !== undefined : assumed === undefined || !documentsEqual(current.doc, assumed)) {
      if (current === undefined) throw new Error(`replica assumed ${key} exists at the hub, which never saw it`);
      return { ok: false, real: current.doc };
    }
    if (explicitTombstone(current?.doc) && !explicitTombstone(next)) this.resurrections.push(key);
    this.docs.set(key, { doc: next, rev: (current?.rev ?? 0) + 1 });
    return { ok: true };
  }

  /** Every master state of a collection, tombstones included, by id. */
  all<C extends SimCollection>(collection: C): WithDeleted<SimDocs[C]>[] {
    return [...this.docs.entries()]
      .filter(([key]) => collectionOf(key) === collection)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, v]) => v.doc as unknown as WithDeleted<SimDocs[C]>);
  }
}

/** What the administrators did, for the policy facts checked at the end. */
export interface SimEvents {
  attaches: [phoneId: string, userId: string][];
  detaches: Set<string>;
  explicitDeletes: Set<string>;
  deletedUsers: Set<string>;
}

/** No events yet. */
export function newEvents(): SimEvents {
  return { attaches: [], detaches: new Set(), explicitDeletes: new Set(), deletedUsers: new Set() };
}

/** A replica: what the daemon's RxDB holds (fork), what it believes the hub holds, what it has to push. */
export class SimReplica {
  readonly fork = new Map<string, Stored>();
  readonly assumed = new Map<string, Stored>();
  readonly dirty = new Set<string>();
  private seq = 0;

  constructor(readonly index: number) {}

  /** Every state of a collection, tombstones included, by id. */
  all<C extends SimCollection>(collection: C): WithDeleted<SimDocs[C]>[] {
    return [...this.fork.entries()]
      .filter(([key]) => collectionOf(key) === collection)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, doc]) => doc as unknown as WithDeleted<SimDocs[C]>);
  }

  /** The documents that exist (not deleted) of a collection. */
  live<C extends SimCollection>(collection: C): WithDeleted<SimDocs[C]>[] {
    return this.all(collection).filter((d) => !d._deleted);
  }

  /** The local state of one document, tombstone included. */
  get<C extends SimCollection>(collection: C, id: string): WithDeleted<SimDocs[C]> | undefined {
    return this.fork.get(keyOf(collection, id)) as WithDeleted<SimDocs[C]> | undefined;
  }

  /** A local write: the document is pushed at the next sync. */
  write<C extends SimCollection>(collection: C, doc: SimDocs[C], deleted = false): void {
    const id = String(doc[ID_FIELD[collection]]);
    this.fork.set(keyOf(collection, id), { ...doc, _deleted: deleted } as Stored);
    this.dirty.add(keyOf(collection, id));
  }

  /** Starts from the hub's state, as after a first full pull. */
  seedFrom(hub: SimHub): void {
    for (const [key, { doc }] of hub.docs) {
      this.fork.set(key, doc);
      this.assumed.set(key, doc);
    }
  }

  /** A device id no other replica generates. */
  nextPhoneId(): string {
    return `P${this.index}x${++this.seq}`;
  }

  /**
   * One sync: push every local change with its assumed master (on a conflict, merge by the policy and
   * push again), pull the master states, then repair references to deleted users. True if anything changed.
   */
  sync(hub: SimHub, now: number, records: ConflictRecord[]): boolean {
    let changed = false;
    for (const key of [...this.dirty].sort()) {
      for (let attempt = 0; ; attempt++) {
        if (attempt > 3) throw new Error(`the push of ${key} never settles`);
        const doc = this.fork.get(key) as Stored;
        const assumed = this.assumed.get(key);
        const answer = hub.push(key, doc, assumed);
        if (answer.ok) {
          this.assumed.set(key, doc);
          this.dirty.delete(key);
          changed = true;
          break;
        }
        const { merged, conflicts } = mergeDocument(collectionOf(key), assumed as never, doc as never, answer.real as never, {
          now,
        });
        records.push(...conflicts);
        this.assumed.set(key, answer.real);
        if (documentsEqual(merged, answer.real)) {
          this.fork.set(key, answer.real);
          this.dirty.delete(key);
          changed = true;
          break;
        }
        this.fork.set(key, merged as Stored);
      }
    }
    for (const [key, { doc }] of hub.docs) {
      if (this.dirty.has(key)) continue;
      const mine = this.fork.get(key);
      if (mine === undefined || !documentsEqual(mine, doc)) {
        this.fork.set(key, doc);
        changed = true;
      }
      this.assumed.set(key, doc);
    }
    const repair = repairDeletedUserReferences(
      {
        phones: this.live('phones'),
        tokens: this.live('tokens'),
        deletedUserIds: new Set(this.all('users').filter((u) => u._deleted).map((u) => u.user_id)),
      },
      now,
    );
    for (const phone of repair.phones) this.write('phones', phone, isDeleted(phone));
    for (const token of repair.tokens) this.write('tokens', token);
    records.push(...repair.conflicts);
    return changed || repair.phones.length > 0 || repair.tokens.length > 0;
  }
}

export const SERIALS = ['SN-100', 'SN-200'] as const;
export const NAMES = ['Work', 'Home', 'Spare'] as const;
export const STATUSES = ['active', 'bypass', 'disabled'] as const;
export const TOKEN_TYPES = ['h6', 't6', 'yk'] as const;

/** An administrator's action; numbers pick among what the replica currently sees. */
export type SimOp =
  | { kind: 'addPhone'; user: number }
  | { kind: 'attach'; phone: number; user: number }
  | { kind: 'detach'; phone: number; user: number }
  | { kind: 'reorder'; user: number; phone: number; position: number }
  | { kind: 'rename'; phone: number; name: (typeof NAMES)[number] }
  | { kind: 'retype'; phone: number; type: 'mobile' | 'tablet' }
  | { kind: 'setNumber'; phone: number; clear: boolean }
  | { kind: 'deletePhone'; phone: number }
  | { kind: 'status'; user: number; status: (typeof STATUSES)[number] }
  | { kind: 'importToken'; serial: number; type: (typeof TOKEN_TYPES)[number] }
  | { kind: 'assignToken'; serial: number; user: number }
  | { kind: 'deleteUser'; user: number };

function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length];
}

/** The initial data set: three users, one personal and one shared device. */
export function seedHub(t0: number): SimHub {
  const hub = new SimHub();
  const users = ['a', 'b', 'c'].map((name) => createUser({ username: name }, t0, `U-${name}`));
  const p0 = createPhone({ type: 'mobile', number: '+15550100000' }, 'U-a', t0, 'P-0');
  const p1 = { ...createPhone({ type: 'tablet' }, 'U-a', t0, 'P-1'), users: ['U-a', 'U-b'] };
  const order: Record<string, string[]> = { 'U-a': ['P-0', 'P-1'], 'U-b': ['P-1'], 'U-c': [] };
  for (const u of users) hub.push(keyOf('users', u.user_id), { ...u, phone_order: order[u.user_id] ?? [], _deleted: false }, undefined);
  for (const p of [p0, p1]) hub.push(keyOf('phones', p.phone_id), { ...p, _deleted: false }, undefined);
  return hub;
}

/** Applies one action to a replica's local state, as the daemon would; impossible actions do nothing. */
export function applyOp(r: SimReplica, op: SimOp, now: number, events: SimEvents): void {
  const users = r.live('users');
  const phones = r.live('phones');
  const tryWrite = (fn: () => void) => {
    try {
      fn();
    } catch {
      // The domain refused it (e.g. a mobile without a number): the daemon would show the error.
    }
  };
  switch (op.kind) {
    case 'addPhone': {
      const u = pick(users, op.user);
      if (!u) return;
      const phone = createPhone({ type: 'mobile', number: '+15550100000' }, u.user_id, now, r.nextPhoneId());
      r.write('phones', phone);
      r.write('users', withPhoneAppended(u, phone.phone_id, now));
      events.attaches.push([phone.phone_id, u.user_id]);
      return;
    }
    case 'attach': {
      const p = pick(phones, op.phone);
      const u = pick(users, op.user);
      if (!p || !u || p.users.includes(u.user_id)) return;
      r.write('phones', attachUser(p, u.user_id, now));
      r.write('users', withPhoneAppended(u, p.phone_id, now));
      events.attaches.push([p.phone_id, u.user_id]);
      return;
    }
    case 'detach': {
      const p = pick(phones, op.phone);
      const uid = p && pick(p.users, op.user);
      const u = uid === undefined ? undefined : r.get('users', uid);
      if (!p || !u || u._deleted) return;
      const result = detachUser(p, u.user_id, now);
      r.write('phones', result.phone, result.deleted);
      r.write('users', withPhoneRemoved(u, p.phone_id, now));
      events.detaches.add(`${p.phone_id}|${u.user_id}`);
      return;
    }
    case 'reorder': {
      const u = pick(users, op.user);
      if (!u) return;
      const mine = orderedPhones(u, phones);
      const target = pick(mine, op.phone);
      if (!target || mine.length < 2) return;
      r.write('users', movePhone(u, phones, target.phone.phone_id, 1 + (op.position % mine.length), now));
      return;
    }
    case 'rename': {
      const p = pick(phones, op.phone);
      if (p && p.name !== op.name) r.write('phones', updatePhone(p, { name: op.name }, now));
      return;
    }
    case 'retype': {
      const p = pick(phones, op.phone);
      if (p && p.type !== op.type) tryWrite(() => r.write('phones', updatePhone(p, { type: op.type }, now)));
      return;
    }
    case 'setNumber': {
      const p = pick(phones, op.phone);
      if (p) tryWrite(() => r.write('phones', updatePhone(p, { number: op.clear ? '' : '+15550100999' }, now)));
      return;
    }
    case 'deletePhone': {
      const p = pick(phones, op.phone);
      if (!p) return;
      for (const uid of p.users) {
        const u = r.get('users', uid);
        if (u && !u._deleted) r.write('users', withPhoneRemoved(u, p.phone_id, now));
      }
      r.write('phones', markDeleted(p, now), true);
      events.explicitDeletes.add(p.phone_id);
      return;
    }
    case 'status': {
      const u = pick(users, op.user);
      if (u && u.status !== op.status) r.write('users', setStatus(u, op.status, now));
      return;
    }
    case 'importToken': {
      const serial = pick(SERIALS, op.serial) as string;
      const existing = r.get('tokens', tokenIdForSerial(serial));
      if (existing && !existing._deleted) return;
      r.write('tokens', createToken({ serial, type: op.type }, now));
      return;
    }
    case 'assignToken': {
      const token = r.get('tokens', tokenIdForSerial(pick(SERIALS, op.serial) as string));
      const u = pick(users, op.user);
      if (!token || token._deleted || !u || token.users.includes(u.user_id)) return;
      r.write('tokens', assignUser(token, u.user_id, now));
      return;
    }
    case 'deleteUser': {
      const u = pick(users, op.user);
      if (!u || users.length <= 1) return;
      for (const p of phones.filter((p) => p.users.includes(u.user_id))) {
        const result = detachUser(p, u.user_id, now);
        r.write('phones', result.phone, result.deleted);
      }
      for (const t of r.live('tokens').filter((t) => t.users.includes(u.user_id))) {
        r.write('tokens', unassignUser(t, u.user_id, now));
      }
      r.write('users', u, true);
      events.deletedUsers.add(u.user_id);
      return;
    }
  }
}

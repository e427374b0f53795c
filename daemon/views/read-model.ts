/**
 * The daemon's read model: every live document of the replica in memory, with the relations the commands
 * and views need (a user's phones, tokens and U2F registrations, phones by number, tokens by serial and by
 * administrator), maintained change by change from the replica's change stream.
 *
 * It also records which view rows each change touches (a user rename touches the rows of that user's
 * devices, tokens and U2F registrations; an attach touches the rows of every device of the users concerned,
 * since aliases shift), so the views rebuild those rows only. Deleted devices (`deletion` set) and documents
 * flagged `_deleted` are treated as absent.
 */
import type { EntityName, DeviceUserRef, OrderedPhone } from '../../src/rpc/contract.js';
import type { Admin, AuditEvent, CollectionName, DocTypes, Phone, ServerRequest, Token, U2fRegistration, User } from '../../src/domain/schemas.js';
import { isDeleted } from '../../src/domain/phone.js';
import { orderedPhones, usernameKey } from '../../src/domain/user.js';

/** One change of the replica's change stream. For DELETE, `doc` is the last state (its id is what counts). */
export interface DocChange<T> {
  op: 'INSERT' | 'UPDATE' | 'DELETE';
  doc: T;
  previous?: T;
}

/** Per view entity, the ids of rows to rebuild, or 'all'. */
export type DirtyRows = { [E in EntityName]?: Set<string> | 'all' };

/** The primary key of each collection. */
export const PRIMARY_KEYS = {
  users: 'user_id',
  phones: 'phone_id',
  tokens: 'token_id',
  u2f: 'registration_id',
  admins: 'admin_id',
  audit: 'event_id',
  requests: 'request_id',
} as const satisfies { [K in CollectionName]: keyof DocTypes[K] };

/** The collection behind each view entity. */
export const COLLECTION_OF = {
  devices: 'phones',
  users: 'users',
  tokens: 'tokens',
  u2f: 'u2f',
  admins: 'admins',
  audit: 'audit',
} as const satisfies Record<EntityName, CollectionName>;

/** The document type behind a view entity's rows. */
export type DocOf<E extends EntityName> = DocTypes[(typeof COLLECTION_OF)[E]];

/** The view entities whose rows read a collection: reloading the collection rebuilds all of their rows. */
const READERS: Readonly<Record<CollectionName, readonly EntityName[]>> = {
  users: ['users', 'devices', 'tokens', 'u2f'],
  phones: ['devices', 'users'],
  tokens: ['tokens', 'users', 'admins'],
  u2f: ['u2f', 'users'],
  admins: ['admins', 'tokens'],
  audit: ['audit'],
  requests: [],
};

/** The id of a document of a collection. */
export function docId<K extends CollectionName>(name: K, doc: DocTypes[K]): string {
  return String((doc as Record<string, unknown>)[PRIMARY_KEYS[name]]);
}

/** Digits of a phone number: `+1 (555) 010-0000` and `15550100000` find the same device. */
export function numberKey(number: string): string {
  return number.replace(/\D/g, '');
}

/**
 * Keys to ids, for one-to-many relations. Arrays rather than Sets: almost every key has one to three ids,
 * and 100k small Sets cost several times the memory.
 */
class MultiIndex {
  private readonly map = new Map<string, string[]>();

  add(key: string, id: string): void {
    const ids = this.map.get(key);
    if (!ids) this.map.set(key, [id]);
    else if (!ids.includes(id)) ids.push(id);
  }

  remove(key: string, id: string): void {
    const ids = this.map.get(key);
    const at = ids ? ids.indexOf(id) : -1;
    if (at < 0) return;
    if (ids!.length === 1) this.map.delete(key);
    else ids!.splice(at, 1);
  }

  get(key: string): readonly string[] {
    return this.map.get(key) ?? EMPTY;
  }

  clear(): void {
    this.map.clear();
  }
}

const EMPTY: readonly string[] = [];

/** Updates a MultiIndex from the old and new lists of a document; returns the keys that gained or lost it. */
function relink(index: MultiIndex, id: string, before: readonly string[], after: readonly string[]): string[] {
  const changed: string[] = [];
  for (const key of before) {
    if (!after.includes(key)) {
      index.remove(key, id);
      changed.push(key);
    }
  }
  for (const key of after) {
    if (!before.includes(key)) {
      index.add(key, id);
      changed.push(key);
    }
  }
  return changed;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The document without RxDB bookkeeping fields (`_rev`, `_meta`, …), which must not reach rows or exports. */
function plain<T>(doc: T): T {
  for (const key in doc) {
    if (key.charCodeAt(0) === 95 /* _ */) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(doc as Record<string, unknown>)) if (!k.startsWith('_')) out[k] = v;
      return out as T;
    }
  }
  return doc;
}

function isGone(name: CollectionName, doc: unknown): boolean {
  if ((doc as { _deleted?: unknown })._deleted === true) return true;
  return name === 'phones' && isDeleted(doc as Phone);
}

/** All documents in memory with their relations; see the file comment. */
export class ReadModel {
  private readonly docs: { [K in CollectionName]: Map<string, DocTypes[K]> } = {
    users: new Map(),
    phones: new Map(),
    tokens: new Map(),
    u2f: new Map(),
    admins: new Map(),
    audit: new Map(),
    requests: new Map(),
  };
  private readonly usernames = new MultiIndex();
  private readonly phonesByUserIndex = new MultiIndex();
  private readonly phonesByNumberIndex = new MultiIndex();
  private readonly serials = new MultiIndex();
  private readonly tokensByUserIndex = new MultiIndex();
  private readonly tokensByAdminIndex = new MultiIndex();
  private readonly u2fByUserIndex = new MultiIndex();

  /** Aliases of the devices of users with several, computed on demand; dropped when that user's order may change. */
  private readonly aliases = new Map<string, Map<string, string>>();

  private dirty: DirtyRows = {};
  private isDirty = false;
  private readonly dirtyListeners = new Set<() => void>();

  /** Replaces all documents of a collection (start-up, or a resync). Deleted documents are skipped. */
  load<K extends CollectionName>(name: K, docs: Iterable<DocTypes[K]>): void {
    this.clear(name);
    for (const doc of docs) {
      if (isGone(name, doc)) continue;
      const clean = plain(doc);
      this.put(name, docId(name, clean), undefined, clean, false);
    }
    for (const entity of READERS[name]) this.markAll(entity);
  }

  /** Applies one change of the replica's change stream. */
  apply<K extends CollectionName>(name: K, change: DocChange<DocTypes[K]>): void {
    const id = docId(name, change.doc);
    const prev = this.docs[name].get(id);
    const next = change.op === 'DELETE' || isGone(name, change.doc) ? undefined : plain(change.doc);
    if (prev === undefined && next === undefined) return;
    this.put(name, id, prev, next, true);
  }

  /** Calls `listener` when the first change after a `takeDirty()` arrives; returns a function that stops it. */
  onDirty(listener: () => void): () => void {
    this.dirtyListeners.add(listener);
    return () => this.dirtyListeners.delete(listener);
  }

  /** The rows touched since the last call, per view entity; resets them. */
  takeDirty(): DirtyRows {
    const out = this.dirty;
    this.dirty = {};
    this.isDirty = false;
    return out;
  }

  // ---- lookups ------------------------------------------------------------------------------------------

  /** A document of a collection by id. */
  get<K extends CollectionName>(name: K, id: string): DocTypes[K] | undefined {
    return this.docs[name].get(id) as DocTypes[K] | undefined;
  }

  /** All documents of a collection (live iterator: do not change the model while iterating). */
  all<K extends CollectionName>(name: K): IterableIterator<DocTypes[K]> {
    return (this.docs[name] as Map<string, DocTypes[K]>).values();
  }

  /** Number of documents of a collection. */
  count(name: CollectionName): number {
    return this.docs[name].size;
  }

  /** A user by user_id. */
  user(id: string): User | undefined {
    return this.docs.users.get(id);
  }

  /** A user by username, case-insensitively (the first one should a replica briefly hold two). */
  userByUsername(username: string): User | undefined {
    for (const id of this.usernames.get(usernameKey(username.trim()))) return this.docs.users.get(id);
    return undefined;
  }

  /** All users. */
  users(): User[] {
    return [...this.docs.users.values()];
  }

  /** A device by phone_id. */
  phone(id: string): Phone | undefined {
    return this.docs.phones.get(id);
  }

  /** Devices whose number has the same digits (separators and a leading + ignored). */
  phonesByNumber(number: string): Phone[] {
    const key = numberKey(number);
    return key ? this.lookup('phones', this.phonesByNumberIndex.get(key)) : [];
  }

  /** The devices attached to a user, in no particular order. */
  phonesOfUser(userId: string): Phone[] {
    return this.lookup('phones', this.phonesByUserIndex.get(userId));
  }

  /** Number of devices attached to a user. */
  phoneCount(userId: string): number {
    return this.phonesByUserIndex.get(userId).length;
  }

  /** The devices of a user in the user's order, with aliases phone1..n; empty for an unknown user. */
  orderedPhonesOfUser(userId: string): OrderedPhone[] {
    const user = this.docs.users.get(userId);
    return user ? orderedPhones(user, this.phonesOfUser(userId)) : [];
  }

  /** The alias a device has in a user's order (`phone2`), or '' when it is not attached to that user. */
  aliasOf(userId: string, phoneId: string): string {
    const ids = this.phonesByUserIndex.get(userId);
    // Most users have one device: no order to work out.
    if (ids.length === 1) return ids[0] === phoneId ? 'phone1' : '';
    let aliases = this.aliases.get(userId);
    if (!aliases) {
      // Without a user document (not replicated yet) the order is the default one: oldest first.
      const user = this.docs.users.get(userId) ?? ({ user_id: userId, phone_order: [] } as unknown as User);
      aliases = new Map(orderedPhones(user, this.lookup('phones', ids)).map((o) => [o.phone.phone_id, o.alias]));
      this.aliases.set(userId, aliases);
    }
    return aliases.get(phoneId) ?? '';
  }

  /** The users of a device with their usernames and the device's alias for each (unknown users by id). */
  deviceUserRefs(phoneId: string): DeviceUserRef[] {
    const phone = this.docs.phones.get(phoneId);
    if (!phone) return [];
    return phone.users.map((userId) => ({
      user_id: userId,
      username: this.docs.users.get(userId)?.username ?? userId,
      alias: this.aliasOf(userId, phoneId),
    }));
  }

  /** A token by token_id. */
  token(id: string): Token | undefined {
    return this.docs.tokens.get(id);
  }

  /** A token by its exact serial (serials are case-sensitive identities). */
  tokenBySerial(serial: string): Token | undefined {
    for (const id of this.serials.get(serial.trim())) return this.docs.tokens.get(id);
    return undefined;
  }

  /** The tokens assigned to a user. */
  tokensOfUser(userId: string): Token[] {
    return this.lookup('tokens', this.tokensByUserIndex.get(userId));
  }

  /** Number of tokens assigned to a user. */
  tokenCount(userId: string): number {
    return this.tokensByUserIndex.get(userId).length;
  }

  /** The tokens an administrator logs in with. */
  tokensOfAdmin(adminId: string): Token[] {
    return this.lookup('tokens', this.tokensByAdminIndex.get(adminId));
  }

  /** A U2F/WebAuthn registration by registration_id. */
  u2f(id: string): U2fRegistration | undefined {
    return this.docs.u2f.get(id);
  }

  /** The U2F/WebAuthn registrations of a user. */
  u2fOfUser(userId: string): U2fRegistration[] {
    return this.lookup('u2f', this.u2fByUserIndex.get(userId));
  }

  /** Number of U2F/WebAuthn registrations of a user. */
  u2fCount(userId: string): number {
    return this.u2fByUserIndex.get(userId).length;
  }

  /** An administrator by admin_id. */
  admin(id: string): Admin | undefined {
    return this.docs.admins.get(id);
  }

  /** All administrators. */
  admins(): Admin[] {
    return [...this.docs.admins.values()];
  }

  /** An audit event by event_id. */
  auditEvent(id: string): AuditEvent | undefined {
    return this.docs.audit.get(id);
  }

  /** The serials of every token in the replica. */
  tokenSerials(): string[] {
    return [...this.docs.tokens.values()].map((t) => t.serial);
  }

  /** A server-side request by request_id. */
  request(id: string): ServerRequest | undefined {
    return this.docs.requests.get(id);
  }

  /** Every server-side request, newest first. */
  requests(): ServerRequest[] {
    return [...this.docs.requests.values()].sort((a, b) => b.created - a.created || (a.request_id < b.request_id ? 1 : -1));
  }

  // ---- maintenance --------------------------------------------------------------------------------------

  private lookup<K extends CollectionName>(name: K, ids: readonly string[]): DocTypes[K][] {
    const out: DocTypes[K][] = [];
    for (const id of ids) {
      const doc = this.docs[name].get(id) as DocTypes[K] | undefined;
      if (doc) out.push(doc);
    }
    return out;
  }

  private clear(name: CollectionName): void {
    this.docs[name].clear();
    if (name === 'users' || name === 'phones') this.aliases.clear();
    if (name === 'users') this.usernames.clear();
    if (name === 'phones') {
      this.phonesByUserIndex.clear();
      this.phonesByNumberIndex.clear();
    }
    if (name === 'tokens') {
      this.serials.clear();
      this.tokensByUserIndex.clear();
      this.tokensByAdminIndex.clear();
    }
    if (name === 'u2f') this.u2fByUserIndex.clear();
  }

  private signal(): void {
    if (this.isDirty) return;
    this.isDirty = true;
    for (const listener of this.dirtyListeners) listener();
  }

  private mark(entity: EntityName, id: string): void {
    const current = this.dirty[entity];
    if (current === 'all') return;
    if (current) current.add(id);
    else this.dirty[entity] = new Set([id]);
    this.signal();
  }

  private markMany(entity: EntityName, ids: Iterable<string>): void {
    for (const id of ids) this.mark(entity, id);
  }

  private markAll(entity: EntityName): void {
    this.dirty[entity] = 'all';
    this.signal();
  }

  /** Stores `next` (or removes `prev`), keeps the relations, and with `track` marks the rows touched. */
  private put<K extends CollectionName>(name: K, id: string, prev: DocTypes[K] | undefined, next: DocTypes[K] | undefined, track: boolean): void {
    const docs = this.docs[name] as Map<string, DocTypes[K]>;
    if (next) docs.set(id, next);
    else docs.delete(id);
    switch (name) {
      case 'users':
        return this.putUser(id, prev as User | undefined, next as User | undefined, track);
      case 'phones':
        return this.putPhone(id, prev as Phone | undefined, next as Phone | undefined, track);
      case 'tokens':
        return this.putToken(id, prev as Token | undefined, next as Token | undefined, track);
      case 'u2f':
        return this.putU2f(id, prev as U2fRegistration | undefined, next as U2fRegistration | undefined, track);
      case 'admins':
        return this.putAdmin(id, prev as Admin | undefined, next as Admin | undefined, track);
      case 'audit':
        if (track) this.mark('audit', id);
        return;
    }
  }

  private putUser(id: string, prev: User | undefined, next: User | undefined, track: boolean): void {
    const before = prev ? usernameKey(prev.username) : undefined;
    const after = next ? usernameKey(next.username) : undefined;
    if (before !== after) {
      if (before !== undefined) this.usernames.remove(before, id);
      if (after !== undefined) this.usernames.add(after, id);
    }
    const reordered = !prev || !next || !sameList(prev.phone_order, next.phone_order);
    if (reordered) this.aliases.delete(id);
    if (!track) return;
    this.mark('users', id);
    const renamed = prev?.username !== next?.username;
    // Device rows show the username and the alias from this user's order.
    if (renamed || reordered) this.markMany('devices', this.phonesByUserIndex.get(id));
    if (renamed) {
      this.markMany('tokens', this.tokensByUserIndex.get(id));
      this.markMany('u2f', this.u2fByUserIndex.get(id));
    }
  }

  private putPhone(id: string, prev: Phone | undefined, next: Phone | undefined, track: boolean): void {
    const beforeNumber = prev ? numberKey(prev.number) : '';
    const afterNumber = next ? numberKey(next.number) : '';
    if (beforeNumber !== afterNumber) {
      if (beforeNumber) this.phonesByNumberIndex.remove(beforeNumber, id);
      if (afterNumber) this.phonesByNumberIndex.add(afterNumber, id);
    }
    const moved = relink(this.phonesByUserIndex, id, prev?.users ?? [], next?.users ?? []);
    // `created` orders the devices missing from a user's phone_order, so it can shift aliases too.
    const reordered = prev && next && prev.created !== next.created ? next.users : [];
    const concerned = reordered.length > 0 ? [...moved, ...reordered] : moved;
    for (const userId of concerned) this.aliases.delete(userId);
    if (!track) return;
    this.mark('devices', id);
    for (const userId of concerned) {
      this.mark('users', userId);
      // Attaching or detaching shifts the aliases of the user's other devices.
      this.markMany('devices', this.phonesByUserIndex.get(userId));
    }
  }

  private putToken(id: string, prev: Token | undefined, next: Token | undefined, track: boolean): void {
    const beforeSerial = prev?.serial;
    const afterSerial = next?.serial;
    if (beforeSerial !== afterSerial) {
      if (beforeSerial !== undefined) this.serials.remove(beforeSerial, id);
      if (afterSerial !== undefined) this.serials.add(afterSerial, id);
    }
    const users = relink(this.tokensByUserIndex, id, prev?.users ?? [], next?.users ?? []);
    const admins = relink(this.tokensByAdminIndex, id, prev?.admins ?? [], next?.admins ?? []);
    if (!track) return;
    this.mark('tokens', id);
    this.markMany('users', users);
    this.markMany('admins', admins);
    // Administrator rows list their tokens' serials.
    if (prev && next && prev.serial !== next.serial) this.markMany('admins', next.admins);
  }

  private putU2f(id: string, prev: U2fRegistration | undefined, next: U2fRegistration | undefined, track: boolean): void {
    relink(this.u2fByUserIndex, id, prev ? [prev.user_id] : [], next ? [next.user_id] : []);
    if (!track) return;
    this.mark('u2f', id);
    if (prev?.user_id !== next?.user_id) {
      if (prev) this.mark('users', prev.user_id);
      if (next) this.mark('users', next.user_id);
    }
  }

  private putAdmin(id: string, prev: Admin | undefined, next: Admin | undefined, track: boolean): void {
    if (!track) return;
    this.mark('admins', id);
    // Token rows list their administrators' names.
    if (prev?.name !== next?.name) this.markMany('tokens', this.tokensByAdminIndex.get(id));
  }
}

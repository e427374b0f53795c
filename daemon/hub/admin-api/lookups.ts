/**
 * Finding the documents a request names (404 in Duo's envelope when there is none) and the relations Duo's
 * objects list.
 *
 * Phones: Duo's API creates a phone before any user is associated with it, and keeps it when its last user is
 * disassociated; the domain keeps a device without users as implicitly deleted (`deletion: 'implicit'`), which
 * daemons do not show and which an attach brings back (attachUser). So the API shows every phone document that
 * is not a tombstone and was not deleted on purpose; a device a daemon removed from its last user is a tombstone
 * (the panel says that deletes it) and stays gone.
 */
import { notFound } from '../../../src/errors.js';
import { orderedPhones } from '../../../src/domain/user.js';
import type { DocTypes, Phone, Token, U2fRegistration, User } from '../../../src/domain/schemas.js';
import type { ApiCollection, DocumentCache, Stored } from './documents.js';

/** The document's fields, without the tombstone flag and hub revision (what domain functions take). */
export function fieldsOf<K extends ApiCollection>(doc: Stored<K>): DocTypes[K] {
  const { _deleted: _d, _hubRev: _r, ...body } = doc;
  return body as unknown as DocTypes[K];
}

/** True for a phone the Admin API shows (see the top). */
export function isApiPhone(phone: Stored<'phones'>): boolean {
  return !phone._deleted && phone.deletion !== 'explicit';
}

/** Oldest first, then by id: a stable order for paging while documents are added. */
export function byCreated<T extends { created: number }>(idOf: (doc: T) => string): (a: T, b: T) => number {
  return (a, b) => a.created - b.created || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0);
}

const WHAT: Record<ApiCollection, string> = { users: 'user', phones: 'phone', tokens: 'hardware token', u2f: 'U2F token', admins: 'administrator' };

async function requireLive<K extends ApiCollection>(
  docs: DocumentCache,
  collection: K,
  id: string,
  visible: (doc: Stored<K>) => boolean = (doc) => !doc._deleted,
): Promise<Stored<K>> {
  const doc = await docs.getOne(collection, id);
  if (!doc || !visible(doc)) throw notFound(`no ${WHAT[collection]} with id ${id}`);
  return doc;
}

/** The phone with this id, fresh from the store. */
export function requirePhone(docs: DocumentCache, phoneId: string): Promise<Stored<'phones'>> {
  return requireLive(docs, 'phones', phoneId, isApiPhone);
}

/** The user with this id, fresh from the store. */
export function requireUser(docs: DocumentCache, userId: string): Promise<Stored<'users'>> {
  return requireLive(docs, 'users', userId);
}

/** The hardware token with this id, fresh from the store. */
export function requireToken(docs: DocumentCache, tokenId: string): Promise<Stored<'tokens'>> {
  return requireLive(docs, 'tokens', tokenId);
}

/** The administrator with this id, fresh from the store. */
export function requireAdmin(docs: DocumentCache, adminId: string): Promise<Stored<'admins'>> {
  return requireLive(docs, 'admins', adminId);
}

/** The U2F (kind `u2f`) or WebAuthn (kind `webauthn`) registration with this id, fresh from the store. */
export function requireRegistration(docs: DocumentCache, id: string, kind: U2fRegistration['kind']): Promise<Stored<'u2f'>> {
  return requireLive(docs, 'u2f', id, (doc) => !doc._deleted && doc.kind === kind);
}

/** The live documents of a collection by id. */
export async function liveById<K extends ApiCollection>(docs: DocumentCache, collection: K): Promise<Map<string, Stored<K>>> {
  const out = new Map<string, Stored<K>>();
  for (const [id, doc] of await docs.all(collection)) if (!doc._deleted) out.set(id, doc);
  return out;
}

/** Everything Duo's user objects list, indexed by user, read once for a whole page of users. */
export interface UserIndex {
  phonesOf(user: User): Phone[];
  tokensOf(userId: string): Token[];
  registrationsOf(userId: string): U2fRegistration[];
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Reads phones, tokens and registrations once and indexes them by user. */
export async function userIndex(docs: DocumentCache): Promise<UserIndex> {
  const phones = new Map<string, Phone[]>();
  const tokens = new Map<string, Token[]>();
  const registrations = new Map<string, U2fRegistration[]>();
  for (const phone of (await docs.all('phones')).values()) {
    if (!phone._deleted && phone.deletion === '') for (const id of phone.users) push(phones, id, phone);
  }
  for (const token of (await docs.all('tokens')).values()) {
    if (!token._deleted) for (const id of token.users) push(tokens, id, token);
  }
  for (const reg of (await docs.all('u2f')).values()) if (!reg._deleted) push(registrations, reg.user_id, reg);
  return {
    phonesOf: (user) => orderedPhones(user, phones.get(user.user_id) ?? []).map((o) => o.phone),
    tokensOf: (userId) => tokens.get(userId) ?? [],
    registrationsOf: (userId) => registrations.get(userId) ?? [],
  };
}

/**
 * `/admin/v1/users`: list (filter `username`, case-insensitive as usernames are), get, create, modify (status
 * included), delete. Deleting a user removes it from its phones (a phone keeps living without users, as in Duo's
 * API), from its tokens, and deletes its U2F/WebAuthn registrations, as the daemon's `users.delete` does.
 */
import { newId } from '../../../src/domain/ids.js';
import { detachUser } from '../../../src/domain/phone.js';
import type { User } from '../../../src/domain/schemas.js';
import { unassignUser } from '../../../src/domain/token.js';
import { createUser, normalizeUserInput, sameUsername, setStatus } from '../../../src/domain/user.js';
import { conflict, notFound } from '../../../src/errors.js';
import { commit, type DocChange } from './commit.js';
import type { DocumentCache } from './documents.js';
import { byCreated, fieldsOf, requireUser, userIndex } from './lookups.js';
import { userObject } from './objects.js';
import { listResult, pathParam, type ApiRequest, type ApiRoute } from './route.js';

/** Throws CONFLICT when another live user has this username. */
async function assertUsernameFree(docs: DocumentCache, username: string, except?: string): Promise<void> {
  for (const user of (await docs.all('users')).values()) {
    if (!user._deleted && user.user_id !== except && sameUsername(user.username, username)) {
      throw conflict(`a user named ${user.username} already exists (${user.user_id})`);
    }
  }
}

async function userResponse(request: ApiRequest, user: User): Promise<unknown> {
  const index = await userIndex(request.docs);
  return userObject(user, { phones: index.phonesOf(user), tokens: index.tokensOf(user.user_id), registrations: index.registrationsOf(user.user_id) });
}

async function list(request: ApiRequest) {
  const username = request.params.get('username');
  const users = [...(await request.docs.all('users')).values()]
    .filter((u) => !u._deleted && (username === undefined || sameUsername(u.username, username)))
    .sort(byCreated((u) => u.user_id));
  const index = await userIndex(request.docs);
  return listResult(request, users, (user) =>
    userObject(user, { phones: index.phonesOf(user), tokens: index.tokensOf(user.user_id), registrations: index.registrationsOf(user.user_id) }),
  );
}

async function get(request: ApiRequest) {
  return { response: await userResponse(request, fieldsOf(await requireUser(request.docs, pathParam(request, 'user_id')))) };
}

async function create(request: ApiRequest) {
  const { params } = request;
  const now = request.deps.now().getTime();
  let user = createUser(
    { username: params.required('username'), realname: params.get('realname') ?? '', email: params.get('email') ?? '' },
    now,
    newId('DU'),
  );
  const status = params.get('status');
  if (status !== undefined) user = setStatus(user, status, now);
  await commit(request.write, async () => {
    await assertUsernameFree(request.docs, user.username);
    return [{ collection: 'users', before: undefined, after: { ...user, _deleted: false } }];
  });
  return { response: await userResponse(request, user) };
}

/** The user with the fields a modify request gives (any of username, realname, email, status). */
export function modifiedUser(user: User, fields: { username?: string; realname?: string; email?: string; status?: string }, now: number): User {
  const input = normalizeUserInput({
    username: fields.username ?? user.username,
    realname: fields.realname ?? user.realname,
    email: fields.email ?? user.email,
  });
  const next: User = { ...user, ...input, updated: now };
  return fields.status === undefined || fields.status.trim().toLowerCase() === user.status ? next : setStatus(next, fields.status, now);
}

async function modify(request: ApiRequest) {
  const { params } = request;
  const userId = pathParam(request, 'user_id');
  const fields: { username?: string; realname?: string; email?: string; status?: string } = {};
  for (const name of ['username', 'realname', 'email', 'status'] as const) {
    const value = params.get(name);
    if (value !== undefined) fields[name] = value;
  }
  let written: User | undefined;
  await commit(request.write, async () => {
    const master = await requireUser(request.docs, userId);
    written = modifiedUser(fieldsOf(master), fields, request.deps.now().getTime());
    if (written.username !== master.username) await assertUsernameFree(request.docs, written.username, userId);
    return [{ collection: 'users', before: master, after: { ...written, _deleted: false } }];
  });
  return { response: await userResponse(request, written as User) };
}

/** The changes that delete a user: out of its phones and tokens, its registrations deleted, then the user itself. */
async function userDeletion(request: ApiRequest, userId: string, now: number): Promise<DocChange[]> {
  const master = await request.docs.getOne('users', userId);
  if (!master) throw notFound(`no user with id ${userId}`);
  const changes: DocChange[] = [];
  const phoneIds = [...(await request.docs.all('phones')).values()].filter((p) => p.users.includes(userId)).map((p) => p.phone_id);
  for (const phone of (await request.docs.get('phones', phoneIds)).values()) {
    if (phone._deleted || !phone.users.includes(userId)) continue;
    changes.push({ collection: 'phones', before: phone, after: { ...detachUser(fieldsOf(phone), userId, now).phone, _deleted: false } });
  }
  const tokenIds = [...(await request.docs.all('tokens')).values()].filter((t) => t.users.includes(userId)).map((t) => t.token_id);
  for (const token of (await request.docs.get('tokens', tokenIds)).values()) {
    if (token._deleted || !token.users.includes(userId)) continue;
    changes.push({ collection: 'tokens', before: token, after: { ...unassignUser(fieldsOf(token), userId, now), _deleted: false } });
  }
  const regIds = [...(await request.docs.all('u2f')).values()].filter((r) => r.user_id === userId).map((r) => r.registration_id);
  for (const reg of (await request.docs.get('u2f', regIds)).values()) {
    if (!reg._deleted && reg.user_id === userId) changes.push({ collection: 'u2f', before: reg, after: { ...fieldsOf(reg), _deleted: true } });
  }
  // Deleting a deleted user changes nothing more (as Duo's API answers it).
  if (!master._deleted) changes.push({ collection: 'users', before: master, after: { ...fieldsOf(master), updated: now, _deleted: true } });
  return changes;
}

async function remove(request: ApiRequest) {
  const userId = pathParam(request, 'user_id');
  await commit(request.write, () => userDeletion(request, userId, request.deps.now().getTime()));
  return { response: '' };
}

/** The user endpoints (a user's phones, tokens and registrations: their own files). */
export const userRoutes: ApiRoute[] = [
  { method: 'GET', url: '/users', action: 'users.view', handler: list },
  { method: 'POST', url: '/users', action: 'users.add', handler: create },
  { method: 'GET', url: '/users/:user_id', action: 'users.view', handler: get },
  { method: 'POST', url: '/users/:user_id', action: 'users.update', handler: modify },
  { method: 'DELETE', url: '/users/:user_id', action: 'users.delete', handler: remove },
];

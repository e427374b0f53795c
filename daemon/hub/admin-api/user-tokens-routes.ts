/**
 * `/admin/v1/users/{user_id}/tokens`: a user's hardware tokens, associate one (`token_id`), disassociate one.
 * A token may serve several users (src/domain/token.ts).
 */
import { assignUser, unassignUser } from '../../../src/domain/token.js';
import { notFound } from '../../../src/errors.js';
import { commit } from './commit.js';
import { byCreated, fieldsOf, liveById, requireToken, requireUser } from './lookups.js';
import { tokenObject } from './objects.js';
import { listResult, pathParam, type ApiRequest, type ApiRoute } from './route.js';

async function list(request: ApiRequest) {
  const user = await requireUser(request.docs, pathParam(request, 'user_id'));
  const tokens = [...(await request.docs.all('tokens')).values()]
    .filter((t) => !t._deleted && t.users.includes(user.user_id))
    .sort(byCreated((t) => t.token_id));
  const users = await liveById(request.docs, 'users');
  const admins = await liveById(request.docs, 'admins');
  return listResult(request, tokens, (token) => tokenObject(token, users, admins));
}

async function associate(request: ApiRequest) {
  const userId = pathParam(request, 'user_id');
  const tokenId = request.params.required('token_id');
  await commit(request.write, async () => {
    const user = await requireUser(request.docs, userId);
    const token = await requireToken(request.docs, tokenId);
    if (token.users.includes(userId)) return [];
    return [{ collection: 'tokens', before: token, after: { ...assignUser(fieldsOf(token), userId, request.deps.now().getTime(), user.username), _deleted: false } }];
  });
  return { response: '' };
}

async function disassociate(request: ApiRequest) {
  const userId = pathParam(request, 'user_id');
  const tokenId = pathParam(request, 'token_id');
  await commit(request.write, async () => {
    const user = await requireUser(request.docs, userId);
    const token = await requireToken(request.docs, tokenId);
    if (!token.users.includes(userId)) throw notFound(`token ${token.serial} is not associated with user ${user.username}`);
    return [{ collection: 'tokens', before: token, after: { ...unassignUser(fieldsOf(token), userId, request.deps.now().getTime()), _deleted: false } }];
  });
  return { response: '' };
}

/** A user's token endpoints. */
export const userTokenRoutes: ApiRoute[] = [
  { method: 'GET', url: '/users/:user_id/tokens', action: 'tokens.view', handler: list },
  { method: 'POST', url: '/users/:user_id/tokens', action: 'tokens.assign', handler: associate },
  { method: 'DELETE', url: '/users/:user_id/tokens/:token_id', action: 'tokens.unassign', handler: disassociate },
];

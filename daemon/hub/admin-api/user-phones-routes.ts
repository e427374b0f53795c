/**
 * `/admin/v1/users/{user_id}/phones`: a user's phones in the user's order (phone1 first), associate one
 * (`phone_id`), disassociate one. The order, which Duo's API cannot express, is kept: an associated phone goes
 * last (it becomes phoneN), a disassociated one leaves a gap that the phones after it close, and the relative order
 * of the others never changes. Removing a phone's last user leaves the phone without users, as Duo's API does.
 */
import { attachUser, detachUser } from '../../../src/domain/phone.js';
import { withPhoneAppended, withPhoneRemoved } from '../../../src/domain/user.js';
import { notFound } from '../../../src/errors.js';
import { commit, type DocChange } from './commit.js';
import { fieldsOf, isApiPhone, liveById, requireUser, userIndex } from './lookups.js';
import { phoneObject } from './objects.js';
import { listResult, pathParam, type ApiRequest, type ApiRoute } from './route.js';

async function list(request: ApiRequest) {
  const user = fieldsOf(await requireUser(request.docs, pathParam(request, 'user_id')));
  const phones = (await userIndex(request.docs)).phonesOf(user);
  const users = await liveById(request.docs, 'users');
  return listResult(request, phones, (phone) => phoneObject(phone, users));
}

/** The changes that associate a phone with a user (re-runnable: what is already done plans nothing). */
export async function association(request: ApiRequest, userId: string, phoneId: string, now: number): Promise<DocChange[]> {
  const user = await requireUser(request.docs, userId);
  const phone = await request.docs.getOne('phones', phoneId);
  if (!phone || !isApiPhone(phone)) throw notFound(`no phone with id ${phoneId}`);
  const changes: DocChange[] = [];
  const attached = phone.users.includes(userId);
  if (!attached) changes.push({ collection: 'phones', before: phone, after: { ...attachUser(fieldsOf(phone), userId, now), _deleted: false } });
  if (!attached || !user.phone_order.includes(phoneId)) {
    changes.push({ collection: 'users', before: user, after: { ...withPhoneAppended(fieldsOf(user), phoneId, now), _deleted: false } });
  }
  return changes;
}

/** The changes that disassociate a phone from a user (re-runnable). */
export async function disassociation(request: ApiRequest, userId: string, phoneId: string, now: number): Promise<DocChange[]> {
  const user = await requireUser(request.docs, userId);
  const phone = await request.docs.getOne('phones', phoneId);
  if (!phone) throw notFound(`no phone with id ${phoneId}`);
  const attached = !phone._deleted && phone.users.includes(userId);
  const ordered = user.phone_order.includes(phoneId);
  if (!attached && !ordered) throw notFound(`phone ${phoneId} is not associated with user ${user.username}`);
  const changes: DocChange[] = [];
  if (attached) changes.push({ collection: 'phones', before: phone, after: { ...detachUser(fieldsOf(phone), userId, now).phone, _deleted: false } });
  if (ordered) changes.push({ collection: 'users', before: user, after: { ...withPhoneRemoved(fieldsOf(user), phoneId, now), _deleted: false } });
  return changes;
}

async function associate(request: ApiRequest) {
  const userId = pathParam(request, 'user_id');
  const phoneId = request.params.required('phone_id');
  await commit(request.write, () => association(request, userId, phoneId, request.deps.now().getTime()));
  return { response: '' };
}

async function disassociate(request: ApiRequest) {
  const userId = pathParam(request, 'user_id');
  const phoneId = pathParam(request, 'phone_id');
  await commit(request.write, () => disassociation(request, userId, phoneId, request.deps.now().getTime()));
  return { response: '' };
}

/** A user's phone endpoints. */
export const userPhoneRoutes: ApiRoute[] = [
  { method: 'GET', url: '/users/:user_id/phones', action: 'phones.view', handler: list },
  { method: 'POST', url: '/users/:user_id/phones', action: 'phones.attach', handler: associate },
  { method: 'DELETE', url: '/users/:user_id/phones/:phone_id', action: 'phones.detach', handler: disassociate },
];

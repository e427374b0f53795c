/**
 * `/admin/v1/phones`: list (filters `number`, `extension`), get, create, modify, delete. A phone created here has
 * no user until one is associated (lookups.ts says how the domain keeps it); deleting one is the panel's explicit
 * delete (it wins over concurrent edits) and takes it out of every user's order.
 */
import { newId } from '../../../src/domain/ids.js';
import { createPhone, markDeleted, normalizePhoneNumber, updatePhone, type PhoneFieldsInput } from '../../../src/domain/phone.js';
import type { Phone } from '../../../src/domain/schemas.js';
import { withPhoneRemoved } from '../../../src/domain/user.js';
import { notFound } from '../../../src/errors.js';
import { commit, type DocChange } from './commit.js';
import { byCreated, fieldsOf, isApiPhone, liveById, requirePhone } from './lookups.js';
import { phoneObject } from './objects.js';
import type { ApiParams } from './params.js';
import { listResult, pathParam, type ApiRequest, type ApiRoute } from './route.js';

/** The phone fields Duo's create and modify take. */
const FIELDS = ['number', 'extension', 'name', 'type', 'platform'] as const;

function phoneInput(params: ApiParams): PhoneFieldsInput {
  const out: PhoneFieldsInput = {};
  for (const field of FIELDS) {
    const value = params.get(field);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** A new phone without users (implicitly deleted until a user is associated: see lookups.ts). */
export function unattachedPhone(fields: PhoneFieldsInput, now: number, phoneId: string): Phone {
  return { ...createPhone(fields, '', now, phoneId), users: [], deletion: 'implicit' };
}

/** The phone with edited fields, whether or not it has users yet. */
export function editPhone(phone: Phone, fields: PhoneFieldsInput, now: number): Phone {
  if (phone.deletion !== 'implicit') return updatePhone(phone, fields, now);
  return { ...updatePhone({ ...phone, deletion: '' }, fields, now), deletion: 'implicit' };
}

async function phoneResponse(request: ApiRequest, phone: Phone): Promise<unknown> {
  return phoneObject(phone, await liveById(request.docs, 'users'));
}

async function list(request: ApiRequest) {
  const number = request.params.get('number');
  const extension = request.params.get('extension');
  const wanted = number === undefined ? undefined : normalizePhoneNumber(number);
  const phones = [...(await request.docs.all('phones')).values()]
    .filter(isApiPhone)
    .filter((p) => wanted === undefined || p.number === wanted)
    .filter((p) => extension === undefined || p.extension === extension.trim())
    .sort(byCreated((p) => p.phone_id));
  const users = await liveById(request.docs, 'users');
  return listResult(request, phones, (phone) => phoneObject(phone, users));
}

async function create(request: ApiRequest) {
  const fields = phoneInput(request.params);
  const phoneId = newId('DP');
  const phone = unattachedPhone(fields, request.deps.now().getTime(), phoneId);
  await commit(request.write, async () => [{ collection: 'phones', before: undefined, after: { ...phone, _deleted: false } }]);
  return { response: await phoneResponse(request, phone) };
}

async function modify(request: ApiRequest) {
  const fields = phoneInput(request.params);
  const phoneId = pathParam(request, 'phone_id');
  let written: Phone | undefined;
  await commit(request.write, async () => {
    const master = await requirePhone(request.docs, phoneId);
    written = editPhone(fieldsOf(master), fields, request.deps.now().getTime());
    return [{ collection: 'phones', before: master, after: { ...written, _deleted: false } }];
  });
  return { response: await phoneResponse(request, written as Phone) };
}

/** The changes of an explicit delete: the phone (a tombstone) and the order of each user that had it. */
export async function phoneDeletion(request: ApiRequest, phoneId: string, now: number): Promise<DocChange[]> {
  const master = await request.docs.getOne('phones', phoneId);
  if (!master) throw notFound(`no phone with id ${phoneId}`);
  const changes: DocChange[] = [];
  // Deleting a deleted phone changes nothing (as Duo's API answers it).
  if (!master._deleted) {
    changes.push({ collection: 'phones', before: master, after: { ...markDeleted(fieldsOf(master), now), _deleted: true } });
  }
  const userIds = new Set(master.users);
  for (const user of (await request.docs.all('users')).values()) if (user.phone_order.includes(phoneId)) userIds.add(user.user_id);
  const users = await request.docs.get('users', [...userIds]);
  for (const user of users.values()) {
    if (user._deleted || !user.phone_order.includes(phoneId)) continue;
    changes.push({ collection: 'users', before: user, after: { ...withPhoneRemoved(fieldsOf(user), phoneId, now), _deleted: false } });
  }
  return changes;
}

async function remove(request: ApiRequest) {
  const phoneId = pathParam(request, 'phone_id');
  await commit(request.write, () => phoneDeletion(request, phoneId, request.deps.now().getTime()));
  return { response: '' };
}

async function get(request: ApiRequest) {
  return { response: await phoneResponse(request, fieldsOf(await requirePhone(request.docs, pathParam(request, 'phone_id')))) };
}

/** The phone endpoints (activation: activation-routes.ts). */
export const phoneRoutes: ApiRoute[] = [
  { method: 'GET', url: '/phones', action: 'phones.view', handler: list },
  { method: 'POST', url: '/phones', action: 'phones.add', handler: create },
  { method: 'GET', url: '/phones/:phone_id', action: 'phones.view', handler: get },
  { method: 'POST', url: '/phones/:phone_id', action: 'phones.update', handler: modify },
  { method: 'DELETE', url: '/phones/:phone_id', action: 'phones.delete', handler: remove },
];

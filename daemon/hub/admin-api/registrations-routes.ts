/**
 * `/admin/v1/u2ftokens` and `/admin/v1/webauthncredentials`, all and per user: list, get, delete. Users enrol
 * these themselves (src/domain/u2f.ts), so administrators cannot create or assign them. Both are registrations
 * of the `u2f` collection, told apart by `kind`.
 */
import type { U2fRegistration } from '../../../src/domain/schemas.js';
import { commit } from './commit.js';
import { fieldsOf, liveById, requireRegistration, requireUser } from './lookups.js';
import { u2fObject, webauthnObject } from './objects.js';
import { listResult, pathParam, type ApiRequest, type ApiRoute } from './route.js';

type Kind = U2fRegistration['kind'];

const TO_OBJECT = { u2f: u2fObject, webauthn: webauthnObject } as const;

/** Oldest first, then by id. */
function byDateAdded(a: U2fRegistration, b: U2fRegistration): number {
  return a.date_added - b.date_added || (a.registration_id < b.registration_id ? -1 : a.registration_id > b.registration_id ? 1 : 0);
}

async function listOf(request: ApiRequest, kind: Kind, userId?: string) {
  const regs = [...(await request.docs.all('u2f')).values()]
    .filter((r) => !r._deleted && r.kind === kind && (userId === undefined || r.user_id === userId))
    .sort(byDateAdded);
  const users = await liveById(request.docs, 'users');
  return listResult(request, regs, (reg) => TO_OBJECT[kind](reg, users));
}

function routesOf(kind: Kind, collectionPath: string, idName: string): ApiRoute[] {
  return [
    { method: 'GET', url: `/${collectionPath}`, action: 'u2f.view', handler: (request) => listOf(request, kind) },
    {
      method: 'GET',
      url: `/${collectionPath}/:${idName}`,
      action: 'u2f.view',
      handler: async (request) => {
        const reg = await requireRegistration(request.docs, pathParam(request, idName), kind);
        return { response: TO_OBJECT[kind](fieldsOf(reg), await liveById(request.docs, 'users')) };
      },
    },
    {
      method: 'DELETE',
      url: `/${collectionPath}/:${idName}`,
      action: 'u2f.delete',
      handler: async (request) => {
        const id = pathParam(request, idName);
        await commit(request.write, async () => {
          const reg = await requireRegistration(request.docs, id, kind);
          return [{ collection: 'u2f', before: reg, after: { ...fieldsOf(reg), _deleted: true } }];
        });
        return { response: '' };
      },
    },
    {
      method: 'GET',
      url: `/users/:user_id/${collectionPath}`,
      action: 'u2f.view',
      handler: async (request) => listOf(request, kind, (await requireUser(request.docs, pathParam(request, 'user_id'))).user_id),
    },
  ];
}

/** The U2F token and WebAuthn credential endpoints. */
export const registrationRoutes: ApiRoute[] = [
  ...routesOf('u2f', 'u2ftokens', 'registration_id'),
  ...routesOf('webauthn', 'webauthncredentials', 'webauthnkey'),
];

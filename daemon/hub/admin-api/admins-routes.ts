/**
 * `/admin/v1/admins`: list and get; create and modify (`name`, `email`, `role`, `status`, and `token_id`, the
 * hardware token the administrator logs in with; empty detaches it). Managing administrators and attaching
 * tokens to them is the Owner's alone (src/roles.ts), enforced here and again on every pushed row. An
 * administrator created here has no integration key: an Owner issues one at the hub (`factordesk hub admin`).
 */
import type { Role } from '../../../src/domain/enums.js';
import { newId } from '../../../src/domain/ids.js';
import type { Admin } from '../../../src/domain/schemas.js';
import { attachAdmin, detachAdmin } from '../../../src/domain/token.js';
import { conflict, invalid, refused } from '../../../src/errors.js';
import { parseRole } from '../admin-directory.js';
import { commit, type DocChange } from './commit.js';
import type { DocumentCache, Stored } from './documents.js';
import { byCreated, fieldsOf, liveById, requireAdmin, requireToken } from './lookups.js';
import { adminObject } from './objects.js';
import type { ApiParams } from './params.js';
import { listResult, pathParam, type ApiRequest, type ApiRoute } from './route.js';

const MAX_NAME_LENGTH = 128;
/** Duo's default role for a new administrator is powerful; a hub starts a new one with the least. */
export const DEFAULT_NEW_ROLE: Role = 'Read-only';

/** What a create or modify request sets. */
export interface AdminInput {
  name?: string;
  email?: string;
  role?: Role;
  status?: Admin['status'];
  /** A token id to attach; '' to detach the current one. */
  token_id?: string;
}

function checkName(value: string): string {
  const name = value.trim();
  if (name === '') throw invalid('an administrator needs a name');
  if (/\p{C}/u.test(name)) throw invalid('the administrator name contains control characters');
  if ([...name].length > MAX_NAME_LENGTH) throw invalid(`the administrator name is longer than ${MAX_NAME_LENGTH} characters`);
  return name;
}

function checkEmail(value: string): string {
  const email = value.trim();
  if (email !== '' && !/^[^\s@]+@[^\s@]+$/.test(email)) throw invalid(`'${value}' is not an email address`);
  return email;
}

function parseStatus(value: string): Admin['status'] {
  const key = value.trim().toLowerCase();
  if (key === 'active') return 'Active';
  if (key === 'disabled') return 'Disabled';
  throw invalid(`status '${value}' is not an administrator status; use Active or Disabled`);
}

/** The create/modify parameters, parsed (roles and statuses in any case). */
export function adminInputOf(params: ApiParams): AdminInput {
  const out: AdminInput = {};
  const name = params.get('name');
  const email = params.get('email');
  const role = params.get('role');
  const status = params.get('status');
  const token = params.get('token_id');
  if (name !== undefined) out.name = checkName(name);
  if (email !== undefined) out.email = checkEmail(email);
  if (role !== undefined) out.role = parseRole(role);
  if (status !== undefined) out.status = parseStatus(status);
  if (token !== undefined) out.token_id = token.trim();
  return out;
}

async function assertNameFree(docs: DocumentCache, name: string, except?: string): Promise<void> {
  for (const admin of (await docs.all('admins')).values()) {
    if (!admin._deleted && admin.admin_id !== except && admin.name.toLowerCase() === name.toLowerCase()) {
      throw conflict(`an administrator named ${admin.name} already exists (${admin.admin_id})`);
    }
  }
}

/** Refuses a change that would leave the hub without an active Owner (nobody could manage administrators). */
async function assertOwnerRemains(docs: DocumentCache, before: Admin, after: Admin): Promise<void> {
  const wasOwner = before.role === 'Owner' && before.status === 'Active';
  const staysOwner = after.role === 'Owner' && after.status === 'Active';
  if (!wasOwner || staysOwner) return;
  const others = [...(await docs.all('admins')).values()].filter(
    (a) => !a._deleted && a.admin_id !== before.admin_id && a.role === 'Owner' && a.status === 'Active',
  );
  if (others.length === 0) throw refused(`${before.name} is the only active Owner; make another administrator Owner first`);
}

/** The token changes that make `tokenId` the administrator's only token ('' : none). */
async function hardTokenChanges(docs: DocumentCache, adminId: string, tokenId: string, now: number): Promise<DocChange[]> {
  const changes: DocChange[] = [];
  const target = tokenId === '' ? undefined : await requireToken(docs, tokenId);
  const holding = [...(await docs.all('tokens')).values()].filter((t) => !t._deleted && t.admins.includes(adminId)).map((t) => t.token_id);
  for (const token of (await docs.get('tokens', holding)).values()) {
    if (token._deleted || !token.admins.includes(adminId) || token.token_id === target?.token_id) continue;
    changes.push({ collection: 'tokens', before: token, after: { ...detachAdmin(fieldsOf(token), adminId, now), _deleted: false } });
  }
  if (target && !target.admins.includes(adminId)) {
    changes.push({ collection: 'tokens', before: target, after: { ...attachAdmin(fieldsOf(target), adminId, now), _deleted: false } });
  }
  return changes;
}

async function adminResponse(request: ApiRequest, admin: Admin): Promise<unknown> {
  return adminObject(admin, [...(await liveById(request.docs, 'tokens')).values()]);
}

async function list(request: ApiRequest) {
  const admins = (await request.docs.live('admins')).sort(byCreated((a) => a.admin_id));
  const tokens = [...(await liveById(request.docs, 'tokens')).values()];
  return listResult(request, admins, (admin) => adminObject(admin, tokens));
}

async function get(request: ApiRequest) {
  return { response: await adminResponse(request, fieldsOf(await requireAdmin(request.docs, pathParam(request, 'admin_id')))) };
}

async function create(request: ApiRequest) {
  const input = adminInputOf(request.params);
  const now = request.deps.now().getTime();
  const admin: Admin = {
    admin_id: newId('DE'),
    name: checkName(request.params.required('name')),
    email: input.email ?? '',
    role: input.role ?? DEFAULT_NEW_ROLE,
    status: input.status ?? 'Active',
    created: now,
  };
  await commit(request.write, async () => {
    // Its own id excepted: a retry after a concurrent token edit finds the administrator the first attempt wrote.
    await assertNameFree(request.docs, admin.name, admin.admin_id);
    const master = await request.docs.getOne('admins', admin.admin_id);
    const tokens = input.token_id ? await hardTokenChanges(request.docs, admin.admin_id, input.token_id, now) : [];
    return [{ collection: 'admins', before: master, after: { ...admin, _deleted: false } }, ...tokens];
  });
  return { response: await adminResponse(request, admin) };
}

async function modify(request: ApiRequest) {
  const input = adminInputOf(request.params);
  const adminId = pathParam(request, 'admin_id');
  const now = request.deps.now().getTime();
  let written: Admin | undefined;
  await commit(request.write, async () => {
    const master: Stored<'admins'> = await requireAdmin(request.docs, adminId);
    const before = fieldsOf(master);
    const after: Admin = {
      ...before,
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.email !== undefined ? { email: input.email } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
    };
    if (after.name.toLowerCase() !== before.name.toLowerCase()) await assertNameFree(request.docs, after.name, adminId);
    await assertOwnerRemains(request.docs, before, after);
    written = after;
    const tokens = input.token_id !== undefined ? await hardTokenChanges(request.docs, adminId, input.token_id, now) : [];
    return [{ collection: 'admins', before: master, after: { ...after, _deleted: false } }, ...tokens];
  });
  return { response: await adminResponse(request, written as Admin) };
}

/** The administrator endpoints. */
export const adminRoutes: ApiRoute[] = [
  { method: 'GET', url: '/admins', action: 'admins.view', handler: list },
  { method: 'POST', url: '/admins', action: 'admins.add', handler: create },
  { method: 'GET', url: '/admins/:admin_id', action: 'admins.view', handler: get },
  { method: 'POST', url: '/admins/:admin_id', action: 'admins.update', handler: modify },
];

/**
 * Administrators as the hub keeps them: `admins` documents (replicated like any other, so daemons show them)
 * plus their credentials (server-only secrets, see credentials.ts). The operator functions here act directly on
 * a hub's store, as `factordesk hub admin …` does on the server; every change is audited in its commit.
 */
import os from 'node:os';
import { ROLES, type Role } from '../../src/domain/enums.js';
import { newEventId, newId } from '../../src/domain/ids.js';
import type { Admin } from '../../src/domain/schemas.js';
import { conflict, invalid, notFound } from '../../src/errors.js';
import { credentialsOf, isIntegrationKey, lookupCredential, revokeCredential, type CredentialInfo } from './credentials.js';
import { pullAll, type HubDocument, type HubStore, type PushMeta } from './store.js';

export const ADMINS_COLLECTION = 'admins';
const MAX_NAME_LENGTH = 128;

/** Who makes a change: an administrator through the API, or the operator on the hub's machine. */
export interface Actor {
  adminId: string;
  adminName: string;
}

/** The operator at the hub's own terminal (the audit trail says who ran the command). */
export function operatorActor(username: string = safeUsername()): Actor {
  return { adminId: 'operator', adminName: `${username} (hub operator)` };
}

function safeUsername(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** A role from any case, e.g. `help desk` → `Help Desk`. */
export function parseRole(value: string): Role {
  const fold = (text: string) => text.trim().replace(/[\s_-]+/g, ' ').toLowerCase();
  const found = ROLES.find((r) => fold(r) === fold(value));
  if (!found) throw invalid(`role '${value}' is not known; use one of: ${ROLES.join(', ')}`);
  return found;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw invalid('an administrator needs a name');
  if (/\p{C}/u.test(trimmed)) throw invalid('the administrator name contains control characters');
  if ([...trimmed].length > MAX_NAME_LENGTH) throw invalid(`the administrator name is longer than ${MAX_NAME_LENGTH} characters`);
  return trimmed;
}

function checkEmail(email: string): string {
  const trimmed = email.trim();
  if (trimmed !== '' && !/^[^\s@]+@[^\s@]+$/.test(trimmed)) throw invalid(`'${email}' is not an email address`);
  return trimmed;
}

function toAdmin(doc: HubDocument): Admin {
  const { _deleted: _d, _hubRev: _r, ...body } = doc;
  return body as unknown as Admin;
}

/** Every administrator the hub has (deleted ones left out). */
export async function listAdmins(store: HubStore, account: string): Promise<Admin[]> {
  const { documents } = await pullAll(store, account, ADMINS_COLLECTION);
  return documents.filter((d) => !d._deleted).map(toAdmin);
}

/** One administrator by admin_id, or undefined (also for a deleted one). */
export async function getAdmin(store: HubStore, account: string, adminId: string): Promise<Admin | undefined> {
  const [doc] = await store.get(account, ADMINS_COLLECTION, [adminId]);
  return doc && !doc._deleted ? toAdmin(doc) : undefined;
}

function meta(actor: Actor, now: number, action: string, summary: string): PushMeta {
  return { adminId: actor.adminId, adminName: actor.adminName, time: now, audit: () => ({ action, summary, entity: ADMINS_COLLECTION }) };
}

/** Adds an administrator (the name must not be taken); returns the new document. */
export async function addAdmin(
  store: HubStore,
  account: string,
  input: { name: string; role: Role; email?: string; admin_id?: string },
  actor: Actor,
  now: number,
): Promise<Admin> {
  const name = checkName(input.name);
  const email = checkEmail(input.email ?? '');
  const existing = await listAdmins(store, account);
  if (existing.some((a) => a.name.toLowerCase() === name.toLowerCase())) {
    throw conflict(`an administrator named ${name} already exists`, 'choose another name, or issue another key with a new administrator');
  }
  const admin: Admin = { admin_id: input.admin_id ?? newId('DE'), name, email, role: input.role, status: 'Active', created: now };
  const result = await store.push(account, ADMINS_COLLECTION, [{ newDocumentState: { ...admin, _deleted: false } }], meta(actor, now, 'admins.add', `added administrator ${name} (${input.role})`));
  if (result.conflicts.length > 0) throw conflict(`the administrator id ${admin.admin_id} is already taken`);
  return admin;
}

/** Sets an administrator's status (Disabled ones cannot sign in); returns the updated document. */
export async function setAdminStatus(
  store: HubStore,
  account: string,
  adminId: string,
  status: Admin['status'],
  actor: Actor,
  now: number,
): Promise<Admin> {
  const [doc] = await store.get(account, ADMINS_COLLECTION, [adminId]);
  if (!doc || doc._deleted) throw notFound(`no administrator ${adminId}`);
  const admin = toAdmin(doc);
  if (admin.status === status) return admin;
  const next: Admin = { ...admin, status };
  const result = await store.push(
    account,
    ADMINS_COLLECTION,
    [{ assumedMasterState: doc, newDocumentState: { ...next, _deleted: false } }],
    meta(actor, now, 'admins.update', `administrator ${admin.name}: status ${admin.status} → ${status}`),
  );
  if (result.conflicts.length > 0) throw conflict(`administrator ${admin.name} changed meanwhile; try again`);
  return next;
}

/** An administrator with its credentials (no secrets). */
export interface AdminWithKeys extends Admin {
  keys: CredentialInfo[];
}

/** Every administrator with its credentials. */
export async function listAdminsWithKeys(store: HubStore, account: string): Promise<AdminWithKeys[]> {
  const admins = await listAdmins(store, account);
  const out: AdminWithKeys[] = [];
  for (const admin of admins) out.push({ ...admin, keys: await credentialsOf(store, account, admin.admin_id) });
  return out;
}

/** What a revocation did. */
export interface RevokeResult {
  admin: Admin | undefined;
  revoked: string[];
  /** True when the administrator was disabled too (revocation by name or admin_id). */
  disabled: boolean;
}

/**
 * Revokes by integration key (that key only), or by administrator name or admin_id (all its keys, and the
 * administrator is disabled). Requests signed with a revoked key get 401 from then on.
 */
export async function revoke(store: HubStore, account: string, target: string, actor: Actor, now: number): Promise<RevokeResult> {
  const wanted = target.trim();
  if (isIntegrationKey(wanted)) {
    const record = await lookupCredential(store, account, wanted);
    if (!record) throw notFound(`no credential with integration key ${wanted}`, 'see `factordesk hub admin list`');
    const done = await revokeCredential(store, account, wanted, now);
    const admin = await getAdmin(store, account, record.admin_id);
    if (done) {
      await store.appendAudit(account, {
        event_id: newEventId(now),
        time: now,
        admin_id: actor.adminId,
        admin_name: actor.adminName,
        action: 'admins.revokeKey',
        entity: ADMINS_COLLECTION,
        entity_id: record.admin_id,
        summary: `revoked integration key ${wanted} of ${admin?.name ?? record.admin_id}`,
      });
    }
    return { admin, revoked: done ? [wanted] : [], disabled: false };
  }
  const admins = await listAdmins(store, account);
  const matches = admins.filter((a) => a.admin_id === wanted || a.name.toLowerCase() === wanted.toLowerCase());
  if (matches.length === 0) throw notFound(`no administrator or integration key '${wanted}'`, 'see `factordesk hub admin list`');
  if (matches.length > 1) {
    throw conflict(`${matches.length} administrators are named ${wanted}: ${matches.map((a) => a.admin_id).join(', ')}`, 'give the admin_id or the integration key');
  }
  const admin = matches[0] as Admin;
  const revoked: string[] = [];
  for (const key of await credentialsOf(store, account, admin.admin_id)) {
    if (await revokeCredential(store, account, key.ikey, now)) revoked.push(key.ikey);
  }
  const updated = await setAdminStatus(store, account, admin.admin_id, 'Disabled', actor, now);
  return { admin: updated, revoked, disabled: admin.status !== 'Disabled' };
}

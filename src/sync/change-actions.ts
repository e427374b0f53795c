/**
 * What a replicated change does, in the role matrix's terms: the hub classifies every pushed row (its master
 * state before, the pushed state after) into the actions of src/roles.ts and checks each against the pusher's
 * role. Pure: documents in, actions out.
 *
 * A few choices the role matrix leaves open, made here:
 * - a user's `phone_order` gaining an id is part of attaching that device, losing one part of detaching it;
 *   only a changed relative order of the ids both sides hold is a reorder;
 * - a device losing users because it was deleted on purpose (`deletion: 'explicit'`, or a tombstone) is a
 *   delete; losing its last user (`deletion: 'implicit'`) is a detach;
 * - a U2F/WebAuthn registration is enrolled by its user at the hub's enrollment endpoint, never made by an
 *   administrator; one that arrives in a push is a migration from another system (or demo data), which only an
 *   Owner may do (`u2f.migrate`); an edit of one is `users.update`;
 * - a token has no edit action of its own: a change outside its users and administrators counts as `tokens.add`;
 * - `updated` and RxDB's `_`-prefixed fields are bookkeeping and never need a permission;
 * - a server-side request needs the permission its kind names (`tokens.resync`, ...); only the hub answers one, so
 *   a replica may create a pending request but never change one.
 */
import { REQUEST_KINDS } from '../domain/enums.js';
import type { Action } from '../roles.js';
import { sameValue } from '../conflict-policy/values.js';

/** A document state as pushed or stored: its fields plus RxDB's `_deleted` (and possibly `_hubRev`, `_rev`). */
export type ChangeDoc = Readonly<Record<string, unknown>>;

/** Why a change is refused whatever the pusher's role. */
export interface ChangeRefusal {
  code: 'REFUSED' | 'INVALID_INPUT';
  reason: string;
}

/** The actions a change needs (most significant first; empty for no change), or why no role may make it. */
export type ChangeClassification = { ok: true; actions: Action[] } | ({ ok: false } & ChangeRefusal);

/** Fields no permission is needed for. */
const BOOKKEEPING = new Set(['updated']);

function isDeleted(doc: ChangeDoc | undefined | null): boolean {
  return doc?.['_deleted'] === true;
}

function list(doc: ChangeDoc | undefined, field: string): string[] {
  const value = doc?.[field];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Ids in `after` but not in `before`, and the reverse. */
function setDiff(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const b = new Set(before);
  const a = new Set(after);
  return { added: after.filter((x) => !b.has(x)), removed: before.filter((x) => !a.has(x)) };
}

/** True when the ids both lists hold appear in a different order. */
function reordered(before: readonly string[], after: readonly string[]): boolean {
  const common = new Set(before.filter((x) => after.includes(x)));
  const b = before.filter((x) => common.has(x));
  const a = [...new Set(after.filter((x) => common.has(x)))];
  return !sameValue([...new Set(b)], a);
}

/** The own fields whose values differ (bookkeeping and `_` fields left out). */
export function changedFields(before: ChangeDoc | undefined, after: ChangeDoc): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const out: string[] = [];
  for (const key of keys) {
    if (key.startsWith('_') || BOOKKEEPING.has(key)) continue;
    if (!sameValue(before?.[key], after[key])) out.push(key);
  }
  return out.sort();
}

type Classifier = (before: ChangeDoc | undefined, after: ChangeDoc, changed: readonly string[]) => Action[];

const users: Classifier = (before, after, changed) => {
  if (!before) return ['users.add'];
  if (isDeleted(after)) return ['users.delete'];
  const out: Action[] = [];
  const order = setDiff(list(before, 'phone_order'), list(after, 'phone_order'));
  if (order.added.length > 0) out.push('phones.attach');
  if (order.removed.length > 0) out.push('phones.detach');
  if (reordered(list(before, 'phone_order'), list(after, 'phone_order'))) out.push('phones.reorder');
  if (changed.includes('status')) out.push('users.setStatus');
  if (changed.some((f) => f !== 'status' && f !== 'phone_order')) out.push('users.update');
  return out;
};

const phones: Classifier = (before, after, changed) => {
  if (!before) return list(after, 'users').length > 0 ? ['phones.add', 'phones.attach'] : ['phones.add'];
  const out: Action[] = [];
  const explicit = isDeleted(after) || (after['deletion'] === 'explicit' && before['deletion'] !== 'explicit');
  if (explicit) out.push('phones.delete');
  const members = setDiff(list(before, 'users'), list(after, 'users'));
  if (members.added.length > 0) out.push('phones.attach');
  if (members.removed.length > 0 && !explicit) out.push('phones.detach');
  const edited = changed.filter((f) => f !== 'users' && f !== 'deletion');
  if (edited.length > 0 && !isDeleted(after)) out.push('phones.update');
  return out;
};

const tokens: Classifier = (before, after, changed) => {
  if (!before) {
    const vendor = after['type'] === 'd1' || after['origin'] === 'vendor';
    const out: Action[] = [vendor ? 'tokens.receive' : 'tokens.add'];
    if (list(after, 'users').length > 0) out.push('tokens.assign');
    if (list(after, 'admins').length > 0) out.push('tokens.attachAdmin');
    return out;
  }
  if (isDeleted(after)) return ['tokens.delete'];
  const out: Action[] = [];
  const assigned = setDiff(list(before, 'users'), list(after, 'users'));
  const admins = setDiff(list(before, 'admins'), list(after, 'admins'));
  if (assigned.added.length > 0) out.push('tokens.assign');
  if (assigned.removed.length > 0) out.push('tokens.unassign');
  if (admins.added.length > 0) out.push('tokens.attachAdmin');
  if (admins.removed.length > 0) out.push('tokens.detachAdmin');
  if (changed.some((f) => f !== 'users' && f !== 'admins')) out.push('tokens.add');
  return out;
};

const u2f: Classifier = (before, after) => {
  if (!before) return ['u2f.migrate'];
  if (isDeleted(after)) return ['u2f.delete'];
  return ['users.update'];
};

const admins: Classifier = (before) => (before ? ['admins.update'] : ['admins.add']);

const CLASSIFIERS: Readonly<Record<string, Classifier>> = { users, phones, tokens, u2f, admins };

/**
 * The actions a change of `collection` from `before` (the hub's master state; absent for a document it does
 * not have) to `after` (the pushed state) needs. A tombstone as `before` counts as absent (re-creating a deleted
 * document is adding it); a change that alters nothing needs no action. The audit log is read-only.
 */
export function actionsForChange(collection: string, before: ChangeDoc | undefined | null, after: ChangeDoc): ChangeClassification {
  if (collection === 'audit') {
    return { ok: false, code: 'REFUSED', reason: 'The audit log is written by the hub only; it cannot be changed from a replica.' };
  }
  if (collection === 'requests') return requestActions(before, after);
  const classify = Object.hasOwn(CLASSIFIERS, collection) ? CLASSIFIERS[collection] : undefined;
  if (!classify) return { ok: false, code: 'INVALID_INPUT', reason: `"${collection}" is not a collection the hub replicates.` };
  const base = before && !isDeleted(before) ? before : undefined;
  // Deleting what the hub does not have (or has deleted) changes nothing.
  if (!base && isDeleted(after)) return { ok: true, actions: [] };
  const changed = changedFields(base, after);
  if (base && changed.length === 0 && isDeleted(after) === isDeleted(base)) return { ok: true, actions: [] };
  return { ok: true, actions: [...new Set(classify(base, after, changed))] };
}

// Every request kind is the name of the action it needs: this assignment fails to compile when one is not.
const REQUEST_KIND_ACTIONS: readonly Action[] = REQUEST_KINDS;
const REQUEST_KIND_SET: ReadonlySet<string> = new Set(REQUEST_KIND_ACTIONS);

/** A new pending request needs its kind's permission; any later change is the hub's alone. */
function requestActions(before: ChangeDoc | undefined | null, after: ChangeDoc): ChangeClassification {
  const base = before && !isDeleted(before) ? before : undefined;
  if (base) {
    if (changedFields(base, after).length === 0 && !isDeleted(after)) return { ok: true, actions: [] };
    return { ok: false, code: 'REFUSED', reason: 'A server-side request is answered by the hub only; it cannot be changed or withdrawn from a replica.' };
  }
  if (isDeleted(after)) return { ok: true, actions: [] };
  if (after['status'] !== 'pending' || after['hub_id'] !== '' || after['error_code'] !== '' || after['error_message'] !== '') {
    return { ok: false, code: 'REFUSED', reason: 'A replica writes requests as pending; their answer comes from the hub.' };
  }
  const kind = after['kind'];
  if (typeof kind !== 'string' || !REQUEST_KIND_SET.has(kind)) {
    return { ok: false, code: 'INVALID_INPUT', reason: `Unknown request kind "${String(kind)}"; known: ${REQUEST_KINDS.join(', ')}.` };
  }
  return { ok: true, actions: [kind as Action] };
}

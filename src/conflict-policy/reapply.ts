/**
 * Settling a recorded conflict: which records still ask for a decision, and what re-applying this replica's lost
 * side means as ordinary commands. The commands are the ones an administrator would type (so the same role checks
 * and domain rules apply); a side that no command can bring back is refused with the reason.
 *
 * The record's `lost` is the JSON of this replica's side of `field` (an object keyed by field when `field` lists
 * several). Re-applying it sets those fields to that side again, as one new edit made now.
 */
import { invalid, refused } from '../errors.js';
import type { ParamsOf } from '../rpc/contract.js';
import type { Action } from '../roles.js';
import type { ConflictRecord, ConflictRule } from './record.js';

/** Rules that keep both sides: the record says what happened, and nothing of this replica's was lost. */
const KEPT_BOTH: ReadonlySet<ConflictRule> = new Set(['different-fields', 'set-merge', 'attach-beats-implicit-delete']);

/** True when the rule kept both sides, so there is nothing to re-apply or to accept. */
export function keptBothSides(rule: ConflictRule): boolean {
  return KEPT_BOTH.has(rule);
}

/** The device fields an administrator edits (`phones.update`). */
const PHONE_EDITABLE = ['type', 'platform', 'number', 'extension', 'name', 'model', 'os_version'] as const;
/** Fields derived from another one: they follow it and are never set on their own. */
const DERIVED = new Set(['capabilities', 'os_family']);
/** Bookkeeping: never a side of an edit. */
const BOOKKEEPING = new Set(['created', 'updated', 'deletion']);

type StepOf<M extends ReapplyMethod> = { method: M; params: ParamsOf<M>; action: Action };
type ReapplyMethod =
  | 'phones.update'
  | 'phones.attach'
  | 'phones.detach'
  | 'phones.reorder'
  | 'users.setStatus'
  | 'tokens.assign'
  | 'tokens.unassign'
  | 'tokens.attachAdmin'
  | 'tokens.detachAdmin';

/** One command of a re-apply, with the role action it needs. */
export type ReapplyStep = { [M in ReapplyMethod]: StepOf<M> }[ReapplyMethod];

/** The lost side as field → value. */
export function lostFields(record: Pick<ConflictRecord, 'field' | 'lost'>): Record<string, unknown> {
  const fields = record.field.split(',').filter((f) => f !== '');
  let lost: unknown;
  try {
    lost = JSON.parse(record.lost);
  } catch {
    throw invalid(`The conflict record's lost side is not JSON.`);
  }
  if (fields.length === 1) return { [fields[0]!]: lost };
  const values = typeof lost === 'object' && lost !== null && !Array.isArray(lost) ? (lost as Record<string, unknown>) : {};
  return Object.fromEntries(fields.map((f) => [f, values[f] ?? null]));
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

const WHAT: Record<string, string> = { phones: 'device', users: 'user', tokens: 'hardware token', u2f: 'U2F registration', admins: 'administrator' };

/**
 * The commands that put this replica's lost side back onto the record as it is now (`current`: its live state,
 * or undefined when it no longer exists). Empty when the record already holds that side. Throws REFUSED when
 * no command can re-apply it (the record is gone, the side kept both, the fields are not edited by people).
 */
export function planReapply(record: ConflictRecord, current: Readonly<Record<string, unknown>> | undefined): ReapplyStep[] {
  const what = WHAT[record.collection_name] ?? record.collection_name;
  if (keptBothSides(record.rule)) throw refused('Nothing of yours was lost here: the policy kept both sides.');
  if (current === undefined) {
    throw refused(
      record.rule === 'explicit-delete-wins'
        ? `The ${what} was deleted, and a delete wins over edits: re-applying an edit does not bring it back.`
        : `The ${what} no longer exists, so there is nothing to re-apply the edit to.`,
      'Add it again if it is still wanted.',
    );
  }
  if (record.rule === 'deleted-user-reference') {
    throw refused('The user was deleted by another administrator: a deleted user cannot be attached again.', 'Add the user again if it is still wanted.');
  }
  const lost = lostFields(record);
  const fields = Object.keys(lost).filter((f) => !DERIVED.has(f) && !BOOKKEEPING.has(f));
  switch (record.collection_name) {
    case 'phones':
      return phoneSteps(record.doc_id, lost, fields, current);
    case 'users':
      return userSteps(record.doc_id, lost, fields, current);
    case 'tokens':
      return tokenSteps(record.doc_id, lost, fields, current);
    default:
      throw refused(`Changes to a ${what} are not re-applied from here.`);
  }
}

/** Refuses the fields no command edits. */
function onlyEditable(fields: readonly string[], editable: readonly string[], what: string): void {
  const other = fields.filter((f) => !editable.includes(f));
  if (other.length > 0) {
    throw refused(`Cannot re-apply ${other.join(', ')} of a ${what}: no command edits ${other.length === 1 ? 'it' : 'them'}.`);
  }
}

/** Attach and detach commands that turn the members `now` into `wanted` (attaches first: never empty between). */
function setSteps<A extends ReapplyMethod, D extends ReapplyMethod>(
  now: readonly string[],
  wanted: readonly string[],
  attach: (id: string) => StepOf<A>,
  detach: (id: string) => StepOf<D>,
): ReapplyStep[] {
  const add = wanted.filter((id) => !now.includes(id));
  const drop = now.filter((id) => !wanted.includes(id));
  return [...add.map((id) => attach(id) as ReapplyStep), ...drop.map((id) => detach(id) as ReapplyStep)];
}

function phoneSteps(phoneId: string, lost: Record<string, unknown>, fields: string[], current: Readonly<Record<string, unknown>>): ReapplyStep[] {
  onlyEditable(fields, [...PHONE_EDITABLE, 'users'], 'device');
  const steps: ReapplyStep[] = [];
  if (fields.includes('users')) {
    const wanted = strings(lost.users);
    if (wanted.length === 0) throw refused('Your side removed every user of the device: delete the device instead.');
    steps.push(
      ...setSteps(
        strings(current.users),
        wanted,
        (user) => ({ method: 'phones.attach', params: { phone: phoneId, user }, action: 'phones.attach' }),
        (user) => ({ method: 'phones.detach', params: { phone: phoneId, user }, action: 'phones.detach' }),
      ),
    );
  }
  const update: Record<string, string> = {};
  for (const f of fields) {
    if (f === 'users') continue;
    const value = lost[f] === null || lost[f] === undefined ? '' : String(lost[f]);
    if (value !== String(current[f] ?? '')) update[f] = value;
  }
  if (Object.keys(update).length > 0) {
    steps.unshift({ method: 'phones.update', params: { phone: phoneId, ...update }, action: 'phones.update' });
  }
  return steps;
}

function userSteps(userId: string, lost: Record<string, unknown>, fields: string[], current: Readonly<Record<string, unknown>>): ReapplyStep[] {
  onlyEditable(fields, ['status', 'phone_order'], 'user');
  const steps: ReapplyStep[] = [];
  if (fields.includes('status') && lost.status !== current.status) {
    if (typeof lost.status !== 'string') throw invalid('The lost status is not a status.');
    steps.push({ method: 'users.setStatus', params: { user: userId, status: lost.status as ParamsOf<'users.setStatus'>['status'] }, action: 'users.setStatus' });
  }
  if (fields.includes('phone_order')) steps.push(...reorderSteps(userId, strings(current.phone_order), strings(lost.phone_order)));
  return steps;
}

/**
 * Moves that give the user's phones the lost order: phones the lost order names come first in that order (those
 * no longer attached are skipped), then the others as they are now.
 */
export function reorderSteps(userId: string, now: readonly string[], lostOrder: readonly string[]): ReapplyStep[] {
  const wanted = [...lostOrder.filter((id) => now.includes(id)), ...now.filter((id) => !lostOrder.includes(id))];
  const order = [...now];
  const steps: ReapplyStep[] = [];
  wanted.forEach((id, i) => {
    if (order[i] === id) return;
    order.splice(order.indexOf(id), 1);
    order.splice(i, 0, id);
    steps.push({ method: 'phones.reorder', params: { user: userId, phone: id, position: i + 1 }, action: 'phones.reorder' });
  });
  return steps;
}

function tokenSteps(tokenId: string, lost: Record<string, unknown>, fields: string[], current: Readonly<Record<string, unknown>>): ReapplyStep[] {
  if (fields.some((f) => f === 'type' || f === 'totp_step' || f === 'origin')) {
    throw refused("A token's type is set when it is added: re-applying another one would need deleting and adding it again.");
  }
  onlyEditable(fields, ['users', 'admins'], 'hardware token');
  const steps: ReapplyStep[] = [];
  if (fields.includes('users')) {
    steps.push(
      ...setSteps(
        strings(current.users),
        strings(lost.users),
        (user) => ({ method: 'tokens.assign', params: { token: tokenId, user }, action: 'tokens.assign' }),
        (user) => ({ method: 'tokens.unassign', params: { token: tokenId, user }, action: 'tokens.unassign' }),
      ),
    );
  }
  if (fields.includes('admins')) {
    steps.push(
      ...setSteps(
        strings(current.admins),
        strings(lost.admins),
        (admin) => ({ method: 'tokens.attachAdmin', params: { token: tokenId, admin }, action: 'tokens.attachAdmin' }),
        (admin) => ({ method: 'tokens.detachAdmin', params: { token: tokenId, admin }, action: 'tokens.detachAdmin' }),
      ),
    );
  }
  return steps;
}

/**
 * The role actions re-applying the record may need (before knowing the record's current state): what a client
 * checks to say early that the role cannot, and the daemon checks again for the steps it actually makes.
 */
export function reapplyActions(record: Pick<ConflictRecord, 'collection_name' | 'field'>): Action[] {
  const fields = record.field.split(',').filter((f) => !DERIVED.has(f) && !BOOKKEEPING.has(f));
  const actions = new Set<Action>();
  for (const f of fields) {
    if (record.collection_name === 'phones') {
      if (f === 'users') ['phones.attach', 'phones.detach'].forEach((a) => actions.add(a as Action));
      else actions.add('phones.update');
    } else if (record.collection_name === 'users') {
      actions.add(f === 'phone_order' ? 'phones.reorder' : 'users.setStatus');
    } else if (record.collection_name === 'tokens') {
      if (f === 'users') ['tokens.assign', 'tokens.unassign'].forEach((a) => actions.add(a as Action));
      if (f === 'admins') ['tokens.attachAdmin', 'tokens.detachAdmin'].forEach((a) => actions.add(a as Action));
    }
  }
  return [...actions];
}

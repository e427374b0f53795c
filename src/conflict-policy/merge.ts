/**
 * The conflict policy of DESIGN.md per collection: `merge<Collection>(base, ours, theirs)` where `ours` is
 * this replica's new state, `theirs` the real master state (accepted at the hub first) and `base` the
 * assumed master state, the common ancestor (undefined for a concurrent insert of one id). The result is
 * the state to write to the replica and push again, with one conflict record per automatic resolution.
 * Pure and deterministic: the same inputs always give the same merged document and the same records.
 *
 * Deletions (RxDB tombstones, `_deleted: true`, fields kept):
 * - both sides deleted: deleted; a device deleted explicitly on either side stays deleted explicitly.
 * - a delete against an edit: the delete wins and the edit is recorded (`explicit-delete-wins`); every
 *   delete an administrator makes (a device, a user, a token...) is explicit. The one exception is the
 *   implicit deletion of a device that lost its last user: an attach on the other side wins over it
 *   (`attach-beats-implicit-delete`); an edit of other fields does not (`last-user-removed`).
 * - a side still holding the base's tombstone while the other re-created the record (a token serial
 *   imported again after a delete): the re-created record, with no record of a conflict.
 */
import type { WithDeleted } from 'rxdb';
import { normalizePhoneFields } from '../domain/phone.js';
import type { CollectionName, DocTypes, Phone, Token, User } from '../domain/schemas.js';
import { describeMerge, editedFields, mergeFields, pick, type RecordSpec } from './field-merge.js';
import {
  latestTime,
  primaryKeyOf,
  toConflictRecord,
  type ConflictDraft,
  type ConflictRecord,
  type ConflictRule,
  type ConflictSource,
  type MergeOptions,
} from './record.js';
import { canonicalJson, isTombstone, ownFields } from './values.js';

/** A document state as the merge accepts it: `_deleted` may be missing (not deleted), RxDB fields are ignored. */
export type DocState<T> = T & { _deleted?: boolean };

/** The state to write and push, and what was resolved automatically on the way. */
export interface MergeResult<T> {
  merged: WithDeleted<T>;
  conflicts: ConflictRecord[];
}

/** A merge function of one collection. */
export type Merge<T> = (
  base: DocState<T> | undefined,
  ours: DocState<T>,
  theirs: DocState<T>,
  options?: MergeOptions,
) => MergeResult<T>;

const USER_SPEC: RecordSpec = { kinds: { phone_order: 'order', created: 'created', updated: 'updated' } };
const PHONE_SPEC: RecordSpec = {
  kinds: { users: 'set', created: 'created', updated: 'updated' },
  // Derived fields follow the field they come from: capabilities from type, os_family from platform.
  units: [
    ['type', 'capabilities'],
    ['platform', 'os_family'],
  ],
};
const TOKEN_SPEC: RecordSpec = {
  kinds: { users: 'set', admins: 'set', created: 'created', updated: 'updated' },
  // The TOTP step and the origin are only valid for the type they were set with.
  units: [['type', 'totp_step', 'origin']],
};
const ADMIN_SPEC: RecordSpec = { kinds: { created: 'created' } };
const PLAIN_SPEC: RecordSpec = {};

function sourceOf(
  collection: CollectionName,
  base: object | undefined,
  ours: object,
  theirs: object,
  options: MergeOptions,
): ConflictSource {
  const key = primaryKeyOf(collection);
  const id = (theirs as Record<string, unknown>)[key] ?? (ours as Record<string, unknown>)[key];
  const inputs = canonicalJson([base ? stateOf(base) : null, stateOf(ours), stateOf(theirs)]);
  const source: ConflictSource = {
    collection,
    docId: String(id),
    inputs,
    time: options.now ?? latestTime(ours, theirs),
  };
  if (options.adminId !== undefined) source.adminId = options.adminId;
  return source;
}

function stateOf(doc: object): Record<string, unknown> {
  return { ...ownFields(doc), _deleted: isTombstone(doc) };
}

function finish<T>(
  collection: CollectionName,
  inputs: [object | undefined, object, object],
  options: MergeOptions,
  merged: Record<string, unknown>,
  deleted: boolean,
  drafts: readonly ConflictDraft[],
): MergeResult<T> {
  const source = drafts.length > 0 ? sourceOf(collection, ...inputs, options) : undefined;
  return {
    merged: { ...merged, _deleted: deleted } as WithDeleted<T>,
    conflicts: source ? drafts.map((d) => toConflictRecord(source, d)) : [],
  };
}

/** The drafts recording the edits of `live` (relative to `reference`) that a deletion overrides. */
function lostEdits(spec: RecordSpec, reference: object, deleted: object, live: object, rule: ConflictRule): ConflictDraft[] {
  const fields = editedFields(spec, reference, live);
  if (fields.length === 0) return [];
  return [{ field: fields.join(','), kept: pick(ownFields(deleted), fields), lost: pick(ownFields(live), fields), rule }];
}

/**
 * The generic merge: deletions as in the module comment, then the field merge. `insertRule` names
 * scalar conflicts when there is no live base (two sides created the same id).
 */
function mergeRecord<T>(
  collection: CollectionName,
  spec: RecordSpec,
  insertRule: ConflictRule,
  base: DocState<T> | undefined,
  ours: DocState<T>,
  theirs: DocState<T>,
  options: MergeOptions,
): MergeResult<T> {
  const inputs: [object | undefined, object, object] = [base, ours, theirs];
  const oursDeleted = isTombstone(ours);
  const theirsDeleted = isTombstone(theirs);
  const baseDeleted = base !== undefined && isTombstone(base);
  if (oursDeleted && theirsDeleted) return finish(collection, inputs, options, ownFields(theirs), true, []);
  if (oursDeleted || theirsDeleted) {
    const [deleted, live] = oursDeleted ? [ours, theirs] : [theirs, ours];
    if (base !== undefined && baseDeleted && editedFields(spec, base, deleted).length === 0) {
      return finish(collection, inputs, options, ownFields(live), false, []);
    }
    const reference = base !== undefined && !baseDeleted ? base : deleted;
    const drafts = lostEdits(spec, reference, deleted, live, 'explicit-delete-wins');
    return finish(collection, inputs, options, ownFields(deleted), true, drafts);
  }
  const liveBase = baseDeleted ? undefined : base;
  const result = mergeFields(spec, liveBase, ours, theirs);
  const drafts = describeMerge(result, ours, theirs, liveBase === undefined ? insertRule : 'first-accepted-wins');
  return finish(collection, inputs, options, result.merged, false, drafts);
}

/** Merges two concurrent states of a user (status and names by field, `phone_order` by the order merge). */
export const mergeUsers: Merge<User> = (base, ours, theirs, options = {}) =>
  mergeRecord('users', USER_SPEC, 'first-accepted-wins', base, ours, theirs, options);

/** Merges two concurrent states of a token; two imports of one serial meet here as one document. */
export const mergeTokens: Merge<Token> = (base, ours, theirs, options = {}) =>
  mergeRecord('tokens', TOKEN_SPEC, 'same-serial', base, ours, theirs, options);

/** Merges two concurrent states of a U2F registration (scalar fields). */
export const mergeU2f: Merge<DocTypes['u2f']> = (base, ours, theirs, options = {}) =>
  mergeRecord('u2f', PLAIN_SPEC, 'first-accepted-wins', base, ours, theirs, options);

/** Merges two concurrent states of an administrator (scalar fields). */
export const mergeAdmins: Merge<DocTypes['admins']> = (base, ours, theirs, options = {}) =>
  mergeRecord('admins', ADMIN_SPEC, 'first-accepted-wins', base, ours, theirs, options);

/** Merges two states of an audit event; events are append-only, so this only meets replays. */
export const mergeAudit: Merge<DocTypes['audit']> = (base, ours, theirs, options = {}) =>
  mergeRecord('audit', PLAIN_SPEC, 'first-accepted-wins', base, ours, theirs, options);

/** Requests are answered by the hub only: its state (a status, a result) is never merged away. */
export const mergeRequests: Merge<DocTypes['requests']> = (base, ours, theirs, options = {}) =>
  mergeRecord('requests', PLAIN_SPEC, 'first-accepted-wins', base, ours, theirs, options);

/** True when a device state is deleted (a tombstone, or a deletion reason set). */
function phoneGone(phone: DocState<Phone>): boolean {
  return isTombstone(phone) || phone.deletion !== '';
}

/** True when a device was deleted by an administrator; a tombstone without a reason counts as explicit. */
function explicitlyDeleted(phone: DocState<Phone>): boolean {
  return phoneGone(phone) && phone.deletion !== 'implicit';
}

/** The device state as the field merge sees it: a deleted device has no users; `deletion` is set afterwards. */
function phoneView(phone: DocState<Phone>): Record<string, unknown> {
  const { deletion: _ignored, ...rest } = ownFields(phone);
  return phoneGone(phone) ? { ...rest, users: [] } : rest;
}

const COMPLETENESS_FIELDS = ['type', 'capabilities', 'number', 'extension'] as const;

/**
 * A merged live device may combine edits into a device the domain would refuse (a mobile without a
 * number: type changed on one side, number cleared on the other). Then the interdependent fields are
 * theirs, an accepted, valid state, and the loss is recorded as a first-accepted-wins conflict.
 */
function completeDevice(merged: Record<string, unknown>, theirs: DocState<Phone>): ConflictDraft[] {
  try {
    normalizePhoneFields({}, merged as unknown as Phone);
    return [];
  } catch {
    const fields = COMPLETENESS_FIELDS.filter((f) => canonicalJson(merged[f]) !== canonicalJson(theirs[f]));
    const lost = pick(merged, fields);
    for (const f of COMPLETENESS_FIELDS) merged[f] = theirs[f];
    return [{ field: fields.join(','), kept: pick(merged, fields), lost, rule: 'first-accepted-wins' }];
  }
}

/**
 * Merges two concurrent states of a device: users by the set merge, other fields by field, and deletions
 * by their reason (explicit wins over everything; implicit loses to an attach). A live result always has
 * a user: when the merged users are empty the device is deleted implicitly.
 */
export const mergePhones: Merge<Phone> = (base, ours, theirs, options = {}) => {
  const inputs: [object | undefined, object, object] = [base, ours, theirs];
  const done = (merged: Record<string, unknown>, deleted: boolean, drafts: ConflictDraft[]) =>
    finish<Phone>('phones', inputs, options, merged, deleted, drafts);
  const oursGone = phoneGone(ours);
  const theirsGone = phoneGone(theirs);
  const baseGone = base !== undefined && phoneGone(base);

  if (oursGone && theirsGone) {
    const deletion = explicitlyDeleted(ours) || explicitlyDeleted(theirs) ? 'explicit' : 'implicit';
    return done({ ...ownFields(theirs), deletion }, true, []);
  }
  if (explicitlyDeleted(ours) || explicitlyDeleted(theirs)) {
    const [deleted, live] = oursGone ? [ours, theirs] : [theirs, ours];
    const reference = base !== undefined && !baseGone ? base : deleted;
    const drafts = lostEdits(PHONE_SPEC, reference, deleted, live, 'explicit-delete-wins');
    return done({ ...ownFields(deleted), deletion: 'explicit' }, true, drafts);
  }

  // At most one side is deleted, implicitly. It "deleted now" only if the base was live: a side that
  // merely still holds the base's tombstone did nothing.
  const oursDeletedNow = oursGone && !baseGone;
  const theirsDeletedNow = theirsGone && !baseGone;
  const baseView = base === undefined ? undefined : phoneView(base);
  const result = mergeFields(PHONE_SPEC, baseView, phoneView(ours), phoneView(theirs));
  const users = (result.merged.users as string[] | undefined) ?? [];
  const drafts = describeMerge(result, phoneView(ours), phoneView(theirs), 'first-accepted-wins');
  const withoutUsersDraft = drafts.filter((d) => d.field !== 'users');

  if (users.length > 0) {
    const merged = { ...result.merged, deletion: '' };
    if (oursDeletedNow || theirsDeletedNow) {
      const deletedSide = oursDeletedNow ? ours : theirs;
      withoutUsersDraft.push({
        field: 'users',
        kept: users,
        lost: phoneView(deletedSide).users,
        rule: 'attach-beats-implicit-delete',
      });
      withoutUsersDraft.push(...completeDevice(merged, theirs));
      return done(merged, false, withoutUsersDraft);
    }
    return done(merged, false, [...drafts, ...completeDevice(merged, theirs)]);
  }

  if (oursDeletedNow || theirsDeletedNow) {
    // One side removed the last user, the other edited something else: the device stays deleted.
    const [deleted, live] = oursDeletedNow ? [ours, theirs] : [theirs, ours];
    const reference = baseView ?? phoneView(deleted);
    const lost = lostEdits(PHONE_SPEC, reference, phoneView(deleted), phoneView(live), 'last-user-removed');
    return done({ ...ownFields(deleted), users: [], deletion: 'implicit' }, true, lost);
  }
  // Both sides live, yet together they removed every user (each detached a different one).
  const lastUser: ConflictDraft = {
    field: 'users',
    kept: [],
    lost: phoneView(ours).users,
    rule: 'last-user-removed',
  };
  return done({ ...result.merged, users: [], deletion: 'implicit' }, true, [...withoutUsersDraft, lastUser]);
};

/** Every collection's merge, by collection name. */
export const MERGES: { [K in CollectionName]: Merge<DocTypes[K]> } = {
  users: mergeUsers,
  phones: mergePhones,
  tokens: mergeTokens,
  u2f: mergeU2f,
  admins: mergeAdmins,
  audit: mergeAudit,
  requests: mergeRequests,
};

/** The merge of the named collection applied to three states of one of its documents. */
export function mergeDocument<K extends CollectionName>(
  collection: K,
  base: DocState<DocTypes[K]> | undefined,
  ours: DocState<DocTypes[K]>,
  theirs: DocState<DocTypes[K]>,
  options: MergeOptions = {},
): MergeResult<DocTypes[K]> {
  const merge = MERGES[collection] as Merge<DocTypes[K]>;
  return merge(base, ours, theirs, options);
}

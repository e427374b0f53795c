/**
 * How an Admin API request changes documents: exactly as a daemon's push does. The new states are built by the
 * domain functions on fresh master states, every one is checked against the key's administrator role first (so a
 * refused request writes nothing), then pushed through `authorizedPush` (the role-checked compare-and-swap that
 * audits each accepted change in its commit, and whose commits the live stream fans out to every daemon).
 *
 * A compare-and-swap conflict means a daemon changed a document since it was read: the request is planned again
 * on the new master states, a few times. Plans are therefore written to be re-runnable: a part that a previous
 * attempt already wrote plans no change the second time.
 */
import { conflict, FactordeskError, forbidden, invalid, refused } from '../../../src/errors.js';
import type { ChangeDoc } from '../../../src/sync/change-actions.js';
import { authorizeChange, type Refusal } from '../authorize.js';
import { authorizedPush, type Pusher } from '../authorized-push.js';
import type { DocumentBody, HubDocument, HubStore, PushRow } from '../store.js';
import { sameContent } from '../stored-document.js';
import type { ApiCollection } from './documents.js';

/** The client name the audit trail shows for changes made through the Admin API. */
export const ADMIN_API_CLIENT = 'duo-admin-api';

/** Attempts before a request that keeps meeting concurrent edits gives up. */
export const MAX_ATTEMPTS = 5;

/** One document to write: its master state as read (undefined when the hub has none) and its new state. */
export interface DocChange {
  collection: ApiCollection;
  before: HubDocument | undefined;
  /** The full new state, with `_deleted`. */
  after: DocumentBody;
}

/** Where and as whom changes are written. */
export interface WriteContext {
  store: HubStore;
  account: string;
  now: () => Date;
  pusher: Pusher;
}

function errorOf(refusal: Refusal): FactordeskError {
  switch (refusal.code) {
    case 'FORBIDDEN':
      return forbidden(refusal.reason);
    case 'REFUSED':
      return refused(refusal.reason);
    case 'CONFLICT':
      return conflict(refusal.reason);
    default:
      return invalid(refusal.reason);
  }
}

function unchanged(change: DocChange): boolean {
  const { before } = change;
  if (!before) return false;
  const { _deleted, _hubRev, ...body } = before;
  return sameContent(change.after, { id: '', seq: _hubRev, deleted: _deleted, body });
}

/** Consecutive changes of one collection, pushed together. */
function batches(changes: readonly DocChange[]): DocChange[][] {
  const out: DocChange[][] = [];
  for (const change of changes) {
    const last = out[out.length - 1];
    if (last && last[0]?.collection === change.collection) last.push(change);
    else out.push([change]);
  }
  return out;
}

/** Why the whole request would be refused, checked before anything is written; undefined when it may go ahead. */
export function refusalOf(role: Pusher['role'], changes: readonly DocChange[]): FactordeskError | undefined {
  for (const change of changes) {
    const verdict = authorizeChange(role, change.collection, change.before as ChangeDoc | undefined, change.after as ChangeDoc);
    if (!verdict.ok) return errorOf(verdict.refusal);
  }
  return undefined;
}

/**
 * Plans and writes a request's changes (see the top), retrying the plan after a compare-and-swap conflict;
 * returns the changes written by the attempt that succeeded.
 */
export async function commit(cx: WriteContext, plan: () => Promise<DocChange[]>): Promise<DocChange[]> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const changes = (await plan()).filter((change) => !unchanged(change));
    const refusal = refusalOf(cx.pusher.role, changes);
    if (refusal) throw refusal;
    let conflicted = false;
    for (const batch of batches(changes)) {
      const collection = batch[0]?.collection as ApiCollection;
      const rows: PushRow[] = batch.map((change) => ({ assumedMasterState: change.before, newDocumentState: change.after }));
      const result = await authorizedPush(cx.store, cx.account, collection, rows, cx.pusher, cx.now().getTime());
      const [first] = result.refused;
      if (first) throw errorOf(first);
      if (result.conflicts.length > 0) {
        conflicted = true;
        break;
      }
    }
    if (!conflicted) return changes;
  }
  throw new FactordeskError('UNAVAILABLE', 'the documents this request changes kept changing concurrently (other administrators are editing them)', {
    hint: 'try again in a moment',
  });
}

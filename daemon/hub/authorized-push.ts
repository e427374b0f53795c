/**
 * A push as the hub runs it: every row that would be written is checked against the pusher's role and the
 * domain rules before the store's compare-and-swap, refused rows are answered with the hub's master state (what
 * the replica goes back to), and the rest go through `store.push`, each accepted change audited in the same
 * commit.
 *
 * The check runs twice: once against the master states read just before the push (so that all refusals of a push
 * are found at once), and again inside the store's transaction through the audit hook, against the master the
 * write actually replaces. Should that master have changed in between so that the verdict differs, the hook
 * aborts the transaction and the push is retried without the refused row: a refused change is never committed.
 */
import type { Role } from '../../src/domain/enums.js';
import { FactordeskError } from '../../src/errors.js';
import type { ChangeDoc } from '../../src/sync/change-actions.js';
import { summarizeChange } from '../../src/sync/change-summary.js';
import { auditAction, authorizeChange, type Refusal } from './authorize.js';
import { pushIds } from './push-plan.js';
import { AUDIT_COLLECTION, pullAll, type AcceptedChange, type AuditDraft, type HubDocument, type HubStore, type PushRow } from './store.js';
import { documentId } from './store-input.js';
import { deleteTokenSecret } from './token-secrets.js';
import { bodyOf, sameContent, sameMasterState, type StoredDocument } from './stored-document.js';

/** Who pushes. */
export interface Pusher {
  admin_id: string;
  name: string;
  role: Role;
  /** The daemon the push came from (the client header), for the audit trail. */
  client?: string;
}

/** A refused row: the protocol's RefusedChange. */
export interface RefusedRow extends Refusal {
  id: string;
  master: HubDocument | null;
}

/** What the hub answers a push with. */
export interface AuthorizedPushResult {
  conflicts: HubDocument[];
  refused: RefusedRow[];
}

/** Thrown from the audit hook to abort a transaction that would commit a refused change. */
class RowRefused extends FactordeskError {
  constructor(
    readonly row: RefusedRow,
  ) {
    super('FORBIDDEN', row.reason);
  }
}

function stored(doc: HubDocument): StoredDocument {
  return { id: '', seq: doc._hubRev, deleted: doc._deleted, body: bodyOf(doc) };
}

/**
 * The rows the store would write, checked against the masters read before the push: a row is checked when the
 * store's compare-and-swap will take it (no master, or the assumed state is the master) and it changes
 * something; a row that will conflict is left to the store, whose conflict the pusher merges and pushes again.
 */
function precheck(collection: string, rows: readonly PushRow[], masters: ReadonlyMap<string, HubDocument>, pusher: Pusher): RefusedRow[] {
  const refused: RefusedRow[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const id = documentId(collection, row.newDocumentState);
    // Later rows of one id are decided against the earlier ones' results: the in-transaction check covers them.
    if (seen.has(id)) continue;
    seen.add(id);
    const master = masters.get(id);
    const after = row.newDocumentState as ChangeDoc;
    if (master) {
      if (sameContent(after, stored(master))) continue;
      const assumed = row.assumedMasterState ?? undefined;
      if (!assumed || !sameMasterState(assumed, stored(master))) continue;
    }
    const verdict = authorizeChange(pusher.role, collection, master, after, pusher.admin_id);
    if (!verdict.ok) refused.push({ id, ...verdict.refusal, master: master ?? null });
  }
  return refused;
}

function auditDraft(collection: string, change: AcceptedChange, pusher: Pusher): AuditDraft {
  const client = pusher.client;
  const verdict = authorizeChange(pusher.role, collection, change.before, change.after, pusher.admin_id);
  if (!verdict.ok) throw new RowRefused({ id: change.id, ...verdict.refusal, master: change.before ?? null });
  const summary = summarizeChange(collection, change.id, change.before, change.after);
  return {
    action: auditAction(collection, verdict.actions, change.after),
    summary: client ? `${summary} [via ${client}]` : summary,
  };
}

function activeOwner(doc: ChangeDoc | undefined | null): boolean {
  return !!doc && doc['_deleted'] !== true && doc['role'] === 'Owner' && doc['status'] === 'Active';
}

/**
 * Rows that would leave the hub without an active Owner (nobody could then manage administrators): a demotion,
 * disabling or deletion of the last one, counting the other rows of the same push.
 */
async function ownerRefusals(store: HubStore, account: string, rows: readonly PushRow[], masters: ReadonlyMap<string, HubDocument>): Promise<RefusedRow[]> {
  const losing = rows.filter((row) => {
    const id = documentId('admins', row.newDocumentState);
    return activeOwner(masters.get(id)) && !activeOwner(row.newDocumentState as ChangeDoc);
  });
  if (losing.length === 0) return [];
  const after = new Map<string, ChangeDoc>();
  for (const doc of (await pullAll(store, account, 'admins')).documents) after.set(documentId('admins', doc), doc);
  for (const row of rows) after.set(documentId('admins', row.newDocumentState), row.newDocumentState as ChangeDoc);
  if ([...after.values()].some(activeOwner)) return [];
  return losing.map((row) => {
    const id = documentId('admins', row.newDocumentState);
    const master = masters.get(id) ?? null;
    return { id, code: 'REFUSED', reason: `${String(master?.['name'] ?? id)} is the only active Owner; make another administrator Owner first.`, master };
  });
}

/** A deleted token's secret goes with it (a token imported again later brings its own). */
async function forgetDeletedSecrets(store: HubStore, account: string, rows: readonly PushRow[], conflicts: readonly HubDocument[]): Promise<void> {
  const conflicting = new Set(conflicts.map((doc) => documentId('tokens', doc)));
  for (const row of rows) {
    const id = documentId('tokens', row.newDocumentState);
    if (row.newDocumentState['_deleted'] === true && !conflicting.has(id)) await deleteTokenSecret(store, account, id);
  }
}

/** Runs a push for `pusher`: refusals, then the store's compare-and-swap for the rest (see the top). */
export async function authorizedPush(
  store: HubStore,
  account: string,
  collection: string,
  rows: readonly PushRow[],
  pusher: Pusher,
  now: number,
): Promise<AuthorizedPushResult> {
  const ids = pushIds(collection, rows);
  if (collection === AUDIT_COLLECTION) {
    // The store writes audit rows without calling the audit hook: refuse them all here, before anything else.
    const masters = new Map((await store.get(account, collection, ids)).map((doc) => [documentId(collection, doc), doc] as const));
    const reason = 'The audit log is written by the hub only; it cannot be changed from a replica.';
    return { conflicts: [], refused: ids.map((id) => ({ id, code: 'REFUSED', reason, master: masters.get(id) ?? null })) };
  }
  const masters = new Map((await store.get(account, collection, ids)).map((doc) => [documentId(collection, doc), doc] as const));
  const refused = precheck(collection, rows, masters, pusher);
  if (collection === 'admins') {
    const seen = new Set(refused.map((r) => r.id));
    refused.push(...(await ownerRefusals(store, account, rows, masters)).filter((r) => !seen.has(r.id)));
  }
  const refusedIds = new Set(refused.map((r) => r.id));
  let remaining = rows.filter((row) => !refusedIds.has(documentId(collection, row.newDocumentState)));
  for (;;) {
    if (remaining.length === 0) return { conflicts: [], refused };
    try {
      const result = await store.push(account, collection, remaining, {
        adminId: pusher.admin_id,
        adminName: pusher.name,
        time: now,
        audit: (change) => auditDraft(collection, change, pusher),
      });
      if (collection === 'tokens') await forgetDeletedSecrets(store, account, remaining, result.conflicts);
      return { conflicts: result.conflicts, refused };
    } catch (error) {
      if (!(error instanceof RowRefused)) throw error;
      refused.push(error.row);
      remaining = remaining.filter((row) => documentId(collection, row.newDocumentState) !== error.row.id);
    }
  }
}

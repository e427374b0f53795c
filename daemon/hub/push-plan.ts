/**
 * The compare-and-swap of a push, as a pure function: given the current master states of the pushed ids
 * and the account's last seq, decide which rows are written (with which seqs), which conflict, and which
 * audit events go with them. Both backends call it inside their per-account serialized transaction, so
 * the decision rule exists once.
 */
import { newEventId } from '../../src/domain/ids.js';
import type { AuditEvent } from '../../src/domain/schemas.js';
import {
  AUDIT_COLLECTION,
  type AcceptedChange,
  type HubDocument,
  type PushMeta,
  type PushRow,
} from './store.js';
import { StoreError } from './store-error.js';
import { checkRows, documentId } from './store-input.js';
import { bodyOf, sameContent, sameMasterState, toHubDocument, type StoredDocument } from './stored-document.js';

/** A row to write into one collection. */
export interface PlannedWrite {
  readonly collection: string;
  readonly doc: StoredDocument;
}

/** What a push does. */
export interface PushPlan {
  /** In seq order: the pushed collection's rows, then their audit events. */
  readonly writes: readonly PlannedWrite[];
  readonly conflicts: HubDocument[];
  /** The account's last seq after the push (unchanged when nothing is written). */
  readonly lastSeq: number;
}

/** The distinct ids a push touches (validating every row first, so a bad row refuses the whole push). */
export function pushIds(collection: string, rows: readonly PushRow[]): string[] {
  checkRows(rows);
  const ids = new Set<string>();
  for (const row of rows) {
    ids.add(documentId(collection, row.newDocumentState));
    bodyOf(row.newDocumentState);
    if (row.assumedMasterState) {
      if (documentId(collection, row.assumedMasterState) !== documentId(collection, row.newDocumentState)) {
        throw new StoreError('INVALID_ARGUMENT', 'A push row\'s assumed and new states name different documents.');
      }
    }
  }
  return [...ids];
}

/** Throws unless the push metadata can be recorded. */
export function checkMeta(meta: PushMeta): void {
  if (meta === null || typeof meta !== 'object') throw new StoreError('INVALID_ARGUMENT', 'A push needs its metadata.');
  if (!Number.isSafeInteger(meta.time) || meta.time < 0) {
    throw new StoreError('INVALID_ARGUMENT', 'The push time must be epoch milliseconds.');
  }
  if (typeof meta.adminId !== 'string' || typeof meta.adminName !== 'string') {
    throw new StoreError('INVALID_ARGUMENT', 'A push names its administrator.');
  }
}

/**
 * Decides a push. A row is written when the document does not exist, or its assumed state is the current
 * master (see sameMasterState); a row whose new state already equals the master is accepted without a
 * write (a retried push after a lost acknowledgement); anything else returns the master as a conflict.
 * Rows of one id are decided in order, each against the result of the previous one.
 */
export function planPush(input: {
  readonly collection: string;
  readonly rows: readonly PushRow[];
  /** The current master of every id in {@link pushIds}, absent when the hub has never seen it. */
  readonly current: ReadonlyMap<string, StoredDocument>;
  readonly lastSeq: number;
  readonly meta: PushMeta;
  readonly eventId?: (time: number) => string;
}): PushPlan {
  const { collection, rows, meta } = input;
  const eventId = input.eventId ?? ((time: number) => newEventId(time));
  const working = new Map(input.current);
  const written = new Map<string, StoredDocument>();
  const changes: AcceptedChange[] = [];
  const conflicts: HubDocument[] = [];
  let seq = input.lastSeq;

  for (const row of rows) {
    const state = row.newDocumentState;
    const id = documentId(collection, state);
    const master = working.get(id);
    if (master && sameContent(state, master)) continue;
    const assumed = row.assumedMasterState ?? undefined;
    // RxDB's rule: a document the hub does not have is written whatever the pusher assumed.
    const accept = !master || (assumed !== undefined && sameMasterState(assumed, master));
    if (!accept) {
      conflicts.push(toHubDocument(master));
      continue;
    }
    seq += 1;
    const doc: StoredDocument = { id, seq, deleted: state['_deleted'] === true, body: bodyOf(state) };
    working.set(id, doc);
    // A second write of one id in the same push replaces the first: one row, the latest seq.
    written.delete(id);
    written.set(id, doc);
    changes.push({ collection, id, before: master ? toHubDocument(master) : undefined, after: toHubDocument(doc) });
  }

  const writes: PlannedWrite[] = [...written.values()].map((doc) => ({ collection, doc }));
  if (meta.audit && collection !== AUDIT_COLLECTION) {
    for (const change of changes) {
      const draft = meta.audit(change);
      if (!draft) continue;
      seq += 1;
      const event: AuditEvent = {
        event_id: eventId(meta.time),
        time: meta.time,
        admin_id: meta.adminId,
        admin_name: meta.adminName,
        action: draft.action,
        entity: draft.entity ?? collection,
        entity_id: change.id,
        summary: draft.summary,
      };
      writes.push({ collection: AUDIT_COLLECTION, doc: { id: event.event_id, seq, deleted: false, body: bodyOf({ ...event }) } });
    }
  }
  return { writes, conflicts, lastSeq: seq };
}

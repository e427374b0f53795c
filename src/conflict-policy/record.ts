/**
 * Conflict records: one per automatic resolution, with both sides, for a future `conflicts` collection
 * (RxDB schema below, Duo-style snake_case fields) and the TUI's conflicts list.
 *
 * `kept` is the JSON of what the document holds after the resolution; `lost` the JSON of the side that did
 * not prevail. In the rules that keep both sides (different-fields, set-merge, reorder-merge) `lost` is this
 * replica's proposal, which the merge replaced. When a record covers several fields, `field` lists them
 * comma-separated and `kept`/`lost` are objects keyed by field.
 */
import { createHash } from 'node:crypto';
import type { RxJsonSchema } from 'rxdb';
import { base32 } from '../domain/ids.js';
import { COLLECTIONS, type CollectionName } from '../domain/schemas.js';
import { canonicalJson } from './values.js';

/** The rows of the policy table (DESIGN.md), plus the two cases the table leaves implicit (last two). */
export const CONFLICT_RULES = [
  'different-fields',
  'set-merge',
  'reorder-merge',
  'explicit-delete-wins',
  'attach-beats-implicit-delete',
  'first-accepted-wins',
  'same-serial',
  'last-user-removed',
  'deleted-user-reference',
] as const;
export type ConflictRule = (typeof CONFLICT_RULES)[number];

/** What each rule did, in words an administrator reads in the conflicts list. */
export const CONFLICT_RULE_LABELS: Record<ConflictRule, string> = {
  'different-fields': 'different fields of one record were edited: both edits kept',
  'set-merge': 'users attached and detached on both sides: both kept (set merge)',
  'reorder-merge': "two reorders of one user's phones: merged into one order",
  'explicit-delete-wins': 'deleted on one side and edited on the other: the delete wins, the edit is lost',
  'attach-beats-implicit-delete': 'its last user was removed while another was attached: the device lives',
  'first-accepted-wins': 'the same field was edited on both sides: the edit the hub accepted first wins',
  'same-serial': 'the same token serial was imported twice: one token, the first import kept',
  'last-user-removed': 'concurrent edits left the device without a user: the device is deleted',
  'deleted-user-reference': 'attached to a user deleted elsewhere: the reference to that user is removed',
};

/** One automatic resolution. */
export interface ConflictRecord {
  /** Derived from the content, so the same resolution recorded twice (a retry, two observers) is one record. */
  conflict_id: string;
  /** The collection of the document (`collection` itself is a name RxDB reserves). */
  collection_name: CollectionName;
  doc_id: string;
  field: string;
  /** JSON of the value the document holds after the resolution. */
  kept: string;
  /** JSON of the value that did not prevail. */
  lost: string;
  rule: ConflictRule;
  /** The administrator whose replica resolved it, when known. */
  admin_id?: string;
  /** Epoch milliseconds. */
  time: number;
}

/** RxDB schema of the `conflicts` collection. */
export const conflictSchema: RxJsonSchema<ConflictRecord> = {
  title: 'conflict',
  version: 0,
  primaryKey: 'conflict_id',
  type: 'object',
  properties: {
    conflict_id: { type: 'string', maxLength: 64 },
    collection_name: { type: 'string', enum: Object.keys(COLLECTIONS) },
    doc_id: { type: 'string', maxLength: 64 },
    field: { type: 'string' },
    kept: { type: 'string' },
    lost: { type: 'string' },
    rule: { type: 'string', enum: [...CONFLICT_RULES] },
    admin_id: { type: 'string', maxLength: 64 },
    time: { type: 'number', minimum: 0, maximum: 1e15, multipleOf: 1 },
  },
  required: ['conflict_id', 'collection_name', 'doc_id', 'field', 'kept', 'lost', 'rule', 'time'],
  indexes: ['time', 'doc_id'],
};

/** A resolution before it is given an id, a time and an author. */
export interface ConflictDraft {
  field: string;
  kept: unknown;
  lost: unknown;
  rule: ConflictRule;
}

/** Who resolved and when; both optional so that the merge functions stay pure. */
export interface MergeOptions {
  /** Epoch ms recorded in the conflicts; default: the latest `updated`/`time`/`created` of the two sides. */
  now?: number;
  adminId?: string;
}

/** The primary key field of a collection (every schema here has a plain string key). */
export function primaryKeyOf(collection: CollectionName): string {
  const key = COLLECTIONS[collection].primaryKey as string | { key: string };
  return typeof key === 'string' ? key : key.key;
}

/** Where a set of drafts comes from: the document and the states the merge was given. */
export interface ConflictSource {
  collection: CollectionName;
  docId: string;
  /** Canonical JSON of the merge inputs: makes ids unique per incident yet equal for a repeated one. */
  inputs: string;
  time: number;
  adminId?: string;
}

/** The finished record of one draft. */
export function toConflictRecord(source: ConflictSource, draft: ConflictDraft): ConflictRecord {
  const kept = canonicalJson(draft.kept);
  const lost = canonicalJson(draft.lost);
  const digest = createHash('sha256')
    .update(canonicalJson([source.collection, source.docId, draft.field, draft.rule, kept, lost, source.inputs]))
    .digest();
  const record: ConflictRecord = {
    conflict_id: 'DC' + base32(digest, 18),
    collection_name: source.collection,
    doc_id: source.docId,
    field: draft.field,
    kept,
    lost,
    rule: draft.rule,
    time: source.time,
  };
  if (source.adminId !== undefined) record.admin_id = source.adminId;
  return record;
}

/** The latest time found in the documents, for records made without a clock. */
export function latestTime(...docs: readonly (object | undefined)[]): number {
  let latest = 0;
  for (const doc of docs) {
    if (doc === undefined) continue;
    for (const key of ['updated', 'time', 'created'] as const) {
      const value = (doc as Record<string, unknown>)[key];
      if (typeof value === 'number' && Number.isFinite(value) && value > latest) latest = value;
    }
  }
  return latest;
}

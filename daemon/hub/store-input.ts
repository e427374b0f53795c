/**
 * Argument checks shared by both backends, so that bad input is refused the same way (INVALID_ARGUMENT)
 * before any database work, whichever database is behind the store.
 */
import { COLLECTIONS } from '../../src/domain/schemas.js';
import type { DocumentBody, HubCheckpoint } from './store.js';
import { StoreError } from './store-error.js';

const MAX_NAME_LENGTH = 200;
/** A pull page bigger than this is refused rather than risking a huge response. */
export const MAX_PULL_LIMIT = 10_000;

function invalid(message: string): StoreError {
  return new StoreError('INVALID_ARGUMENT', message);
}

/** Throws unless `value` is a usable account, secret kind or secret id: non-empty text without NUL. */
export function checkName(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_NAME_LENGTH || value.includes('\0')) {
    throw invalid(`The ${what} must be 1 to ${MAX_NAME_LENGTH} characters without NUL.`);
  }
  return value;
}

/** The primary key field of a replicated collection (from its RxDB schema); throws for an unknown collection. */
export function primaryKeyOf(collection: string): string {
  const schema = Object.hasOwn(COLLECTIONS, collection)
    ? (COLLECTIONS as Record<string, { primaryKey: unknown }>)[collection]
    : undefined;
  if (!schema) throw invalid(`Unknown collection "${collection}"; known: ${Object.keys(COLLECTIONS).join(', ')}.`);
  if (typeof schema.primaryKey !== 'string') throw invalid(`Collection "${collection}" has a composite primary key.`);
  return schema.primaryKey;
}

/** The id of a pushed document: its primary key field, a non-empty string. */
export function documentId(collection: string, state: DocumentBody): string {
  const key = primaryKeyOf(collection);
  const id = state[key];
  if (typeof id !== 'string' || id === '' || id.length > MAX_NAME_LENGTH || id.includes('\0')) {
    throw invalid(`A ${collection} document needs its "${key}" as 1 to ${MAX_NAME_LENGTH} characters without NUL.`);
  }
  return id;
}

/** The distinct ids of a `get`: each a non-empty string without NUL; at most MAX_PULL_LIMIT of them. */
export function checkIds(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length > MAX_PULL_LIMIT) throw invalid(`A get takes a list of at most ${MAX_PULL_LIMIT} ids.`);
  for (const id of ids) {
    if (typeof id !== 'string' || id === '' || id.length > MAX_NAME_LENGTH || id.includes('\0')) {
      throw invalid(`A document id is 1 to ${MAX_NAME_LENGTH} characters without NUL.`);
    }
  }
  return [...new Set(ids as string[])];
}

/** Throws unless `limit` is a whole number from 1 to MAX_PULL_LIMIT. */
export function checkLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) {
    throw invalid(`The limit must be a whole number from 1 to ${MAX_PULL_LIMIT}.`);
  }
  return limit;
}

/** The seq after which to pull: 0 for none; throws for a malformed checkpoint. */
export function checkpointSeq(checkpoint: HubCheckpoint | null | undefined): number {
  if (checkpoint === null || checkpoint === undefined) return 0;
  const seq = (checkpoint as { seq?: unknown }).seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
    throw invalid('A checkpoint is {seq} with a whole number seq of 0 or more.');
  }
  return seq;
}

/** Throws unless `rows` is a list of push rows whose states are objects. */
export function checkRows(rows: unknown): asserts rows is ReadonlyArray<{ newDocumentState: DocumentBody; assumedMasterState?: DocumentBody | null }> {
  if (!Array.isArray(rows)) throw invalid('A push takes a list of rows.');
  for (const row of rows) {
    const state = (row as { newDocumentState?: unknown } | null)?.newDocumentState;
    if (state === null || typeof state !== 'object' || Array.isArray(state)) {
      throw invalid('Every push row needs a newDocumentState object.');
    }
    const assumed = (row as { assumedMasterState?: unknown }).assumedMasterState;
    if (assumed !== undefined && assumed !== null && (typeof assumed !== 'object' || Array.isArray(assumed))) {
      throw invalid('An assumedMasterState must be an object when given.');
    }
  }
}

/** The lower time bound of an audit listing: `since` (epoch ms), or the smallest number when undefined. */
export function checkSince(since: unknown): number {
  if (since === undefined) return -Number.MAX_VALUE;
  if (typeof since !== 'number' || !Number.isFinite(since)) throw invalid('since must be epoch milliseconds.');
  return since;
}

/** Throws unless account, kind and id name a secret. */
export function checkSecretKey(account: string, kind: string, id: string): void {
  checkName(account, 'account');
  checkName(kind, 'secret kind');
  checkName(id, 'secret id');
}

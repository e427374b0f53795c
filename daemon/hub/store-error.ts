/**
 * The one error type the hub store throws. Each backend maps its driver's errors onto these codes, and
 * the contract suite pins the mapping, so the hub reacts to "busy" or "unreachable" the same way whichever
 * database is behind it.
 */
import { FactordeskError, type ErrorCode } from '../../src/errors.js';

/** What went wrong, independent of the database behind the store. */
export type StoreErrorCode =
  | 'INVALID_ARGUMENT' // the caller passed something the store cannot take (unknown collection, no id, bad limit)
  | 'UNSUPPORTED_URL' // openStore got a URL whose scheme is neither sqlite: nor postgres:
  | 'CLOSED' // the store was used after close()
  | 'SCHEMA_TOO_NEW' // the database was migrated by a newer hub
  | 'UNAVAILABLE' // the database cannot be reached or opened (retryable)
  | 'BUSY' // locked, deadlocked or a serialization failure (retryable)
  | 'CONSTRAINT' // a uniqueness or other integrity constraint refused a write
  | 'READ_ONLY' // the database or the role cannot be written
  | 'FULL' // out of disk or another resource
  | 'CORRUPT' // the file or relation is damaged, or is not a hub database
  | 'INTERNAL'; // anything else: a bug or an unexpected driver error; the cause has the detail

/** The driver-level codes every backend maps, with one example each in the contract suite. */
export const DRIVER_ERROR_CODES = ['UNAVAILABLE', 'BUSY', 'CONSTRAINT', 'READ_ONLY', 'FULL', 'CORRUPT', 'INTERNAL'] as const;
export type DriverErrorCode = (typeof DRIVER_ERROR_CODES)[number];

const GENERAL_CODE: Record<StoreErrorCode, ErrorCode> = {
  INVALID_ARGUMENT: 'INVALID_INPUT',
  UNSUPPORTED_URL: 'INVALID_INPUT',
  CLOSED: 'UNAVAILABLE',
  SCHEMA_TOO_NEW: 'REFUSED',
  UNAVAILABLE: 'UNAVAILABLE',
  BUSY: 'UNAVAILABLE',
  CONSTRAINT: 'CONFLICT',
  READ_ONLY: 'UNAVAILABLE',
  FULL: 'UNAVAILABLE',
  CORRUPT: 'INTERNAL',
  INTERNAL: 'INTERNAL',
};

/** Default user messages: they never quote the driver, whose text may contain row values. */
const DEFAULT_MESSAGE: Record<StoreErrorCode, string> = {
  INVALID_ARGUMENT: 'The hub store was given an invalid argument.',
  UNSUPPORTED_URL: 'The hub database URL is not supported.',
  CLOSED: 'The hub store is closed.',
  SCHEMA_TOO_NEW: 'The hub database was upgraded by a newer version of factordesk.',
  UNAVAILABLE: 'The hub database cannot be reached.',
  BUSY: 'The hub database is busy.',
  CONSTRAINT: 'The hub database refused a write that would break a constraint.',
  READ_ONLY: 'The hub database cannot be written.',
  FULL: 'The hub database has run out of space.',
  CORRUPT: 'The hub database is damaged or is not a factordesk hub database.',
  INTERNAL: 'The hub store failed unexpectedly.',
};

const HINT: Partial<Record<StoreErrorCode, string>> = {
  UNAVAILABLE: 'Check that the database is running and the URL is right; the hub retries by itself.',
  BUSY: 'Try again; the hub retries by itself.',
  SCHEMA_TOO_NEW: 'Upgrade factordesk on this host to the version the other hubs run.',
  READ_ONLY: 'Check the permissions of the database file or role.',
  FULL: 'Free disk space on the database host.',
};

/** A hub store failure: `storeCode` says what happened, `code` is the matching FactordeskError code. */
export class StoreError extends FactordeskError {
  readonly storeCode: StoreErrorCode;
  /** True when trying again later may succeed (the database was unreachable or busy). */
  readonly retryable: boolean;

  constructor(storeCode: StoreErrorCode, message?: string, options: { hint?: string; cause?: unknown } = {}) {
    const hint = options.hint ?? HINT[storeCode];
    super(GENERAL_CODE[storeCode], message ?? DEFAULT_MESSAGE[storeCode], {
      ...(hint !== undefined ? { hint } : {}),
      cause: options.cause,
    });
    this.name = 'StoreError';
    this.storeCode = storeCode;
    this.retryable = storeCode === 'UNAVAILABLE' || storeCode === 'BUSY';
  }
}

/** True for a {@link StoreError}. */
export function isStoreError(e: unknown): e is StoreError {
  return e instanceof StoreError;
}

/** Node's own errors (opening files, sockets) that mean the database cannot be reached. */
export function nodeErrorCode(e: unknown): DriverErrorCode | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
    'EPIPE', 'ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EISDIR'].includes(code)) return 'UNAVAILABLE';
  if (code === 'EROFS') return 'READ_ONLY';
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'FULL';
  return undefined;
}

/** pg (and Node socket) errors → StoreError, with the same codes the SQLite backend uses. */
import { FactordeskError } from '../../../src/errors.js';
import { nodeErrorCode, StoreError, type DriverErrorCode } from '../store-error.js';

/** SQLSTATE codes, exact. */
const BY_SQLSTATE: Readonly<Record<string, DriverErrorCode>> = {
  '57P01': 'UNAVAILABLE', // admin_shutdown
  '57P02': 'UNAVAILABLE', // crash_shutdown
  '57P03': 'UNAVAILABLE', // cannot_connect_now (starting up)
  '3D000': 'UNAVAILABLE', // the database does not exist
  '53300': 'UNAVAILABLE', // too_many_connections
  '40001': 'BUSY', // serialization_failure
  '40P01': 'BUSY', // deadlock_detected
  '55P03': 'BUSY', // lock_not_available (lock_timeout)
  '57014': 'BUSY', // query_canceled (statement_timeout)
  '25006': 'READ_ONLY', // read_only_sql_transaction (a standby)
  '42501': 'READ_ONLY', // insufficient_privilege
  '53100': 'FULL', // disk_full
  '53200': 'FULL', // out_of_memory
  XX001: 'CORRUPT', // data_corrupted
  XX002: 'CORRUPT', // index_corrupted
};

/** SQLSTATE classes (first two characters). */
const BY_CLASS: Readonly<Record<string, DriverErrorCode>> = {
  '08': 'UNAVAILABLE', // connection exception
  '28': 'UNAVAILABLE', // invalid authorization
  '23': 'CONSTRAINT', // integrity constraint violation
};

/** pg's own client-side failures carry no code, only these messages. */
const UNAVAILABLE_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i, /connection error/i];

/** The StoreError code of a driver error. */
export function postgresErrorCode(error: unknown): DriverErrorCode {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    return BY_SQLSTATE[code] ?? BY_CLASS[code.slice(0, 2)] ?? 'INTERNAL';
  }
  const fromNode = nodeErrorCode(error);
  if (fromNode) return fromNode;
  const message = error instanceof Error ? error.message : '';
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return 'UNAVAILABLE';
  return 'INTERNAL';
}

/** Wraps any error thrown by PostgreSQL work; our own FactordeskErrors (StoreError included) pass through. */
export function mapPostgresError(error: unknown): FactordeskError {
  if (error instanceof FactordeskError) return error;
  return new StoreError(postgresErrorCode(error), undefined, { cause: error });
}

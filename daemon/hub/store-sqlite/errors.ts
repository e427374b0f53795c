/** better-sqlite3 (and Node file) errors → StoreError, with the same codes the PostgreSQL backend uses. */
import { FactordeskError } from '../../../src/errors.js';
import { nodeErrorCode, StoreError, type DriverErrorCode } from '../store-error.js';

const BY_PREFIX: ReadonlyArray<readonly [string, DriverErrorCode]> = [
  ['SQLITE_BUSY', 'BUSY'],
  ['SQLITE_LOCKED', 'BUSY'],
  ['SQLITE_CONSTRAINT', 'CONSTRAINT'],
  ['SQLITE_READONLY', 'READ_ONLY'],
  ['SQLITE_FULL', 'FULL'],
  ['SQLITE_CORRUPT', 'CORRUPT'],
  ['SQLITE_NOTADB', 'CORRUPT'],
  ['SQLITE_CANTOPEN', 'UNAVAILABLE'],
  ['SQLITE_IOERR', 'UNAVAILABLE'],
  ['SQLITE_PERM', 'UNAVAILABLE'],
  ['SQLITE_AUTH', 'UNAVAILABLE'],
];

/** The StoreError code of a driver error (extended result codes like SQLITE_CONSTRAINT_PRIMARYKEY included). */
export function sqliteErrorCode(error: unknown): DriverErrorCode {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    for (const [prefix, mapped] of BY_PREFIX) if (code === prefix || code.startsWith(`${prefix}_`)) return mapped;
  }
  return nodeErrorCode(error) ?? 'INTERNAL';
}

/** Wraps any error thrown by SQLite work; our own FactordeskErrors (StoreError included) pass through. */
export function mapSqliteError(error: unknown): FactordeskError {
  if (error instanceof FactordeskError) return error;
  return new StoreError(sqliteErrorCode(error), undefined, { cause: error });
}

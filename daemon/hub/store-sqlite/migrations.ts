/**
 * The SQLite hub database layout and its migrations. The version lives in `PRAGMA user_version`; the
 * `application_id` marks the file as a hub database, so that pointing the hub at some other SQLite file
 * (a daemon's replica, say) is refused instead of being "migrated".
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../store-error.js';

/** 'FDHB' as a 32-bit integer. */
export const HUB_APPLICATION_ID = 0x46444842;

/** Each entry migrates from version i to i + 1; the last index + 1 is the current version. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE hub_accounts (
    account TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE hub_documents (
    account TEXT NOT NULL,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account, collection, id)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX hub_documents_by_seq ON hub_documents (account, collection, seq);
  CREATE TABLE hub_secrets (
    account TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (account, kind, id)
  ) WITHOUT ROWID;
  `,
];

/** The layout version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION; refuses a foreign file or one a newer hub migrated. */
export function migrate(db: Database.Database): void {
  // IMMEDIATE: two hub processes opening one new file at once must not both run the first migration.
  db.transaction(() => {
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (applicationId !== HUB_APPLICATION_ID) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
      if (applicationId !== 0 || version !== 0 || tables.n > 0) {
        throw new StoreError('CORRUPT', 'This SQLite file is not a factordesk hub database.', {
          hint: 'Give the hub its own database file.',
        });
      }
      db.pragma(`application_id = ${HUB_APPLICATION_ID}`);
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreError('SCHEMA_TOO_NEW', `The hub database has layout version ${version}; this factordesk knows up to ${SCHEMA_VERSION}.`);
    }
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

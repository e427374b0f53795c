/**
 * The PostgreSQL hub database layout and its migrations. The version is a row of `hub_meta`; migrations
 * run under a session advisory lock so that several hub processes starting at once migrate exactly once.
 */
import type { PoolClient } from 'pg';
import { StoreError } from '../store-error.js';

/** Key of the advisory lock held while migrating ('FDHB' as an integer; per database). */
const MIGRATION_LOCK_KEY = 0x46444842;

/** Each entry migrates from version i to i + 1; the last index + 1 is the current version. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE hub_accounts (
    account text PRIMARY KEY,
    seq bigint NOT NULL
  );
  CREATE TABLE hub_documents (
    account text NOT NULL,
    collection text NOT NULL,
    id text NOT NULL,
    seq bigint NOT NULL,
    deleted boolean NOT NULL,
    body jsonb NOT NULL,
    PRIMARY KEY (account, collection, id)
  );
  CREATE UNIQUE INDEX hub_documents_by_seq ON hub_documents (account, collection, seq);
  CREATE TABLE hub_secrets (
    account text NOT NULL,
    kind text NOT NULL,
    id text NOT NULL,
    value jsonb NOT NULL,
    PRIMARY KEY (account, kind, id)
  );
  `,
];

/** The layout version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION; refuses one that a newer hub migrated. */
export async function migrate(client: PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS hub_meta (key text PRIMARY KEY, value text NOT NULL)');
    const found = await client.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'schema_version'");
    const version = found.rows[0] ? Number(found.rows[0].value) : 0;
    if (!Number.isInteger(version) || version < 0) {
      throw new StoreError('CORRUPT', 'The hub database records an unreadable layout version.');
    }
    if (version > SCHEMA_VERSION) {
      throw new StoreError('SCHEMA_TOO_NEW', `The hub database has layout version ${version}; this factordesk knows up to ${SCHEMA_VERSION}.`);
    }
    for (let v = version; v < SCHEMA_VERSION; v++) {
      await client.query('BEGIN');
      try {
        await client.query(MIGRATIONS[v] as string);
        await client.query(
          `INSERT INTO hub_meta (key, value) VALUES ('schema_version', $1)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          [String(v + 1)],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
  }
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, pullAll, StoreError } from '../../../daemon/hub/store.js';
import { mapSqliteError } from '../../../daemon/hub/store-sqlite/errors.js';
import { hubStoreContract, type HubStoreBackend, type TestDatabase } from '../../contract/hub-store.contract.js';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-hub-sqlite-'));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const sqliteError = (code: string) => new Database.SqliteError(`driver says ${code}`, code);

const sqliteBackend: HubStoreBackend = {
  name: 'SQLite',
  async createDatabase(): Promise<TestDatabase> {
    const dir = tempDir();
    const file = path.join(dir, 'hub.sqlite');
    const raw = <T>(work: (db: Database.Database) => T): T => {
      const db = new Database(file);
      try {
        return work(db);
      } finally {
        db.close();
      }
    };
    return {
      url: `sqlite:${file}`,
      async setSchemaVersion(version) {
        raw((db) => db.pragma(`user_version = ${version}`));
      },
      async documentsText() {
        return raw((db) => (db.prepare("SELECT coalesce(group_concat(body, ' '), '') AS t FROM hub_documents").get() as { t: string }).t);
      },
      async drop() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  async unreachableUrl() {
    // A path below a regular file: neither the directory nor the database can be created.
    const blocker = path.join(tempDir(), 'not-a-directory');
    fs.writeFileSync(blocker, '');
    return `sqlite:${blocker}/hub.sqlite`;
  },
  mapDriverError: mapSqliteError,
  driverErrors: {
    UNAVAILABLE: sqliteError('SQLITE_CANTOPEN'),
    BUSY: sqliteError('SQLITE_BUSY'),
    CONSTRAINT: sqliteError('SQLITE_CONSTRAINT_PRIMARYKEY'),
    READ_ONLY: sqliteError('SQLITE_READONLY'),
    FULL: sqliteError('SQLITE_FULL'),
    CORRUPT: sqliteError('SQLITE_CORRUPT'),
    INTERNAL: sqliteError('SQLITE_MISUSE'),
  },
};

hubStoreContract(sqliteBackend);

describe('SQLite hub store specifics', () => {
  const meta = { adminId: 'DE1', adminName: 'Ann', time: 1 };
  const doc = { user_id: 'DU1', username: 'u', realname: 'r', email: 'e', status: 'active', phone_order: [], created: 1, updated: 1, _deleted: false };

  it('opens a bare path and the sqlite:/// form of the same file', async () => {
    const file = path.join(tempDir(), 'nested', 'dir', 'hub.sqlite');
    const bare = await openStore(file);
    await bare.push('a', 'users', [{ newDocumentState: doc }], meta);
    await bare.close();
    const url = await openStore(`sqlite://${file}`);
    expect((await pullAll(url, 'a', 'users')).documents.map((d) => d['user_id'])).toEqual(['DU1']);
    expect(url.backend).toBe('sqlite');
    await url.close();
  });

  it('creates the file readable by its owner only (it holds secrets), in WAL mode', async () => {
    const file = path.join(tempDir(), 'hub.sqlite');
    const store = await openStore(`sqlite:${file}`);
    await store.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a SQLite file that is not a hub database (a daemon replica, say) with CORRUPT', async () => {
    const file = path.join(tempDir(), 'replica.sqlite');
    const other = new Database(file);
    other.exec('CREATE TABLE docs (id TEXT PRIMARY KEY)');
    other.pragma('user_version = 1');
    other.close();
    const error = await openStore(`sqlite:${file}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).storeCode).toBe('CORRUPT');
    expect((error as StoreError).userMessage).toMatch(/not a factordesk hub database/);
  });

  it('refuses a file that is not a database at all with CORRUPT', async () => {
    const file = path.join(tempDir(), 'garbage.sqlite');
    fs.writeFileSync(file, 'this is not a database, just some text that is long enough '.repeat(50));
    const error = await openStore(file).catch((e: unknown) => e);
    expect((error as StoreError).storeCode).toBe('CORRUPT');
  });

  it('gives every in-memory store its own database', async () => {
    const one = await openStore('sqlite::memory:');
    const two = await openStore('sqlite::memory:');
    await one.push('a', 'users', [{ newDocumentState: doc }], meta);
    expect((await two.pull('a', 'users', null, 10)).documents).toEqual([]);
    await one.close();
    await two.close();
  });
});

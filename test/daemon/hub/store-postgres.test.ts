/**
 * The hub store contract on a real PostgreSQL: FACTORDESK_TEST_PG_URL names a database whose role may
 * create databases (scripts/test-postgres.sh start; export FACTORDESK_TEST_PG_URL="$(scripts/test-postgres.sh url)").
 * Each suite works in databases of its own, created and dropped here.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, StoreError, type CommitEvent } from '../../../daemon/hub/store.js';
import { LISTEN_APPLICATION_NAME } from '../../../daemon/hub/store-postgres/commit-channel.js';
import { mapPostgresError } from '../../../daemon/hub/store-postgres/errors.js';
import { hubStoreContract, type HubStoreBackend, type TestDatabase } from '../../contract/hub-store.contract.js';

const PG_URL = process.env['FACTORDESK_TEST_PG_URL'] ?? '';
const IN_CI = !['', '0', 'false'].includes((process.env['CI'] ?? '').toLowerCase());

/** The URL of another database on the same server. */
function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function pgError(code: string): unknown {
  const error = new pg.DatabaseError(`server says ${code}`, 0, 'error');
  error.code = code;
  return error;
}

const postgresBackend: HubStoreBackend = {
  name: 'PostgreSQL',
  async createDatabase(): Promise<TestDatabase> {
    const name = `fd_hub_test_${randomBytes(6).toString('hex')}`;
    await withClient(PG_URL, (c) => c.query(`CREATE DATABASE ${name}`));
    const url = withDatabase(PG_URL, name);
    return {
      url,
      async setSchemaVersion(version) {
        await withClient(url, (c) => c.query("UPDATE hub_meta SET value = $1 WHERE key = 'schema_version'", [String(version)]));
      },
      async documentsText() {
        return withClient(url, async (c) =>
          (await c.query<{ t: string }>("SELECT coalesce(string_agg(body::text, ' '), '') AS t FROM hub_documents")).rows[0]?.t ?? '');
      },
      async drop() {
        await withClient(PG_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      },
    };
  },
  async unreachableUrl() {
    // Port 1 on the loopback: nothing listens there, the connection is refused at once.
    const parsed = new URL(PG_URL);
    parsed.hostname = '127.0.0.1';
    parsed.port = '1';
    return parsed.toString();
  },
  mapDriverError: mapPostgresError,
  driverErrors: {
    UNAVAILABLE: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    BUSY: pgError('40001'),
    CONSTRAINT: pgError('23505'),
    READ_ONLY: pgError('25006'),
    FULL: pgError('53100'),
    CORRUPT: pgError('XX001'),
    INTERNAL: pgError('42P01'),
  },
};

if (IN_CI && PG_URL === '') {
  describe('hub store contract: PostgreSQL', () => {
    it('has a database to run against', () => {
      throw new Error(
        'FACTORDESK_TEST_PG_URL is not set, and CI must run the PostgreSQL store contract: ' +
          'run scripts/test-postgres.sh start and export FACTORDESK_TEST_PG_URL="$(scripts/test-postgres.sh url)".',
      );
    });
  });
}

if (!IN_CI && PG_URL === '') {
  console.warn('PostgreSQL hub store tests skipped: set FACTORDESK_TEST_PG_URL (scripts/test-postgres.sh start; scripts/test-postgres.sh url).');
}

describe.runIf(PG_URL !== '')(
  PG_URL !== '' ? 'PostgreSQL' : 'PostgreSQL (skipped: FACTORDESK_TEST_PG_URL is not set; see scripts/test-postgres.sh)',
  () => {
    hubStoreContract(postgresBackend);

    describe('PostgreSQL hub store specifics', () => {
      const databases: TestDatabase[] = [];
      afterAll(async () => {
        for (const db of databases) await db.drop();
      });
      const meta = { adminId: 'DE1', adminName: 'Ann', time: 1 };
      const doc = (id: string) => ({
        user_id: id, username: id, realname: 'r', email: 'e', status: 'active', phone_order: [], created: 1, updated: 1, _deleted: false,
      });

      it('accepts postgresql:// as well as postgres://', async () => {
        const db = await postgresBackend.createDatabase();
        databases.push(db);
        const store = await openStore(db.url.replace(/^postgres:/, 'postgresql:'));
        expect(store.backend).toBe('postgres');
        await store.close();
      });

      it('reports a database that does not exist as UNAVAILABLE', async () => {
        const error = await openStore(withDatabase(PG_URL, 'fd_hub_no_such_database')).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreError);
        expect((error as StoreError).storeCode).toBe('UNAVAILABLE');
      });

      it('lets several hub processes migrate one new database at once', async () => {
        const db = await postgresBackend.createDatabase();
        databases.push(db);
        const stores = await Promise.all([1, 2, 3, 4].map(() => openStore(db.url)));
        await stores[0]?.push('a', 'users', [{ newDocumentState: doc('DU1') }], meta);
        expect((await stores[3]?.pull('a', 'users', null, 10))?.documents).toHaveLength(1);
        await Promise.all(stores.map((s) => s.close()));
      });

      it('reports resync after its listen connection is lost, then hears commits again', async () => {
        const db = await postgresBackend.createDatabase();
        databases.push(db);
        const listener = await openStore(db.url);
        const writer = await openStore(db.url);
        const events: CommitEvent[] = [];
        listener.onCommit((e) => events.push(e));
        try {
          const killed = await withClient(db.url, async (c) =>
            (await c.query(
              'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
              [LISTEN_APPLICATION_NAME],
            )).rowCount);
          expect(killed).toBe(2);
          await waitFor(() => events.some((e) => e.kind === 'resync'), 'resync');
          await writer.push('a', 'users', [{ newDocumentState: doc('DU1') }], meta);
          await waitFor(() => events.some((e) => e.kind === 'commit' && e.account === 'a'), 'a commit after the reconnect');
        } finally {
          await listener.close();
          await writer.close();
        }
      });
    });
  },
);

async function waitFor(predicate: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

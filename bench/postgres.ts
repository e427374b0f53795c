/**
 * The PostgreSQL the throughput measurement uses, when there is one: FACTORDESK_BENCH_PG_URL, else
 * FACTORDESK_TEST_PG_URL (what `.ci/run` exports), else the URL `scripts/test-postgres.sh url` prints (its
 * throwaway cluster, if it is running). Each run gets a database of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { ROOT } from './dist.js';

export interface BenchPostgres {
  /** The server's URL (its maintenance database). */
  url: string;
  version: string;
}

/** The candidate URL, from the environment or the test cluster's script. */
export function postgresUrlCandidate(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ['FACTORDESK_BENCH_PG_URL', 'FACTORDESK_TEST_PG_URL']) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  const r = spawnSync(path.join(ROOT, 'scripts', 'test-postgres.sh'), ['url'], { encoding: 'utf8' });
  const url = r.status === 0 ? r.stdout.trim() : '';
  return url === '' ? undefined : url;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The reachable PostgreSQL, or why there is none. */
export async function findPostgres(env: NodeJS.ProcessEnv = process.env): Promise<BenchPostgres | { missing: string }> {
  const url = postgresUrlCandidate(env);
  if (!url) return { missing: 'no PostgreSQL URL (set FACTORDESK_TEST_PG_URL, or scripts/test-postgres.sh start)' };
  try {
    const version = await withClient(url, async (c) => String((await c.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version));
    return { url, version };
  } catch (e) {
    return { missing: `PostgreSQL at ${redact(url)} is not reachable: ${(e as Error).message}` };
  }
}

/** Creates a fresh database on the server; `drop` removes it (connections and all). */
export async function createDatabase(server: BenchPostgres): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `fd_bench_${randomBytes(5).toString('hex')}`;
  await withClient(server.url, (c) => c.query(`CREATE DATABASE ${name}`));
  const parsed = new URL(server.url);
  parsed.pathname = `/${name}`;
  return {
    url: parsed.toString(),
    drop: async () => {
      await withClient(server.url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

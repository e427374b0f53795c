/**
 * Scale-out: two hub processes on one PostgreSQL database are one hub. A push to hub A reaches a stream client
 * of hub B (LISTEN/NOTIFY) and is pullable from B. Needs FACTORDESK_TEST_PG_URL (scripts/test-postgres.sh).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/domain/user.js';
import { pullPath, pushPath, type PullResponse, type PushResponse } from '../../src/sync/protocol.js';
import { cliJson, openStream, readSkey, serveHub, signedRequest, tempDir, type Credential, type ServedHub } from '../helpers/hub-wire.js';

const PG_URL = process.env['FACTORDESK_TEST_PG_URL'] ?? '';
const IN_CI = !['', '0', 'false'].includes((process.env['CI'] ?? '').toLowerCase());

if (IN_CI && PG_URL === '') {
  describe('hub scale-out on PostgreSQL', () => {
    it('has a database to run against', () => {
      throw new Error('FACTORDESK_TEST_PG_URL is not set; CI must run the scale-out test (scripts/test-postgres.sh start).');
    });
  });
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

describe.runIf(PG_URL !== '')('hub scale-out on PostgreSQL', () => {
  let base = '';
  const database = `fd_hub_scale_${randomBytes(5).toString('hex')}`;
  const dbUrl = (() => {
    if (PG_URL === '') return '';
    const parsed = new URL(PG_URL);
    parsed.pathname = `/${database}`;
    return parsed.toString();
  })();
  let hubA: ServedHub | undefined;
  let hubB: ServedHub | undefined;
  let owner: Credential;
  let hubIds: string[] = [];

  beforeAll(async () => {
    base = tempDir('fd-e2e-scale-');
    await withClient(PG_URL, (c) => c.query(`CREATE DATABASE ${database}`));
    const a = await cliJson<{ hub_id: string; owner: { ikey: string; skey_file: string } }>(['hub', 'init', '--hub-dir', path.join(base, 'a'), '--listen', '127.0.0.1:0', '--db', dbUrl]);
    const b = await cliJson<{ hub_id: string; adopted: boolean; owner: null }>(['hub', 'init', '--hub-dir', path.join(base, 'b'), '--listen', '127.0.0.1:0', '--db', dbUrl]);
    expect(b.adopted).toBe(true);
    expect(b.owner).toBeNull();
    hubIds = [a.hub_id, b.hub_id];
    owner = { ikey: a.owner.ikey, skey: readSkey(a.owner.skey_file) };
    [hubA, hubB] = await Promise.all([serveHub(path.join(base, 'a')), serveHub(path.join(base, 'b'))]);
  });

  afterAll(async () => {
    await Promise.all([hubA?.stop(), hubB?.stop()]);
    await withClient(PG_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  it('shares one identity: the second hub directory joined the first hub', () => {
    expect(hubIds[1]).toBe(hubIds[0]);
  });

  it('delivers a push to hub A to a stream client of hub B, and B serves it', async () => {
    const a = hubA as ServedHub;
    const b = hubB as ServedHub;
    const stream = await openStream(b.url, owner);
    try {
      await stream.waitFor((m) => m.type === 'RESYNC');
      const doc = { ...createUser({ username: 'ann' }, 1_700_000_000_000, 'DU1'), _deleted: false };
      const push = await signedRequest<PushResponse>({ url: a.url, credential: owner, path: pushPath('users'), body: { rows: [{ newDocumentState: doc }] } });
      expect(push.body).toEqual({ conflicts: [], refused: [] });
      const change = await stream.waitFor((m) => m.type === 'change' && m.collection === 'users');
      const pulled = await signedRequest<PullResponse<'users'>>({ url: b.url, credential: owner, path: pullPath('users') });
      expect(pulled.body.documents.map((d) => d.username)).toEqual(['ann']);
      // The change carries the commit's watermark: a pull since any older checkpoint brings the document.
      expect(change).toEqual({ type: 'change', collection: 'users', checkpoint: { seq: expect.any(Number) } });
      expect(change.type === 'change' && change.checkpoint.seq).toBeGreaterThanOrEqual(pulled.body.checkpoint?.seq ?? Infinity);
    } finally {
      stream.close();
    }
  });

  it('converges: pushes to both hubs are pullable from each, in one order', async () => {
    const a = hubA as ServedHub;
    const b = hubB as ServedHub;
    const push = (url: string, id: string, username: string) =>
      signedRequest({ url, credential: owner, path: pushPath('users'), body: { rows: [{ newDocumentState: { ...createUser({ username }, 1, id), _deleted: false } }] } });
    await Promise.all([push(a.url, 'DU10', 'ten'), push(b.url, 'DU11', 'eleven'), push(a.url, 'DU12', 'twelve'), push(b.url, 'DU13', 'thirteen')]);
    const fromA = await signedRequest<PullResponse<'users'>>({ url: a.url, credential: owner, path: pullPath('users') });
    const fromB = await signedRequest<PullResponse<'users'>>({ url: b.url, credential: owner, path: pullPath('users') });
    expect(fromA.body).toEqual(fromB.body);
    expect(fromA.body.documents.map((d) => d.user_id).sort()).toEqual(['DU1', 'DU10', 'DU11', 'DU12', 'DU13']);
  });
});

/**
 * An Admin API write is a daemon's push: role-checked before anything is written, compare-and-swap against
 * concurrent edits (planned again on the new master), audited with the API as the client.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPhone } from '../../../../src/domain/phone.js';
import { createUser } from '../../../../src/domain/user.js';
import { authorizedPush, type Pusher } from '../../../../daemon/hub/authorized-push.js';
import { commit, MAX_ATTEMPTS, type DocChange, type WriteContext } from '../../../../daemon/hub/admin-api/commit.js';
import { openStore, pullAll, type HubDocument, type HubStore } from '../../../../daemon/hub/store.js';

const T0 = 1_700_000_000_000;
const ACCOUNT = 'default';
const api: Pusher = { admin_id: 'DEOWNER', name: 'Olive', role: 'Owner', client: 'duo-admin-api' };
const daemon: Pusher = { admin_id: 'DEUMA', name: 'Uma', role: 'User Manager', client: 'laptop' };

let store: HubStore;
let cx: WriteContext;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
  cx = { store, account: ACCOUNT, now: () => new Date(T0 + 1000), pusher: api };
  await authorizedPush(store, ACCOUNT, 'users', [{ newDocumentState: { ...createUser({ username: 'ann' }, T0, 'DU1'), _deleted: false } }], daemon, T0);
});
afterEach(async () => {
  await store.close();
});

async function master(collection: string, id: string): Promise<HubDocument> {
  const [doc] = await store.get(ACCOUNT, collection, [id]);
  if (!doc) throw new Error(`no ${id}`);
  return doc;
}

describe('commit', () => {
  it('plans again on the new master after a concurrent daemon edit, keeping both edits', async () => {
    let attempts = 0;
    await commit(cx, async () => {
      attempts += 1;
      const before = await master('users', 'DU1');
      if (attempts === 1) {
        // A daemon's push lands between the read and the write.
        const edited = { ...before, email: 'ann@example.com', updated: T0 + 500 };
        expect(await authorizedPush(store, ACCOUNT, 'users', [{ assumedMasterState: before, newDocumentState: edited }], daemon, T0 + 500)).toEqual({ conflicts: [], refused: [] });
      }
      return [{ collection: 'users', before, after: { ...before, status: 'disabled', updated: T0 + 1000 } }];
    });
    expect(attempts).toBe(2);
    expect(await master('users', 'DU1')).toMatchObject({ email: 'ann@example.com', status: 'disabled' });
    const summaries = (await store.listAudit(ACCOUNT)).map((e) => `${e.admin_name}: ${e.summary}`);
    expect(summaries.at(-1)).toMatch(/^Olive: .*\[via duo-admin-api\]$/);
    expect(summaries.some((s) => s.startsWith('Uma: ') && s.endsWith('[via laptop]'))).toBe(true);
  });

  it('writes nothing of a request when any of its changes is refused for the role', async () => {
    const user = await master('users', 'DU1');
    const phone = { ...createPhone({ type: 'tablet' }, 'DU1', T0, 'DP1'), _deleted: false };
    const helpDesk: WriteContext = { ...cx, pusher: { ...api, role: 'Help Desk' } };
    const changes: DocChange[] = [
      { collection: 'phones', before: undefined, after: phone },
      { collection: 'users', before: user, after: { ...user, _deleted: true } },
    ];
    await expect(commit(helpDesk, async () => changes)).rejects.toMatchObject({ code: 'FORBIDDEN', userMessage: expect.stringMatching(/cannot delete users/) });
    expect((await pullAll(store, ACCOUNT, 'phones')).documents).toEqual([]);
    expect(await master('users', 'DU1')).toMatchObject({ _deleted: false });
  });

  it('gives up with a clear error when the documents keep changing', async () => {
    let attempts = 0;
    const failing = commit(cx, async () => {
      attempts += 1;
      const before = await master('users', 'DU1');
      await authorizedPush(store, ACCOUNT, 'users', [{ assumedMasterState: before, newDocumentState: { ...before, realname: `r${attempts}` } }], daemon, T0);
      return [{ collection: 'users', before, after: { ...before, status: 'bypass' } }];
    });
    await expect(failing).rejects.toMatchObject({ code: 'UNAVAILABLE', userMessage: expect.stringMatching(/kept changing/) });
    expect(attempts).toBe(MAX_ATTEMPTS);
    expect((await master('users', 'DU1'))['status']).toBe('active');
  });
});

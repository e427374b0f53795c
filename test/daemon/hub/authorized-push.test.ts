import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachAdmin, createToken } from '../../../src/domain/token.js';
import { createUser } from '../../../src/domain/user.js';
import { authorizedPush, type Pusher } from '../../../daemon/hub/authorized-push.js';
import { openStore, pullAll, type HubDocument, type HubStore } from '../../../daemon/hub/store.js';

const T0 = 1_700_000_000_000;
const ACCOUNT = 'default';
const owner: Pusher = { admin_id: 'DEOWNER', name: 'Olive', role: 'Owner', client: 'daemon-1' };
const helpDesk: Pusher = { admin_id: 'DEHELP', name: 'Hank', role: 'Help Desk' };
const live = (doc: object) => ({ ...doc, _deleted: false });

let store: HubStore;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

async function master(collection: string, id: string): Promise<HubDocument> {
  const [doc] = await store.get(ACCOUNT, collection, [id]);
  if (!doc) throw new Error(`no ${id}`);
  return doc;
}

describe('authorizedPush', () => {
  it('writes an allowed change and audits it in the same commit, with the pushing daemon', async () => {
    const user = createUser({ username: 'ann' }, T0, 'DU1');
    const result = await authorizedPush(store, ACCOUNT, 'users', [{ newDocumentState: live(user) }], owner, T0);
    expect(result).toEqual({ conflicts: [], refused: [] });
    expect((await master('users', 'DU1'))['username']).toBe('ann');
    const audit = await store.listAudit(ACCOUNT);
    expect(audit).toEqual([
      expect.objectContaining({ admin_id: 'DEOWNER', admin_name: 'Olive', action: 'users.add', entity: 'users', entity_id: 'DU1', time: T0, summary: 'user ann (DU1): added [via daemon-1]' }),
    ]);
  });

  it('refuses a forbidden row with the reason and the master state, and writes the allowed rows of the push', async () => {
    const token = createToken({ serial: 'S-1', type: 'h6' }, T0);
    await authorizedPush(store, ACCOUNT, 'tokens', [{ newDocumentState: live(token) }], owner, T0);
    const tokenMaster = await master('tokens', token.token_id);
    const other = createToken({ serial: 'S-2', type: 'h6' }, T0);
    const result = await authorizedPush(
      store,
      ACCOUNT,
      'tokens',
      [
        { assumedMasterState: tokenMaster, newDocumentState: live(attachAdmin(token, 'DEHELP', T0 + 1)) },
        { newDocumentState: live(other) },
      ],
      helpDesk,
      T0 + 1,
    );
    expect(result.conflicts).toEqual([]);
    expect(result.refused).toEqual([
      { id: token.token_id, code: 'FORBIDDEN', reason: 'Only an Owner can attach hardware tokens to administrators.', master: tokenMaster },
    ]);
    expect((await master('tokens', token.token_id))['admins']).toEqual([]);
    expect((await master('tokens', other.token_id))['serial']).toBe('S-2');
    expect((await store.listAudit(ACCOUNT)).map((e) => e.action)).toEqual(['tokens.add', 'tokens.add']);
  });

  it('answers a refused new document with a null master', async () => {
    const user = createUser({ username: 'ann' }, T0, 'DU1');
    const result = await authorizedPush(store, ACCOUNT, 'users', [{ newDocumentState: live(user) }], helpDesk, T0);
    expect(result.refused).toEqual([{ id: 'DU1', code: 'FORBIDDEN', reason: 'Help Desk administrators cannot add users.', master: null }]);
    expect((await pullAll(store, ACCOUNT, 'users')).documents).toEqual([]);
  });

  it('leaves a row whose assumed state is stale to the store: a conflict with the master, not a refusal', async () => {
    const user = createUser({ username: 'ann' }, T0, 'DU1');
    await authorizedPush(store, ACCOUNT, 'users', [{ newDocumentState: live(user) }], owner, T0);
    const v1 = await master('users', 'DU1');
    await authorizedPush(store, ACCOUNT, 'users', [{ assumedMasterState: v1, newDocumentState: live({ ...user, realname: 'Ann' }) }], owner, T0 + 1);
    const v2 = await master('users', 'DU1');
    // A Help Desk edit based on v1 that, compared with v2, would look like an un-rename: it conflicts instead.
    const result = await authorizedPush(store, ACCOUNT, 'users', [{ assumedMasterState: v1, newDocumentState: live({ ...user, email: 'a@b.c' }) }], helpDesk, T0 + 2);
    expect(result).toEqual({ conflicts: [v2], refused: [] });
  });

  it('refuses every row pushed to the audit log', async () => {
    const event = { event_id: 'e1', time: T0, admin_id: 'x', admin_name: 'x', action: 'forged', entity: 'users', entity_id: 'DU1', summary: 's' };
    const result = await authorizedPush(store, ACCOUNT, 'audit', [{ newDocumentState: live(event) }], owner, T0);
    expect(result.refused).toEqual([{ id: 'e1', code: 'REFUSED', reason: expect.stringContaining('written by the hub only'), master: null }]);
    expect(await store.listAudit(ACCOUNT)).toEqual([]);
  });

  it('checks again inside the commit: a master that changed after the first check cannot let a refused change through', async () => {
    const token = createToken({ serial: 'S-1', type: 'h6' }, T0);
    const withAdmin = attachAdmin(token, 'DEOWNER', T0);
    await authorizedPush(store, ACCOUNT, 'tokens', [{ newDocumentState: live(withAdmin) }], owner, T0);
    const real = await master('tokens', token.token_id);
    // The first read sees an older master without the administrator, so detaching looks like no change at all.
    const stale: HubStore = Object.create(store) as HubStore;
    stale.get = async () => [{ ...real, admins: [] }];
    const result = await authorizedPush(
      stale,
      ACCOUNT,
      'tokens',
      [{ assumedMasterState: real, newDocumentState: live({ ...withAdmin, admins: [] }) }],
      helpDesk,
      T0 + 1,
    );
    expect(result.refused).toEqual([
      { id: token.token_id, code: 'FORBIDDEN', reason: 'Only an Owner can remove hardware tokens from administrators.', master: real },
    ]);
    expect((await master('tokens', token.token_id))['admins']).toEqual(['DEOWNER']);
  });

  it('refuses a whole malformed push before writing anything', async () => {
    const user = createUser({ username: 'ann' }, T0, 'DU1');
    const rows = [{ newDocumentState: live(user) }, { newDocumentState: { username: 'no id', _deleted: false } }];
    await expect(authorizedPush(store, ACCOUNT, 'users', rows, owner, T0)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await pullAll(store, ACCOUNT, 'users')).documents).toEqual([]);
  });

  it('refuses demoting, disabling or deleting the last active Owner, and allows it once another Owner exists', async () => {
    const olive = { admin_id: 'DEOWNER', name: 'Olive', email: '', role: 'Owner', status: 'Active', created: T0 };
    const ada = { admin_id: 'DEADA', name: 'Ada', email: '', role: 'Administrator', status: 'Active', created: T0 };
    await authorizedPush(store, ACCOUNT, 'admins', [{ newDocumentState: live(olive) }, { newDocumentState: live(ada) }], owner, T0);
    for (const change of [{ role: 'Administrator' }, { status: 'Disabled' }, { _deleted: true }]) {
      const before = await master('admins', 'DEOWNER');
      const result = await authorizedPush(store, ACCOUNT, 'admins', [{ assumedMasterState: before, newDocumentState: { ...live(olive), ...change } }], owner, T0);
      expect(result.refused).toEqual([expect.objectContaining({ id: 'DEOWNER', code: 'REFUSED', reason: expect.stringMatching(/Olive is the only active Owner/) })]);
      expect((await master('admins', 'DEOWNER'))['role']).toBe('Owner');
    }
    // Promoting Ada and demoting Olive in one push leaves an Owner: accepted.
    const result = await authorizedPush(
      store,
      ACCOUNT,
      'admins',
      [
        { assumedMasterState: await master('admins', 'DEADA'), newDocumentState: live({ ...ada, role: 'Owner' }) },
        { assumedMasterState: await master('admins', 'DEOWNER'), newDocumentState: live({ ...olive, role: 'Administrator' }) },
      ],
      owner,
      T0,
    );
    expect(result).toEqual({ conflicts: [], refused: [] });
    expect((await master('admins', 'DEOWNER'))['role']).toBe('Administrator');
  });
});

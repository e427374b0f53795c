import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addAdmin,
  getAdmin,
  listAdmins,
  listAdminsWithKeys,
  operatorActor,
  parseRole,
  revoke,
} from '../../../daemon/hub/admin-directory.js';
import { issueCredential, lookupCredential } from '../../../daemon/hub/credentials.js';
import { openStore, type HubStore } from '../../../daemon/hub/store.js';

const ACCOUNT = 'default';
const actor = operatorActor('root');
let store: HubStore;
beforeEach(async () => {
  store = await openStore('sqlite::memory:');
});
afterEach(async () => {
  await store.close();
});

describe('parseRole', () => {
  it('takes any case and spacing', () => {
    expect(parseRole('help desk')).toBe('Help Desk');
    expect(parseRole('READ-ONLY')).toBe('Read-only');
    expect(parseRole('user_manager')).toBe('User Manager');
    expect(() => parseRole('root')).toThrow(/not known/);
  });
});

describe('administrators', () => {
  it('adds an administrator as a replicated document, audited, and refuses a taken name', async () => {
    const added = await addAdmin(store, ACCOUNT, { name: 'Hank', role: 'Help Desk', email: 'hank@example.com' }, actor, 1000);
    expect(added).toMatchObject({ name: 'Hank', role: 'Help Desk', status: 'Active', created: 1000 });
    expect(added.admin_id).toMatch(/^DE/);
    expect(await getAdmin(store, ACCOUNT, added.admin_id)).toEqual(added);
    expect(await listAdmins(store, ACCOUNT)).toEqual([added]);
    const [event] = await store.listAudit(ACCOUNT);
    expect(event).toMatchObject({ action: 'admins.add', admin_id: 'operator', admin_name: 'root (hub operator)', entity_id: added.admin_id });
    await expect(addAdmin(store, ACCOUNT, { name: 'hank', role: 'Owner' }, actor, 2000)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(addAdmin(store, ACCOUNT, { name: ' ', role: 'Owner' }, actor, 2000)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(addAdmin(store, ACCOUNT, { name: 'X', role: 'Owner', email: 'nope' }, actor, 2000)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('revokes one key by integration key, leaving the administrator active', async () => {
    const admin = await addAdmin(store, ACCOUNT, { name: 'Hank', role: 'Help Desk' }, actor, 1000);
    const one = await issueCredential(store, ACCOUNT, admin.admin_id, 1000);
    const two = await issueCredential(store, ACCOUNT, admin.admin_id, 1000);
    const result = await revoke(store, ACCOUNT, one.ikey, actor, 2000);
    expect(result).toEqual({ admin, revoked: [one.ikey], disabled: false });
    expect((await lookupCredential(store, ACCOUNT, one.ikey))?.revoked).toBe(2000);
    expect((await lookupCredential(store, ACCOUNT, two.ikey))?.revoked).toBeNull();
    expect((await store.listAudit(ACCOUNT)).at(-1)).toMatchObject({ action: 'admins.revokeKey', summary: `revoked integration key ${one.ikey} of Hank` });
    expect((await revoke(store, ACCOUNT, one.ikey, actor, 3000)).revoked).toEqual([]);
  });

  it('revokes every key by name and disables the administrator', async () => {
    const admin = await addAdmin(store, ACCOUNT, { name: 'Hank', role: 'Help Desk' }, actor, 1000);
    const one = await issueCredential(store, ACCOUNT, admin.admin_id, 1000);
    const two = await issueCredential(store, ACCOUNT, admin.admin_id, 1000);
    const result = await revoke(store, ACCOUNT, 'hank', actor, 2000);
    expect(result.revoked).toEqual([one.ikey, two.ikey]);
    expect(result.disabled).toBe(true);
    expect((await getAdmin(store, ACCOUNT, admin.admin_id))?.status).toBe('Disabled');
    const [listed] = await listAdminsWithKeys(store, ACCOUNT);
    expect(listed?.keys.map((k) => k.revoked)).toEqual([2000, 2000]);
  });

  it('says what it cannot find', async () => {
    await expect(revoke(store, ACCOUNT, 'nobody', actor, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(revoke(store, ACCOUNT, 'DI000000000000000000', actor, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

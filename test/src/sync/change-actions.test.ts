import { describe, expect, it } from 'vitest';
import { attachUser, createPhone, detachUser, markDeleted, updatePhone } from '../../../src/domain/phone.js';
import type { RequestKind } from '../../../src/domain/enums.js';
import { newRequest } from '../../../src/domain/request.js';
import type { Admin, U2fRegistration } from '../../../src/domain/schemas.js';
import { attachAdmin, assignUser, createToken, detachAdmin, unassignUser } from '../../../src/domain/token.js';
import { createUser, movePhone, setStatus, withPhoneAppended, withPhoneRemoved } from '../../../src/domain/user.js';
import { ACTIONS, type Action } from '../../../src/roles.js';
import { actionsForChange, changedFields, type ChangeDoc } from '../../../src/sync/change-actions.js';

const T0 = 1_700_000_000_000;
const T1 = T0 + 1000;
const live = (doc: object): ChangeDoc => ({ ...doc, _deleted: false });
const tombstone = (doc: object): ChangeDoc => ({ ...doc, _deleted: true });

function actions(collection: string, before: object | undefined, after: ChangeDoc): Action[] {
  const result = actionsForChange(collection, before === undefined ? undefined : live(before), after);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.actions;
}

const ann = createUser({ username: 'ann' }, T0, 'DU1');
const bob = createUser({ username: 'bob' }, T0, 'DU2');
const phone = createPhone({ number: '+15550100000', name: 'Ann phone' }, 'DU1', T0, 'DP1');
const phone2 = createPhone({ number: '+15550100001' }, 'DU1', T0, 'DP2');
const hotp = createToken({ serial: 'S-1', type: 'h6' }, T0);
const vendor = createToken({ serial: 'D-1', type: 'd1' }, T0);
const admin: Admin = { admin_id: 'DE1', name: 'Olive', email: '', role: 'Help Desk', status: 'Active', created: T0 };
const request = (kind: RequestKind) => newRequest({ kind, params: {}, adminId: 'DE1' }, T0);
const u2f: U2fRegistration = { registration_id: 'DR1', kind: 'u2f', user_id: 'DU1', credential_name: 'Key', label: 'k', date_added: 1 };

/** Each action a document change can need, with a change that needs it. */
const EXAMPLES: ReadonlyArray<{ action: Action; collection: string; before?: object; after: ChangeDoc }> = [
  { action: 'users.add', collection: 'users', after: live(ann) },
  { action: 'users.update', collection: 'users', before: ann, after: live({ ...ann, realname: 'Ann A', updated: T1 }) },
  { action: 'users.setStatus', collection: 'users', before: ann, after: live(setStatus(ann, 'disabled', T1)) },
  { action: 'users.delete', collection: 'users', before: ann, after: tombstone(ann) },
  { action: 'phones.add', collection: 'phones', after: live(phone) },
  { action: 'phones.attach', collection: 'phones', before: phone, after: live(attachUser(phone, 'DU2', T1)) },
  { action: 'phones.detach', collection: 'phones', before: attachUser(phone, 'DU2', T0), after: live(detachUser(attachUser(phone, 'DU2', T0), 'DU2', T1).phone) },
  { action: 'phones.reorder', collection: 'users', before: { ...ann, phone_order: ['DP1', 'DP2'] }, after: live({ ...ann, phone_order: ['DP2', 'DP1'], updated: T1 }) },
  { action: 'phones.update', collection: 'phones', before: phone, after: live(updatePhone(phone, { name: 'Work' }, T1)) },
  { action: 'phones.delete', collection: 'phones', before: phone, after: live(markDeleted(phone, T1)) },
  { action: 'tokens.add', collection: 'tokens', after: live(hotp) },
  { action: 'tokens.receive', collection: 'tokens', after: live(vendor) },
  { action: 'tokens.assign', collection: 'tokens', before: hotp, after: live(assignUser(hotp, 'DU1', T1)) },
  { action: 'tokens.unassign', collection: 'tokens', before: assignUser(hotp, 'DU1', T0), after: live(unassignUser(assignUser(hotp, 'DU1', T0), 'DU1', T1)) },
  { action: 'tokens.attachAdmin', collection: 'tokens', before: hotp, after: live(attachAdmin(hotp, 'DE1', T1)) },
  { action: 'tokens.detachAdmin', collection: 'tokens', before: attachAdmin(hotp, 'DE1', T0), after: live(detachAdmin(attachAdmin(hotp, 'DE1', T0), 'DE1', T1)) },
  { action: 'tokens.delete', collection: 'tokens', before: hotp, after: tombstone(hotp) },
  { action: 'u2f.delete', collection: 'u2f', before: u2f, after: tombstone(u2f) },
  { action: 'u2f.migrate', collection: 'u2f', after: live(u2f) },
  { action: 'tokens.resync', collection: 'requests', after: live(request('tokens.resync')) },
  { action: 'tokens.import', collection: 'requests', after: live(request('tokens.import')) },
  { action: 'phones.activate', collection: 'requests', after: live(request('phones.activate')) },
  { action: 'admins.add', collection: 'admins', after: live(admin) },
  { action: 'admins.update', collection: 'admins', before: admin, after: live({ ...admin, role: 'Owner' }) },
];

/** Actions that are not document changes: views and exports. */
const NOT_DOCUMENT_CHANGES: readonly Action[] = [
  'users.view', 'phones.view', 'tokens.view', 'u2f.view', 'admins.view', 'audit.view', 'billing.view', 'report.export',
];

describe('actionsForChange', () => {
  it.each(EXAMPLES.map((e) => [e.action, e] as const))('classifies a change needing %s', (action, example) => {
    expect(actions(example.collection, example.before, example.after)).toContain(action);
  });

  it('has an example for every action except views, exports and server-side requests', () => {
    const covered = new Set(EXAMPLES.map((e) => e.action));
    expect(ACTIONS.filter((a) => !covered.has(a)).sort()).toEqual([...NOT_DOCUMENT_CHANGES].sort());
  });

  it('lets a replica write a pending request but never change one', () => {
    const pending = request('tokens.resync');
    expect(actionsForChange('requests', undefined, live({ ...pending, status: 'done' }))).toMatchObject({ ok: false, code: 'REFUSED' });
    expect(actionsForChange('requests', live(pending), live({ ...pending, status: 'failed' }))).toMatchObject({ ok: false, code: 'REFUSED' });
    expect(actionsForChange('requests', live(pending), tombstone(pending))).toMatchObject({ ok: false, code: 'REFUSED' });
    expect(actionsForChange('requests', live(pending), live(pending))).toEqual({ ok: true, actions: [] });
    expect(actionsForChange('requests', undefined, live({ ...pending, kind: 'users.delete' }))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('gives exactly the action of each single-purpose change', () => {
    expect(actions('users', ann, live({ ...ann, email: 'ann@example.com' }))).toEqual(['users.update']);
    expect(actions('phones', phone, live(attachUser(phone, 'DU2', T1)))).toEqual(['phones.attach']);
    expect(actions('tokens', hotp, live(attachAdmin(hotp, 'DE1', T1)))).toEqual(['tokens.attachAdmin']);
    expect(actions('admins', undefined, live(admin))).toEqual(['admins.add']);
  });

  it('counts a device losing its last user as a detach, and a delete on purpose as a delete', () => {
    const implicit = detachUser(phone, 'DU1', T1).phone;
    expect(implicit.deletion).toBe('implicit');
    expect(actions('phones', phone, live(implicit))).toEqual(['phones.detach']);
    expect(actions('phones', phone, live(markDeleted(phone, T1)))).toEqual(['phones.delete']);
    expect(actions('phones', phone, tombstone(phone))).toEqual(['phones.delete']);
  });

  it('counts phone_order ids gained and lost as attach and detach, and only a changed relative order as a reorder', () => {
    const withOne = withPhoneAppended(ann, 'DP1', T0);
    const withTwo = withPhoneAppended(withOne, 'DP2', T1);
    expect(actions('users', withOne, live(withTwo))).toEqual(['phones.attach']);
    expect(actions('users', withTwo, live(withPhoneRemoved(withTwo, 'DP1', T1)))).toEqual(['phones.detach']);
    const moved = movePhone(withTwo, [phone, phone2], 'DP2', 1, T1);
    expect(actions('users', withTwo, live(moved))).toEqual(['phones.reorder']);
  });

  it('needs a device add and attach for a new device with a user, and the vendor receipt for a new d1 token', () => {
    expect(actions('phones', undefined, live(phone))).toEqual(['phones.add', 'phones.attach']);
    expect(actions('tokens', undefined, live(vendor))).toEqual(['tokens.receive']);
    expect(actions('tokens', undefined, live(attachAdmin(hotp, 'DE1', T0)))).toEqual(['tokens.add', 'tokens.attachAdmin']);
  });

  it('needs nothing for a change of bookkeeping fields only, or for deleting what the hub does not have', () => {
    expect(actions('users', ann, live({ ...ann, updated: T1, _rev: '2-x', _meta: { lwt: 1 } }))).toEqual([]);
    expect(actions('users', undefined, tombstone(ann))).toEqual([]);
  });

  it('treats a tombstone master as absent: writing the document again adds it', () => {
    const result = actionsForChange('users', tombstone(ann), live(ann));
    expect(result).toEqual({ ok: true, actions: ['users.add'] });
  });

  it('counts a U2F registration arriving in a push as adding user data, an edit as a user edit', () => {
    expect(actions('u2f', undefined, live(u2f))).toEqual(['u2f.migrate']);
    expect(actions('u2f', u2f, live({ ...u2f, label: 'new' }))).toEqual(['users.update']);
  });

  it('refuses any change of the audit log, and unknown collections', () => {
    const audit = actionsForChange('audit', undefined, live({ event_id: 'e1' }));
    expect(audit).toMatchObject({ ok: false, code: 'REFUSED' });
    expect(actionsForChange('conflicts', undefined, live({ id: 'x' }))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(actionsForChange('__proto__', undefined, live({ id: 'x' }))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('lists several actions when one change does several things, most significant first', () => {
    const both = { ...setStatus(ann, 'disabled', T1), realname: 'Ann B', phone_order: ['DP1'] };
    expect(actions('users', ann, live(both))).toEqual(['phones.attach', 'users.setStatus', 'users.update']);
    const deletedWithEdit = { ...markDeleted(attachUser(phone, 'DU2', T0), T1), name: 'x' };
    expect(actions('phones', attachUser(phone, 'DU2', T0), live(deletedWithEdit))[0]).toBe('phones.delete');
  });
});

describe('changedFields', () => {
  it('lists differing own fields, ignoring updated and RxDB fields', () => {
    expect(changedFields(live(bob), live({ ...bob, realname: 'B', updated: 5, _rev: 'x' }))).toEqual(['realname']);
    expect(changedFields(undefined, live({ a: 1 }))).toEqual(['a']);
  });
});

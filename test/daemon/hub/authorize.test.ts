import { describe, expect, it } from 'vitest';
import { ROLES } from '../../../src/domain/enums.js';
import { createPhone, markDeleted } from '../../../src/domain/phone.js';
import { attachAdmin, createToken } from '../../../src/domain/token.js';
import { createUser } from '../../../src/domain/user.js';
import { can } from '../../../src/roles.js';
import { actionsForChange, type ChangeDoc } from '../../../src/sync/change-actions.js';
import { auditAction, authorizeChange } from '../../../daemon/hub/authorize.js';

const T0 = 1_700_000_000_000;
const live = (doc: object): ChangeDoc => ({ ...doc, _deleted: false });
const token = createToken({ serial: 'S-1', type: 'h6' }, T0);
const vendor = createToken({ serial: 'D-1', type: 'd1' }, T0);
const user = createUser({ username: 'ann' }, T0, 'DU1');
const phone = createPhone({ number: '+15550100000' }, 'DU1', T0, 'DP1');

const CHANGES: ReadonlyArray<{ name: string; collection: string; before?: ChangeDoc; after: ChangeDoc }> = [
  { name: 'attach a token to an administrator', collection: 'tokens', before: live(token), after: live(attachAdmin(token, 'DE1', T0 + 1)) },
  { name: 'add a user', collection: 'users', after: live(user) },
  { name: 'delete a device', collection: 'phones', before: live(phone), after: live(markDeleted(phone, T0 + 1)) },
  { name: 'receive a vendor token', collection: 'tokens', after: live(vendor) },
  { name: 'rename a user', collection: 'users', before: live(user), after: live({ ...user, realname: 'Ann' }) },
];

describe('authorizeChange', () => {
  it('refuses a Help Desk administrator attaching a token to an administrator, saying who can', () => {
    const [attach] = CHANGES;
    const verdict = authorizeChange('Help Desk', 'tokens', attach?.before, attach?.after as ChangeDoc);
    expect(verdict).toEqual({ ok: false, refusal: { code: 'FORBIDDEN', reason: 'Only an Owner can attach hardware tokens to administrators.' } });
    expect(authorizeChange('Owner', 'tokens', attach?.before, attach?.after as ChangeDoc)).toEqual({ ok: true, actions: ['tokens.attachAdmin'] });
  });

  it('allows a change exactly when the role may perform every action it needs (the role matrix)', () => {
    for (const role of ROLES) {
      for (const change of CHANGES) {
        const classified = actionsForChange(change.collection, change.before, change.after);
        if (!classified.ok) throw new Error('unexpected refusal');
        const expected = classified.actions.every((a) => can(role, a));
        expect(authorizeChange(role, change.collection, change.before, change.after).ok, `${role}: ${change.name}`).toBe(expected);
      }
    }
  });

  it('refuses an invalid new state whatever the role', () => {
    const verdict = authorizeChange('Owner', 'users', undefined, live({ ...user, username: '' }));
    expect(verdict).toMatchObject({ ok: false, refusal: { code: 'INVALID_INPUT' } });
  });

  it('checks the role before the state: a forbidden invalid change is reported as forbidden', () => {
    expect(authorizeChange('Read-only', 'users', undefined, live({ ...user, username: '' }))).toMatchObject({ ok: false, refusal: { code: 'FORBIDDEN' } });
  });

  it('refuses changes of the audit log, even by an Owner', () => {
    expect(authorizeChange('Owner', 'audit', undefined, live({ event_id: 'x' }))).toMatchObject({ ok: false, refusal: { code: 'REFUSED' } });
  });

  it('allows a bookkeeping-only change to any role, but still validates it', () => {
    expect(authorizeChange('Read-only', 'users', live(user), live({ ...user, updated: T0 + 5 }))).toEqual({ ok: true, actions: [] });
    expect(authorizeChange('Owner', 'users', live(user), live({ ...user, updated: -1 }))).toMatchObject({ ok: false, refusal: { code: 'INVALID_INPUT' } });
  });
});

describe('auditAction', () => {
  it('is the first action, or a generic update/delete of the collection', () => {
    expect(auditAction('phones', ['phones.delete', 'phones.detach'], {})).toBe('phones.delete');
    expect(auditAction('users', [], { _deleted: false })).toBe('users.update');
    expect(auditAction('users', [], { _deleted: true })).toBe('users.delete');
  });
});

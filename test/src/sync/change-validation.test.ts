import { describe, expect, it } from 'vitest';
import { generateDemoData } from '../../../src/demo/generate.js';
import { createPhone, markDeleted } from '../../../src/domain/phone.js';
import { createToken } from '../../../src/domain/token.js';
import { createUser } from '../../../src/domain/user.js';
import type { ChangeDoc } from '../../../src/sync/change-actions.js';
import { schemaProblem, validateChange } from '../../../src/sync/change-validation.js';

const T0 = 1_700_000_000_000;
const live = (doc: object): ChangeDoc => ({ ...doc, _deleted: false });
const tombstone = (doc: object): ChangeDoc => ({ ...doc, _deleted: true });
const user = createUser({ username: 'ann' }, T0, 'DU1');
const phone = createPhone({ number: '+15550100000' }, 'DU1', T0, 'DP1');
const token = createToken({ serial: 'S-1', type: 't6' }, T0);

describe('validateChange', () => {
  it('accepts every document of the demo data set', () => {
    const data = generateDemoData({ size: 'small', now: T0 });
    const collections = { users: data.users, phones: data.phones, tokens: data.tokens, u2f: data.u2f, admins: data.admins };
    for (const [collection, docs] of Object.entries(collections)) {
      for (const doc of docs) expect(validateChange(collection, undefined, live(doc)), `${collection} ${JSON.stringify(doc)}`).toBeUndefined();
    }
  });

  it('refuses documents that do not fit their schema: wrong type, unknown enum, missing or unknown field', () => {
    expect(validateChange('users', undefined, live({ ...user, status: 'gone' }))).toMatchObject({ code: 'INVALID_INPUT', reason: expect.stringContaining('status') });
    expect(validateChange('users', undefined, live({ ...user, created: 'yesterday' }))).toMatchObject({ reason: expect.stringContaining('created must be a number') });
    const { email: _email, ...noEmail } = user;
    expect(validateChange('users', undefined, live(noEmail))).toMatchObject({ reason: expect.stringContaining('email is missing') });
    expect(validateChange('users', undefined, live({ ...user, secret: 'x' }))).toMatchObject({ reason: expect.stringContaining('secret is not a field') });
    expect(validateChange('phones', undefined, live({ ...phone, users: [1] }))).toMatchObject({ reason: expect.stringContaining('users item must be text') });
  });

  it('ignores RxDB fields', () => {
    expect(validateChange('users', undefined, { ...live(user), _rev: '1-a', _meta: { lwt: 1 }, _attachments: {}, _hubRev: 3 })).toBeUndefined();
  });

  it('applies the domain rules of users and devices', () => {
    expect(validateChange('users', undefined, live({ ...user, username: 'two words' }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(validateChange('phones', undefined, live({ ...phone, number: 'call me' }))).toMatchObject({ reason: expect.stringContaining('not a phone number') });
    expect(validateChange('phones', undefined, live({ ...phone, users: ['DU1', 'DU1'] }))).toMatchObject({ reason: expect.stringContaining('more than once') });
    expect(validateChange('phones', undefined, live({ ...phone, users: [] }))).toMatchObject({ reason: expect.stringContaining('marked deleted') });
  });

  it('refuses bringing back a device deleted on purpose', () => {
    const deleted = markDeleted(phone, T0);
    expect(validateChange('phones', live(deleted), live({ ...phone, users: ['DU2'] }))).toMatchObject({ code: 'REFUSED' });
  });

  it('checks serials, the id derived from the serial, the time step, and that serial and type never change', () => {
    expect(validateChange('tokens', undefined, live(token))).toBeUndefined();
    expect(validateChange('tokens', undefined, live({ ...token, serial: 'x'.repeat(129) }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(validateChange('tokens', undefined, live({ ...token, token_id: 'DHWRONG' }))).toMatchObject({ reason: expect.stringContaining('does not belong to serial') });
    expect(validateChange('tokens', undefined, live({ ...token, totp_step: 0 }))).toMatchObject({ reason: expect.stringContaining('totp_step') });
    expect(validateChange('tokens', live(token), live({ ...token, type: 't8' }))).toMatchObject({ reason: expect.stringContaining("type cannot change") });
  });

  it('refuses deleting a vendor token, and lets other deletions through', () => {
    const d1 = createToken({ serial: 'D-1', type: 'd1' }, T0);
    expect(validateChange('tokens', live(d1), tombstone(d1))).toMatchObject({ code: 'REFUSED', reason: expect.stringContaining('Duo-D100') });
    expect(validateChange('tokens', live(token), tombstone(token))).toBeUndefined();
    expect(validateChange('users', live(user), tombstone({ user_id: 'DU1' }))).toBeUndefined();
  });
});

describe('schemaProblem', () => {
  it('names an unknown collection', () => {
    expect(schemaProblem('nope', {})).toContain('not a collection');
  });
});

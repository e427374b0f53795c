import { describe, expect, it } from 'vitest';
import { ReadModel } from '../../../daemon/views/read-model.js';
import { adminRow, auditRow, buildRow, deviceRow, tokenRow, u2fRow, userRow } from '../../../daemon/views/rows.js';
import { makeAdmin, makeAudit, makePhone, makeToken, makeU2f, makeUser, T0 } from './view-data.js';

function model(): ReadModel {
  const m = new ReadModel();
  m.load('users', [makeUser('alice', { phone_order: ['P2', 'P1'] }), makeUser('bob')]);
  m.load('phones', [makePhone('P1', ['U-alice']), makePhone('P2', ['U-alice', 'U-bob', 'U-ghost'])]);
  m.load('tokens', [
    makeToken('222', { users: ['U-alice', 'U-ghost'], admins: ['A-1', 'A-9'] }),
    makeToken('111', { users: ['U-alice'], admins: ['A-1'] }),
  ]);
  m.load('u2f', [makeU2f('1', 'U-bob'), makeU2f('2', 'U-ghost')]);
  m.load('admins', [makeAdmin('1', 'Jane Admin')]);
  return m;
}

describe('rows', () => {
  it('builds a device row with each user’s alias and the shared flag', () => {
    const m = model();
    const row = deviceRow(m, m.phone('P2')!);
    expect(row.user_refs).toEqual([
      { user_id: 'U-alice', username: 'alice', alias: 'phone1' },
      { user_id: 'U-bob', username: 'bob', alias: 'phone1' },
      { user_id: 'U-ghost', username: 'U-ghost', alias: 'phone1' },
    ]);
    expect(row.shared).toBe(true);
    expect(deviceRow(m, m.phone('P1')!)).toMatchObject({ phone_id: 'P1', shared: false, user_refs: [{ alias: 'phone2' }] });
  });

  it('builds a user row with its counts', () => {
    const m = model();
    expect(userRow(m, m.user('U-alice')!)).toMatchObject({ username: 'alice', phone_count: 2, token_count: 2, u2f_count: 0 });
    expect(userRow(m, m.user('U-bob')!)).toMatchObject({ phone_count: 1, token_count: 0, u2f_count: 1 });
  });

  it('builds a token row with usernames and administrator names, unknown ones by id', () => {
    const m = model();
    expect(tokenRow(m, m.token('T-222')!)).toMatchObject({ usernames: ['alice', 'U-ghost'], admin_names: ['Jane Admin', 'A-9'] });
  });

  it('builds a U2F row with the username, or the id of an unknown user', () => {
    const m = model();
    expect(u2fRow(m, m.u2f('R-1')!).username).toBe('bob');
    expect(u2fRow(m, m.u2f('R-2')!).username).toBe('U-ghost');
  });

  it('builds an administrator row with its token serials, sorted', () => {
    const m = model();
    expect(adminRow(m, m.admin('A-1')!).token_serials).toEqual(['111', '222']);
  });

  it('builds an audit row as a copy of the event', () => {
    const event = makeAudit('1', T0);
    expect(auditRow(event)).toEqual(event);
    expect(auditRow(event)).not.toBe(event);
  });

  it('dispatches on the entity', () => {
    const m = model();
    expect(buildRow(m, 'devices', m.phone('P1')!).shared).toBe(false);
    expect(buildRow(m, 'users', m.user('U-bob')!).u2f_count).toBe(1);
  });
});

/** A small directory for TUI tests: alice and bob, three devices (one shared), two tokens, a U2F key. */
import { FakeDaemon } from './fake-daemon.js';
import { adminRow, auditRow, deviceRow, phone, token, tokenRow, u2fRow, user, userDetail, userRow } from './rows.js';
import type { Role } from '../../../src/domain/enums.js';
import { notFound } from '../../../src/errors.js';

export const alice = user({ user_id: 'DUALICE0000000000001', username: 'alice', realname: 'Alice Example', email: 'alice@example.com', phone_order: ['DPWORK00000000000001', 'DPTABLET000000000002'] });
export const bob = user({ user_id: 'DUBOB000000000000002', username: 'bob', realname: 'Bob Builder', phone_order: ['DPTABLET000000000002', 'DPDESK00000000000003'] });

export const work = phone({ phone_id: 'DPWORK00000000000001', name: 'work iPhone', number: '+15550000001', os_version: '16.7', encrypted: 'Unencrypted', users: [alice.user_id] });
export const tablet = phone({
  phone_id: 'DPTABLET000000000002',
  name: 'home tablet',
  type: 'tablet',
  platform: 'google android',
  model: 'Pixel Tablet',
  os_version: '14',
  users: [alice.user_id, bob.user_id],
});
export const desk = phone({ phone_id: 'DPDESK00000000000003', name: 'desk phone', type: 'landline', platform: 'unknown', number: '+15550000003', users: [bob.user_id] });

export const hotp = token({ token_id: 'DHHOTP00000000000001', serial: '100001', type: 'h6', users: [alice.user_id] });
export const vendor = token({ token_id: 'DHD1000000000000002', serial: '900002', type: 'd1', origin: 'vendor' });

/** A fake daemon loaded with the fixture, acting as `role`. */
export function fixtureDaemon(role: Role = 'Owner'): FakeDaemon {
  const d = new FakeDaemon({ role });
  d.rows.users = [userRow(alice, { phone_count: 2, token_count: 1, u2f_count: 1 }), userRow(bob, { phone_count: 2 })];
  d.rows.devices = [
    deviceRow(work, [{ user_id: alice.user_id, username: 'alice', alias: 'phone1' }]),
    deviceRow(tablet, [
      { user_id: alice.user_id, username: 'alice', alias: 'phone2' },
      { user_id: bob.user_id, username: 'bob', alias: 'phone1' },
    ]),
    deviceRow(desk, [{ user_id: bob.user_id, username: 'bob', alias: 'phone2' }]),
  ];
  d.rows.tokens = [tokenRow(hotp, ['alice']), tokenRow(vendor)];
  d.rows.u2f = [u2fRow({ registration_id: 'DRKEY000000000000001', user_id: alice.user_id, username: 'alice' })];
  d.rows.admins = [
    adminRow({ admin_id: 'DEADMIN0000000000001', name: 'ada', role }),
    adminRow({ admin_id: 'DEJANE00000000000002', name: 'Jane Roe', role: 'Help Desk', token_serials: ['100001'] }),
  ];
  d.rows.audit = [auditRow({ event_id: 'E1', summary: 'added mobile work iPhone to alice' })];
  d.on('users.get', ({ user: ref }) => {
    if (ref === alice.user_id || ref === 'alice') return userDetail(alice, [work, tablet], [hotp]);
    return userDetail(bob, [tablet, desk]);
  });
  d.on('phones.get', ({ phone: ref }) => {
    const row = d.rows.devices.find((r) => r.phone_id === ref);
    if (!row) throw notFound(`device ${ref} not found`);
    const { user_refs, shared, ...p } = row;
    return { phone: p, users: user_refs, shared };
  });
  d.on('tokens.get', ({ token: ref }) => {
    const row = d.rows.tokens.find((t) => t.token_id === ref || t.serial === ref);
    if (!row) throw notFound(`token ${ref} not found`);
    return row;
  });
  return d;
}

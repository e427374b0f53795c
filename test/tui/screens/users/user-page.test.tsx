import { afterEach, describe, expect, it } from 'vitest';
import type { Phone } from '../../../../src/domain/schemas.js';
import { alice, fixtureDaemon, hotp, tablet, work } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';
import { phone, userDetail } from '../../helpers/rows.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

const spare = phone({ phone_id: 'DPSPARE0000000000004', name: 'spare phone', number: '+15550000004', users: [alice.user_id] });

/** A daemon whose alice has three phones and reorders them like the real one. */
function reorderingDaemon(role: Parameters<typeof fixtureDaemon>[0] = 'Owner') {
  const d = fixtureDaemon(role);
  let order: Phone[] = [work, tablet, spare];
  d.on('users.get', () => userDetail(alice, order, [hotp]));
  d.on('phones.reorder', ({ phone: id, position }) => {
    const moved = order.find((p) => p.phone_id === id)!;
    order = order.filter((p) => p !== moved);
    order.splice(position - 1, 0, moved);
    return userDetail(alice, order, [hotp]);
  });
  return { d, setOrder: (o: Phone[]) => (order = o) };
}

async function openAlice(d: ReturnType<typeof fixtureDaemon>) {
  app = renderApp({ client: d });
  app.press('2');
  await app.waitFor('bob');
  app.press('enter');
  return app.waitFor('phone3');
}

const aliasOf = (frame: string, name: string) => frame.split('\n').find((l) => l.includes(name))?.match(/phone\d/)?.[0];
const cursorLine = (frame: string) => frame.split('\n').find((l) => l.includes('›')) ?? '';

describe('User properties', () => {
  it("lists the user's phones in order with aliases, then tokens and U2F keys", async () => {
    const { d } = reorderingDaemon();
    const f = await openAlice(d);
    expect(f).toContain('User · alice · Alice Example <alice@example.com>');
    expect(f).toContain('3 devices · 1 hardware token');
    expect(aliasOf(f, 'work iPhone')).toBe('phone1');
    expect(aliasOf(f, 'home tablet')).toBe('phone2');
    expect(aliasOf(f, 'spare phone')).toBe('phone3');
    expect(f).toMatch(/token\s+100001\s+h6/);
  });

  it('moves a phone with J and Shift+↑, the aliases following at once and the order sent to the daemon', async () => {
    const { d } = reorderingDaemon();
    await openAlice(d);
    app!.press('J');
    let f = await app!.waitFor((fr) => aliasOf(fr, 'work iPhone') === 'phone2');
    expect(aliasOf(f, 'home tablet')).toBe('phone1');
    expect(cursorLine(f)).toContain('work iPhone');
    expect(d.sent('phones.reorder')).toEqual([{ user: alice.user_id, phone: work.phone_id, position: 2 }]);
    app!.press('shift+up');
    f = await app!.waitFor((fr) => aliasOf(fr, 'work iPhone') === 'phone1');
    expect(d.sent('phones.reorder').at(-1)).toEqual({ user: alice.user_id, phone: work.phone_id, position: 1 });
  });

  it('takes a burst of moves as several keys and ends where the daemon says', async () => {
    const { d } = reorderingDaemon();
    await openAlice(d);
    app!.press('JJJ');
    const f = await app!.waitFor((fr) => aliasOf(fr, 'work iPhone') === 'phone3' && fr.includes('already last'));
    expect(aliasOf(f, 'home tablet')).toBe('phone1');
    expect(aliasOf(f, 'spare phone')).toBe('phone2');
    expect(d.sent('phones.reorder').map((p) => p.position)).toEqual([2, 3]);
  });

  it("follows another administrator's reorder live, keeping the cursor on its phone", async () => {
    const { d, setOrder } = reorderingDaemon();
    await openAlice(d);
    app!.press('j');
    await app!.waitFor((fr) => cursorLine(fr).includes('home tablet'));
    setOrder([spare, work, tablet]);
    d.set('users', [...d.rows.users]);
    const f = await app!.waitFor((fr) => aliasOf(fr, 'spare phone') === 'phone1');
    expect(aliasOf(f, 'home tablet')).toBe('phone3');
    expect(cursorLine(f)).toContain('home tablet');
  });

  it('refuses moving a token (only devices have an order) and a role without the right', async () => {
    const { d } = reorderingDaemon();
    await openAlice(d);
    app!.press('G', 'J');
    await app!.waitFor("Move the device down the user's order: Only devices have an order: select one");
    app!.unmount();
    const ro = reorderingDaemon('Read-only');
    await openAlice(ro.d);
    app!.press('J');
    await app!.waitFor("Read-only administrators cannot reorder users' devices");
    expect(ro.d.sent('phones.reorder')).toEqual([]);
  });

  it('adds a tablet with the small form: no number for a tablet', async () => {
    const { d } = reorderingDaemon();
    d.on('phones.add', (p) => ({ alias: 'phone4', phone: phone({ phone_id: 'DPNEWTAB000000000005', name: p.name ?? '', type: 'tablet' }) }));
    await openAlice(d);
    app!.press('n');
    let f = await app!.waitFor('Add a device to alice');
    expect(f).toContain('Number:');
    app!.press('right');
    f = await app!.waitFor('‹ Tablet ›');
    expect(f).not.toContain('Number:');
    app!.press('tab', 'g', 'tab', "Alice's Pixel Tablet", 'enter');
    await app!.waitFor("Added Alice's Pixel Tablet to alice as phone4.");
    expect(d.sent('phones.add')).toEqual([{ user: alice.user_id, type: 'tablet', platform: 'google android', name: "Alice's Pixel Tablet" }]);
  });

  it('removes a token from the user after a confirmation', async () => {
    const { d } = reorderingDaemon();
    d.on('tokens.unassign', () => ({ ...hotp, users: [] }));
    await openAlice(d);
    app!.press('G', 'x');
    await app!.waitFor('Remove token 100001 from alice?');
    app!.press('enter');
    await app!.waitFor('Removed token 100001 from alice.');
    expect(d.sent('tokens.unassign')).toEqual([{ token: hotp.token_id, user: alice.user_id }]);
  });

  it('assigns a token through a picker of tokens the user does not have', async () => {
    const { d } = reorderingDaemon();
    d.on('tokens.assign', ({ token: t }) => ({ ...hotp, token_id: t }));
    await openAlice(d);
    app!.press('t');
    await app!.waitFor('Assign a hardware token to alice');
    const f = await app!.waitFor('900002');
    expect(f).not.toMatch(/›?\s*100001\s+h6/);
    app!.press('enter');
    await app!.waitFor('Assigned token 900002 to alice.');
    expect(d.sent('tokens.assign')).toEqual([{ token: 'DHD1000000000000002', user: alice.user_id }]);
  });
});

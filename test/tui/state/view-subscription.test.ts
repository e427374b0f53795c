import { describe, expect, it } from 'vitest';
import type { ViewUpdate } from '../../../src/rpc/contract.js';
import { ViewSubscription } from '../../../tui/state/view-subscription.js';
import { fixtureDaemon } from '../helpers/fixture.js';

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('ViewSubscription', () => {
  it('subscribes once, then coalesces a burst of spec changes into the latest', async () => {
    const d = fixtureDaemon();
    const updates: ViewUpdate[] = [];
    const sub = new ViewSubscription(d, { onUpdate: (u) => updates.push(u), onError: () => undefined });
    sub.set({ entity: 'devices', filter: '' });
    sub.set({ entity: 'devices', filter: 'p' });
    sub.set({ entity: 'devices', filter: 'pl' });
    sub.set({ entity: 'devices', filter: 'platform:ios' });
    await settle();
    expect(d.sent('view.subscribe').filter((s) => s.entity === 'devices')).toEqual([{ entity: 'devices', filter: '' }]);
    expect(d.sent('view.update').map((u) => u.spec.filter)).toEqual(['platform:ios']);
    expect(updates.at(-1)?.total).toBe(1);
  });

  it('hands refusals to onError and does not resend the same spec', async () => {
    const d = fixtureDaemon();
    const errors: unknown[] = [];
    const sub = new ViewSubscription(d, { onUpdate: () => undefined, onError: (e) => errors.push(e) });
    sub.set({ entity: 'devices', filter: '' });
    await settle();
    sub.set({ entity: 'devices', filter: 'colour:red' });
    await settle();
    sub.set({ entity: 'devices', filter: 'colour:red' });
    await settle();
    expect(errors).toHaveLength(1);
    expect(d.sent('view.update')).toHaveLength(1);
  });

  it('passes on pushes for its own subscription only, and unsubscribes on close', async () => {
    const d = fixtureDaemon();
    const causes: string[] = [];
    const a = new ViewSubscription(d, { onUpdate: (_u, cause) => causes.push(`a:${cause}`), onError: () => undefined });
    const b = new ViewSubscription(d, { onUpdate: (_u, cause) => causes.push(`b:${cause}`), onError: () => undefined });
    a.set({ entity: 'devices' });
    b.set({ entity: 'users' });
    await settle();
    d.set('devices', d.rows.devices.slice(1));
    expect(causes).toEqual(['a:reply', 'b:reply', 'a:push']);
    a.close();
    await settle();
    expect(d.sent('view.unsubscribe')).toHaveLength(1);
    expect(d.subscriptions().map((s) => s.entity)).toEqual(['users']);
  });

  it('hands each update the spec it answers: the request for a reply, the last answered one for a push', async () => {
    const d = fixtureDaemon();
    const seen: string[] = [];
    const sub = new ViewSubscription(d, { onUpdate: (_u, cause, spec) => seen.push(`${cause}:${spec.filter ?? ''}`), onError: () => undefined });
    sub.set({ entity: 'devices', filter: '' });
    await settle();
    sub.set({ entity: 'devices', filter: 'alice' });
    await settle();
    d.set('devices', d.rows.devices.slice(1));
    expect(seen).toEqual(['reply:', 'reply:alice', 'push:alice']);
  });
});

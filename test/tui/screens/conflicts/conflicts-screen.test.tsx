import { afterEach, describe, expect, it } from 'vitest';
import type { ConflictView } from '../../../../src/rpc/contract.js';
import { fixtureDaemon, tablet, work } from '../../helpers/fixture.js';
import { renderApp, type RenderedApp } from '../../helpers/render-app.js';
import type { FakeDaemon } from '../../helpers/fake-daemon.js';
import type { Role } from '../../../../src/domain/enums.js';

let app: RenderedApp | undefined;
afterEach(() => app?.unmount());

const T = Date.UTC(2024, 4, 1, 11, 30);

function conflict(patch: Partial<ConflictView>): ConflictView {
  return {
    conflict_id: 'DC1',
    collection_name: 'phones',
    doc_id: work.phone_id,
    field: 'name',
    kept: '"p6-owner"',
    lost: '"p6-helpdesk"',
    rule: 'first-accepted-wins',
    time: T,
    state: 'open',
    ...patch,
  };
}

/** A daemon online with a hub, recording these conflicts; `sync.reapply` settles them as the daemon would. */
function withConflicts(rows: ConflictView[], role: Role = 'Owner'): FakeDaemon {
  const d = fixtureDaemon(role);
  let records = rows;
  const open = () => records.filter((c) => c.state === 'open').length;
  d.syncStatus = { ...d.syncStatus, state: 'online', hub: 'https://hub.example.com:8443', conflicts: open() };
  d.on('sync.conflicts', () => records);
  d.on('sync.reapply', ({ conflict_id, accept }) => {
    records = records.map((c) => (c.conflict_id === conflict_id ? { ...c, state: accept ? 'accepted' : 'reapplied', settled_at: T + 60_000, settled_by: 'DEADMIN0000000000001' } : c));
    d.pushSync({ conflicts: open() });
    return records.find((c) => c.conflict_id === conflict_id)!;
  });
  return d;
}

describe('Conflicts screen', () => {
  it('says there is no hub to reconcile with, and re-applying a side is unavailable until there is', async () => {
    app = renderApp({ client: fixtureDaemon() });
    app.press('7');
    const f = await app.waitFor('No hub is configured');
    expect(f).toContain('both sides');
    app.press('r');
    await app.waitFor('Re-apply my side of the conflict: Needs a hub');
  });

  it('lists both sides of each resolution with its rule, time and state', async () => {
    const d = withConflicts([
      conflict({}),
      conflict({ conflict_id: 'DC2', doc_id: tablet.phone_id, field: 'model,name', kept: '{"model":"Pixel","name":"a"}', lost: '{"model":"Pixel","name":"b"}', rule: 'different-fields', state: 'kept-both', time: T - 60_000 }),
    ]);
    app = renderApp({ client: d, size: { columns: 130, rows: 30 } });
    app.press('7');
    const f = await app.waitFor('Conflicts · 2 recorded · 1 unresolved');
    expect(f).toMatch(/2024-05-01 11:30\s+device DPWORK00000000000001\s+name\s+p6-owner\s+p6-helpdesk\s+first-accepted-wins\s+unresolved/);
    // Of a side of several fields, only those that differ.
    expect(f).toMatch(/device DPTABLET000000000002\s+model,na~\s+name: a\s+name: b\s+different-fields\s+both kept/);
    // The selected record in full, with what the rule did.
    expect(f).toContain('first-accepted-wins: the same field was edited on both sides: the edit the hub accepted first wins');
    expect(f).toContain('Yours (lost): p6-helpdesk');
    expect(app.frame()).toContain('conflicts 1');
  });

  it('re-applies my side after saying what will happen; the unresolved count drops', async () => {
    const d = withConflicts([conflict({})]);
    app = renderApp({ client: d, size: { columns: 130, rows: 30 } });
    app.press('7');
    await app.waitFor('1 unresolved');
    app.press('r');
    const f = await app.waitFor('Re-apply your side?');
    expect(f).toContain('Now (kept): p6-owner');
    expect(f).toContain('Yours (lost): p6-helpdesk');
    expect(f).toContain('applied as a new edit now, with your role');
    app.press('enter');
    await app.waitFor('Re-applied your side of device DPWORK00000000000001 · name.');
    await app.waitFor('Conflicts · 1 recorded · 0 unresolved');
    await app.waitFor('conflicts 0');
    expect(d.sent('sync.reapply')).toEqual([{ conflict_id: 'DC1' }]);
    app.press('r');
    await app.waitFor('Re-apply my side of the conflict: Already settled (reapplied)');
  });

  it('keeps the outcome with x, and refuses to re-apply where both sides were kept', async () => {
    const d = withConflicts([
      conflict({ conflict_id: 'DC2', field: 'users', kept: '["DUA"]', lost: '["DUA","DUB"]', rule: 'set-merge', state: 'kept-both' }),
      conflict({ conflict_id: 'DC3', rule: 'explicit-delete-wins', kept: 'null', lost: '"renamed"', time: T - 1 }),
    ]);
    app = renderApp({ client: d, size: { columns: 130, rows: 30 } });
    app.press('7');
    await app.waitFor('2 recorded · 1 unresolved');
    app.press('r');
    await app.waitFor('Re-apply my side of the conflict: Nothing of yours was lost here: both sides were kept');
    app.press('j', 'x');
    await app.waitFor('Keep the outcome as it is?');
    app.press('enter');
    await app.waitFor('0 unresolved');
    expect(d.sent('sync.reapply')).toEqual([{ conflict_id: 'DC3', accept: true }]);
  });

  it('shows re-applying as unavailable when the role cannot make the edit, also in the palette', async () => {
    const d = withConflicts([conflict({})], 'Read-only');
    app = renderApp({ client: d, size: { columns: 130, rows: 30 } });
    app.press('7');
    await app.waitFor('1 unresolved');
    app.press('r');
    await app.waitFor(/Re-apply my side of the conflict: Read-only administrators cannot/);
    app.press(':', 're-apply');
    await app.waitFor('(unavailable: Read-only adm');
    app.press('escape');
    expect(d.sent('sync.reapply')).toEqual([]);
  });

  it('reads the records again when the daemon says its sync state changed', async () => {
    const d = withConflicts([]);
    app = renderApp({ client: d, size: { columns: 130, rows: 30 } });
    app.press('7');
    await app.waitFor('No conflicts: every concurrent edit so far merged without losing a side.');
    d.on('sync.conflicts', () => [conflict({})]);
    d.pushSync({ conflicts: 1 });
    await app.waitFor('Conflicts · 1 recorded · 1 unresolved');
  });
});

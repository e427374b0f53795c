import { describe, expect, it } from 'vitest';
import { planPush, pushIds } from '../../../daemon/hub/push-plan.js';
import { StoreError, type PushMeta } from '../../../daemon/hub/store.js';
import type { StoredDocument } from '../../../daemon/hub/stored-document.js';

const meta: PushMeta = { adminId: 'DE1', adminName: 'Ann', time: 1000 };
const phone = (id: string, name: string, deleted = false) => ({ phone_id: id, name, _deleted: deleted });
const master = (id: string, name: string, seq: number): StoredDocument => ({ id, seq, deleted: false, body: { phone_id: id, name } });
let counter = 0;
const eventId = () => `ev${++counter}`;

describe('planPush', () => {
  it('numbers written rows from the last seq, in row order', () => {
    const plan = planPush({
      collection: 'phones', rows: [{ newDocumentState: phone('DP2', 'b') }, { newDocumentState: phone('DP1', 'a') }],
      current: new Map(), lastSeq: 10, meta,
    });
    expect(plan.writes.map((w) => [w.doc.id, w.doc.seq])).toEqual([['DP2', 11], ['DP1', 12]]);
    expect(plan.lastSeq).toBe(12);
    expect(plan.conflicts).toEqual([]);
  });

  it('writes on a matching assumed state, conflicts otherwise, and skips a row equal to the master', () => {
    const current = new Map([['DP1', master('DP1', 'a', 3)], ['DP2', master('DP2', 'b', 4)], ['DP3', master('DP3', 'c', 5)]]);
    const plan = planPush({
      collection: 'phones',
      rows: [
        { assumedMasterState: { ...phone('DP1', 'a'), _hubRev: 3 }, newDocumentState: phone('DP1', 'a2') },
        { assumedMasterState: { ...phone('DP2', 'old'), _hubRev: 2 }, newDocumentState: phone('DP2', 'b2') },
        { newDocumentState: phone('DP3', 'c') },
      ],
      current, lastSeq: 5, meta,
    });
    expect(plan.writes.map((w) => [w.doc.id, w.doc.body['name'], w.doc.seq])).toEqual([['DP1', 'a2', 6]]);
    expect(plan.conflicts).toEqual([{ phone_id: 'DP2', name: 'b', _deleted: false, _hubRev: 4 }]);
    expect(plan.lastSeq).toBe(6);
  });

  it('writes one row per id when a push writes an id twice (the later state, the later seq)', () => {
    const plan = planPush({
      collection: 'phones',
      rows: [{ newDocumentState: phone('DP1', 'a') }, { assumedMasterState: phone('DP1', 'a'), newDocumentState: phone('DP1', 'b') }],
      current: new Map(), lastSeq: 0, meta,
    });
    expect(plan.writes.map((w) => [w.doc.id, w.doc.body['name'], w.doc.seq])).toEqual([['DP1', 'b', 2]]);
    expect(plan.lastSeq).toBe(2);
  });

  it('adds one audit event per written row after the rows, with the pusher and time', () => {
    const plan = planPush({
      collection: 'phones',
      rows: [{ newDocumentState: phone('DP1', 'a') }, { newDocumentState: phone('DP2', 'b', true) }],
      current: new Map(), lastSeq: 0,
      meta: { ...meta, audit: (c) => (c.after._deleted ? { action: 'delete', summary: `deleted ${c.id}` } : null) },
      eventId,
    });
    expect(plan.writes.map((w) => [w.collection, w.doc.seq])).toEqual([['phones', 1], ['phones', 2], ['audit', 3]]);
    expect(plan.writes[2]?.doc.body).toMatchObject({
      action: 'delete', entity: 'phones', entity_id: 'DP2', summary: 'deleted DP2', admin_id: 'DE1', admin_name: 'Ann', time: 1000,
    });
  });

  it('pushIds refuses a row without its primary key or naming two documents', () => {
    expect(pushIds('phones', [{ newDocumentState: phone('DP1', 'a') }, { newDocumentState: phone('DP1', 'b') }])).toEqual(['DP1']);
    expect(() => pushIds('phones', [{ newDocumentState: { name: 'x' } }])).toThrow(StoreError);
    expect(() => pushIds('phones', [{ assumedMasterState: phone('DP2', 'a'), newDocumentState: phone('DP1', 'a') }])).toThrow(StoreError);
    expect(() => pushIds('phones', 'rows' as never)).toThrow(StoreError);
  });
});

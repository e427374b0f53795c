/**
 * The RxDB conflict handler: isEqual on replicated state only, resolve by the policy, and the whole
 * round through RxDB's own replication (push with the assumed master, conflict, resolve, push again).
 */
import { createRxDatabase, type RxCollection, type WithDeleted } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { describe, expect, it } from 'vitest';
import { createConflictHandler, type ConflictRecord } from '../../../src/conflict-policy.js';
import { updatePhone } from '../../../src/domain/phone.js';
import { phoneSchema, type Phone } from '../../../src/domain/schemas.js';
import { mobile, T0 } from '../domain/fixtures.js';

const base: WithDeleted<Phone> = { ...mobile('P1', 'U-alice'), _deleted: false };

describe('createConflictHandler', () => {
  it('compares replicated state only: RxDB _meta, _rev and _attachments are ignored', () => {
    const handler = createConflictHandler('phones');
    const stored = { ...base, _rev: '3-x', _meta: { lwt: 12 }, _attachments: {} } as WithDeleted<Phone>;
    expect(handler.isEqual(base, stored, 'test')).toBe(true);
    expect(handler.isEqual(base, { ...base, _deleted: true }, 'test')).toBe(false);
    expect(handler.isEqual(base, { ...base, name: 'x' }, 'test')).toBe(false);
  });

  it('resolves by the policy, reports the records, and is deterministic without a clock', async () => {
    const seen: ConflictRecord[][] = [];
    const handler = createConflictHandler('phones', (r) => seen.push(r), { adminId: 'DE1' });
    const input = {
      assumedMasterState: base,
      newDocumentState: { ...updatePhone(base, { name: 'Ours' }, T0 + 1), _deleted: false },
      realMasterState: { ...updatePhone(base, { name: 'Theirs' }, T0 + 2), _deleted: false },
    };
    const first = await handler.resolve(input, 'test');
    const second = await handler.resolve(input, 'test');
    expect(first).toEqual(second);
    expect(first.name).toBe('Theirs');
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]?.[0]).toMatchObject({ rule: 'first-accepted-wins', admin_id: 'DE1', time: T0 + 2 });
  });

  it('takes its time from the given clock', async () => {
    const seen: ConflictRecord[] = [];
    const handler = createConflictHandler('phones', (r) => seen.push(...r), { now: () => 42 });
    await handler.resolve(
      {
        assumedMasterState: base,
        newDocumentState: { ...updatePhone(base, { name: 'Ours' }, T0 + 1), _deleted: false },
        realMasterState: { ...updatePhone(base, { name: 'Theirs' }, T0 + 2), _deleted: false },
      },
      'test',
    );
    expect(seen.map((r) => r.time)).toEqual([42]);
  });

  it('merges a concurrent edit through RxDB replication: push, conflict, resolve, push again', async () => {
    const handler = createConflictHandler('phones', (r) => records.push(...r));
    const records: ConflictRecord[] = [];
    // A minimal hub: documents with a change sequence; a push is a compare-and-swap on the assumed state.
    const master = new Map<string, { doc: WithDeleted<Phone>; seq: number }>([['P1', { doc: base, seq: 1 }]]);
    let seq = 1;
    const db = await createRxDatabase({
      name: `handler${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
      storage: getRxStorageMemory(),
      multiInstance: false,
    });
    try {
      const { phones } = (await db.addCollections({ phones: { schema: phoneSchema, conflictHandler: handler } })) as {
        phones: RxCollection<Phone>;
      };
      const replicate = () =>
        replicateRxCollection<Phone, { seq: number }>({
          collection: phones,
          replicationIdentifier: 'hub-test',
          live: false,
          pull: {
            handler: async (checkpoint) => {
              const since = checkpoint?.seq ?? 0;
              const rows = [...master.values()].filter((r) => r.seq > since).sort((a, b) => a.seq - b.seq);
              return {
                documents: rows.map((r) => r.doc),
                checkpoint: rows.length > 0 ? { seq: rows[rows.length - 1]!.seq } : checkpoint,
              };
            },
          },
          push: {
            handler: async (rows) => {
              const conflicts: WithDeleted<Phone>[] = [];
              for (const row of rows) {
                const id = row.newDocumentState.phone_id;
                const current = master.get(id);
                const matches = current
                  ? row.assumedMasterState !== undefined && handler.isEqual(current.doc, row.assumedMasterState, 'hub')
                  : row.assumedMasterState === undefined;
                if (!matches && current) conflicts.push(current.doc);
                else master.set(id, { doc: row.newDocumentState, seq: ++seq });
              }
              return conflicts;
            },
          },
        });

      const first = replicate();
      await first.awaitInitialReplication();
      await first.cancel();
      expect((await phones.findOne('P1').exec())?.name).toBe('');

      // Offline: this replica renames; meanwhile another administrator's platform change reaches the hub.
      await (await phones.findOne('P1').exec())!.incrementalPatch({ name: 'Desk', updated: T0 + 1 });
      const theirs = updatePhone(base, { platform: 'android' }, T0 + 2);
      master.set('P1', { doc: { ...theirs, _deleted: false }, seq: ++seq });

      const second = replicate();
      await second.awaitInitialReplication();
      await second.awaitInSync();
      await second.cancel();

      const local = (await phones.findOne('P1').exec())?.toJSON();
      const hub = master.get('P1')?.doc;
      expect(hub).toMatchObject({ name: 'Desk', platform: 'google android', os_family: 'Android', updated: T0 + 2 });
      expect(local).toMatchObject({ name: 'Desk', platform: 'google android', os_family: 'Android' });
      expect(records.map((r) => r.rule)).toEqual(['different-fields']);
    } finally {
      await db.remove();
    }
  });
});

/** Conflict records: ids derived from content, and a schema RxDB's dev-mode accepts and validates against. */
import { addRxPlugin, createRxDatabase } from 'rxdb';
import { RxDBDevModePlugin, disableWarnings } from 'rxdb/plugins/dev-mode';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { describe, expect, it } from 'vitest';
import { conflictSchema, mergePhones, type ConflictRecord } from '../../../src/conflict-policy.js';
import { latestTime, toConflictRecord, type ConflictSource } from '../../../src/conflict-policy/record.js';
import { updatePhone } from '../../../src/domain/phone.js';
import { mobile, T0 } from '../domain/fixtures.js';

const source: ConflictSource = { collection: 'phones', docId: 'P1', inputs: '[]', time: 5 };

describe('toConflictRecord', () => {
  it('encodes both sides as JSON and derives the id from the content', () => {
    const a = toConflictRecord(source, { field: 'name', kept: 'x', lost: { b: 1, a: 2 }, rule: 'first-accepted-wins' });
    expect(a).toEqual({
      conflict_id: a.conflict_id,
      collection_name: 'phones',
      doc_id: 'P1',
      field: 'name',
      kept: '"x"',
      lost: '{"a":2,"b":1}',
      rule: 'first-accepted-wins',
      time: 5,
    });
    const again = toConflictRecord({ ...source, time: 99, adminId: 'DE1' }, { field: 'name', kept: 'x', lost: { a: 2, b: 1 }, rule: 'first-accepted-wins' });
    expect(again.conflict_id).toBe(a.conflict_id);
    expect(again.admin_id).toBe('DE1');
    const other = toConflictRecord({ ...source, inputs: '[1]' }, { field: 'name', kept: 'x', lost: { a: 2, b: 1 }, rule: 'first-accepted-wins' });
    expect(other.conflict_id).not.toBe(a.conflict_id);
  });

  it('takes the latest document time when no clock is given', () => {
    expect(latestTime({ updated: 3, created: 1 }, undefined, { time: 7 })).toBe(7);
    expect(latestTime({})).toBe(0);
  });
});

describe('conflictSchema', () => {
  it('is accepted by RxDB dev-mode and stores the records a merge produces', async () => {
    addRxPlugin(RxDBDevModePlugin);
    disableWarnings();
    const db = await createRxDatabase({
      name: `conflicts${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
      storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
      multiInstance: false,
    });
    try {
      const { conflicts } = await db.addCollections({ conflicts: { schema: conflictSchema } });
      const base = { ...mobile('P1', 'U-alice'), _deleted: false };
      const merge = mergePhones(
        base,
        { ...updatePhone(base, { name: 'A' }, T0 + 1), _deleted: false },
        { ...updatePhone(base, { name: 'B' }, T0 + 2), _deleted: false },
        { now: T0 + 3, adminId: 'DEADMIN' },
      );
      const [record] = merge.conflicts;
      expect(record).toBeDefined();
      await conflicts!.insert(record as ConflictRecord);
      const stored = await conflicts!.findOne(record!.conflict_id).exec();
      expect(stored?.toJSON()).toMatchObject(record as ConflictRecord);
      await expect(conflicts!.insert({ ...(record as ConflictRecord), conflict_id: 'DC2', rule: 'nope' as never })).rejects.toThrow();
    } finally {
      await db.remove();
    }
  });
});

/** Repair of references to users deleted elsewhere: the cross-document case the merges cannot see. */
import { describe, expect, it } from 'vitest';
import { repairDeletedUserReferences } from '../../../src/conflict-policy.js';
import { markDeleted } from '../../../src/domain/phone.js';
import { assignUser, createToken } from '../../../src/domain/token.js';
import { mobile, T0 } from '../domain/fixtures.js';

describe('repairDeletedUserReferences', () => {
  const sharedPhone = { ...mobile('P1', 'U-a'), users: ['U-a', 'U-gone'] };
  const onlyGone = mobile('P2', 'U-gone');
  const token = assignUser(assignUser(createToken({ serial: 'S1', type: 'h6' }, T0), 'U-gone', T0), 'U-a', T0);

  it('drops deleted users from devices and tokens, deleting a device left without a user', () => {
    const repair = repairDeletedUserReferences(
      { phones: [sharedPhone, onlyGone, mobile('P3', 'U-a')], tokens: [token], deletedUserIds: new Set(['U-gone']) },
      T0 + 5,
      { adminId: 'DE1' },
    );
    expect(repair.phones.map((p) => [p.phone_id, p.users, p.deletion, p.updated])).toEqual([
      ['P1', ['U-a'], '', T0 + 5],
      ['P2', [], 'implicit', T0 + 5],
    ]);
    expect(repair.tokens.map((t) => t.users)).toEqual([['U-a']]);
    expect(repair.conflicts.map((c) => [c.collection_name, c.doc_id, c.rule, c.kept, c.lost, c.admin_id])).toEqual([
      ['phones', 'P1', 'deleted-user-reference', '["U-a"]', '["U-a","U-gone"]', 'DE1'],
      ['phones', 'P2', 'deleted-user-reference', '[]', '["U-gone"]', 'DE1'],
      ['tokens', token.token_id, 'deleted-user-reference', '["U-a"]', '["U-gone","U-a"]', 'DE1'],
    ]);
  });

  it('leaves unknown (not yet pulled) users and deleted devices alone', () => {
    const repair = repairDeletedUserReferences(
      { phones: [sharedPhone, markDeleted(onlyGone, T0)], tokens: [token], deletedUserIds: new Set() },
      T0 + 5,
    );
    expect(repair).toEqual({ phones: [], tokens: [], conflicts: [] });
  });

  it('gives two observers the same edit and the same record id', () => {
    const input = { phones: [sharedPhone], tokens: [], deletedUserIds: new Set(['U-gone']) };
    const a = repairDeletedUserReferences(input, T0 + 5);
    const b = repairDeletedUserReferences(input, T0 + 9);
    expect(a.phones[0]?.users).toEqual(b.phones[0]?.users);
    expect(a.conflicts[0]?.conflict_id).toBe(b.conflicts[0]?.conflict_id);
  });
});

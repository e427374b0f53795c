import { describe, expect, it } from 'vitest';
import { summarizeChange } from '../../../src/sync/change-summary.js';

const phone = { phone_id: 'DP1', name: 'Ann phone', number: '+1555', users: ['DU1'], _deleted: false };

describe('summarizeChange', () => {
  it('says what was added and deleted, naming the record', () => {
    expect(summarizeChange('phones', 'DP1', undefined, phone)).toBe('device Ann phone (DP1): added');
    expect(summarizeChange('phones', 'DP1', phone, { ...phone, _deleted: true })).toBe('device Ann phone (DP1): deleted');
  });

  it('lists set changes as +/- and field changes as before → after', () => {
    const after = { ...phone, users: ['DU2'], name: 'Work' };
    expect(summarizeChange('phones', 'DP1', phone, after)).toBe("device Ann phone (DP1): name 'Ann phone' → 'Work'; users +DU2 -DU1");
  });

  it('cuts long values and strips control characters', () => {
    const summary = summarizeChange('users', 'DU1', { user_id: 'DU1', username: 'ann', realname: 'a' }, { user_id: 'DU1', username: 'ann', realname: `x\u001b[31m${'y'.repeat(100)}` });
    expect(summary).not.toContain('\u001b');
    expect(summary.length).toBeLessThan(120);
    expect(summary).toContain('…');
  });
});

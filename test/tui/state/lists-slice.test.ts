import { describe, expect, it } from 'vitest';
import type { ViewUpdate } from '../../../src/rpc/contract.js';
import { emptyList, withUpdate } from '../../../tui/state/lists-slice.js';
import { deviceRow, phone } from '../helpers/rows.js';

const row = (id: string) => deviceRow(phone({ phone_id: id, name: id }), []);
const update = (ids: string[], total = ids.length, offset = 0): ViewUpdate => ({
  subscriptionId: 's',
  entity: 'devices',
  total,
  offset,
  rows: ids.map(row),
  version: 1,
});

describe('withUpdate', () => {
  it('keeps the cursor on its row when rows shift', () => {
    let list = withUpdate(emptyList<'devices'>(), 'devices', update(['a', 'b', 'c']), 10);
    list = { ...list, cursor: 1, cursorId: 'b' };
    list = withUpdate(list, 'devices', update(['x', 'y', 'a', 'b', 'c']), 10);
    expect(list.cursor).toBe(3);
    expect(list.cursorId).toBe('b');
  });

  it('keeps the index (clamped) when its row is gone, and takes the row now there', () => {
    let list = withUpdate(emptyList<'devices'>(), 'devices', update(['a', 'b', 'c']), 10);
    list = { ...list, cursor: 2, cursorId: 'c' };
    list = withUpdate(list, 'devices', update(['a', 'b']), 10);
    expect(list.cursor).toBe(1);
    expect(list.cursorId).toBe('b');
  });

  it('selects the row a link names when it arrives', () => {
    const list = withUpdate(emptyList<'devices'>({ pendingSelect: 'c' }), 'devices', update(['a', 'b', 'c']), 10);
    expect(list.cursor).toBe(2);
    expect(list.pendingSelect).toBeNull();
  });

  it('keeps the window asked for while a scroll is in flight', () => {
    const base = withUpdate(emptyList<'devices'>(), 'devices', update(['a', 'b', 'c'], 50), 3);
    const scrolled = { ...base, offset: 10, cursor: 10, cursorId: null };
    const late = withUpdate(scrolled, 'devices', update(['a', 'b', 'c'], 50, 0), 3);
    expect(late.offset).toBe(10);
    expect(late.rowsOffset).toBe(0);
  });
});

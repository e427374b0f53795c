import { afterEach, describe, expect, it, vi } from 'vitest';
import { invalid } from '../../../src/errors.js';
import type { ViewUpdate } from '../../../src/rpc/contract.js';
import { emptyList, FILTER_ECHO_MS, withUpdate } from '../../../tui/state/lists-slice.js';
import { createAppStore } from '../../../tui/state/store.js';
import { FakeDaemon } from '../helpers/fake-daemon.js';
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

describe('the filter shown while typing', () => {
  afterEach(() => vi.useRealTimers());
  const storeOf = () => createAppStore({ client: new FakeDaemon(), size: { columns: 100, rows: 30 } });

  it('changes the filter asked for at once, and the filter shown with its answer', () => {
    const store = storeOf();
    store.getState().setFilter('devices', 'ali');
    expect(store.getState().lists.devices.filter).toBe('ali');
    expect(store.getState().listSpec('devices').filter).toBe('ali');
    expect(store.getState().lists.devices.shownFilter).toBe('');
    // An answer to an older filter shows that filter with its rows; the one for the current filter catches up.
    store.getState().applyListUpdate('devices', update(['a', 'b']), { entity: 'devices', filter: 'al' });
    expect(store.getState().lists.devices).toMatchObject({ shownFilter: 'al', total: 2 });
    store.getState().applyListUpdate('devices', update(['a']), { entity: 'devices', filter: 'ali' });
    expect(store.getState().lists.devices).toMatchObject({ shownFilter: 'ali', total: 1 });
  });

  it('shows a refused filter together with the refusal', () => {
    const store = storeOf();
    store.getState().setFilter('devices', 'colour:');
    store.getState().listRefused('devices', invalid('Unknown key "colour".'), { entity: 'devices', filter: 'colour:' });
    expect(store.getState().lists.devices).toMatchObject({ shownFilter: 'colour:', filterError: { message: 'Unknown key "colour".' } });
  });

  it('shows the typed filter without its answer once FILTER_ECHO_MS has passed', () => {
    vi.useFakeTimers();
    const store = storeOf();
    store.getState().setFilter('devices', 'a');
    store.getState().setFilter('devices', 'al');
    vi.advanceTimersByTime(FILTER_ECHO_MS - 1);
    expect(store.getState().lists.devices.shownFilter).toBe('');
    vi.advanceTimersByTime(1);
    expect(store.getState().lists.devices.shownFilter).toBe('al');
  });
});

import { describe, expect, it } from 'vitest';
import { findBinding } from '../../../tui/keymap/dispatch.js';
import { dispatchKeys } from '../../../tui/keymap/dispatch.js';
import { activeScopes } from '../../../tui/keymap/scopes.js';
import { createAppStore } from '../../../tui/state/store.js';
import { fixtureDaemon } from '../helpers/fixture.js';

function store(role: Parameters<typeof fixtureDaemon>[0] = 'Owner') {
  return createAppStore({ client: fixtureDaemon(role), size: { columns: 100, rows: 30 } });
}

describe('dispatch', () => {
  it('looks keys up innermost scope first', () => {
    const s = store();
    expect(activeScopes(s.getState())).toEqual(['devices', 'list', 'cursor', 'app', 'always']);
    expect(findBinding(activeScopes(s.getState()), 'D')?.id).toBe('devices.delete');
    expect(findBinding(activeScopes(s.getState()), 'q')?.id).toBe('app.back-or-quit');
    s.getState().openFilter('devices');
    expect(activeScopes(s.getState())).toEqual(['filter', 'text', 'always']);
    expect(findBinding(activeScopes(s.getState()), 'q')).toBeUndefined();
    expect(findBinding(activeScopes(s.getState()), 'ctrl+c')?.id).toBe('app.quit');
  });

  it('types keys no binding takes into the open text field', () => {
    const s = store();
    s.getState().openFilter('devices');
    dispatchKeys(s, ['o', 's', ':', '<', '1', '7', 'space', 'q', 'backspace']);
    expect(s.getState().lists.devices.filter).toBe('os:<17 ');
    dispatchKeys(s, ['escape']);
    expect(s.getState().lists.devices.filter).toBe('');
    expect(s.getState().modal).toBeNull();
  });

  it('says why a binding is unavailable instead of running it', () => {
    const s = store('Billing');
    dispatchKeys(s, ['e']);
    expect(s.getState().flash).toEqual({ text: 'Export this view to CSV or JSON: Billing administrators cannot export reports', tone: 'error' });
    expect(s.getState().modal).toBeNull();
  });
});

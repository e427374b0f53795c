/**
 * Every key of the TUI as data: `{id, scope, keys, group, label, disabledReason?, run}`. The root input
 * handler dispatches from this table (see dispatch.ts), the `?` help and the `:` palette list it, and
 * `npm run docs:keys` writes docs/keybindings.md from it. A key is bound at most once per scope (a test
 * checks); an inner scope may shadow an outer one (the filter line takes every letter).
 */
import { phoneLabel } from '../../src/domain/phone.js';
import type { Action } from '../../src/roles.js';
import type { EntityName, TokenRow, U2fRow } from '../../src/rpc/contract.js';
import { conflictRows, dialogLines, pageRows, pickerRows } from '../layout.js';
import { deviceTarget } from '../state/device-actions-slice.js';
import { activationRefusal, resyncRefusal } from '../state/hub-actions-slice.js';
import type { ListMove } from '../state/list-movement.js';
import { rowLabel } from '../state/rows.js';
import { CONNECTION_LOST_REASON } from '../state/session-slice.js';
import type { AppState, AppStore } from '../state/store.js';
import { tokenDeleteRefusal, tokenTarget } from '../state/token-actions-slice.js';
import { SCREENS, type ScreenId } from '../state/types.js';
import type { KeyName } from './keys.js';
import { pageScopes, type Scope } from './scopes.js';

export { SCOPES, SCOPE_TITLES, type Scope } from './scopes.js';

export interface BindingContext {
  store: AppStore;
  state: AppState;
}

export interface Binding {
  id: string;
  scope: Scope;
  keys: readonly KeyName[];
  group: string;
  label: string;
  /** Why the binding cannot run now (role, nothing selected, no hub), or undefined when it can. */
  disabledReason?(state: AppState): string | undefined;
  run(ctx: BindingContext): void | Promise<void>;
  /** False for keys that make no sense as palette commands (movement, dialog keys). */
  palette?: boolean;
  /** A word or two for the key hint line under a page or list. */
  short?: string;
}

// ---- helpers over the state ----------------------------------------------------------------------------

/** The entity of the current list screen. */
function listEntity(s: AppState): EntityName | undefined {
  return SCREENS.find((x) => x.id === s.screen)?.entity;
}

const first = (...reasons: (string | undefined)[]): string | undefined => reasons.find((r) => r !== undefined);

const deny = (action: Action) => (s: AppState) => s.denied(action);

function noRow(s: AppState, what: string): string | undefined {
  const e = listEntity(s);
  if (!e) return undefined;
  return s.targetRows(e).length === 0 ? `No ${what} under the cursor` : undefined;
}

function move(s: AppState, m: ListMove): void {
  if (s.screen === 'conflicts' && !s.topPage()) {
    s.moveConflicts(m, conflictRows(s.size));
    return;
  }
  if (s.topPage()) {
    s.moveDetail(m, pageRows(s.size));
    return;
  }
  const e = listEntity(s);
  if (e) s.moveList(e, m);
}

function itemKind(s: AppState): string | undefined {
  return s.currentItem()?.kind;
}

function deviceOfPage(s: AppState) {
  const d = s.detail.data;
  return d?.kind === 'device' ? d.device : undefined;
}

function userOfPage(s: AppState) {
  const d = s.detail.data;
  return d?.kind === 'user' ? d.user : undefined;
}

function tokenOfPage(s: AppState) {
  const d = s.detail.data;
  return d?.kind === 'token' ? d.token : undefined;
}

function adminOfPage(s: AppState) {
  const d = s.detail.data;
  return d?.kind === 'admin' ? d.admin : undefined;
}

const notLoaded = (what: string) => `The ${what} is still loading`;

function screenBinding(screen: ScreenId, index: number): Binding {
  const info = SCREENS[index]!;
  return {
    id: `screen.${screen}`,
    scope: 'app',
    keys: [String(index + 1)],
    group: 'Screens',
    label: `${info.title} screen`,
    run: ({ state }) => state.switchScreen(screen),
  };
}

const lost = (s: AppState) => (s.connection === 'lost' ? CONNECTION_LOST_REASON : undefined);

// ---- the table ---------------------------------------------------------------------------------------------

export const BINDINGS: readonly Binding[] = [
  // Everywhere
  { id: 'app.quit', scope: 'always', keys: ['ctrl+c'], group: 'General', label: 'Quit factordesk', run: ({ state }) => state.requestQuit() },

  // Screens and general keys
  ...SCREENS.map((s, i) => screenBinding(s.id, i)),
  { id: 'screen.next', scope: 'app', keys: ['tab'], group: 'Screens', label: 'Next screen', run: ({ state }) => state.cycleScreen(1) },
  { id: 'screen.previous', scope: 'app', keys: ['shift+tab'], group: 'Screens', label: 'Previous screen', run: ({ state }) => state.cycleScreen(-1) },
  { id: 'app.help', scope: 'app', keys: ['?'], group: 'General', label: 'Help: every key here', run: ({ state }) => state.openModal({ kind: 'help', scroll: 0 }) },
  {
    id: 'app.palette',
    scope: 'app',
    keys: [':'],
    group: 'General',
    label: 'Command palette',
    palette: false,
    run: ({ state }) => state.openModal({ kind: 'palette', query: '', cursor: 0 }),
  },
  {
    id: 'app.back-or-quit',
    scope: 'app',
    keys: ['q'],
    group: 'General',
    label: 'Back; on a list, quit',
    run: ({ state }) => {
      if (!state.back()) state.requestQuit();
    },
  },

  // Moving (lists and properties pages)
  { id: 'cursor.down', scope: 'cursor', keys: ['j', 'down'], group: 'Moving', label: 'Down', palette: false, run: ({ state }) => move(state, { type: 'down' }) },
  { id: 'cursor.up', scope: 'cursor', keys: ['k', 'up'], group: 'Moving', label: 'Up', palette: false, run: ({ state }) => move(state, { type: 'up' }) },
  { id: 'cursor.top', scope: 'cursor', keys: ['g', 'home'], group: 'Moving', label: 'First row', palette: false, run: ({ state }) => move(state, { type: 'top' }) },
  { id: 'cursor.bottom', scope: 'cursor', keys: ['G', 'end'], group: 'Moving', label: 'Last row', palette: false, run: ({ state }) => move(state, { type: 'bottom' }) },
  {
    id: 'cursor.page-down',
    scope: 'cursor',
    keys: ['pagedown', 'ctrl+d'],
    group: 'Moving',
    label: 'Page down',
    palette: false,
    run: ({ state }) => move(state, { type: 'pageDown' }),
  },
  {
    id: 'cursor.page-up',
    scope: 'cursor',
    keys: ['pageup', 'ctrl+u'],
    group: 'Moving',
    label: 'Page up',
    palette: false,
    run: ({ state }) => move(state, { type: 'pageUp' }),
  },

  // Properties pages
  { id: 'page.back', short: 'back', scope: 'page', keys: ['escape'], group: 'General', label: 'Back to the list', run: ({ state }) => void state.back() },

  // Every list
  {
    id: 'list.open',
    scope: 'list',
    keys: ['enter'],
    group: 'List',
    label: 'Open the properties of the row',
    disabledReason: (s) => noRow(s, 'row'),
    run: ({ state }) => openRow(state),
  },
  {
    id: 'list.mark',
    scope: 'list',
    keys: ['space'],
    group: 'List',
    label: 'Mark or unmark the row (bulk actions)',
    disabledReason: (s) => noRow(s, 'row'),
    run: ({ state }) => {
      const e = listEntity(state);
      if (e) state.toggleMark(e);
    },
  },
  {
    id: 'list.clear-marks',
    scope: 'list',
    keys: ['escape'],
    group: 'List',
    label: 'Clear the marks',
    run: ({ state }) => {
      const e = listEntity(state);
      if (e) state.clearMarks(e);
    },
  },
  {
    id: 'list.filter',
    scope: 'list',
    keys: ['/'],
    group: 'List',
    label: 'Filter (e.g. platform:ios encrypted:no)',
    disabledReason: lost,
    run: ({ state }) => {
      const e = listEntity(state);
      if (e) state.openFilter(e);
    },
  },
  {
    id: 'list.sort',
    scope: 'list',
    keys: ['s'],
    group: 'List',
    label: 'Sort by the next column',
    run: ({ state }) => {
      const e = listEntity(state);
      if (e) state.cycleSort(e);
    },
  },
  {
    id: 'list.reverse',
    scope: 'list',
    keys: ['S'],
    group: 'List',
    label: 'Reverse the order',
    run: ({ state }) => {
      const e = listEntity(state);
      if (e) state.reverseSort(e);
    },
  },
  {
    id: 'list.export',
    scope: 'list',
    keys: ['e'],
    group: 'Reports',
    label: 'Export this view to CSV or JSON',
    disabledReason: deny('report.export'),
    run: ({ state }) => {
      const e = listEntity(state);
      if (e) state.exportView(e);
    },
  },
  {
    id: 'list.link',
    scope: 'list',
    keys: ['y'],
    group: 'Reports',
    label: 'Copy a factordesk:// link to this view',
    run: ({ state }) => {
      const e = listEntity(state);
      if (e) state.copyLink(e);
    },
  },

  // First run
  { id: 'welcome.add-user', scope: 'welcome', keys: ['n'], group: 'Get started', label: 'Add a user', disabledReason: deny('users.add'), run: ({ state }) => state.addUser() },
  {
    id: 'welcome.add-token',
    scope: 'welcome',
    keys: ['t'],
    group: 'Get started',
    label: 'Add a hardware token',
    disabledReason: deny('tokens.add'),
    run: ({ state }) => state.addToken(),
  },
  {
    id: 'welcome.import',
    scope: 'welcome',
    keys: ['i'],
    group: 'Get started',
    label: 'Import hardware tokens from a file (CSV, PSKC)',
    disabledReason: (s) => first(s.denied('tokens.import'), s.hubReason()),
    run: ({ state }) => state.openTokenImport(false),
  },
  {
    id: 'welcome.demo',
    scope: 'welcome',
    keys: ['L'],
    group: 'Get started',
    label: 'Load the demo data (small)',
    // The demo set includes administrators, so the daemon asks for the right to add them.
    disabledReason: (s) => (s.denied('admins.add') ? `${s.denied('admins.add')}, which the demo data includes` : undefined),
    run: ({ state }) => state.loadDemo(),
  },

  // Devices list
  {
    id: 'devices.attach',
    scope: 'devices',
    keys: ['a'],
    group: 'Devices',
    label: 'Attach the device to another user',
    disabledReason: (s) => first(s.denied('phones.attach'), noRow(s, 'device')),
    run: ({ state }) => {
      const row = state.currentRow('devices');
      if (row) state.attachDeviceToUser(deviceTarget(row, row.user_refs));
    },
  },
  {
    id: 'devices.delete',
    scope: 'devices',
    keys: ['D'],
    group: 'Devices',
    label: 'Delete the device (or the marked ones) from every user',
    disabledReason: (s) => first(s.denied('phones.delete'), noRow(s, 'device')),
    run: ({ state }) => state.deleteDevices(state.targetRows('devices').map((r) => deviceTarget(r, r.user_refs))),
  },
  {
    id: 'devices.activate',
    scope: 'devices',
    keys: ['A'],
    group: 'Devices',
    label: 'Send a Duo Mobile activation (QR code and link)',
    disabledReason: (s) => {
      const row = s.currentRow('devices');
      return first(s.denied('phones.activate'), s.hubReason(), noRow(s, 'device'), row ? activationRefusal(row) : undefined);
    },
    run: ({ state }) => {
      const row = state.currentRow('devices');
      if (row) state.sendActivation({ phone_id: row.phone_id, label: phoneLabel(row), type: row.type });
    },
  },

  // Users list
  { id: 'users.add', scope: 'users', keys: ['n'], group: 'Users', label: 'Add a user', disabledReason: deny('users.add'), run: ({ state }) => state.addUser() },
  {
    id: 'users.toggle-status',
    scope: 'users',
    keys: ['d'],
    group: 'Users',
    label: 'Disable or enable the user (or the marked ones)',
    disabledReason: (s) => first(s.denied('users.setStatus'), noRow(s, 'user')),
    run: ({ state }) => state.toggleUserStatus(state.targetRows('users')),
  },
  {
    id: 'users.delete',
    scope: 'users',
    keys: ['D'],
    group: 'Users',
    label: 'Delete the user (or the marked ones)',
    disabledReason: (s) => first(s.denied('users.delete'), noRow(s, 'user')),
    run: ({ state }) => state.deleteUsers(state.targetRows('users')),
  },

  // Tokens list
  { id: 'tokens.add', scope: 'tokens', keys: ['n'], group: 'Tokens', label: 'Add a hardware token', disabledReason: deny('tokens.add'), run: ({ state }) => state.addToken() },
  {
    id: 'tokens.assign',
    scope: 'tokens',
    keys: ['a'],
    group: 'Tokens',
    label: 'Assign the token to a user',
    disabledReason: (s) => first(s.denied('tokens.assign'), noRow(s, 'token')),
    run: ({ state }) => {
      const row = state.currentRow('tokens');
      if (row) state.assignTokenToUser(tokenTarget(row));
    },
  },
  {
    id: 'tokens.attach-admin',
    scope: 'tokens',
    keys: ['A'],
    group: 'Tokens',
    label: 'Attach the token to an administrator',
    disabledReason: (s) => first(s.denied('tokens.attachAdmin'), noRow(s, 'token')),
    run: ({ state }) => {
      const row = state.currentRow('tokens');
      if (row) state.attachTokenToAdmin(tokenTarget(row));
    },
  },
  {
    id: 'tokens.delete',
    scope: 'tokens',
    keys: ['D'],
    group: 'Tokens',
    label: 'Delete the token (or the marked ones)',
    disabledReason: (s) =>
      first(
        s.denied('tokens.delete'),
        noRow(s, 'token'),
        ...s.targetRows('tokens').map((t: TokenRow) => tokenDeleteRefusal(t)),
      ),
    run: ({ state }) => state.deleteTokens(state.targetRows('tokens').map(tokenTarget)),
  },
  {
    id: 'tokens.resync',
    scope: 'tokens',
    keys: ['r'],
    group: 'Tokens',
    label: 'Resync the token (three codes)',
    disabledReason: (s) => {
      const row = s.currentRow('tokens');
      return first(s.denied('tokens.resync'), s.hubReason(), noRow(s, 'token'), row ? resyncRefusal(row) : undefined);
    },
    run: ({ state }) => {
      const row = state.currentRow('tokens');
      if (row) state.resyncToken(row);
    },
  },

  {
    id: 'tokens.import',
    scope: 'tokens',
    keys: ['i'],
    group: 'Tokens',
    label: 'Import hardware tokens from a file (CSV, PSKC)',
    disabledReason: (s) => first(s.denied('tokens.import'), s.hubReason()),
    run: ({ state }) => state.openTokenImport(false),
  },
  {
    id: 'tokens.receive',
    scope: 'tokens',
    keys: ['I'],
    group: 'Tokens',
    label: 'Receive purchased vendor tokens (Duo-D100) from their file',
    disabledReason: (s) => first(s.denied('tokens.receive'), s.hubReason()),
    run: ({ state }) => state.openTokenImport(true),
  },

  // U2F list
  {
    id: 'u2f.delete',
    scope: 'u2f',
    keys: ['D'],
    group: 'U2F',
    label: 'Delete the registration (or the marked ones)',
    disabledReason: (s) => first(s.denied('u2f.delete'), noRow(s, 'registration')),
    run: ({ state }) => state.deleteU2f(state.targetRows('u2f') as U2fRow[]),
  },

  // Administrators list
  {
    id: 'admins.attach-token',
    scope: 'admins',
    keys: ['a'],
    group: 'Administrators',
    label: 'Attach a hardware token to the administrator',
    disabledReason: (s) => first(s.denied('tokens.attachAdmin'), noRow(s, 'administrator')),
    run: ({ state }) => {
      const row = state.currentRow('admins');
      if (row) state.attachAdminAToken(row);
    },
  },

  // Conflicts
  {
    id: 'conflicts.reapply',
    short: 're-apply my side',
    scope: 'conflicts',
    keys: ['r'],
    group: 'Conflicts',
    label: 'Re-apply my side of the conflict',
    disabledReason: (s) => s.conflictRefusal(false),
    run: ({ state }) => state.settleConflict(false),
  },
  {
    id: 'conflicts.accept',
    short: 'keep the outcome',
    scope: 'conflicts',
    keys: ['x'],
    group: 'Conflicts',
    label: 'Keep the outcome (the conflict stops counting as unresolved)',
    disabledReason: (s) => s.conflictRefusal(true),
    run: ({ state }) => state.settleConflict(true),
  },
  {
    id: 'conflicts.refresh',
    scope: 'conflicts',
    keys: ['ctrl+r'],
    group: 'Conflicts',
    label: 'Read the conflicts again',
    disabledReason: lost,
    run: ({ state }) => state.loadConflicts(),
  },

  // Device properties
  {
    id: 'device.open-user', short: 'open user',
    scope: 'device',
    keys: ['enter'],
    group: 'Device',
    label: 'Open the selected user',
    disabledReason: (s) => (itemKind(s) === 'device-user' ? undefined : 'No user selected'),
    run: ({ state }) => {
      const item = state.currentItem();
      if (item?.kind === 'device-user') state.openUser(item.userId);
    },
  },
  {
    id: 'device.attach', short: 'attach to user',
    scope: 'device',
    keys: ['a'],
    group: 'Device',
    label: 'Attach the device to another user',
    disabledReason: (s) => first(s.denied('phones.attach'), deviceOfPage(s) ? undefined : notLoaded('device')),
    run: ({ state }) => {
      const d = deviceOfPage(state);
      if (d) state.attachDeviceToUser(deviceTarget(d.phone, d.users));
    },
  },
  {
    id: 'device.remove', short: 'remove from user',
    scope: 'device',
    keys: ['x'],
    group: 'Device',
    label: 'Remove the device from the selected user',
    disabledReason: (s) => first(s.denied('phones.detach'), itemKind(s) === 'device-user' ? undefined : 'No user selected'),
    run: ({ state }) => {
      const d = deviceOfPage(state);
      const item = state.currentItem();
      if (d && item?.kind === 'device-user') state.removeDeviceFromUser(deviceTarget(d.phone, d.users), { user_id: item.userId, username: item.username });
    },
  },
  {
    id: 'device.delete', short: 'delete',
    scope: 'device',
    keys: ['D'],
    group: 'Device',
    label: 'Delete the device from every user',
    disabledReason: (s) => first(s.denied('phones.delete'), deviceOfPage(s) ? undefined : notLoaded('device')),
    run: ({ state }) => {
      const d = deviceOfPage(state);
      if (d) state.deleteDevices([deviceTarget(d.phone, d.users)]);
    },
  },
  {
    id: 'device.activate', short: 'activation',
    scope: 'device',
    keys: ['A'],
    group: 'Device',
    label: 'Send a Duo Mobile activation (QR code and link)',
    disabledReason: (s) => {
      const d = deviceOfPage(s);
      return first(s.denied('phones.activate'), s.hubReason(), d ? activationRefusal(d.phone) : notLoaded('device'));
    },
    run: ({ state }) => {
      const d = deviceOfPage(state);
      if (d) state.sendActivation({ phone_id: d.phone.phone_id, label: phoneLabel(d.phone), type: d.phone.type });
    },
  },

  // User properties
  {
    id: 'user.open', short: 'open',
    scope: 'user',
    keys: ['enter'],
    group: 'User',
    label: 'Open the selected device or token',
    disabledReason: (s) => (itemKind(s) === 'user-phone' || itemKind(s) === 'user-token' ? undefined : 'Select a device or a token'),
    run: ({ state }) => {
      const item = state.currentItem();
      if (item?.kind === 'user-phone') state.openDevice(item.phone.phone_id);
      if (item?.kind === 'user-token') state.openToken(item.token.token_id);
    },
  },
  {
    id: 'user.move-down', short: 'move down',
    scope: 'user',
    keys: ['J', 'shift+down'],
    group: 'User',
    label: "Move the device down the user's order",
    disabledReason: (s) => first(s.denied('phones.reorder'), itemKind(s) === 'user-phone' ? undefined : 'Only devices have an order: select one'),
    run: ({ state }) => state.movePhone(1),
  },
  {
    id: 'user.move-up', short: 'move up',
    scope: 'user',
    keys: ['K', 'shift+up'],
    group: 'User',
    label: "Move the device up the user's order",
    disabledReason: (s) => first(s.denied('phones.reorder'), itemKind(s) === 'user-phone' ? undefined : 'Only devices have an order: select one'),
    run: ({ state }) => state.movePhone(-1),
  },
  {
    id: 'user.add-device', short: 'add device',
    scope: 'user',
    keys: ['n'],
    group: 'User',
    label: 'Add a phone, tablet or landline',
    disabledReason: (s) => first(s.denied('phones.add'), userOfPage(s) ? undefined : notLoaded('user')),
    run: ({ state }) => {
      const u = userOfPage(state);
      if (u) state.addDeviceToUser(u.user);
    },
  },
  {
    id: 'user.attach-device', short: 'attach device',
    scope: 'user',
    keys: ['a'],
    group: 'User',
    label: 'Attach an existing device',
    disabledReason: (s) => first(s.denied('phones.attach'), userOfPage(s) ? undefined : notLoaded('user')),
    run: ({ state }) => {
      const u = userOfPage(state);
      if (u) state.attachExistingDevice(u.user);
    },
  },
  {
    id: 'user.assign-token', short: 'assign token',
    scope: 'user',
    keys: ['t'],
    group: 'User',
    label: 'Assign a hardware token',
    disabledReason: (s) => first(s.denied('tokens.assign'), userOfPage(s) ? undefined : notLoaded('user')),
    run: ({ state }) => {
      const u = userOfPage(state);
      if (u) state.assignUserAToken(u.user);
    },
  },
  {
    id: 'user.remove', short: 'remove',
    scope: 'user',
    keys: ['x'],
    group: 'User',
    label: 'Remove the selected device, token or U2F key from the user',
    disabledReason: (s) => {
      const kind = itemKind(s);
      if (kind === 'user-phone') return s.denied('phones.detach');
      if (kind === 'user-token') return s.denied('tokens.unassign');
      if (kind === 'user-u2f') return s.denied('u2f.delete');
      return 'Nothing selected';
    },
    run: ({ state }) => {
      const u = userOfPage(state);
      const item = state.currentItem();
      if (!u || !item) return;
      const user = { user_id: u.user.user_id, username: u.user.username };
      if (item.kind === 'user-phone') {
        void state.removePhoneOfUser(item.phone.phone_id, user);
      } else if (item.kind === 'user-token') {
        state.unassignToken(item.token, user);
      } else if (item.kind === 'user-u2f') {
        state.deleteU2f([{ ...item.reg, username: user.username }]);
      }
    },
  },
  {
    id: 'user.delete-device', short: 'delete device',
    scope: 'user',
    keys: ['D'],
    group: 'User',
    label: 'Delete the selected device from every user',
    disabledReason: (s) => first(s.denied('phones.delete'), itemKind(s) === 'user-phone' ? undefined : 'Select a device'),
    run: ({ state }) => {
      const item = state.currentItem();
      if (item?.kind !== 'user-phone') return;
      void state.deletePhoneById(item.phone.phone_id);
    },
  },
  {
    id: 'user.toggle-status', short: 'disable/enable',
    scope: 'user',
    keys: ['d'],
    group: 'User',
    label: 'Disable or enable the user',
    disabledReason: (s) => first(s.denied('users.setStatus'), userOfPage(s) ? undefined : notLoaded('user')),
    run: ({ state }) => {
      const u = userOfPage(state);
      if (u) state.toggleUserStatus([u.user]);
    },
  },
  {
    id: 'user.activate', short: 'activation',
    scope: 'user',
    keys: ['A'],
    group: 'User',
    label: 'Send a Duo Mobile activation to the selected device',
    disabledReason: (s) => {
      const item = s.currentItem();
      return first(
        s.denied('phones.activate'),
        s.hubReason(),
        item?.kind === 'user-phone' ? activationRefusal(item.phone) : 'Select a device',
      );
    },
    run: ({ state }) => {
      const item = state.currentItem();
      if (item?.kind === 'user-phone') state.sendActivation({ phone_id: item.phone.phone_id, label: phoneLabel(item.phone), type: item.phone.type });
    },
  },

  // Token properties
  {
    id: 'token.open', short: 'open',
    scope: 'token',
    keys: ['enter'],
    group: 'Token',
    label: 'Open the selected user or administrator',
    disabledReason: (s) => (itemKind(s) ? undefined : 'Nothing selected'),
    run: ({ state }) => {
      const item = state.currentItem();
      if (item?.kind === 'token-user') state.openUser(item.userId);
      if (item?.kind === 'token-admin') state.openAdmin(item.adminId);
    },
  },
  {
    id: 'token.assign', short: 'assign',
    scope: 'token',
    keys: ['a'],
    group: 'Token',
    label: 'Assign the token to a user',
    disabledReason: (s) => first(s.denied('tokens.assign'), tokenOfPage(s) ? undefined : notLoaded('token')),
    run: ({ state }) => {
      const t = tokenOfPage(state);
      if (t) state.assignTokenToUser(tokenTarget(t));
    },
  },
  {
    id: 'token.attach-admin', short: 'attach admin',
    scope: 'token',
    keys: ['A'],
    group: 'Token',
    label: 'Attach the token to an administrator',
    disabledReason: (s) => first(s.denied('tokens.attachAdmin'), tokenOfPage(s) ? undefined : notLoaded('token')),
    run: ({ state }) => {
      const t = tokenOfPage(state);
      if (t) state.attachTokenToAdmin(tokenTarget(t));
    },
  },
  {
    id: 'token.remove', short: 'remove',
    scope: 'token',
    keys: ['x'],
    group: 'Token',
    label: 'Remove the token from the selected user or administrator',
    disabledReason: (s) => {
      const kind = itemKind(s);
      if (kind === 'token-user') return s.denied('tokens.unassign');
      if (kind === 'token-admin') return s.denied('tokens.detachAdmin');
      return 'Nothing selected';
    },
    run: ({ state }) => {
      const t = tokenOfPage(state);
      const item = state.currentItem();
      if (!t || !item) return;
      if (item.kind === 'token-user') state.unassignToken(t, { user_id: item.userId, username: item.username });
      if (item.kind === 'token-admin') state.detachTokenFromAdmin(t, { admin_id: item.adminId, name: item.name });
    },
  },
  {
    id: 'token.delete', short: 'delete',
    scope: 'token',
    keys: ['D'],
    group: 'Token',
    label: 'Delete the token',
    disabledReason: (s) => {
      const t = tokenOfPage(s);
      return first(s.denied('tokens.delete'), t ? tokenDeleteRefusal(t) : notLoaded('token'));
    },
    run: ({ state }) => {
      const t = tokenOfPage(state);
      if (t) state.deleteTokens([tokenTarget(t)]);
    },
  },
  {
    id: 'token.resync', short: 'resync',
    scope: 'token',
    keys: ['r'],
    group: 'Token',
    label: 'Resync the token (three codes)',
    disabledReason: (s) => {
      const t = tokenOfPage(s);
      return first(s.denied('tokens.resync'), s.hubReason(), t ? resyncRefusal(t) : notLoaded('token'));
    },
    run: ({ state }) => {
      const t = tokenOfPage(state);
      if (t) state.resyncToken(t);
    },
  },

  // Administrator properties
  {
    id: 'admin.open-token', short: 'open',
    scope: 'admin',
    keys: ['enter'],
    group: 'Administrator',
    label: 'Open the selected token',
    disabledReason: (s) => (itemKind(s) === 'admin-token' ? undefined : 'No token selected'),
    run: ({ state }) => {
      const item = state.currentItem();
      if (item?.kind === 'admin-token') state.openToken(item.serial);
    },
  },
  {
    id: 'admin.attach-token', short: 'attach token',
    scope: 'admin',
    keys: ['a'],
    group: 'Administrator',
    label: 'Attach a hardware token',
    disabledReason: (s) => first(s.denied('tokens.attachAdmin'), adminOfPage(s) ? undefined : notLoaded('administrator')),
    run: ({ state }) => {
      const a = adminOfPage(state);
      if (a) state.attachAdminAToken(a);
    },
  },
  {
    id: 'admin.detach-token', short: 'remove',
    scope: 'admin',
    keys: ['x'],
    group: 'Administrator',
    label: 'Remove the selected token from the administrator',
    disabledReason: (s) => first(s.denied('tokens.detachAdmin'), itemKind(s) === 'admin-token' ? undefined : 'No token selected'),
    run: ({ state }) => {
      const a = adminOfPage(state);
      const item = state.currentItem();
      if (a && item?.kind === 'admin-token') state.detachTokenFromAdmin({ serial: item.serial }, a);
    },
  },

  // Help overlay
  { id: 'help.close', scope: 'help', keys: ['escape', '?', 'q'], group: 'Help', label: 'Close the help', palette: false, run: ({ state }) => state.closeModal() },
  { id: 'help.down', scope: 'help', keys: ['j', 'down'], group: 'Help', label: 'Scroll down', palette: false, run: ({ state }) => state.helpScroll(1) },
  { id: 'help.up', scope: 'help', keys: ['k', 'up'], group: 'Help', label: 'Scroll up', palette: false, run: ({ state }) => state.helpScroll(-1) },
  {
    id: 'help.page-down',
    scope: 'help',
    keys: ['pagedown', 'space'],
    group: 'Help',
    label: 'Page down',
    palette: false,
    run: ({ state }) => state.helpScroll(pageRows(state.size)),
  },
  { id: 'help.page-up', scope: 'help', keys: ['pageup'], group: 'Help', label: 'Page up', palette: false, run: ({ state }) => state.helpScroll(-pageRows(state.size)) },

  // Command palette
  { id: 'palette.run', scope: 'palette', keys: ['enter'], group: 'Palette', label: 'Run the selected command', palette: false, run: (ctx) => runPaletteSelection(ctx) },
  { id: 'palette.close', scope: 'palette', keys: ['escape'], group: 'Palette', label: 'Close the palette', palette: false, run: ({ state }) => state.closeModal() },
  { id: 'palette.down', scope: 'palette', keys: ['down', 'ctrl+n'], group: 'Palette', label: 'Next command', palette: false, run: ({ state }) => state.paletteMove(1) },
  { id: 'palette.up', scope: 'palette', keys: ['up', 'ctrl+p'], group: 'Palette', label: 'Previous command', palette: false, run: ({ state }) => state.paletteMove(-1) },

  // Filter line
  { id: 'filter.accept', scope: 'filter', keys: ['enter'], group: 'Filter', label: 'Keep the filter', palette: false, run: ({ state }) => state.closeModal() },
  { id: 'filter.cancel', scope: 'filter', keys: ['escape'], group: 'Filter', label: 'Put the filter back as it was', palette: false, run: ({ state }) => state.cancelFilter() },

  // Confirmations
  { id: 'confirm.yes', scope: 'confirm', keys: ['enter', 'y'], group: 'Confirm', label: 'Confirm', palette: false, run: ({ state }) => state.confirmModal() },
  { id: 'confirm.no', scope: 'confirm', keys: ['escape', 'n', 'q'], group: 'Confirm', label: 'Cancel', palette: false, run: ({ state }) => state.closeModal() },

  // Forms
  { id: 'form.submit', scope: 'form', keys: ['enter'], group: 'Form', label: 'Submit', palette: false, run: ({ state }) => state.submitForm() },
  { id: 'form.cancel', scope: 'form', keys: ['escape'], group: 'Form', label: 'Cancel', palette: false, run: ({ state }) => state.closeModal() },
  { id: 'form.next', scope: 'form', keys: ['tab', 'down'], group: 'Form', label: 'Next field', palette: false, run: ({ state }) => state.formFocus(1) },
  { id: 'form.previous', scope: 'form', keys: ['shift+tab', 'up'], group: 'Form', label: 'Previous field', palette: false, run: ({ state }) => state.formFocus(-1) },
  { id: 'form.choice-next', scope: 'form', keys: ['right'], group: 'Form', label: 'Next choice', palette: false, run: ({ state }) => state.formCycle(1) },
  { id: 'form.choice-previous', scope: 'form', keys: ['left'], group: 'Form', label: 'Previous choice', palette: false, run: ({ state }) => state.formCycle(-1) },

  // Pickers
  { id: 'picker.pick', scope: 'picker', keys: ['enter'], group: 'Picker', label: 'Choose the selected row', palette: false, run: ({ state }) => state.pickerChoose() },
  { id: 'picker.cancel', scope: 'picker', keys: ['escape'], group: 'Picker', label: 'Cancel', palette: false, run: ({ state }) => state.closeModal() },
  { id: 'picker.down', scope: 'picker', keys: ['down', 'ctrl+n'], group: 'Picker', label: 'Down', palette: false, run: ({ state }) => state.pickerMove({ type: 'down' }, pickerRows(state.size)) },
  { id: 'picker.up', scope: 'picker', keys: ['up', 'ctrl+p'], group: 'Picker', label: 'Up', palette: false, run: ({ state }) => state.pickerMove({ type: 'up' }, pickerRows(state.size)) },
  { id: 'picker.page-down', scope: 'picker', keys: ['pagedown'], group: 'Picker', label: 'Page down', palette: false, run: ({ state }) => state.pickerMove({ type: 'pageDown' }, pickerRows(state.size)) },
  { id: 'picker.page-up', scope: 'picker', keys: ['pageup'], group: 'Picker', label: 'Page up', palette: false, run: ({ state }) => state.pickerMove({ type: 'pageUp' }, pickerRows(state.size)) },

  // Notices
  { id: 'notice.close', scope: 'notice', keys: ['escape', 'enter', 'q'], group: 'Notice', label: 'Close', palette: false, run: ({ state }) => state.closeModal() },

  // Hub requests and the activation QR code
  {
    id: 'request.close',
    scope: 'request',
    keys: ['escape', 'enter', 'q'],
    group: 'Request',
    label: 'Close (a queued request still runs when the hub is back)',
    palette: false,
    run: ({ state }) => state.closeModal(),
  },
  // Token import, after the dry run
  {
    id: 'import.next',
    scope: 'import',
    keys: ['enter'],
    group: 'Import',
    label: 'Import what the dry run showed (from a bad file: back to the form; once sent: close)',
    palette: false,
    run: ({ state }) => state.importNext(),
  },
  {
    id: 'import.back',
    scope: 'import',
    keys: ['escape'],
    group: 'Import',
    label: 'Back to the form (once sent: close; the import still runs)',
    palette: false,
    run: ({ state }) => state.importBack(),
  },
  { id: 'import.close', scope: 'import', keys: ['q'], group: 'Import', label: 'Close', palette: false, run: ({ state }) => state.closeModal() },
  { id: 'import.down', scope: 'import', keys: ['j', 'down'], group: 'Import', label: 'Scroll the rows or errors down', palette: false, run: ({ state }) => state.importScroll(1) },
  { id: 'import.up', scope: 'import', keys: ['k', 'up'], group: 'Import', label: 'Scroll up', palette: false, run: ({ state }) => state.importScroll(-1) },
  {
    id: 'import.page-down',
    scope: 'import',
    keys: ['pagedown', 'space'],
    group: 'Import',
    label: 'Page down',
    palette: false,
    run: ({ state }) => state.importScroll(dialogLines(state.size)),
  },
  { id: 'import.page-up', scope: 'import', keys: ['pageup'], group: 'Import', label: 'Page up', palette: false, run: ({ state }) => state.importScroll(-dialogLines(state.size)) },
  { id: 'activation.close', scope: 'activation', keys: ['escape', 'enter', 'q'], group: 'Activation', label: 'Close', palette: false, run: ({ state }) => state.closeModal() },
  {
    id: 'activation.copy',
    scope: 'activation',
    keys: ['y'],
    group: 'Activation',
    label: 'Copy the activation link',
    palette: false,
    run: ({ state }) => state.copyActivationLink(),
  },

  // Text fields
  { id: 'text.backspace', scope: 'text', keys: ['backspace'], group: 'Text', label: 'Delete a character', palette: false, run: ({ state }) => state.deleteBack() },
  { id: 'text.clear', scope: 'text', keys: ['ctrl+u'], group: 'Text', label: 'Clear the field', palette: false, run: ({ state }) => state.clearText() },
  { id: 'text.delete-word', scope: 'text', keys: ['ctrl+w'], group: 'Text', label: 'Delete a word', palette: false, run: ({ state }) => state.deleteWord() },
];


/** What Enter on a list row opens. */
function openRow(state: AppState): void {
  const e = listEntity(state);
  if (!e) return;
  switch (e) {
    case 'devices': {
      const r = state.currentRow('devices');
      if (r) state.openDevice(r.phone_id);
      return;
    }
    case 'users': {
      const r = state.currentRow('users');
      if (r) state.openUser(r.user_id);
      return;
    }
    case 'tokens': {
      const r = state.currentRow('tokens');
      if (r) state.openToken(r.token_id);
      return;
    }
    case 'u2f': {
      // A registration has no page of its own: its user's page lists it with the user's other devices.
      const r = state.currentRow('u2f');
      if (r) state.openUser(r.user_id);
      return;
    }
    case 'admins': {
      const r = state.currentRow('admins');
      if (r) state.openAdmin(r.admin_id);
      return;
    }
    case 'audit': {
      const r = state.currentRow('audit');
      if (r) state.showAuditEvent(r);
      return;
    }
  }
}

// ---- palette -------------------------------------------------------------------------------------------------

/** A command in the palette: a binding of the screen underneath, with why it cannot run, if so. */
export interface PaletteEntry {
  binding: Binding;
  disabled: string | undefined;
  score: number;
}

/**
 * How well `query` matches `text` as a subsequence (0 = not at all): consecutive letters and letters at
 * word starts score more, so "dd" ranks "Delete device" above "Add a device".
 */
export function fuzzyScore(query: string, text: string): number {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (q === '') return 1;
  const t = text.toLowerCase();
  let score = 0;
  let ti = 0;
  let run = 0;
  for (const ch of q) {
    const found = t.indexOf(ch, ti);
    if (found < 0) return 0;
    const wordStart = found === 0 || /[\s\-/(]/.test(t[found - 1]!);
    run = found === ti ? run + 1 : 1;
    score += 1 + (wordStart ? 3 : 0) + run * 2;
    ti = found + 1;
  }
  return score;
}

/** The palette's commands for the state underneath it (the screen or page, not the palette). */
export function paletteEntries(state: AppState, query: string, scopes: readonly Scope[]): PaletteEntry[] {
  const seen = new Set<string>();
  const entries: PaletteEntry[] = [];
  for (const scope of scopes) {
    for (const b of BINDINGS) {
      if (b.scope !== scope || b.palette === false || seen.has(b.id)) continue;
      seen.add(b.id);
      const score = Math.max(fuzzyScore(query, b.label), fuzzyScore(query, `${b.group} ${b.label}`) - 1);
      if (score > 0) entries.push({ binding: b, disabled: b.disabledReason?.(state), score });
    }
  }
  return query.trim() === '' ? entries : entries.sort((a, b) => b.score - a.score);
}

/** The scopes the palette offers commands from: those of the screen or page under it. */
export function scopesUnderPalette(state: AppState): readonly Scope[] {
  return pageScopes(state).filter((s) => s !== 'cursor');
}

function runPaletteSelection({ store, state }: BindingContext): void {
  const m = state.modal;
  if (m?.kind !== 'palette') return;
  const entries = paletteEntries(state, m.query, scopesUnderPalette(state));
  const entry = entries[Math.min(m.cursor, entries.length - 1)];
  state.closeModal();
  if (!entry) return;
  const after = store.getState();
  if (entry.disabled) {
    after.showFlash(`${entry.binding.label}: ${entry.disabled}`, 'error');
    return;
  }
  void entry.binding.run({ store, state: after });
}

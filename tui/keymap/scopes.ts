/**
 * Key scopes: which part of the TUI a binding belongs to, and which scopes are active for a state, innermost
 * first. A dialog takes every key (only Ctrl+C still quits); a page or list adds its own scope before the
 * movement keys, the general keys and the global ones.
 */
import type { AppState } from '../state/store.js';
import { SCREENS } from '../state/types.js';

export const SCOPES = [
  'always',
  'app',
  'page',
  'cursor',
  'list',
  'welcome',
  'devices',
  'users',
  'tokens',
  'u2f',
  'admins',
  'audit',
  'conflicts',
  'sync',
  'device',
  'user',
  'token',
  'admin',
  'help',
  'palette',
  'filter',
  'confirm',
  'form',
  'picker',
  'notice',
  'request',
  'import',
  'activation',
  'text',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Where each scope is active, for the help and the generated docs. */
export const SCOPE_TITLES: Readonly<Record<Scope, string>> = {
  always: 'Everywhere',
  app: 'Every screen and page',
  page: 'Properties pages',
  cursor: 'Lists and properties pages: moving',
  list: 'Every list',
  welcome: 'First run (empty replica)',
  devices: 'Devices list',
  users: 'Users list',
  tokens: 'Hardware tokens list',
  u2f: 'U2F/WebAuthn list',
  admins: 'Administrators list',
  audit: 'Audit list',
  conflicts: 'Conflicts screen',
  sync: 'Sync screen',
  device: 'Device properties',
  user: 'User properties',
  token: 'Token properties',
  admin: 'Administrator properties',
  help: 'Help overlay',
  palette: 'Command palette',
  filter: 'Filter line',
  confirm: 'Confirmation',
  form: 'Forms',
  picker: 'Pickers',
  notice: 'Notices',
  request: 'Hub requests (resync, activation)',
  import: 'Token import (after the dry run)',
  activation: 'Activation QR code',
  text: 'Text fields (filter, palette, forms, pickers)',
};

/** Screens that start empty on a first run and then offer the first steps. */
const WELCOME_SCREENS = new Set(['devices', 'users', 'tokens']);

/** True when a first-run screen shows its "what next" panel. */
export function showsWelcome(state: AppState): boolean {
  const entity = SCREENS.find((s) => s.id === state.screen)?.entity;
  return entity !== undefined && WELCOME_SCREENS.has(entity) && state.replicaEmpty() && state.lists[entity].filter === '';
}

/** The scopes of the screen or page, ignoring any dialog. */
export function pageScopes(state: AppState): Scope[] {
  const page = state.topPage();
  if (page) return [page.kind, 'cursor', 'page', 'app', 'always'];
  if (state.screen === 'conflicts') return ['conflicts', 'cursor', 'app', 'always'];
  if (state.screen === 'sync') return ['sync', 'app', 'always'];
  return [...(showsWelcome(state) ? (['welcome'] as const) : []), state.screen, 'list', 'cursor', 'app', 'always'];
}

/** The active scopes, innermost first. */
export function activeScopes(state: AppState): Scope[] {
  const m = state.modal;
  if (!m) return pageScopes(state);
  switch (m.kind) {
    case 'palette':
    case 'filter':
    case 'form':
    case 'picker':
      return [m.kind, 'text', 'always'];
    default:
      return [m.kind, 'always'];
  }
}

/** True when printable keys type into a text field in these scopes. */
export function acceptsText(scopes: readonly Scope[]): boolean {
  return scopes.includes('text');
}

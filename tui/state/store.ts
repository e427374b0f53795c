/**
 * The TUI's state: one zustand vanilla store made of slices (session, navigation, lists, details, dialogs,
 * overview, conflicts, the actions per kind of record, the hub's requests, token import). It works without React (tests drive it
 * directly); the slices reach the daemon only through the client in `AppDeps`.
 */
import fs from 'node:fs';
import os from 'node:os';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EntityName, SortSpec } from '../../src/rpc/contract.js';
import type { DaemonClient } from '../rpc-client-types.js';
import { conflictsSlice, type ConflictsSlice } from './conflicts-slice.js';
import { detailSlice, type DetailSlice } from './detail-slice.js';
import { deviceActionsSlice, type DeviceActionsSlice } from './device-actions-slice.js';
import { dialogSlice, type DialogSlice } from './dialog-slice.js';
import { hubActionsSlice, type HubActionsSlice } from './hub-actions-slice.js';
import { listsSlice, type ListsSlice } from './lists-slice.js';
import { navigationSlice, type NavigationSlice } from './navigation-slice.js';
import { overviewSlice, type OverviewSlice } from './overview-slice.js';
import { sessionSlice, type SessionSlice } from './session-slice.js';
import { tokenActionsSlice, type TokenActionsSlice } from './token-actions-slice.js';
import { MAX_TOKEN_FILE_BYTES } from './token-import.js';
import { tokenImportSlice, type TokenImportSlice } from './token-import-slice.js';
import { userActionsSlice, type UserActionsSlice } from './user-actions-slice.js';
import { viewActionsSlice, type ViewActionsSlice } from './view-actions-slice.js';
import { screenOf, type TermSize } from './types.js';

export type AppState = SessionSlice &
  NavigationSlice &
  ListsSlice &
  DetailSlice &
  DialogSlice &
  OverviewSlice &
  DeviceActionsSlice &
  UserActionsSlice &
  TokenActionsSlice &
  ViewActionsSlice &
  ConflictsSlice &
  HubActionsSlice &
  TokenImportSlice;

export type AppStore = StoreApi<AppState>;

/** What the state needs from outside: the daemon, the file system and clipboard, the clock. */
export interface AppDeps {
  client: DaemonClient;
  /** Writes an exported report (the TUI process writes it; the daemon only renders it). */
  writeFile(file: string, content: string): void;
  /** Reads a token file to import (this process reads it; the daemon gets its text). */
  readFile(file: string): string;
  /** Puts text on the clipboard (OSC 52 in a terminal). */
  copy(text: string): void;
  cwd: string;
  homeDir: string;
  now(): number;
}

/** The view to start on (from `factordesk open LINK`). */
export interface StartView {
  entity: EntityName;
  filter?: string;
  sort?: SortSpec;
  selected?: string;
}

export interface CreateAppStoreOptions {
  client: DaemonClient;
  size: TermSize;
  start?: StartView;
  deps?: Partial<Omit<AppDeps, 'client'>>;
}

/** Reads a token file as text, refusing one larger than the hub takes before reading it (EFBIG). */
function readTokenFile(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    if (fs.fstatSync(fd).size > MAX_TOKEN_FILE_BYTES) throw Object.assign(new Error('file too large'), { code: 'EFBIG' });
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Creates the store for one session over a connected client. */
export function createAppStore(options: CreateAppStoreOptions): AppStore {
  const deps: AppDeps = {
    client: options.client,
    writeFile: (file, content) => fs.writeFileSync(file, content),
    readFile: readTokenFile,
    copy: () => undefined,
    cwd: process.cwd(),
    homeDir: os.homedir(),
    now: Date.now,
    ...options.deps,
  };
  const store = createStore<AppState>()((...a) => ({
    ...sessionSlice(deps)(...a),
    ...navigationSlice({ screen: options.start ? screenOf(options.start.entity) : 'devices', size: options.size })(...a),
    ...listsSlice(options.start)(...a),
    ...detailSlice(deps)(...a),
    ...dialogSlice()(...a),
    ...overviewSlice()(...a),
    ...deviceActionsSlice(deps)(...a),
    ...userActionsSlice(deps)(...a),
    ...tokenActionsSlice(deps)(...a),
    ...viewActionsSlice(deps)(...a),
    ...conflictsSlice(deps)(...a),
    ...hubActionsSlice(deps)(...a),
    ...tokenImportSlice(deps)(...a),
  }));
  options.client.onClose(() => store.getState().connectionLost());
  return store;
}

/** The shapes the TUI's state is made of: screens, the pages opened over them, dialogs and messages. */
import type { ImportSummary } from '../../src/import/import-tokens.js';
import type { ImportFormat, ImportRowError } from '../../src/import/imported-token.js';
import type { ActivationView, EntityName, ParamsOf, RequestView, ViewUpdate } from '../../src/rpc/contract.js';

/** The top-level screens, switched with 1–8 and Tab. */
export type ScreenId = 'devices' | 'users' | 'tokens' | 'u2f' | 'admins' | 'audit' | 'conflicts' | 'sync';

export interface ScreenInfo {
  id: ScreenId;
  title: string;
  /** The daemon view a list screen shows. */
  entity?: EntityName;
}

/** In the order of their number keys. */
export const SCREENS: readonly ScreenInfo[] = [
  { id: 'devices', title: 'Devices', entity: 'devices' },
  { id: 'users', title: 'Users', entity: 'users' },
  { id: 'tokens', title: 'Tokens', entity: 'tokens' },
  { id: 'u2f', title: 'U2F', entity: 'u2f' },
  { id: 'admins', title: 'Admins', entity: 'admins' },
  { id: 'audit', title: 'Audit', entity: 'audit' },
  { id: 'conflicts', title: 'Conflicts' },
  { id: 'sync', title: 'Sync' },
];

/** The screen that lists an entity. */
export function screenOf(entity: EntityName): ScreenId {
  return entity;
}

/** A properties page opened over a list (Enter), possibly over another page. */
export type Page =
  | { kind: 'device'; phoneId: string }
  | { kind: 'user'; userId: string }
  | { kind: 'token'; tokenId: string }
  | { kind: 'admin'; adminId: string };

/** A stable key for a page, to tell whether loaded details belong to it. */
export function pageKey(page: Page): string {
  switch (page.kind) {
    case 'device':
      return `device:${page.phoneId}`;
    case 'user':
      return `user:${page.userId}`;
    case 'token':
      return `token:${page.tokenId}`;
    case 'admin':
      return `admin:${page.adminId}`;
  }
}

export type FlashTone = 'info' | 'ok' | 'error';

/** The one-line message above the status line: the result of the last action, or why it could not run. */
export interface Flash {
  text: string;
  tone: FlashTone;
  hint?: string;
}

export interface Choice {
  value: string;
  label: string;
}

export interface FormField {
  name: string;
  label: string;
  kind: 'text' | 'choice';
  choices?: readonly Choice[];
  /** Shown under the form while the field has focus. */
  hint?: string;
  /** A text field whose value is drawn as dots (a password). */
  secret?: boolean;
  /** Hidden fields are skipped and not submitted (e.g. no number for a tablet). */
  visible?(values: Readonly<Record<string, string>>): boolean;
}

/** The rows a picker currently shows (fed by its own view subscription). */
export interface PickerView {
  total: number;
  /** The window asked for, and where the received rows start. */
  offset: number;
  rows: ViewUpdate['rows'];
  rowsOffset: number;
  cursor: number;
  error: string | null;
  loaded: boolean;
}

/** What a token import sends besides `dryRun` and `wait`: the file's text as read once, and how to read it. */
export type TokenImportParams = Omit<ParamsOf<'tokens.import'>, 'dryRun' | 'wait'>;

/**
 * A token file after its dry run: what it would import (`preview`), why it cannot (`invalid`), or the hub's
 * request doing it (`request`).
 */
export interface ImportModal {
  kind: 'import';
  /** Vendor-provisioned tokens (`tokens.receive`) rather than third-party ones (`tokens.import`). */
  vendor: boolean;
  /** Which dialog this is, so that a late answer never lands in a later one. */
  id: number;
  /** The form's values, to go back to it as it was. */
  values: Readonly<Record<string, string>>;
  /** The file as resolved. */
  file: string;
  /** What the dry run checked; the import sends the same text, not the file read again. */
  params: TokenImportParams;
  step: 'preview' | 'invalid' | 'request';
  format: ImportFormat | null;
  summary: ImportSummary | null;
  /** The file's per-row errors, or a failed import's. */
  errors: readonly ImportRowError[];
  request: RequestView | null;
  /** The import is being sent. */
  busy: boolean;
  /** Why sending or following failed (the hub away, a lost daemon). */
  error: { message: string; hint?: string } | null;
  /** First line of the scrolled part (rows or errors). */
  scroll: number;
}

export type Modal =
  | { kind: 'help'; scroll: number }
  | { kind: 'palette'; query: string; cursor: number }
  | { kind: 'filter'; entity: EntityName; before: string }
  | {
      kind: 'confirm';
      title: string;
      lines: readonly string[];
      confirmLabel: string;
      danger: boolean;
      busy: boolean;
      run(): Promise<void>;
    }
  | {
      kind: 'form';
      title: string;
      lines?: readonly string[];
      fields: readonly FormField[];
      values: Record<string, string>;
      focus: number;
      error: string | null;
      busy: boolean;
      submitLabel: string;
      /** Throws a FactordeskError to keep the form open with the message. */
      submit(values: Readonly<Record<string, string>>): Promise<void>;
      /** Adjusts other values when one changes (e.g. the export path's extension follows the format). */
      derive?(values: Record<string, string>, changed: string, previous: Readonly<Record<string, string>>): Record<string, string>;
    }
  | {
      kind: 'picker';
      title: string;
      entity: EntityName;
      query: string;
      /** A filter always applied, before the typed text (e.g. `-id:=DU…` to leave out current users). */
      baseFilter: string;
      notice: string | null;
      view: PickerView;
      pick(row: ViewUpdate['rows'][number]): Promise<void> | void;
    }
  | { kind: 'notice'; title: string; lines: readonly string[] }
  | {
      kind: 'request';
      title: string;
      /** What was asked, in words. */
      lines: readonly string[];
      /** The server-side request as last heard of. */
      request: RequestView;
      /** What it did, once done. */
      result: readonly string[] | null;
      error: string | null;
      /** Which follow-up this is, so that a late answer never lands in a later dialog. */
      follow: number;
    }
  | {
      kind: 'activation';
      /** The device, in words. */
      device: string;
      activation: ActivationView;
      /** The QR code of the otpauth URI, one string per terminal line. */
      qr: readonly string[];
    }
  | ImportModal;

export type ModalKind = Modal['kind'];

export interface TermSize {
  columns: number;
  rows: number;
}

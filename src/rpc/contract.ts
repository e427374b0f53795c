/**
 * The one contract between the daemon and its clients (TUI, CLI): JSON-RPC 2.0 method names with their
 * parameter and result types, the view notification, and how errors travel. Both sides are typed from here.
 */
import type { Admin, AuditEvent, Phone, ServerRequest, Token, U2fRegistration, User } from '../domain/schemas.js';
import type { Role, TokenType, UserStatus } from '../domain/enums.js';
import type { ImportFormat, ImportRowError } from '../import/imported-token.js';
import type { ImportSummary } from '../import/import-tokens.js';
import type { ErrorCode } from '../errors.js';
import type { ConflictRecord } from '../conflict-policy/record.js';
import type { PhoneFields } from '../domain/phone.js';

/** Bumped when a method or type changes incompatibly; a client that differs restarts the daemon. */
export const PROTOCOL_VERSION = 3;

/** The entities a view can list. */
export const ENTITIES = ['devices', 'users', 'tokens', 'u2f', 'admins', 'audit'] as const;
export type EntityName = (typeof ENTITIES)[number];

export interface SortSpec {
  key: string;
  dir: 'asc' | 'desc';
}

export interface WindowSpec {
  offset: number;
  limit: number;
}

/** What a client wants to see: which entity, filtered by the filter language, sorted, and which rows. */
export interface ViewSpec {
  entity: EntityName;
  /** The filter language of DESIGN.md, e.g. `platform:ios os:<17 encrypted:no alice`. Empty = everything. */
  filter?: string;
  sort?: SortSpec;
  /** Only these rows cross the socket; default offset 0, limit 100. */
  window?: WindowSpec;
}

/** A user attached to a device, with the alias the device has in that user's order. */
export interface DeviceUserRef {
  user_id: string;
  username: string;
  /** `phone1`, `phone2`, … in that user's order. */
  alias: string;
}

export interface DeviceRow extends Phone {
  user_refs: DeviceUserRef[];
  shared: boolean;
}

export interface UserRow extends User {
  phone_count: number;
  token_count: number;
  u2f_count: number;
}

export interface TokenRow extends Token {
  usernames: string[];
  admin_names: string[];
}

export interface U2fRow extends U2fRegistration {
  username: string;
}

export interface AdminRow extends Admin {
  token_serials: string[];
}

export type AuditRow = AuditEvent;

export interface RowTypes {
  devices: DeviceRow;
  users: UserRow;
  tokens: TokenRow;
  u2f: U2fRow;
  admins: AdminRow;
  audit: AuditRow;
}

/** One page of a view. `version` grows with every change the daemon applies to that view's entity. */
export interface ViewResult<E extends EntityName = EntityName> {
  entity: E;
  total: number;
  offset: number;
  rows: RowTypes[E][];
  version: number;
}

/** Pushed on every change that affects a subscribed view (notification `view.changed`). */
export interface ViewUpdate<E extends EntityName = EntityName> extends ViewResult<E> {
  subscriptionId: string;
}

/** A phone in a user's order. */
export interface OrderedPhone {
  alias: string;
  phone: Phone;
}

export interface UserDetail {
  user: User;
  phones: OrderedPhone[];
  tokens: Token[];
  u2f: U2fRegistration[];
}

export interface DeviceDetail {
  phone: Phone;
  users: DeviceUserRef[];
  shared: boolean;
}

export interface Identity {
  admin_id: string;
  name: string;
  role: Role;
}

export interface Hello {
  version: string;
  protocol: number;
  pid: number;
  dataDir: string;
  identity: Identity;
  startedAt: number;
}

/** Where the daemon's sync with its hub stands: `local-only` without a hub (`"hub": "none"`). */
export type SyncState = 'online' | 'offline' | 'local-only';

/** A change the hub refused; the replica went back to the hub's state. */
export interface SyncRefusal {
  collection: string;
  id: string;
  code: 'FORBIDDEN' | 'INVALID_INPUT' | 'REFUSED' | 'CONFLICT';
  reason: string;
  /** Epoch ms. */
  time: number;
}

export interface SyncStatus {
  /** The hub's origin (`https://host:port`), or null without one. */
  hub: string | null;
  /** True for the zero-setup hub under the data directory. */
  local: boolean;
  state: SyncState;
  /** Edits in the replica the hub has not acknowledged yet. */
  queued: number;
  /** Epoch ms of the last exchange with the hub, or null. */
  lastSync: number | null;
  /** Recorded conflict resolutions that lost a side and that no administrator has settled yet (see `sync.conflicts`). */
  conflicts: number;
  /** Refused changes since the daemon started, newest first. */
  refused: SyncRefusal[];
  /** Who the daemon acts as (from the hub's whoami when synced). */
  identity: Identity;
  /** Why it is offline, or what it is doing (e.g. starting the local hub). */
  message?: string;
}

export type { ConflictRecord };

/**
 * Where a recorded resolution stands: `open` when this replica's side was lost and nobody has settled it,
 * `kept-both` when the policy kept both sides (nothing to settle), `reapplied` when an administrator re-applied
 * the lost side (`sync.reapply`), `accepted` when one accepted the outcome as it is.
 */
export type ConflictState = 'open' | 'kept-both' | 'reapplied' | 'accepted';

/** A conflict record as `sync.conflicts` lists it: the record and where it stands. */
export interface ConflictView extends ConflictRecord {
  state: ConflictState;
  /** Epoch ms when it was re-applied or accepted. */
  settled_at?: number;
  /** Who settled it. */
  settled_by?: string;
}

/**
 * A server-side request as a client sees it: the replicated document, and whether the hub has it yet
 * (`queued`: written while offline, waiting to be pushed).
 */
export interface RequestView extends ServerRequest {
  queued: boolean;
}

/** How long a command that makes a server-side request waits for the hub's answer (ms; 0 = do not wait). */
export interface WaitOption {
  wait?: number;
}

/** What unlocks an encrypted PSKC file (RFC 6030): a password (PBKDF2) or a pre-shared key (hex). */
export interface PskcSecrets {
  pskcPassword?: string;
  pskcKey?: string;
}

/** What an import or a receive answers: the file's errors (nothing changed), a dry run's summary, or the request. */
export type ImportOutcome =
  | { outcome: 'invalid'; format: ImportFormat | null; errors: ImportRowError[] }
  | { outcome: 'dry-run'; format: ImportFormat; summary: ImportSummary }
  | { outcome: 'requested'; format: ImportFormat; summary: ImportSummary; request: RequestView };

/** A phone's pending activation, fetched from the hub (never stored in the replica: the URI holds the secret). */
export interface ActivationView {
  phone_id: string;
  /** `otpauth://totp/...` for the authenticator app; show it as a QR code. */
  otpauth_uri: string;
  /** Epoch ms after which the hub refuses it. */
  expires: number;
  /** Where the hub mailed it, when it did. */
  emailed_to: string | null;
}

/** A passcode check against the hub (`POST /auth/v1/verify`). */
export interface VerifyResult {
  ok: boolean;
  /** What verified it: `token:SERIAL` or `phone:PHONE_ID`; absent on failure. */
  via?: string;
  /** Why not, for people (never which factor came close). */
  reason?: string;
}

/** Phone fields an administrator sets when adding or editing a device. */
export type { PhoneFields };

/**
 * Method name → params and result. References to records are strings the daemon resolves:
 * a user by user_id or username; a phone by phone_id, by number when unique, or as `username:phone2`;
 * a token by token_id or serial; an administrator by admin_id, e-mail or name.
 */
export interface Methods {
  'session.hello': { params: { client: string; protocol: number }; result: Hello };
  'session.shutdown': { params: Record<string, never>; result: { ok: true } };

  'view.query': { params: ViewSpec; result: ViewResult };
  'view.subscribe': { params: ViewSpec; result: ViewUpdate };
  'view.update': { params: { subscriptionId: string; spec: ViewSpec }; result: ViewUpdate };
  'view.unsubscribe': { params: { subscriptionId: string }; result: { ok: true } };
  'report.export': {
    params: { spec: Omit<ViewSpec, 'window'>; format: 'csv' | 'json' };
    result: { content: string; rows: number };
  };

  'users.add': { params: { username: string; realname?: string; email?: string }; result: User };
  'users.get': { params: { user: string }; result: UserDetail };
  'users.setStatus': { params: { user: string; status: UserStatus }; result: User };
  'users.delete': { params: { user: string }; result: { deletedDevices: string[] } };

  'phones.add': { params: { user: string } & PhoneFields; result: OrderedPhone };
  'phones.get': { params: { phone: string }; result: DeviceDetail };
  'phones.attach': { params: { phone: string; user: string }; result: DeviceDetail };
  'phones.detach': { params: { phone: string; user: string }; result: { deviceDeleted: boolean; remainingUsers: string[] } };
  /** Move a phone to a 1-based position in the user's order; aliases follow. */
  'phones.reorder': { params: { user: string; phone: string; position: number }; result: UserDetail };
  'phones.update': { params: { phone: string } & PhoneFields; result: Phone };
  'phones.delete': { params: { phone: string }; result: { affectedUsers: string[] } };

  'tokens.add': { params: { serial: string; type: TokenType; totp_step?: number }; result: Token };
  'tokens.get': { params: { token: string }; result: TokenRow };
  'tokens.assign': { params: { token: string; user: string }; result: Token };
  'tokens.unassign': { params: { token: string; user: string }; result: Token };
  'tokens.attachAdmin': { params: { token: string; admin: string }; result: Token };
  'tokens.detachAdmin': { params: { token: string; admin: string }; result: Token };
  'tokens.delete': { params: { token: string }; result: { affectedUsers: string[] } };

  'u2f.delete': { params: { registration: string }; result: { ok: true } };

  /**
   * Imports a token file (its text: the CLI reads the file). Validated whole in the daemon first; then sent to
   * the hub with a `tokens.import` request (needs the hub online: the secrets never rest on this machine).
   */
  'tokens.import': {
    params: { content: string; filename?: string; format?: ImportFormat; type?: TokenType; dryRun?: boolean } & PskcSecrets & WaitOption;
    result: ImportOutcome;
  };
  /** As `tokens.import`, for vendor-provisioned tokens (`d1`; Owner and Billing). */
  'tokens.receive': {
    params: { content: string; filename?: string; format?: ImportFormat; dryRun?: boolean } & PskcSecrets & WaitOption;
    result: ImportOutcome;
  };
  /** Resynchronizes an HOTP token with three consecutive codes: a request, queued while offline. */
  'tokens.resync': { params: { token: string; codes: string[] } & WaitOption; result: RequestView };
  /** Creates an activation for a phone at the hub (optionally mailed): a request, queued while offline. */
  'phones.activate': { params: { phone: string; email?: string; validHours?: number } & WaitOption; result: RequestView };
  /** The phone's current activation (otpauth URI for a QR code), from the hub; needs the hub online. */
  'phones.activation': { params: { phone: string }; result: ActivationView };

  /** Server-side requests, newest first. */
  'requests.list': { params: { limit?: number }; result: RequestView[] };
  /** One request; with `wait`, resolves when the hub has answered it or the time is up. */
  'requests.get': { params: { request: string } & WaitOption; result: RequestView };

  /** Checks a user's passcode at the hub, as an authentication adapter would. */
  'auth.verify': { params: { user: string; passcode: string }; result: VerifyResult };

  'sync.status': { params: Record<string, never>; result: SyncStatus };
  /** Recorded automatic conflict resolutions, newest first. */
  'sync.conflicts': { params: { limit?: number }; result: ConflictView[] };
  /**
   * Settles an open conflict: re-applies this replica's lost side as a new edit (through the same commands and role
   * checks as any edit), or with `accept` keeps the outcome as it is. Either way it stops counting as unresolved.
   */
  'sync.reapply': { params: { conflict_id: string; accept?: boolean }; result: ConflictView };
  /** Re-reads the hub configuration (after `factordesk login`) and reconnects. */
  'sync.reload': { params: Record<string, never>; result: SyncStatus };

  'demo.load': {
    params: { size: 'small' | 'enterprise' };
    result: { users: number; phones: number; tokens: number; u2f: number; admins: number };
  };
}

export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = Methods[M]['params'];
export type ResultOf<M extends MethodName> = Methods[M]['result'];

/** Notifications from the daemon. */
export const VIEW_CHANGED = 'view.changed';
/**
 * Pushed with a SyncStatus to each connection that has asked `sync.status`, whenever what it would answer changes
 * (connection state, hub, queued edits, unresolved conflicts, refusals, identity, message; not `lastSync` alone).
 */
export const SYNC_CHANGED = 'sync.changed';

/** JSON-RPC error codes the daemon uses (application range); `data.code` carries the ErrorCode. */
export const RPC_ERROR = {
  APPLICATION: -32000,
} as const;

/** The `data` of an application error: never a stack trace. */
export interface RpcErrorData {
  code: ErrorCode;
  hint?: string;
}

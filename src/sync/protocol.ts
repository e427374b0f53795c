/**
 * The wire protocol between a daemon and its hub: RxDB's replication protocol (pull by checkpoint, push with the
 * assumed master state, a live stream with RESYNC) over signed HTTPS and a signed WebSocket.
 *
 * Every request carries Duo Admin API style `Date` and `Authorization` headers (src/auth/duo-signature.ts):
 * GET requests sign v2 over their query parameters, JSON POSTs sign v5 over the body. The WebSocket upgrade is a
 * signed GET of STREAM_PATH.
 */
import type { CollectionName, DocTypes, ServerRequest } from '../domain/schemas.js';
import type { Identity } from '../rpc/contract.js';

/**
 * Response bodies: a success is the shape named on each path below as it is, without an envelope; a failure is
 * the Duo Admin API envelope {@link HubFailure} with HTTP status = code / 100 (e.g. 401 and code 40101 for a bad
 * signature, a stale Date or a revoked key; 400/40001 for a malformed request).
 */
export interface HubFailure {
  stat: 'FAIL';
  code: number;
  message: string;
  message_detail?: string;
}

/** Optional request header naming the daemon (a stable id of the client installation), recorded in the audit trail. */
export const CLIENT_HEADER = 'X-Factordesk-Client';

/** Bumped on an incompatible change; the hub refuses other versions with a clear message. */
export const SYNC_PROTOCOL_VERSION = 1;
/** Request header carrying the client's SYNC_PROTOCOL_VERSION (sync routes refuse another one). */
export const PROTOCOL_HEADER = 'X-Factordesk-Protocol';

export const SYNC_PREFIX = '/sync/v1';
/** GET: who the signing key belongs to, and the hub's identity. */
export const WHOAMI_PATH = `${SYNC_PREFIX}/whoami`;
/** GET (WebSocket upgrade): the live stream. */
export const STREAM_PATH = `${SYNC_PREFIX}/stream`;
/** GET `?seq=N&limit=N` (seq absent = from the beginning). */
export const pullPath = (collection: string) => `${SYNC_PREFIX}/${collection}/pull`;
/** POST `{rows}`. */
export const pushPath = (collection: string) => `${SYNC_PREFIX}/${collection}/push`;

/**
 * POST `{request, attachment?}`: writes a pending server-side request with a file beside it (a token file, kept
 * with the hub's secrets until the request has run). Answers the request document as the hub stored it.
 * Requests without a file are simply pushed like any document (and queued while offline).
 */
export const REQUESTS_PATH = `${SYNC_PREFIX}/requests`;
/** GET: a phone's current activation (ActivationView), for the administrator who shows it as a QR code. */
export const activationPath = (phoneId: string) => `${SYNC_PREFIX}/activations/${encodeURIComponent(phoneId)}`;
/** POST `{user, passcode}` (signed): checks a passcode, as a PAM or RADIUS adapter asks; answers VerifyResult. */
export const VERIFY_PATH = '/auth/v1/verify';

/**
 * POST (signed) `{user, passcode, kind, credential_name, label?, credential_id, public_key}`: a user enrolls a
 * U2F/WebAuthn credential, proven present by a passcode of an existing factor. Answers the registration (201).
 */
export const ENROLL_U2F_PATH = '/enroll/v1/u2f';

/** A request and the file it carries. */
export interface CreateRequestBody {
  request: ServerRequest;
  /** The file's text (token files are text: CSV or XML); never stored in a document. */
  attachment?: string;
}

/**
 * The collections a daemon replicates with its hub (audit is pull-only: the hub writes it; requests are
 * created by daemons and answered by the hub).
 */
export const SYNCED_COLLECTIONS = ['users', 'phones', 'tokens', 'u2f', 'admins', 'audit', 'requests'] as const satisfies readonly CollectionName[];
export type SyncedCollection = (typeof SYNCED_COLLECTIONS)[number];

/** A document as it crosses the wire: RxDB's `_deleted` flag, and the hub's revision when it came from the hub. */
export type WireDoc<T> = T & { _deleted: boolean; _hubRev?: number };

export interface Checkpoint {
  seq: number;
}

export interface PullResponse<K extends SyncedCollection = SyncedCollection> {
  documents: WireDoc<DocTypes[K]>[];
  /** The checkpoint after the last document; null when nothing was ever committed. */
  checkpoint: Checkpoint | null;
}

export interface PushRow<K extends SyncedCollection = SyncedCollection> {
  /** What the daemon believed the hub had (absent for a document it created). */
  assumedMasterState?: WireDoc<DocTypes[K]>;
  newDocumentState: WireDoc<DocTypes[K]>;
}

export interface PushRequest<K extends SyncedCollection = SyncedCollection> {
  rows: PushRow<K>[];
}

/** A change the hub will not accept (role, invariant, read-only collection): roll it back, never retry it. */
export interface RefusedChange<K extends SyncedCollection = SyncedCollection> {
  id: string;
  code: 'FORBIDDEN' | 'INVALID_INPUT' | 'REFUSED' | 'CONFLICT';
  reason: string;
  /** The hub's current document (null when it has none): what the replica goes back to. */
  master: WireDoc<DocTypes[K]> | null;
}

export interface PushResponse<K extends SyncedCollection = SyncedCollection> {
  /** Rows whose assumed state was not the hub's: RxDB's conflicts (the real master states) to merge and retry. */
  conflicts: WireDoc<DocTypes[K]>[];
  refused: RefusedChange<K>[];
}

export interface WhoAmI {
  identity: Identity;
  hub_id: string;
  protocol: number;
}

/** Messages the hub sends on the live stream. */
export type StreamMessage =
  | { type: 'hello'; hub_id: string; protocol: number }
  | { type: 'change'; collection: SyncedCollection; checkpoint: Checkpoint }
  /** Sent after (re)connecting: the daemon must pull everything since its checkpoints. */
  | { type: 'RESYNC' };

/**
 * RxDB JSON schemas of every replicated entity, with Duo Admin API field names.
 * The TypeScript types are extracted from these schemas, so they are written once.
 */
import { toTypedRxJsonSchema, type ExtractDocumentTypeFromTypedRxJsonSchema, type RxJsonSchema } from 'rxdb';
import {
  CAPABILITIES,
  ENCRYPTED,
  FINGERPRINT,
  MAX_SERIAL_LENGTH,
  PHONE_TYPES,
  PLATFORMS,
  ROLES,
  SCREENLOCK,
  TAMPERED,
  TOKEN_TYPES,
  REQUEST_KINDS,
  REQUEST_STATUSES,
  U2F_KINDS,
  USER_STATUSES,
} from './enums.js';

const id = { type: 'string', maxLength: 64 } as const;
const stringList = { type: 'array', items: { type: 'string', maxLength: 64 } } as const;
const epochMs = { type: 'number', minimum: 0, maximum: 1e15, multipleOf: 1 } as const;

export const userSchemaLiteral = {
  title: 'user',
  version: 0,
  primaryKey: 'user_id',
  type: 'object',
  properties: {
    user_id: id,
    username: { type: 'string', maxLength: 128 },
    realname: { type: 'string' },
    email: { type: 'string' },
    status: { type: 'string', enum: USER_STATUSES },
    /** Preferred order of this user's phones (phone_ids); membership itself lives on each phone's `users`. */
    phone_order: stringList,
    created: epochMs,
    updated: epochMs,
  },
  required: ['user_id', 'username', 'realname', 'email', 'status', 'phone_order', 'created', 'updated'],
  indexes: ['username'],
} as const;

export const phoneSchemaLiteral = {
  title: 'phone',
  version: 0,
  primaryKey: 'phone_id',
  type: 'object',
  properties: {
    phone_id: id,
    number: { type: 'string' },
    extension: { type: 'string' },
    name: { type: 'string' },
    type: { type: 'string', enum: PHONE_TYPES },
    platform: { type: 'string', enum: PLATFORMS },
    model: { type: 'string' },
    os_family: { type: 'string' },
    os_version: { type: 'string' },
    activated: { type: 'boolean' },
    sms_passcodes_sent: { type: 'boolean' },
    capabilities: { type: 'array', items: { type: 'string', enum: CAPABILITIES } },
    encrypted: { type: 'string', enum: ENCRYPTED },
    fingerprint: { type: 'string', enum: FINGERPRINT },
    screenlock: { type: 'string', enum: SCREENLOCK },
    tampered: { type: 'string', enum: TAMPERED },
    /** ISO 8601 time of the last authentication; empty when never seen. */
    last_seen: { type: 'string' },
    /** The users this device is attached to (a set; order per user is the user's `phone_order`). */
    users: stringList,
    /** Why a deleted device was deleted: an explicit delete wins over edits, an implicit one loses to an attach. */
    deletion: { type: 'string', enum: ['explicit', 'implicit', ''] },
    created: epochMs,
    updated: epochMs,
  },
  required: [
    'phone_id', 'number', 'extension', 'name', 'type', 'platform', 'model', 'os_family', 'os_version',
    'activated', 'sms_passcodes_sent', 'capabilities', 'encrypted', 'fingerprint', 'screenlock', 'tampered',
    'last_seen', 'users', 'deletion', 'created', 'updated',
  ],
} as const;

export const tokenSchemaLiteral = {
  title: 'token',
  version: 0,
  primaryKey: 'token_id',
  type: 'object',
  properties: {
    /** Derived from the serial (see token.ts) so that two imports of one serial meet as one document. */
    token_id: id,
    serial: { type: 'string', maxLength: MAX_SERIAL_LENGTH },
    type: { type: 'string', enum: TOKEN_TYPES },
    /** TOTP time step in seconds; 0 for non-TOTP tokens. */
    totp_step: { type: 'number', minimum: 0, maximum: 86400, multipleOf: 1 },
    users: stringList,
    /** Administrators (admin_ids) that use this OTP token to log in. */
    admins: stringList,
    origin: { type: 'string', enum: ['third-party', 'vendor'] },
    created: epochMs,
    updated: epochMs,
  },
  required: ['token_id', 'serial', 'type', 'totp_step', 'users', 'admins', 'origin', 'created', 'updated'],
  indexes: ['serial'],
} as const;

export const u2fSchemaLiteral = {
  title: 'u2f registration',
  version: 0,
  primaryKey: 'registration_id',
  type: 'object',
  properties: {
    registration_id: id,
    kind: { type: 'string', enum: U2F_KINDS },
    user_id: id,
    credential_name: { type: 'string' },
    label: { type: 'string' },
    /** Epoch seconds, as Duo reports it. */
    date_added: { type: 'number', minimum: 0, maximum: 1e12, multipleOf: 1 },
  },
  required: ['registration_id', 'kind', 'user_id', 'credential_name', 'label', 'date_added'],
} as const;

export const adminSchemaLiteral = {
  title: 'administrator',
  version: 0,
  primaryKey: 'admin_id',
  type: 'object',
  properties: {
    admin_id: id,
    name: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string', enum: ROLES },
    status: { type: 'string', enum: ['Active', 'Disabled'] },
    created: epochMs,
  },
  required: ['admin_id', 'name', 'email', 'role', 'status', 'created'],
} as const;

export const auditSchemaLiteral = {
  title: 'audit event',
  version: 0,
  primaryKey: 'event_id',
  type: 'object',
  properties: {
    /** Time-ordered: the time in base36, then a random part. */
    event_id: id,
    time: epochMs,
    admin_id: { type: 'string' },
    admin_name: { type: 'string' },
    action: { type: 'string' },
    entity: { type: 'string' },
    entity_id: { type: 'string' },
    /** One readable line: what changed, never a secret. */
    summary: { type: 'string' },
  },
  required: ['event_id', 'time', 'admin_id', 'admin_name', 'action', 'entity', 'entity_id', 'summary'],
} as const;

/**
 * A server-side request: an operation only the hub can perform (it needs secrets the replicas never hold),
 * written by a daemon as a `pending` document and answered by the hub, which sets `status`, `result` and `error`.
 * Created offline, it is queued like any edit and executed when the hub has it. Parameters and results never
 * carry a secret: file contents travel beside the document (see daemon/hub/requests/).
 */
export const requestSchemaLiteral = {
  title: 'server-side request',
  version: 0,
  primaryKey: 'request_id',
  type: 'object',
  properties: {
    /** Time-ordered, like audit event ids. */
    request_id: id,
    kind: { type: 'string', enum: REQUEST_KINDS },
    /** The kind's parameters (token ids, codes, options), validated by the hub before it runs anything. */
    params: { type: 'object' },
    status: { type: 'string', enum: REQUEST_STATUSES },
    /** The kind's answer once `done` (and details of a failure, e.g. per-row import errors). */
    result: { type: 'object' },
    /** Why it failed: an ErrorCode and a message for people. Empty strings while not failed. */
    error_code: { type: 'string' },
    error_message: { type: 'string' },
    /** The administrator who asked (the hub refuses a request written for someone else). */
    admin_id: id,
    /** The hub that claimed it, so that two hubs on one database never run it twice. */
    hub_id: { type: 'string' },
    created: epochMs,
    updated: epochMs,
  },
  required: ['request_id', 'kind', 'params', 'status', 'result', 'error_code', 'error_message', 'admin_id', 'hub_id', 'created', 'updated'],
} as const;

const userTyped = toTypedRxJsonSchema(userSchemaLiteral);
const phoneTyped = toTypedRxJsonSchema(phoneSchemaLiteral);
const tokenTyped = toTypedRxJsonSchema(tokenSchemaLiteral);
const u2fTyped = toTypedRxJsonSchema(u2fSchemaLiteral);
const adminTyped = toTypedRxJsonSchema(adminSchemaLiteral);
const auditTyped = toTypedRxJsonSchema(auditSchemaLiteral);
const requestTyped = toTypedRxJsonSchema(requestSchemaLiteral);

export type User = ExtractDocumentTypeFromTypedRxJsonSchema<typeof userTyped>;
export type Phone = ExtractDocumentTypeFromTypedRxJsonSchema<typeof phoneTyped>;
export type Token = ExtractDocumentTypeFromTypedRxJsonSchema<typeof tokenTyped>;
export type U2fRegistration = ExtractDocumentTypeFromTypedRxJsonSchema<typeof u2fTyped>;
export type Admin = ExtractDocumentTypeFromTypedRxJsonSchema<typeof adminTyped>;
export type AuditEvent = ExtractDocumentTypeFromTypedRxJsonSchema<typeof auditTyped>;
export type ServerRequest = ExtractDocumentTypeFromTypedRxJsonSchema<typeof requestTyped>;

export const userSchema: RxJsonSchema<User> = userSchemaLiteral as unknown as RxJsonSchema<User>;
export const phoneSchema: RxJsonSchema<Phone> = phoneSchemaLiteral as unknown as RxJsonSchema<Phone>;
export const tokenSchema: RxJsonSchema<Token> = tokenSchemaLiteral as unknown as RxJsonSchema<Token>;
export const u2fSchema: RxJsonSchema<U2fRegistration> = u2fSchemaLiteral as unknown as RxJsonSchema<U2fRegistration>;
export const adminSchema: RxJsonSchema<Admin> = adminSchemaLiteral as unknown as RxJsonSchema<Admin>;
export const auditSchema: RxJsonSchema<AuditEvent> = auditSchemaLiteral as unknown as RxJsonSchema<AuditEvent>;
export const requestSchema: RxJsonSchema<ServerRequest> = requestSchemaLiteral as unknown as RxJsonSchema<ServerRequest>;

/** Collection name → schema: the one list the replica, the views and (later) the sync use. */
export const COLLECTIONS = {
  users: userSchema,
  phones: phoneSchema,
  tokens: tokenSchema,
  u2f: u2fSchema,
  admins: adminSchema,
  audit: auditSchema,
  requests: requestSchema,
} as const;
export type CollectionName = keyof typeof COLLECTIONS;

export interface DocTypes {
  users: User;
  phones: Phone;
  tokens: Token;
  u2f: U2fRegistration;
  admins: Admin;
  audit: AuditEvent;
  requests: ServerRequest;
}

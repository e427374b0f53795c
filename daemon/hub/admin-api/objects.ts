/**
 * The objects the Admin API answers with, in Duo's shape and capitalisation (phone type `Mobile`, platform
 * `Apple iOS`, role `Help Desk`; user status and token type stay lower-case, as Duo returns them), built from
 * the replicated documents. Pure.
 */
import { PHONE_TYPE_LABELS, PLATFORM_LABELS } from '../../../src/domain/enums.js';
import { isTotpToken } from '../../../src/domain/token.js';
import type { Admin, Phone, Token, U2fRegistration, User } from '../../../src/domain/schemas.js';

/** Epoch seconds of epoch milliseconds (Duo's timestamps are seconds). */
function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** A user as it appears inside other objects (a phone's users, a token's users). */
export function briefUser(user: User): Record<string, unknown> {
  return {
    user_id: user.user_id,
    username: user.username,
    realname: user.realname,
    email: user.email,
    status: user.status,
    created: seconds(user.created),
    last_login: null,
    notes: '',
  };
}

/** The phone fields Duo returns, without its users. */
function phoneFields(phone: Phone): Record<string, unknown> {
  return {
    phone_id: phone.phone_id,
    number: phone.number,
    extension: phone.extension,
    name: phone.name,
    type: PHONE_TYPE_LABELS[phone.type],
    platform: PLATFORM_LABELS[phone.platform],
    model: phone.model || 'Unknown',
    os_family: phone.os_family,
    os_version: phone.os_version,
    activated: phone.activated,
    sms_passcodes_sent: phone.sms_passcodes_sent,
    capabilities: [...phone.capabilities],
    encrypted: phone.encrypted,
    fingerprint: phone.fingerprint,
    screenlock: phone.screenlock,
    tampered: phone.tampered,
    last_seen: phone.last_seen,
    predelay: null,
    postdelay: null,
  };
}

/** A phone with its users (those that still exist). */
export function phoneObject(phone: Phone, users: ReadonlyMap<string, User>): Record<string, unknown> {
  const attached = phone.users.map((id) => users.get(id)).filter((u): u is User => u !== undefined);
  return { ...phoneFields(phone), users: attached.map(briefUser) };
}

/** A hardware token as it appears inside a user or an administrator. */
function briefToken(token: Token): Record<string, unknown> {
  return { token_id: token.token_id, serial: token.serial, type: token.type, totp_step: isTotpToken(token.type) ? token.totp_step : null };
}

/** A U2F registration's own fields. */
function u2fFields(reg: U2fRegistration): Record<string, unknown> {
  return { registration_id: reg.registration_id, date_added: reg.date_added };
}

/** A WebAuthn credential's own fields (its `webauthnkey` is the registration id). */
function webauthnFields(reg: U2fRegistration): Record<string, unknown> {
  return { webauthnkey: reg.registration_id, credential_name: reg.credential_name, label: reg.label, date_added: reg.date_added };
}

/** What a user object lists besides the user. */
export interface UserRelations {
  /** In the user's order (phone1 first). */
  phones: readonly Phone[];
  tokens: readonly Token[];
  registrations: readonly U2fRegistration[];
}

/** A user with its phones (in the user's order), tokens and U2F/WebAuthn registrations. */
export function userObject(user: User, related: UserRelations): Record<string, unknown> {
  return {
    ...briefUser(user),
    firstname: '',
    lastname: '',
    is_enrolled: related.phones.length + related.tokens.length + related.registrations.length > 0,
    phones: related.phones.map(phoneFields),
    tokens: related.tokens.map(briefToken),
    u2ftokens: related.registrations.filter((r) => r.kind === 'u2f').map(u2fFields),
    webauthncredentials: related.registrations.filter((r) => r.kind === 'webauthn').map(webauthnFields),
    groups: [],
  };
}

/** An administrator as it appears inside a token. */
function briefAdmin(admin: Admin): Record<string, unknown> {
  return { admin_id: admin.admin_id, name: admin.name, email: admin.email };
}

/** A token with its users and administrators (those that still exist). */
export function tokenObject(token: Token, users: ReadonlyMap<string, User>, admins: ReadonlyMap<string, Admin>): Record<string, unknown> {
  return {
    ...briefToken(token),
    users: token.users.map((id) => users.get(id)).filter((u): u is User => u !== undefined).map(briefUser),
    admins: token.admins.map((id) => admins.get(id)).filter((a): a is Admin => a !== undefined).map(briefAdmin),
  };
}

/** A U2F token with its user. */
export function u2fObject(reg: U2fRegistration, users: ReadonlyMap<string, User>): Record<string, unknown> {
  const user = users.get(reg.user_id);
  return { ...u2fFields(reg), user: user ? briefUser(user) : null };
}

/** A WebAuthn credential with its user. */
export function webauthnObject(reg: U2fRegistration, users: ReadonlyMap<string, User>): Record<string, unknown> {
  const user = users.get(reg.user_id);
  return { ...webauthnFields(reg), user: user ? briefUser(user) : null };
}

/** An administrator with the hardware token it logs in with (the first one, when several are attached). */
export function adminObject(admin: Admin, tokens: readonly Token[]): Record<string, unknown> {
  const token = tokens.find((t) => t.admins.includes(admin.admin_id));
  return {
    admin_id: admin.admin_id,
    name: admin.name,
    email: admin.email,
    role: admin.role,
    status: admin.status,
    created: seconds(admin.created),
    last_login: null,
    phone: '',
    restricted_by_admin_units: false,
    admin_units: [],
    hardtoken: token ? { token_id: token.token_id, serial: token.serial, type: token.type } : null,
  };
}

/**
 * Hardware OTP tokens: serial validation, creation and the pure assignment transitions.
 * A token may serve several users and several administrators; its id is derived from its serial.
 */
import { invalid, notFound, conflict, refused } from '../errors.js';
import { MAX_SERIAL_LENGTH, TOKEN_TYPES, TOKEN_TYPE_LABELS, type TokenType } from './enums.js';
import { tokenIdForSerial } from './ids.js';
import type { Token } from './schemas.js';

export const DEFAULT_TOTP_STEP = 30;
export const MAX_TOTP_STEP = 300;

const TOTP_TYPES: ReadonlySet<TokenType> = new Set(['t6', 't8']);
const HOTP_TYPES: ReadonlySet<TokenType> = new Set(['h6', 'h8', 'd1']);

export interface TokenInput {
  serial: string;
  type: string;
  totp_step?: number;
}

/** Validates a serial: non-empty, at most 128 characters, printable. Returns it without surrounding blanks. */
export function validateSerial(serial: string): string {
  const s = serial.trim();
  if (s === '') throw invalid('token serial is required');
  const length = [...s].length;
  if (length > MAX_SERIAL_LENGTH) {
    throw invalid(`token serial is ${length} characters; at most ${MAX_SERIAL_LENGTH} are allowed`);
  }
  if (/\p{C}/u.test(s)) throw invalid('token serial contains control characters; use printable characters only');
  return s;
}

/** A token type code from any case, e.g. `T6` → `t6`. */
export function parseTokenType(value: string): TokenType {
  const key = value.trim().toLowerCase();
  if (!(TOKEN_TYPES as readonly string[]).includes(key)) {
    throw invalid(
      `token type '${value}' is not known; use one of: ${TOKEN_TYPES.map((t) => `${t} (${TOKEN_TYPE_LABELS[t]})`).join(', ')}`,
    );
  }
  return key as TokenType;
}

/** True for the TOTP types, whose codes depend on a time step. */
export function isTotpToken(type: TokenType): boolean {
  return TOTP_TYPES.has(type);
}

/**
 * True for one-time-password tokens (every hardware token type, the vendor's d1 included). U2F and
 * WebAuthn registrations are not OTP tokens: they cannot be attached to administrators.
 */
export function isOtpToken(type: string): boolean {
  return (TOKEN_TYPES as readonly string[]).includes(type);
}

function validateTotpStep(type: TokenType, step: number | undefined): number {
  if (!isTotpToken(type)) {
    if (step !== undefined && step !== 0) {
      throw invalid(`totp_step applies only to TOTP tokens (t6, t8), not to ${type}`);
    }
    return 0;
  }
  if (step === undefined) return DEFAULT_TOTP_STEP;
  if (!Number.isInteger(step) || step < 1 || step > MAX_TOTP_STEP) {
    throw invalid(`totp_step ${step} is out of range; use whole seconds from 1 to ${MAX_TOTP_STEP} (usually 30)`);
  }
  return step;
}

/**
 * A new token without users. Vendor-provisioned d1 tokens have origin `vendor` (their seeds were never
 * seen by the customer); everything else was imported, origin `third-party`.
 */
export function createToken(input: TokenInput, now: number): Token {
  const serial = validateSerial(input.serial);
  const type = parseTokenType(input.type);
  return {
    token_id: tokenIdForSerial(serial),
    serial,
    type,
    totp_step: validateTotpStep(type, input.totp_step),
    users: [],
    admins: [],
    origin: type === 'd1' ? 'vendor' : 'third-party',
    created: now,
    updated: now,
  };
}

function isVendor(token: Pick<Token, 'type' | 'origin'>): boolean {
  return token.type === 'd1' || token.origin === 'vendor';
}

/** Throws REFUSED for tokens that cannot be deleted: D100 tokens purchased from the vendor. */
export function assertDeletable(token: Pick<Token, 'type' | 'origin' | 'serial'>): void {
  if (isVendor(token)) {
    throw refused(
      `token ${token.serial} is a Duo-D100 purchased from the vendor; only imported third-party tokens can be deleted`,
      'unassign it from its users instead',
    );
  }
}

/**
 * Throws REFUSED for tokens that cannot be resynchronised: TOTP tokens (no drift support), and YubiKey
 * OTP, whose codes are not counter-window based. HOTP tokens (h6, h8, d1) can be.
 */
export function assertResyncable(token: Pick<Token, 'type' | 'serial'>): void {
  if (isTotpToken(token.type)) {
    throw refused(`token ${token.serial} is a TOTP token; imported TOTP tokens cannot be resynchronized`);
  }
  if (token.type === 'yk') {
    throw refused(`token ${token.serial} is a YubiKey OTP token; only HOTP tokens can be resynchronized`);
  }
}

/** The token serving one more user (a token may be assigned to several users). */
export function assignUser(token: Token, userId: string, now: number, userLabel: string = userId): Token {
  if (token.users.includes(userId)) throw conflict(`token ${token.serial} is already assigned to ${userLabel}`);
  return { ...token, users: [...token.users, userId], updated: now };
}

/** The token without one user. */
export function unassignUser(token: Token, userId: string, now: number, userLabel: string = userId): Token {
  if (!token.users.includes(userId)) throw notFound(`token ${token.serial} is not assigned to ${userLabel}`);
  return { ...token, users: token.users.filter((u) => u !== userId), updated: now };
}

/** The token also used by an administrator to log in; only OTP tokens qualify. */
export function attachAdmin(token: Token, adminId: string, now: number, adminLabel: string = adminId): Token {
  if (!isOtpToken(token.type)) {
    throw refused(`token ${token.serial} is not an OTP token; only OTP hardware tokens can be used for administrator logins`);
  }
  if (token.admins.includes(adminId)) {
    throw conflict(`token ${token.serial} is already attached to administrator ${adminLabel}`);
  }
  return { ...token, admins: [...token.admins, adminId], updated: now };
}

/** The token no longer used by an administrator. */
export function detachAdmin(token: Token, adminId: string, now: number, adminLabel: string = adminId): Token {
  if (!token.admins.includes(adminId)) {
    throw notFound(`token ${token.serial} is not attached to administrator ${adminLabel}`);
  }
  return { ...token, admins: token.admins.filter((a) => a !== adminId), updated: now };
}

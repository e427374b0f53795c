/**
 * Users and the order of their devices. A user's devices are the live devices whose `users` contain it,
 * ordered by the user's `phone_order`; the aliases phone1..n are derived from that order, so they are
 * contiguous by construction whatever happens to the order list (stale ids, gaps, merges).
 */
import { invalid, notFound } from '../errors.js';
import { USER_STATUSES, type UserStatus } from './enums.js';
import { isDeleted, phoneLabel } from './phone.js';
import type { Phone, User } from './schemas.js';

export const MAX_USERNAME_LENGTH = 128;
export const MAX_REALNAME_LENGTH = 256;
export const MAX_EMAIL_LENGTH = 254;

export interface UserInput {
  username: string;
  realname?: string;
  email?: string;
}

export interface NormalizedUserInput {
  username: string;
  realname: string;
  email: string;
}

/** A device in a user's order with its alias (`phone1` is the one automatic push or call uses). */
export interface OrderedPhone {
  alias: string;
  phone: Phone;
}

const CONTROL = /\p{C}/u;
const WHITESPACE = /\s/u;

/**
 * The key usernames are compared by. Duo usernames are case-insensitive: a username is stored as typed
 * (so `Alice` is shown as `Alice`) but `alice` finds it, and `alice` cannot be added next to it.
 */
export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** True when two usernames name the same user. */
export function sameUsername(a: string, b: string): boolean {
  return usernameKey(a) === usernameKey(b);
}

/** Validates a username: required, at most 128 characters, no whitespace or control characters. */
export function validateUsername(value: string): string {
  const username = value.trim();
  if (username === '') throw invalid('username is required');
  const length = [...username].length;
  if (length > MAX_USERNAME_LENGTH) {
    throw invalid(`username is ${length} characters; at most ${MAX_USERNAME_LENGTH} are allowed`);
  }
  if (WHITESPACE.test(username) || CONTROL.test(username)) {
    throw invalid(
      `username '${username.replace(/\p{C}/gu, '?')}' contains spaces or control characters; ` +
        'a username is one word, e.g. alice or alice@example.com',
    );
  }
  return username;
}

function validateEmail(value: string): string {
  const email = value.trim();
  if (email === '') return '';
  // Loose on purpose: real addresses are too varied for a strict pattern; catch the obvious typos only.
  if (email.length > MAX_EMAIL_LENGTH || !/^[^\s@]+@[^\s@]+$/u.test(email) || CONTROL.test(email)) {
    throw invalid(`email '${email}' is not an e-mail address; use the form name@example.com`);
  }
  return email;
}

function validateRealname(value: string): string {
  const realname = value.trim();
  if (CONTROL.test(realname)) throw invalid('realname contains control characters; use printable text');
  const length = [...realname].length;
  if (length > MAX_REALNAME_LENGTH) {
    throw invalid(`realname is ${length} characters; at most ${MAX_REALNAME_LENGTH} are allowed`);
  }
  return realname;
}

/** Validates and trims a new user's fields; realname and email default to empty. */
export function normalizeUserInput(input: UserInput): NormalizedUserInput {
  return {
    username: validateUsername(input.username ?? ''),
    realname: validateRealname(input.realname ?? ''),
    email: validateEmail(input.email ?? ''),
  };
}

/** A new active user without devices. */
export function createUser(input: UserInput, now: number, userId: string): User {
  const n = normalizeUserInput(input);
  return { user_id: userId, ...n, status: 'active', phone_order: [], created: now, updated: now };
}

/**
 * The user's live devices in the user's order, with aliases phone1..n. Devices missing from
 * `phone_order` go last (oldest first, then by id); ids in `phone_order` that are not attached are ignored.
 */
export function orderedPhones(user: User, phones: readonly Phone[]): OrderedPhone[] {
  const rank = new Map<string, number>();
  user.phone_order.forEach((id, i) => {
    if (!rank.has(id)) rank.set(id, i);
  });
  const seen = new Set<string>();
  const mine = phones.filter((p) => {
    if (isDeleted(p) || !p.users.includes(user.user_id) || seen.has(p.phone_id)) return false;
    seen.add(p.phone_id);
    return true;
  });
  mine.sort((a, b) => {
    const ra = rank.get(a.phone_id) ?? Infinity;
    const rb = rank.get(b.phone_id) ?? Infinity;
    if (ra !== rb) return ra < rb ? -1 : 1;
    if (a.created !== b.created) return a.created - b.created;
    return a.phone_id < b.phone_id ? -1 : a.phone_id > b.phone_id ? 1 : 0;
  });
  return mine.map((phone, i) => ({ alias: `phone${i + 1}`, phone }));
}

/** The phone_id behind an alias such as `phone2`, or undefined. */
export function phoneIdForAlias(user: User, phones: readonly Phone[], alias: string): string | undefined {
  return orderedPhones(user, phones).find((o) => o.alias === alias.trim().toLowerCase())?.phone.phone_id;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The user with one device moved to a 1-based position; `phone_order` is rewritten to the full new order
 * (dropping stale ids), so the aliases of every device between the old and new place shift by one.
 */
export function movePhone(user: User, phones: readonly Phone[], phoneId: string, position: number, now: number): User {
  const order = orderedPhones(user, phones);
  const from = order.findIndex((o) => o.phone.phone_id === phoneId);
  if (from < 0) {
    const phone = phones.find((p) => p.phone_id === phoneId);
    throw notFound(`device ${phone ? phoneLabel(phone) : phoneId} is not attached to ${user.username}`);
  }
  if (!Number.isInteger(position) || position < 1 || position > order.length) {
    throw invalid(
      `position ${position} is out of range: ${user.username} has ${plural(order.length, 'phone')} (1–${order.length})`,
    );
  }
  const ids = order.map((o) => o.phone.phone_id);
  ids.splice(from, 1);
  ids.splice(position - 1, 0, phoneId);
  return { ...user, phone_order: ids, updated: now };
}

/** The user with a device put last in its order (a newly added or attached device becomes phoneN). */
export function withPhoneAppended(user: User, phoneId: string, now: number): User {
  return { ...user, phone_order: [...user.phone_order.filter((id) => id !== phoneId), phoneId], updated: now };
}

/** The user with a device taken out of its order (the devices after it move up one alias). */
export function withPhoneRemoved(user: User, phoneId: string, now: number): User {
  return { ...user, phone_order: user.phone_order.filter((id) => id !== phoneId), updated: now };
}

/** Statuses an administrator may set; `locked out` is set by the service after failed attempts. */
export const SETTABLE_USER_STATUSES = USER_STATUSES.filter((s) => s !== 'locked out');

/** The user with a new status (any case accepted); `locked out` cannot be set by hand, only cleared. */
export function setStatus(user: User, status: string, now: number): User {
  const key = status.trim().replace(/\s+/g, ' ').toLowerCase();
  if (key === 'locked out') {
    throw invalid(
      `status 'locked out' is set by the service after repeated failed logins; set one of: ${SETTABLE_USER_STATUSES.join(', ')}`,
    );
  }
  if (!(SETTABLE_USER_STATUSES as readonly string[]).includes(key)) {
    throw invalid(`status '${status}' is not a user status; use one of: ${SETTABLE_USER_STATUSES.join(', ')}`);
  }
  return { ...user, status: key as UserStatus, updated: now };
}

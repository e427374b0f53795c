/**
 * Whole-data-set invariants: what must hold after every command, every merge and every sync.
 * Returns violations rather than throwing so a test (or a repair tool) can show all of them at once.
 */
import { tokenIdForSerial } from './ids.js';
import { isDeleted } from './phone.js';
import type { Phone, Token, User } from './schemas.js';
import { orderedPhones, usernameKey } from './user.js';

export type ViolationKind =
  | 'orphan-device'
  | 'device-user-missing'
  | 'duplicate-attachment'
  | 'duplicate-serial'
  | 'token-id-mismatch'
  | 'token-user-missing'
  | 'duplicate-username'
  | 'aliases-not-contiguous';

export interface Violation {
  kind: ViolationKind;
  /** The id of the record at fault (phone_id, token_id or user_id). */
  id: string;
  message: string;
}

export interface DataSet {
  users: readonly User[];
  phones: readonly Phone[];
  tokens: readonly Token[];
}

/** Every invariant violation in the data set; empty when it is consistent. */
export function checkInvariants({ users, phones, tokens }: DataSet): Violation[] {
  const out: Violation[] = [];
  const userIds = new Set(users.map((u) => u.user_id));

  for (const phone of phones) {
    if (isDeleted(phone)) continue;
    if (phone.users.length === 0) {
      out.push({ kind: 'orphan-device', id: phone.phone_id, message: `device ${phone.phone_id} is live but has no user` });
    }
    if (new Set(phone.users).size !== phone.users.length) {
      out.push({
        kind: 'duplicate-attachment',
        id: phone.phone_id,
        message: `device ${phone.phone_id} lists a user more than once`,
      });
    }
    for (const u of phone.users) {
      if (!userIds.has(u)) {
        out.push({
          kind: 'device-user-missing',
          id: phone.phone_id,
          message: `device ${phone.phone_id} is attached to user ${u}, which does not exist`,
        });
      }
    }
  }

  const bySerial = new Map<string, string>();
  for (const token of tokens) {
    const first = bySerial.get(token.serial);
    if (first !== undefined) {
      out.push({
        kind: 'duplicate-serial',
        id: token.token_id,
        message: `serial ${token.serial} is used by tokens ${first} and ${token.token_id}`,
      });
    } else {
      bySerial.set(token.serial, token.token_id);
    }
    const expected = tokenIdForSerial(token.serial);
    if (token.token_id !== expected) {
      out.push({
        kind: 'token-id-mismatch',
        id: token.token_id,
        message: `token ${token.token_id} has serial ${token.serial}, whose id is ${expected}`,
      });
    }
    for (const u of token.users) {
      if (!userIds.has(u)) {
        out.push({
          kind: 'token-user-missing',
          id: token.token_id,
          message: `token ${token.serial} is assigned to user ${u}, which does not exist`,
        });
      }
    }
  }

  const byUsername = new Map<string, string>();
  for (const user of users) {
    const key = usernameKey(user.username);
    const first = byUsername.get(key);
    if (first !== undefined) {
      out.push({
        kind: 'duplicate-username',
        id: user.user_id,
        message: `username ${user.username} is used by users ${first} and ${user.user_id}`,
      });
    } else {
      byUsername.set(key, user.user_id);
    }
  }

  const phonesByUser = new Map<string, Phone[]>();
  for (const phone of phones) {
    if (isDeleted(phone)) continue;
    for (const u of new Set(phone.users)) {
      const list = phonesByUser.get(u) ?? [];
      list.push(phone);
      phonesByUser.set(u, list);
    }
  }
  for (const user of users) {
    const attached = phonesByUser.get(user.user_id) ?? [];
    const ordered = orderedPhones(user, attached);
    const ids = new Set(ordered.map((o) => o.phone.phone_id));
    const contiguous =
      ordered.length === attached.length &&
      ids.size === attached.length &&
      ordered.every((o, i) => o.alias === `phone${i + 1}`);
    if (!contiguous) {
      out.push({
        kind: 'aliases-not-contiguous',
        id: user.user_id,
        message: `${user.username}'s aliases are ${ordered.map((o) => o.alias).join(', ') || 'none'} for ${attached.length} devices`,
      });
    }
  }
  return out;
}

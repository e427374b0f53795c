/**
 * The rows a properties page lets the cursor move over, derived from the loaded details: a device's users;
 * a user's phones (in order), tokens and U2F registrations; a token's users and administrators; an
 * administrator's tokens. Actions act on the item under the cursor.
 */
import type { Role } from '../../src/domain/enums.js';
import type { Phone, Token, U2fRegistration } from '../../src/domain/schemas.js';
import type { AdminRow, DeviceDetail, TokenRow, UserDetail } from '../../src/rpc/contract.js';

export type DetailData =
  | { kind: 'device'; device: DeviceDetail }
  | { kind: 'user'; user: UserDetail }
  | { kind: 'token'; token: TokenRow }
  | { kind: 'admin'; admin: AdminRow };

export type DetailItem =
  | { kind: 'device-user'; userId: string; username: string; alias: string }
  | { kind: 'user-phone'; alias: string; phone: Phone; index: number }
  | { kind: 'user-token'; token: Token }
  | { kind: 'user-u2f'; reg: U2fRegistration }
  | { kind: 'token-user'; userId: string; username: string }
  | { kind: 'token-admin'; adminId: string; name: string }
  | { kind: 'admin-token'; serial: string };

/** Only an Owner sees which administrators use a token (reference: the Owner sees an extra table). */
export function seesTokenAdmins(role: Role): boolean {
  return role === 'Owner';
}

/** The cursor's items of a page, in display order. */
export function detailItems(data: DetailData | null, role: Role): DetailItem[] {
  if (!data) return [];
  switch (data.kind) {
    case 'device':
      return data.device.users.map((u) => ({ kind: 'device-user', userId: u.user_id, username: u.username, alias: u.alias }));
    case 'user':
      return [
        ...data.user.phones.map((p, index): DetailItem => ({ kind: 'user-phone', alias: p.alias, phone: p.phone, index })),
        ...data.user.tokens.map((token): DetailItem => ({ kind: 'user-token', token })),
        ...data.user.u2f.map((reg): DetailItem => ({ kind: 'user-u2f', reg })),
      ];
    case 'token':
      return [
        ...data.token.users.map((userId, i): DetailItem => ({ kind: 'token-user', userId, username: data.token.usernames[i] ?? userId })),
        ...(seesTokenAdmins(role)
          ? data.token.admins.map((adminId, i): DetailItem => ({ kind: 'token-admin', adminId, name: data.token.admin_names[i] ?? adminId }))
          : []),
      ];
    case 'admin':
      return data.admin.token_serials.map((serial): DetailItem => ({ kind: 'admin-token', serial }));
  }
}

/** A stable id of an item, so the cursor can stay on it when the list changes under it. */
export function itemId(item: DetailItem): string {
  switch (item.kind) {
    case 'device-user':
      return `du:${item.userId}`;
    case 'user-phone':
      return `p:${item.phone.phone_id}`;
    case 'user-token':
      return `t:${item.token.token_id}`;
    case 'user-u2f':
      return `u:${item.reg.registration_id}`;
    case 'token-user':
      return `tu:${item.userId}`;
    case 'token-admin':
      return `ta:${item.adminId}`;
    case 'admin-token':
      return `at:${item.serial}`;
  }
}

/** A user's details with one phone moved to a 0-based place; aliases follow the new order. */
export function movedPhones(detail: UserDetail, from: number, to: number): UserDetail {
  const phones = detail.phones.map((p) => p.phone);
  const [moved] = phones.splice(from, 1);
  if (!moved) return detail;
  phones.splice(to, 0, moved);
  return { ...detail, phones: phones.map((phone, i) => ({ alias: `phone${i + 1}`, phone })) };
}

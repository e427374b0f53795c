/**
 * The rows the views list, built from the read model: a document plus what the list shows about its
 * relations (a device's users with aliases and whether it is shared, a user's counts, a token's usernames…).
 * A missing related document (not replicated yet) shows by its id rather than disappearing.
 */
import type {
  AdminRow,
  AuditRow,
  DeviceRow,
  EntityName,
  RowTypes,
  TokenRow,
  U2fRow,
  UserRow,
} from '../../src/rpc/contract.js';
import type { Admin, AuditEvent, Phone, Token, U2fRegistration, User } from '../../src/domain/schemas.js';
import type { DocOf, ReadModel } from './read-model.js';

/** The device row: the phone, its users with aliases, and whether two or more users share it. */
export function deviceRow(model: ReadModel, phone: Phone): DeviceRow {
  return { ...phone, user_refs: model.deviceUserRefs(phone.phone_id), shared: phone.users.length > 1 };
}

/** The user row: the user and how many devices, tokens and U2F registrations it has. */
export function userRow(model: ReadModel, user: User): UserRow {
  return {
    ...user,
    phone_count: model.phoneCount(user.user_id),
    token_count: model.tokenCount(user.user_id),
    u2f_count: model.u2fCount(user.user_id),
  };
}

/** The token row: the token with the usernames and administrator names it is attached to. */
export function tokenRow(model: ReadModel, token: Token): TokenRow {
  return {
    ...token,
    usernames: token.users.map((id) => model.user(id)?.username ?? id),
    admin_names: token.admins.map((id) => model.admin(id)?.name ?? id),
  };
}

/** The U2F row: the registration with its user's username. */
export function u2fRow(model: ReadModel, reg: U2fRegistration): U2fRow {
  return { ...reg, username: model.user(reg.user_id)?.username ?? reg.user_id };
}

/** The administrator row: the administrator with the serials of its login tokens, sorted. */
export function adminRow(model: ReadModel, admin: Admin): AdminRow {
  const serials = model.tokensOfAdmin(admin.admin_id).map((t) => t.serial);
  return { ...admin, token_serials: serials.sort() };
}

/** The audit row is the event itself. */
export function auditRow(event: AuditEvent): AuditRow {
  return { ...event };
}

const BUILDERS: { [E in EntityName]: (model: ReadModel, doc: DocOf<E>) => RowTypes[E] } = {
  devices: deviceRow,
  users: userRow,
  tokens: tokenRow,
  u2f: u2fRow,
  admins: adminRow,
  audit: (_model, event) => auditRow(event),
};

/** The row of `entity` for a document of its collection. */
export function buildRow<E extends EntityName>(model: ReadModel, entity: E, doc: DocOf<E>): RowTypes[E] {
  return (BUILDERS[entity] as (model: ReadModel, doc: DocOf<E>) => RowTypes[E])(model, doc);
}

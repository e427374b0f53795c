/**
 * The role matrix as data: which administrator role may perform which action. The daemon checks it for
 * fast feedback, the hub enforces it on every write, and the README table is generated from it.
 * Sources: the reference text's "Role required" lines, and the decisions noted next to each role.
 */
import { forbidden } from './errors.js';
import { ROLES, type Role } from './domain/enums.js';
import type { EntityName } from './rpc/contract.js';

export const ACTIONS = [
  'users.view',
  'users.add',
  'users.update',
  'users.setStatus',
  'users.delete',
  'phones.view',
  'phones.add',
  'phones.attach',
  'phones.detach',
  'phones.reorder',
  'phones.update',
  'phones.delete',
  'phones.activate',
  'tokens.view',
  'tokens.add',
  'tokens.import',
  'tokens.receive',
  'tokens.assign',
  'tokens.unassign',
  'tokens.attachAdmin',
  'tokens.detachAdmin',
  'tokens.resync',
  'tokens.delete',
  'u2f.view',
  'u2f.delete',
  'u2f.migrate',
  'admins.view',
  'admins.add',
  'admins.update',
  'audit.view',
  'billing.view',
  'report.export',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What each action does, as the object of "can …" / "cannot …". */
export const ACTION_PHRASES: Record<Action, string> = {
  'users.view': 'view users',
  'users.add': 'add users',
  'users.update': 'edit users',
  'users.setStatus': "change users' status",
  'users.delete': 'delete users',
  'phones.view': 'view devices',
  'phones.add': 'add devices',
  'phones.attach': 'attach devices to users',
  'phones.detach': 'remove devices from users',
  'phones.reorder': "reorder users' devices",
  'phones.update': 'edit devices',
  'phones.delete': 'delete devices',
  'phones.activate': 'send Duo Mobile activations',
  'tokens.view': 'view hardware tokens',
  'tokens.add': 'add hardware tokens',
  'tokens.import': 'import third-party hardware tokens',
  'tokens.receive': 'receive hardware tokens purchased from the vendor',
  'tokens.assign': 'assign hardware tokens to users',
  'tokens.unassign': 'unassign hardware tokens from users',
  'tokens.attachAdmin': 'attach hardware tokens to administrators',
  'tokens.detachAdmin': 'remove hardware tokens from administrators',
  'tokens.resync': 'resynchronize hardware tokens',
  'tokens.delete': 'delete hardware tokens',
  'u2f.view': 'view U2F tokens',
  'u2f.delete': 'delete U2F tokens',
  'u2f.migrate': 'migrate U2F/WebAuthn registrations from another system',
  'admins.view': 'view administrators',
  'admins.add': 'add administrators',
  'admins.update': 'edit administrators',
  'audit.view': 'view the audit log',
  'billing.view': 'view billing',
  'report.export': 'export reports',
};

const VIEW_ACTIONS = ACTIONS.filter((a) => a.endsWith('.view'));
/** Only an Owner manages administrators and their token authenticators (reference: "Role required: Owner"). */
const OWNER_ONLY: readonly Action[] = ['admins.add', 'admins.update', 'tokens.attachAdmin', 'tokens.detachAdmin', 'u2f.migrate'];
/** Vendor tokens arrive through a purchase: "Role required: Owner or Billing". */
const BILLING_ONLY: readonly Action[] = ['tokens.receive', 'billing.view'];

const USER_ACTIONS: readonly Action[] = ['users.view', 'users.add', 'users.update', 'users.setStatus', 'users.delete'];
const PHONE_ACTIONS: readonly Action[] = ACTIONS.filter((a) => a.startsWith('phones.'));
/** Import, assign and manage third-party tokens: "Owner, Administrator, User Manager, or Help Desk". */
const TOKEN_MANAGEMENT: readonly Action[] = [
  'tokens.view',
  'tokens.add',
  'tokens.import',
  'tokens.assign',
  'tokens.unassign',
  'tokens.resync',
];

const without = (list: readonly Action[], removed: readonly Action[]): Action[] =>
  list.filter((a) => !removed.includes(a));

/**
 * Role → allowed actions.
 * - Owner: everything.
 * - Administrator: everything but managing administrators, their tokens, and receiving vendor tokens.
 * - User Manager: users, devices, tokens, U2F, the audit log and reports; no administrators, no billing.
 * - Help Desk: views and edits users, devices and tokens, sends activations, adds/reorders/deletes
 *   devices and imports/assigns tokens (the reference lists Help Desk for these); cannot create or delete
 *   users, delete tokens (it removes them from every user), see the audit log or export.
 * - Billing: billing and receipt of purchased tokens, nothing else.
 * - Read-only: every view, and export of what it can view; changes nothing.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Action[]> = {
  Owner: [...ACTIONS],
  Administrator: without(ACTIONS, [...OWNER_ONLY, 'tokens.receive']),
  'User Manager': [
    ...USER_ACTIONS,
    ...PHONE_ACTIONS,
    ...TOKEN_MANAGEMENT,
    'tokens.delete',
    'u2f.view',
    'u2f.delete',
    'audit.view',
    'report.export',
  ],
  'Help Desk': [
    'users.view',
    'users.update',
    'users.setStatus',
    ...PHONE_ACTIONS,
    ...TOKEN_MANAGEMENT,
    'u2f.view',
    'u2f.delete',
  ],
  Billing: ['tokens.view', ...BILLING_ONLY],
  'Read-only': [...VIEW_ACTIONS, 'report.export'],
};

const ALLOWED: ReadonlyMap<Role, ReadonlySet<Action>> = new Map(
  ROLES.map((r) => [r, new Set(ROLE_PERMISSIONS[r])] as const),
);

/** True when the role may perform the action. */
export function can(role: Role, action: Action): boolean {
  return ALLOWED.get(role)?.has(action) ?? false;
}

/** The roles that may perform an action, in ROLES order. */
export function rolesAllowed(action: Action): Role[] {
  return ROLES.filter((r) => can(r, action));
}

function article(role: Role): string {
  return /^[AEIOU]/.test(role) ? 'an' : 'a';
}

function roleList(roles: readonly Role[]): string {
  if (roles.length <= 1) return roles.join('');
  return `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}`;
}

/**
 * Why the role may not perform the action, as one sentence, or undefined when it may. Actions few roles
 * have say who can ("Only an Owner can …"); the rest say who cannot ("Help Desk administrators cannot …").
 */
export function deniedReason(role: Role, action: Action): string | undefined {
  if (can(role, action)) return undefined;
  const phrase = ACTION_PHRASES[action];
  const allowed = rolesAllowed(action);
  if (allowed.length === 1 && allowed[0] !== undefined) return `Only ${article(allowed[0])} ${allowed[0]} can ${phrase}`;
  if (allowed.length === 2) return `Only ${allowed.join(' and ')} administrators can ${phrase}`;
  const who = role === 'Administrator' ? 'Administrators' : `${role} administrators`;
  return `${who} cannot ${phrase}`;
}

/** Throws FORBIDDEN with the reason (and who can) when the role may not perform the action. */
export function assertAllowed(role: Role, action: Action): void {
  const reason = deniedReason(role, action);
  if (reason === undefined) return;
  throw forbidden(reason, `Roles that can: ${roleList(rolesAllowed(action))}. Ask one of them, or an Owner to change your role.`);
}

const VIEW_ACTION_OF: Record<EntityName, Action> = {
  devices: 'phones.view',
  users: 'users.view',
  tokens: 'tokens.view',
  u2f: 'u2f.view',
  admins: 'admins.view',
  audit: 'audit.view',
};

/** The action needed to list an entity in a view. */
export function entityViewAction(entity: EntityName): Action {
  return VIEW_ACTION_OF[entity];
}

/** True when `name` is one of ACTIONS (for input arriving as a string, e.g. over the wire). */
export function isAction(name: string): name is Action {
  return (ACTIONS as readonly string[]).includes(name);
}

/** The role matrix as a markdown table: one row per action, one column per role. */
export function roleMatrixMarkdown(): string {
  const header = `| Action | What it allows | ${ROLES.join(' | ')} |`;
  const rule = `|---|---|${ROLES.map(() => ':-:').join('|')}|`;
  const rows = ACTIONS.map(
    (a) => `| \`${a}\` | ${ACTION_PHRASES[a]} | ${ROLES.map((r) => (can(r, a) ? '✓' : '')).join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n') + '\n';
}

/**
 * The hub's decision on one replicated change: refused whatever the role (read-only collection, invalid new
 * state), refused for this role (the role matrix, the same one the daemon checks), or allowed with the actions
 * it performs (for the audit trail). Pure.
 */
import type { Role } from '../../src/domain/enums.js';
import { deniedReason, type Action } from '../../src/roles.js';
import { actionsForChange, type ChangeDoc } from '../../src/sync/change-actions.js';
import { validateChange } from '../../src/sync/change-validation.js';
import type { RefusedChange } from '../../src/sync/protocol.js';

/** Why a change is not accepted, as a refused row carries it. */
export interface Refusal {
  code: RefusedChange['code'];
  reason: string;
}

export type ChangeVerdict = { ok: true; actions: Action[] } | { ok: false; refusal: Refusal };

/**
 * Decides whether `role` may change a document of `collection` from `before` (the hub's master) to `after`;
 * `adminId` is the pusher's, which a request must name as its author.
 */
export function authorizeChange(
  role: Role,
  collection: string,
  before: ChangeDoc | undefined | null,
  after: ChangeDoc,
  adminId?: string,
): ChangeVerdict {
  const classified = actionsForChange(collection, before, after);
  if (!classified.ok) return { ok: false, refusal: { code: classified.code, reason: classified.reason } };
  for (const action of classified.actions) {
    const reason = deniedReason(role, action);
    if (reason !== undefined) return { ok: false, refusal: { code: 'FORBIDDEN', reason: `${reason}.` } };
  }
  if (collection === 'requests' && classified.actions.length > 0 && after['admin_id'] !== adminId) {
    return { ok: false, refusal: { code: 'FORBIDDEN', reason: 'A request is made in its author\'s name only.' } };
  }
  const invalid = validateChange(collection, before, after);
  if (invalid) return { ok: false, refusal: invalid };
  return { ok: true, actions: classified.actions };
}

/** The audit action of an accepted change: its most significant action, or a generic one for bookkeeping edits. */
export function auditAction(collection: string, actions: readonly Action[], after: ChangeDoc): string {
  return actions[0] ?? `${collection}.${after['_deleted'] === true ? 'delete' : 'update'}`;
}

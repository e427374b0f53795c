/**
 * U2F / WebAuthn registrations. Users enroll them themselves (enrollment prompt or device management
 * portal); administrators can only list and delete them. They are not OTP tokens.
 */
import { invalid, refused } from '../errors.js';

/** What an administrator may do with a U2F registration. */
export const U2F_ADMIN_OPERATIONS = ['view', 'delete'] as const;

/** Every operation a client might ask for; those outside U2F_ADMIN_OPERATIONS are refused with a reason. */
export const U2F_OPERATIONS = ['view', 'delete', 'create', 'import', 'assign', 'attachAdmin'] as const;
export type U2fOperation = (typeof U2F_OPERATIONS)[number];

const SELF_ENROLL_HINT = 'the user enrolls the key through the enrollment prompt or the device management portal';

const REFUSALS: Record<Exclude<U2fOperation, (typeof U2F_ADMIN_OPERATIONS)[number]>, string> = {
  create: "U2F tokens can't be created by administrators; users self-enroll them",
  import: "U2F tokens can't be imported by administrators; users self-enroll them",
  assign: 'administrators cannot assign U2F tokens to users; users self-enroll them',
  attachAdmin: 'U2F tokens cannot be used for administrator logins; only OTP hardware tokens can',
};

/** True when administrators may perform the operation on U2F registrations. */
export function isU2fAdminOperation(op: string): boolean {
  return (U2F_ADMIN_OPERATIONS as readonly string[]).includes(op);
}

/** Throws REFUSED (with the reason) unless administrators may perform the operation on U2F registrations. */
export function assertU2fOperation(op: string): void {
  if (isU2fAdminOperation(op)) return;
  if (Object.hasOwn(REFUSALS, op)) {
    const reason = REFUSALS[op as keyof typeof REFUSALS];
    throw refused(reason, op === 'attachAdmin' ? 'attach an OTP hardware token instead' : SELF_ENROLL_HINT);
  }
  throw invalid(`'${op}' is not a U2F operation; administrators can ${U2F_ADMIN_OPERATIONS.join(' and ')} U2F tokens`);
}

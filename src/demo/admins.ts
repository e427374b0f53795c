/** Demo administrators: every role present, realistic numbers of each, a few disabled, unique names. */
import { ROLES, type Role } from '../domain/enums.js';
import type { Admin } from '../domain/schemas.js';
import { demoId } from './demo-ids.js';
import { FIRST_NAMES, LAST_NAMES } from './names.js';
import { apportion, pastTime, shuffleInPlace, type Rng } from './random.js';
import { DEMO_EMAIL_DOMAIN, usernameOf } from './users.js';

const DAY = 86_400_000;

/** A team of 36 has 2 owners, 6 administrators, 8 user managers, 14 help desk, 2 billing, 4 read-only. */
const ROLE_WEIGHTS: Record<Role, number> = {
  Owner: 2,
  Administrator: 6,
  'User Manager': 8,
  'Help Desk': 14,
  Billing: 2,
  'Read-only': 4,
};

/** `count` administrators; with six or more, at least one of every role. One in fifteen is disabled (never an Owner). */
export function buildAdmins(rng: Rng, count: number, now: number): Admin[] {
  const perRole = apportion(count, ROLES.map((r) => ROLE_WEIGHTS[r]), true);
  const roles: Role[] = ROLES.flatMap((role, i) => Array.from({ length: perRole[i] ?? 0 }, () => role));
  const names = new Set<string>();
  const admins = roles.map((role): Admin => {
    let first = rng.pick(FIRST_NAMES);
    let last = rng.pick(LAST_NAMES);
    // A team is small next to ~35,000 name pairs: redraw the rare repeat rather than numbering it.
    for (let attempt = 0; names.has(`${first} ${last}`) && attempt < 100; attempt++) {
      first = rng.pick(FIRST_NAMES);
      last = rng.pick(LAST_NAMES);
    }
    names.add(`${first} ${last}`);
    return {
      admin_id: demoId(rng, 'DE'),
      name: `${first} ${last}`,
      email: `${usernameOf(first, last)}@${DEMO_EMAIL_DOMAIN}`,
      role,
      status: 'Active',
      created: pastTime(rng, now, DAY, 3 * 365 * DAY),
    };
  });
  const disableable = shuffleInPlace(rng, admins.filter((a) => a.role !== 'Owner'));
  for (const admin of disableable.slice(0, Math.floor(count / 15))) admin.status = 'Disabled';
  return admins;
}

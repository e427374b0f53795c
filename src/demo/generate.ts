/**
 * The demo data set: a realistic directory of users, devices, tokens, security keys and administrators,
 * the same for the same seed. Used by first-run "load the demo data set" and by the benchmarks.
 */
import type { Admin, Phone, Token, U2fRegistration, User } from '../domain/schemas.js';
import { invalid } from '../errors.js';
import { attachPhones, MAX_PHONES_PER_USER } from './attachments.js';
import { buildAdmins } from './admins.js';
import { demoId } from './demo-ids.js';
import { buildPhones, NUMBER_SPACE } from './phones.js';
import { createRng, type Seed } from './random.js';
import { buildTokens } from './tokens.js';
import { buildU2f } from './u2f.js';
import { buildUsers, drawPeople } from './users.js';

export interface DemoCounts {
  users: number;
  phones: number;
  tokens: number;
  u2f: number;
  admins: number;
}

export type DemoSize = 'small' | 'enterprise';

/** The two named sizes: a set to look around in, and the one the benchmarks measure. */
export const DEMO_SIZES: Record<DemoSize, DemoCounts> = {
  small: { users: 40, phones: 50, tokens: 24, u2f: 8, admins: 6 },
  enterprise: { users: 100_000, phones: 120_000, tokens: 20_000, u2f: 5_000, admins: 36 },
};

/** Share of devices attached to more than one user, and of users enrolled with no device at all. */
export const SHARED_SHARE = 0.1;
export const WITHOUT_PHONES_SHARE = 0.08;

export const DEFAULT_DEMO_SEED = 'factordesk-demo';
/** Bounds of custom counts: ids, numbers and serials are unique only up to these. */
const MAX_COUNT = 1_000_000;
/** Creation times go back three years; `now` must leave room for that above the epoch. */
const HISTORY_MS = 3 * 365 * 86_400_000 + 86_400_000;

export interface DemoOptions {
  size: DemoSize | DemoCounts;
  /** Any seed; a number and its decimal string give the same data (a CLI hands seeds over as text). */
  seed?: Seed;
  /** Epoch milliseconds all times are relative to (passed in so output depends only on the input). */
  now: number;
}

export interface DemoData {
  users: User[];
  phones: Phone[];
  tokens: Token[];
  u2f: U2fRegistration[];
  admins: Admin[];
}

function resolveCounts(size: DemoOptions['size']): DemoCounts {
  if (typeof size === 'string') {
    const named = DEMO_SIZES[size];
    if (named === undefined) throw invalid(`Unknown demo size '${String(size)}'.`, 'Use small or enterprise.');
    return named;
  }
  for (const key of ['users', 'phones', 'tokens', 'u2f', 'admins'] as const) {
    const n = size[key];
    if (!Number.isInteger(n) || n < 0 || n > MAX_COUNT) {
      throw invalid(`Demo ${key} must be a whole number from 0 to ${MAX_COUNT}, got ${String(n)}.`);
    }
  }
  if (size.phones > size.users * MAX_PHONES_PER_USER) {
    throw invalid(`${size.phones} phones cannot go to ${size.users} users with at most ${MAX_PHONES_PER_USER} each.`);
  }
  if (size.phones > NUMBER_SPACE) throw invalid(`At most ${NUMBER_SPACE} demo phones.`);
  if (size.u2f > 0 && size.users === 0) throw invalid('U2F registrations need at least one user.');
  return size;
}

/** Generates the demo data set; deep-equal output for equal options. Every document satisfies its RxDB schema. */
export function generateDemoData(options: DemoOptions): DemoData {
  const counts = resolveCounts(options.size);
  const { now } = options;
  if (!Number.isSafeInteger(now) || now < HISTORY_MS) throw invalid(`'now' must be epoch milliseconds, got ${String(now)}.`);
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  // One stream per part, so that changing how one part is drawn leaves the others as they were.
  const stream = (part: string) => createRng(`${String(seed)}/${part}`);

  const idRng = stream('ids');
  const userIds = Array.from({ length: counts.users }, () => demoId(idRng, 'DU'));
  const phoneIds = Array.from({ length: counts.phones }, () => demoId(idRng, 'DP'));

  const links = attachPhones(stream('attachments'), counts.users, counts.phones, {
    withoutPhonesShare: WITHOUT_PHONES_SHARE,
    sharedShare: SHARED_SHARE,
  });
  const people = drawPeople(stream('people'), counts.users);
  const users = buildUsers(stream('users'), userIds, phoneIds, people, links, now);
  const phones = buildPhones(stream('phones'), { phoneIds, userIds, firstNames: people.first, links, now });
  const admins = buildAdmins(stream('admins'), counts.admins, now);
  const tokens = buildTokens(stream('tokens'), counts.tokens, userIds, admins, now);
  const u2f = buildU2f(stream('u2f'), counts.u2f, userIds, now);
  return { users, phones, tokens, u2f, admins };
}

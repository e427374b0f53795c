/** Demo users: unique first.last usernames, e-mails, statuses in realistic shares, and their phone order. */
import type { UserStatus } from '../domain/enums.js';
import type { User } from '../domain/schemas.js';
import { MAX_PHONES_PER_USER, type Attachments } from './attachments.js';
import { FIRST_NAMES, LAST_NAMES } from './names.js';
import { categoryDeck, pastTime, type Rng } from './random.js';

const DAY = 86_400_000;
export const DEMO_EMAIL_DOMAIN = 'example.com';

/** Mostly active; a few of each other status so every filter has something to show. */
const STATUSES: readonly UserStatus[] = ['active', 'disabled', 'bypass', 'locked out'];
const STATUS_WEIGHTS = [92, 3, 2, 3];

export interface People {
  first: string[];
  /** A middle initial ('' for most people), used to tell apart two people of the same name. */
  middle: string[];
  last: string[];
  usernames: string[];
}

const INITIALS = 'ABCDEFGHIJKLMNOPRSTVW';

/** Lower-case login name from a person's names: letters, digits, dots and hyphens only. */
export function usernameOf(first: string, last: string, middle = ''): string {
  return (middle === '' ? `${first}.${last}` : `${first}.${middle}.${last}`).toLowerCase().replace(/[^a-z0-9.-]/g, '');
}

/**
 * `count` people with unique usernames. About 105,000 name pairs still repeat in a directory of 100,000,
 * so a repeated pair gets a middle initial (alice.m.smith), and only if those run out a number
 * (alice.smith2), as directories do.
 */
export function drawPeople(rng: Rng, count: number): People {
  const first: string[] = new Array(count);
  const middle: string[] = new Array(count);
  const last: string[] = new Array(count);
  const usernames: string[] = new Array(count);
  const taken = new Set<string>();
  for (let i = 0; i < count; i++) {
    const f = rng.pick(FIRST_NAMES);
    const l = rng.pick(LAST_NAMES);
    let m = '';
    let name = usernameOf(f, l);
    for (let attempt = 0; taken.has(name) && attempt < 8; attempt++) {
      m = INITIALS[rng.int(0, INITIALS.length - 1)] ?? 'A';
      name = usernameOf(f, l, m);
    }
    if (taken.has(name)) {
      m = '';
      for (let n = 2; taken.has(name); n++) name = `${usernameOf(f, l)}${n}`;
    }
    taken.add(name);
    first[i] = f;
    middle[i] = m;
    last[i] = l;
    usernames[i] = name;
  }
  return { first, middle, last, usernames };
}

/** User documents; `phone_order` lists each user's phones in the attachment order. */
export function buildUsers(
  rng: Rng,
  userIds: readonly string[],
  phoneIds: readonly string[],
  people: People,
  links: Attachments,
  now: number,
): User[] {
  const statuses = categoryDeck(rng, userIds.length, STATUS_WEIGHTS, true);
  return userIds.map((user_id, u) => {
    const count = links.userPhoneCount[u] ?? 0;
    const phone_order: string[] = [];
    for (let i = 0; i < count; i++) phone_order.push(phoneIds[links.userPhones[u * MAX_PHONES_PER_USER + i] ?? 0] ?? '');
    const created = pastTime(rng, now, 30 * DAY, 3 * 365 * DAY);
    const username = people.usernames[u] ?? '';
    return {
      user_id,
      username,
      realname: [people.first[u], people.middle[u] ? `${people.middle[u]}.` : '', people.last[u]].filter(Boolean).join(' '),
      email: `${username}@${DEMO_EMAIL_DOMAIN}`,
      status: STATUSES[statuses[u] ?? 0] ?? 'active',
      phone_order,
      created,
      updated: created + Math.floor(rng.next() * (now - created)),
    };
  });
}

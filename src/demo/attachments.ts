/**
 * Who has which phone in demo data, as compact index arrays (no objects per link, so 138,000 links for
 * the enterprise set cost about 2 MB). Every phone gets an owner; some users get none; a share of phones
 * is attached to 2–3 users; no user has more than three phones. A user's order is the order of attachment:
 * own phones first, then devices shared with them.
 */
import { categoryDeck, shuffleInPlace, type Rng } from './random.js';

/** The most phones a demo user has, and the most users a shared demo phone has. */
export const MAX_PHONES_PER_USER = 3;
export const MAX_USERS_PER_PHONE = 3;

export interface Attachments {
  /** Phone indexes of user u, in the user's order, at [u*3, u*3 + userPhoneCount[u]). */
  userPhones: Int32Array;
  userPhoneCount: Uint8Array;
  /** User indexes of phone p at [p*3, p*3 + phoneUserCount[p]). */
  phoneUsers: Int32Array;
  phoneUserCount: Uint8Array;
}

export interface AttachOptions {
  /** Share of users left without any phone (kept out of sharing too). */
  withoutPhonesShare: number;
  /** Share of phones attached to more than one user. */
  sharedShare: number;
}

/** Attaches `phoneCount` phones to `userCount` users; the caller ensures phoneCount ≤ 3 × userCount. */
export function attachPhones(rng: Rng, userCount: number, phoneCount: number, options: AttachOptions): Attachments {
  const userPhones = new Int32Array(userCount * MAX_PHONES_PER_USER);
  const userPhoneCount = new Uint8Array(userCount);
  const phoneUsers = new Int32Array(phoneCount * MAX_USERS_PER_PHONE);
  const phoneUserCount = new Uint8Array(phoneCount);
  if (phoneCount === 0) return { userPhones, userPhoneCount, phoneUsers, phoneUserCount };

  // Keep enough holders to carry every phone at three each.
  const minHolders = Math.ceil(phoneCount / MAX_PHONES_PER_USER);
  const without = Math.max(0, Math.min(Math.round(userCount * options.withoutPhonesShare), userCount - minHolders));
  const order = new Int32Array(userCount);
  for (let u = 0; u < userCount; u++) order[u] = u;
  shuffleInPlace(rng, order);
  const holders = order.subarray(without);

  // Holders that can take another phone, with O(1) removal (swap with the last) when one is full.
  const avail = Int32Array.from(holders);
  let availLen = avail.length;
  const availPos = new Int32Array(userCount).fill(-1);
  avail.forEach((u, i) => (availPos[u] = i));
  const removeFromAvail = (u: number): void => {
    const i = availPos[u] ?? -1;
    if (i < 0) return;
    const last = avail[availLen - 1] ?? u;
    avail[i] = last;
    availPos[last] = i;
    availPos[u] = -1;
    availLen--;
  };
  const attach = (p: number, u: number): void => {
    const uc = userPhoneCount[u] ?? 0;
    const pc = phoneUserCount[p] ?? 0;
    userPhones[u * MAX_PHONES_PER_USER + uc] = p;
    userPhoneCount[u] = uc + 1;
    phoneUsers[p * MAX_USERS_PER_PHONE + pc] = u;
    phoneUserCount[p] = pc + 1;
    if (uc + 1 >= MAX_PHONES_PER_USER) removeFromAvail(u);
  };
  const isAttached = (p: number, u: number): boolean => {
    const pc = phoneUserCount[p] ?? 0;
    for (let i = 0; i < pc; i++) if (phoneUsers[p * MAX_USERS_PER_PHONE + i] === u) return true;
    return false;
  };

  // Everyone who holds phones gets a first one, then the rest go to random holders with room.
  const firstRound = Math.min(holders.length, phoneCount);
  for (let p = 0; p < firstRound; p++) attach(p, holders[p] ?? 0);
  for (let p = firstRound; p < phoneCount; p++) attach(p, avail[rng.int(0, availLen - 1)] ?? 0);

  const shared = categoryDeck(rng, phoneCount, [1 - options.sharedShare, options.sharedShare]);
  for (let p = 0; p < phoneCount; p++) {
    if (shared[p] !== 1) continue;
    const extra = rng.chance(0.25) ? 2 : 1;
    for (let e = 0; e < extra; e++) {
      // A few tries: when almost everyone is full the phone simply stays unshared.
      for (let attempt = 0; attempt < 8 && availLen > 0; attempt++) {
        const u = avail[rng.int(0, availLen - 1)] ?? 0;
        if (!isAttached(p, u)) {
          attach(p, u);
          break;
        }
      }
    }
  }
  return { userPhones, userPhoneCount, phoneUsers, phoneUserCount };
}

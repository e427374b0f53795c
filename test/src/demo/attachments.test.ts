import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { attachPhones, MAX_PHONES_PER_USER, MAX_USERS_PER_PHONE } from '../../../src/demo/attachments.js';
import { createRng } from '../../../src/demo/random.js';

function usersOf(links: ReturnType<typeof attachPhones>, p: number): number[] {
  return Array.from(links.phoneUsers.subarray(p * MAX_USERS_PER_PHONE, p * MAX_USERS_PER_PHONE + links.phoneUserCount[p]!));
}
function phonesOf(links: ReturnType<typeof attachPhones>, u: number): number[] {
  return Array.from(links.userPhones.subarray(u * MAX_PHONES_PER_USER, u * MAX_PHONES_PER_USER + links.userPhoneCount[u]!));
}

describe('attachPhones', () => {
  it('keeps both sides consistent: every phone 1–3 distinct users, every user 0–3 distinct phones, links mirrored', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.nat(1000), fc.string(), (users, phoneSeed, seed) => {
        const phones = phoneSeed % (users * MAX_PHONES_PER_USER + 1);
        const links = attachPhones(createRng(seed), users, phones, { withoutPhonesShare: 0.08, sharedShare: 0.1 });
        for (let p = 0; p < phones; p++) {
          const us = usersOf(links, p);
          expect(us.length).toBeGreaterThanOrEqual(1);
          expect(new Set(us).size).toBe(us.length);
          for (const u of us) expect(phonesOf(links, u)).toContain(p);
        }
        let total = 0;
        for (let u = 0; u < users; u++) {
          const ps = phonesOf(links, u);
          expect(ps.length).toBeLessThanOrEqual(MAX_PHONES_PER_USER);
          expect(new Set(ps).size).toBe(ps.length);
          for (const p of ps) expect(usersOf(links, p)).toContain(u);
          total += ps.length;
        }
        expect(total).toBe(links.phoneUserCount.reduce((s, c) => s + c, 0));
      }),
      { numRuns: 200 },
    );
  });

  it('shares about the requested share of phones and leaves about the requested share of users without one', () => {
    const links = attachPhones(createRng('share'), 10_000, 12_000, { withoutPhonesShare: 0.08, sharedShare: 0.1 });
    const shared = links.phoneUserCount.filter((c) => c > 1).length;
    const without = links.userPhoneCount.filter((c) => c === 0).length;
    expect(shared / 12_000).toBeGreaterThan(0.095);
    expect(shared / 12_000).toBeLessThanOrEqual(0.1);
    expect(without / 10_000).toBeCloseTo(0.08, 2);
  });

  it('puts a user’s own phone before devices shared with them', () => {
    const links = attachPhones(createRng('order'), 100, 100, { withoutPhonesShare: 0, sharedShare: 0.3 });
    // As many phones as users and nobody left out: everyone owns exactly one phone, and it comes first.
    for (let u = 0; u < 100; u++) {
      const [first] = phonesOf(links, u);
      expect(usersOf(links, first!)[0]).toBe(u);
    }
  });
});

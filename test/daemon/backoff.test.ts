import { describe, expect, it } from 'vitest';
import { Backoff } from '../../daemon/backoff.js';

describe('Backoff', () => {
  it('doubles from the first delay up to the cap, and starts over after a reset', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(b.attempts).toBe(6);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('shortens each delay by at most the jitter fraction', () => {
    const low = new Backoff({ initialMs: 1000, jitter: 0.2, random: () => 1 });
    const high = new Backoff({ initialMs: 1000, jitter: 0.2, random: () => 0 });
    expect(low.next()).toBe(800);
    expect(high.next()).toBe(1000);
  });
});

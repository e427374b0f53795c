import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../../daemon/hub/admin-api/rate-limit.js';

describe('RateLimiter', () => {
  it('allows a burst, then refuses with the seconds until a request is allowed again', () => {
    const limiter = new RateLimiter({ burst: 3, perSecond: 0.5 });
    expect([1, 2, 3].map(() => limiter.take('DIA', 0).ok)).toEqual([true, true, true]);
    expect(limiter.take('DIA', 0)).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(limiter.take('DIA', 1999).ok).toBe(false);
    expect(limiter.take('DIA', 2000).ok).toBe(true);
  });

  it('keeps one budget per key', () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 1 });
    expect(limiter.take('DIA', 0).ok).toBe(true);
    expect(limiter.take('DIA', 0).ok).toBe(false);
    expect(limiter.take('DIB', 0).ok).toBe(true);
  });

  it('never refills past the burst, nor when the clock steps back', () => {
    const limiter = new RateLimiter({ burst: 2, perSecond: 1 });
    expect(limiter.take('DIA', 1_000_000).ok).toBe(true);
    expect(limiter.take('DIA', 1_000_000).ok).toBe(true);
    expect(limiter.take('DIA', 0).ok).toBe(false);
    expect([1, 2, 3].map(() => limiter.take('DIA', 9_000_000).ok)).toEqual([true, true, false]);
  });
});

/**
 * The Admin API's request budget per integration key: a token bucket (a burst of `burst` requests, refilled at
 * `perSecond`), so one runaway script cannot starve the hub or the other administrators. Pure: the clock is an
 * argument.
 */

export interface RateLimitOptions {
  /** Requests a key may make at once. */
  burst: number;
  /** Requests per second a key gets back. */
  perSecond: number;
}

/** Generous enough for scripts that page through a large account; a loop that hammers the hub is slowed down. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 100, perSecond: 20 };

/** The answer for one request: allowed, or the whole seconds to wait (Retry-After). */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets by key. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT) {
    if (!(options.burst >= 1) || !(options.perSecond > 0)) throw new RangeError('a rate limit needs burst >= 1 and perSecond > 0');
  }

  /** Takes one request from `key`'s budget at `nowMs`. */
  take(key: string, nowMs: number): RateDecision {
    const { burst, perSecond } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: nowMs };
    // A clock that steps back must not mint tokens.
    const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
    bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perSecond);
    bucket.at = Math.max(bucket.at, nowMs);
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }
}

/** Capped exponential backoff with jitter, for retrying a hub that does not answer. */

export interface BackoffOptions {
  /** The first delay (default 250 ms). */
  initialMs?: number;
  /** The largest delay (default 10 s). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Each delay is shortened by up to this fraction at random, so daemons do not retry in lockstep (default 0.2). */
  jitter?: number;
  random?: () => number;
}

/** Delays that double from `initialMs` up to `maxMs`; `reset()` after a success starts over. */
export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 250;
    this.maxMs = options.maxMs ?? 10_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.2;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call counts as one failed attempt. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 60);
    return Math.round(base * (1 - this.jitter * this.random()));
  }

  /** How many delays were handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}

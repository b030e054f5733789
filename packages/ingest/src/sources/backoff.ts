/**
 * Exponential reconnect delays with jitter: grows while a peer keeps failing so a dead feed is not
 * hammered, and jitter keeps many workers restarted together from reconnecting in lockstep.
 */
export interface BackoffOptions {
  /** First delay. Default 1 s. */
  initialMs?: number;
  /** Ceiling. Default 60 s. */
  maxMs?: number;
  /** Growth per consecutive failure. Default 2. */
  factor?: number;
  /** Each delay is scaled by a random factor in [1 − jitter, 1 + jitter] (then capped). Default 0.2. */
  jitter?: number;
  /** Injectable for deterministic tests. */
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;
  /** Consecutive delays handed out since the last reset. */
  attempts = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 1000;
    this.maxMs = options.maxMs ?? 60_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.2;
    this.random = options.random ?? Math.random;
    if (!(this.initialMs >= 0) || !(this.maxMs >= this.initialMs)) throw new RangeError('backoff needs 0 ≤ initialMs ≤ maxMs');
    if (!(this.factor >= 1)) throw new RangeError('backoff factor must be ≥ 1');
    if (!(this.jitter >= 0 && this.jitter <= 1)) throw new RangeError('backoff jitter must be within [0, 1]');
  }

  /** The next delay in ms. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempts);
    this.attempts++;
    const scaled = base * (1 - this.jitter + 2 * this.jitter * this.random());
    return Math.round(Math.min(this.maxMs, scaled));
  }

  /** After a connection that delivered data: the next outage starts from initialMs again. */
  reset(): void {
    this.attempts = 0;
  }
}

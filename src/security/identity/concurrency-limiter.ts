import { AppError } from '../../platform/app-error.js';

export interface ConcurrencyLimiterOptions {
  /** How many tasks may run at once. */
  maxConcurrent: number;
  /** How many tasks may wait for a slot; one more is refused with 503. */
  maxQueued: number;
  /** Seconds a refused caller is told to wait (Retry-After). */
  retryAfterSeconds: number;
  /** What the limited work is, for the refusal message ("password checks"). */
  what: string;
}

/**
 * A small counting semaphore with a bounded queue. Expensive work (password hashing) runs through it so
 * that a flood of one kind of request waits its turn instead of starving the process; when the queue is
 * full the caller gets 503 + Retry-After at once (load shedding) rather than an ever-growing backlog.
 */
export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: ConcurrencyLimiterOptions) {
    if (!Number.isInteger(options.maxConcurrent) || options.maxConcurrent < 1) {
      throw new RangeError('maxConcurrent must be a positive integer');
    }
    if (!Number.isInteger(options.maxQueued) || options.maxQueued < 0) {
      throw new RangeError('maxQueued must be a non-negative integer');
    }
  }

  /** Runs `task` when a slot is free; rejects with SEPAR_ERR_UNAVAILABLE when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  get stats(): { active: number; queued: number } {
    return { active: this.active, queued: this.waiting.length };
  }

  private acquire(): Promise<void> {
    if (this.active < this.options.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.maxQueued) {
      return Promise.reject(
        new AppError('SEPAR_ERR_UNAVAILABLE', 'Server busy', {
          detail: `Too many ${this.options.what} are in progress; try again shortly.`,
          headers: { 'retry-after': String(this.options.retryAfterSeconds) },
        }),
      );
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter, so `active` stays the same.
    if (next) next();
    else this.active--;
  }
}

import type { Logger } from '../../platform/logger.js';
import type { AuditLog } from './audit-log.js';
import type { AuditEntry, LogItem } from './canonical.js';

export interface WriterOptions {
  /** A batch waits at most this long for company before it is written (0: next tick). */
  batchMs: number;
  /** … or until this many entries are waiting. */
  batchMax: number;
}

interface Pending {
  /** Ready at once, or after the subject-key sealing of its sensitive values. */
  item: LogItem | Promise<LogItem>;
  /** Durable callers wait for the commit and hear about failure; the others are retried until written. */
  durable: boolean;
  /** Someone waits for the entry as placed (false for bus events: nothing to send back). */
  wanted: boolean;
  resolve: (e: AuditEntry) => void;
  reject: (err: unknown) => void;
}

const MAX_RETRY_MS = 5000;
const noop = (): void => undefined;

/**
 * Group commit: entries queue in memory for at most `batchMs` (or until `batchMax` wait) and go to the
 * database in one transaction; one batch is in flight at a time and the next one fills meanwhile. Order of
 * arrival is the order in the log. A failed batch is retried with backoff, never dropped; callers that need
 * the entry on disk before they go on (`durable`) are told about the failure instead.
 */
export class AuditWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;
  private retryMs = 0;
  private stopped = false;
  /** Called after every committed batch (the SIEM forwarder wakes up on it). */
  onCommit: ((last: AuditEntry) => void) | null = null;

  constructor(
    private readonly log: AuditLog,
    private readonly logger: Logger,
    private readonly opts: WriterOptions,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /** Queue without anyone waiting for the outcome (bus events): no promise per entry. */
  submit(item: LogItem | Promise<LogItem>): void {
    this.queue.push({ item, durable: false, wanted: false, resolve: noop, reject: noop });
    this.schedule(this.queue.length >= this.opts.batchMax ? 0 : this.opts.batchMs);
  }

  enqueue(item: LogItem | Promise<LogItem>, durable: boolean): Promise<AuditEntry> {
    return new Promise<AuditEntry>((resolve, reject) => {
      this.queue.push({ item, durable, wanted: true, resolve, reject });
      if (durable || this.queue.length >= this.opts.batchMax) this.schedule(0);
      else this.schedule(this.opts.batchMs);
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.running) return;
    const delay = Math.max(delayMs, this.retryMs);
    if (this.timer) {
      if (delay > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, delay);
  }

  private run(): void {
    this.running = this.drain(false);
    void this.running.then(() => {
      this.running = null;
      // What queued meanwhile gets the same window as every batch (fewer, fuller transactions under load);
      // a durable caller or a full batch goes at once.
      if (this.queue.length === 0) return;
      const now = this.queue.length >= this.opts.batchMax || this.queue.some((p) => p.durable);
      this.schedule(now ? 0 : this.opts.batchMs);
    });
  }

  /** Write everything queued so far and wait for it; gives up (entries stay queued) after `attempts` failures. */
  async flush(attempts = 5): Promise<boolean> {
    let failures = 0;
    for (;;) {
      if (this.running) await this.running;
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      if (this.queue.length === 0) return true;
      this.running = this.drain(true);
      const ok = await this.running;
      this.running = null;
      if (!ok) {
        if (++failures >= attempts) return false;
        await new Promise((r) => setTimeout(r, this.retryMs));
      }
    }
  }

  /** Stop scheduling (after the final flush). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Write queued batches: one (a timer's run — what queues meanwhile waits for its own window, so a busy server
   * commits about once per window rather than back to back in small batches), or all of them (flush).
   */
  private async drain(all: boolean): Promise<boolean> {
    for (let first = true; this.queue.length > 0 && (all || first); first = false) {
      const batch = this.queue.splice(0, this.opts.batchMax);
      try {
        const items = await Promise.all(batch.map((p) => Promise.resolve(p.item)));
        // Only what someone waits for comes back: the entries of callers waiting for them, and the last one
        // (the commit listeners').
        const want: number[] = [];
        batch.forEach((p, i) => {
          if (p.wanted || i === batch.length - 1) want.push(i);
        });
        const { entries } = await this.log.append(items, false, want);
        this.retryMs = 0;
        batch.forEach((p, i) => {
          const e = entries[i];
          if (e) p.resolve(e);
          else if (p.wanted) p.reject(new Error('the committed batch did not return this entry'));
        });
        const last = entries[batch.length - 1];
        if (last) this.onCommit?.(last);
      } catch (err) {
        const keep: Pending[] = [];
        for (const p of batch) {
          if (p.durable) p.reject(err);
          else keep.push(p);
        }
        this.queue.unshift(...keep);
        this.retryMs = Math.min(MAX_RETRY_MS, Math.max(50, this.retryMs * 2));
        this.logger.error(
          { err, queued: this.queue.length, retryInMs: this.retryMs },
          'audit append failed; entries stay queued and are retried',
        );
        return false;
      }
    }
    return true;
  }
}

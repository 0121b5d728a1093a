import type { Logger } from '../../../platform/logger.js';
import { newId } from '../../../platform/ids.js';
import type { AuditRepository } from '../audit.repository.js';
import { rowToEntry } from '../audit-log.js';
import { formatEntry, frame, type SiemFormat } from './siem-format.js';
import type { SiemTransport } from './siem-transport.js';

export interface ForwarderOptions {
  /** Identifies the destination (URL without credentials + format): one cursor per sink. */
  sink: string;
  format: SiemFormat;
  /** Stream transports: a sent batch counts as delivered once its connection stayed up this long. */
  ackMs: number;
  /** Longest wait between reconnection attempts. */
  retryMs: number;
  batch?: number;
  /** Where a new sink starts: 0 forwards the whole online log. */
  startSeq?: number;
}

interface Unconfirmed {
  seq: number;
  sentAt: number;
  generation: number;
}

const LEASE_MS = 15_000;
const IDLE_POLL_MS = 500;
const STOP_WAIT_MS = 1000;

/**
 * At-least-once delivery to a SIEM from a cursor persisted in the database. Entries are read after the
 * cursor, formatted and sent in order; the cursor moves only past entries known to be delivered: on an
 * HTTPS 2xx, or — plain syslog over TCP/TLS has no acknowledgement — once the connection that carried them
 * has stayed up for `ackMs` afterwards (a receiver that dies closes the connection, and everything sent on it
 * since the last confirmation is sent again). While the receiver is down nothing is lost: entries wait in the
 * log and delivery resumes from the cursor when it returns, after a restart of Separ too. Duplicates are
 * possible and carry the same sequence number and hash. One instance holds a lease per sink at a time.
 */
export class SiemForwarder {
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private committed = 0;
  private position = 0;
  private unconfirmed: Unconfirmed[] = [];
  private readonly owner = newId();
  private failures = 0;
  private leaseUntil = 0;
  delivered = 0;

  constructor(
    private readonly repo: AuditRepository,
    private readonly transport: SiemTransport,
    private readonly logger: Logger,
    private readonly opts: ForwarderOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run().catch((err: unknown) => this.logger.error({ err }, 'SIEM forwarder stopped'));
  }

  /** New entries were committed: look at once instead of at the next poll. */
  poke(): void {
    this.wake?.();
  }

  /** Stop within about a second: a send still waiting on an unreachable receiver is abandoned (resent later). */
  async stop(): Promise<void> {
    this.running = false;
    this.poke();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((r) => (timer = setTimeout(r, STOP_WAIT_MS)))]);
    clearTimeout(timer);
    this.transport.close();
    await this.repo.siemCursors.releaseCursor(this.opts.sink, this.owner).catch(() => undefined);
  }

  /** The persisted cursor: every entry up to it was delivered. */
  get cursor(): number {
    return this.committed;
  }

  /** Network timing is real time (not the injectable clock): it is about what a real connection did. */
  private now(): number {
    return Date.now();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      t.unref();
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  private async lease(): Promise<boolean> {
    const realNow = Date.now();
    if (realNow < this.leaseUntil - LEASE_MS / 2) return true;
    const now = new Date(realNow).toISOString();
    const until = new Date(realNow + LEASE_MS).toISOString();
    const cursor = await this.repo.siemCursors.leaseCursor(
      this.opts.sink,
      this.owner,
      now,
      until,
      this.opts.startSeq ?? 0,
    );
    if (cursor === null) {
      this.leaseUntil = 0;
      return false;
    }
    if (this.leaseUntil === 0) {
      this.committed = cursor;
      this.position = cursor;
      this.unconfirmed = [];
    }
    this.leaseUntil = realNow + LEASE_MS;
    return true;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!(await this.lease())) {
          await this.sleep(LEASE_MS / 3);
          continue;
        }
        await this.confirm();
        const rows = await this.repo.entries(this.position, this.opts.batch ?? 500);
        if (rows.length === 0) {
          await this.sleep(this.unconfirmed.length > 0 ? Math.min(IDLE_POLL_MS, this.opts.ackMs) : IDLE_POLL_MS);
          continue;
        }
        const frames = rows.map((r) => frame(this.opts.format, formatEntry(this.opts.format, rowToEntry(r))));
        const generation = this.transport.generation;
        await this.transport.send(frames);
        const last = Number(rows[rows.length - 1]?.seq ?? this.position);
        this.position = last;
        if (this.transport.acknowledged) await this.commit(last);
        else
          this.unconfirmed.push({
            seq: last,
            sentAt: this.now(),
            generation: Math.max(generation, this.transport.generation),
          });
        if (this.failures > 0) this.logger.info({ sink: this.opts.sink }, 'SIEM delivery resumed');
        this.failures = 0;
      } catch (err) {
        this.rewind();
        this.transport.close();
        this.failures++;
        const wait = Math.min(this.opts.retryMs, 50 * 2 ** Math.min(this.failures, 10));
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.logger.warn({ err, sink: this.opts.sink, failures: this.failures }, 'SIEM delivery failed; will retry');
        }
        await this.sleep(wait);
      }
    }
  }

  /** Commit what has been on a live connection long enough; resend what a dead connection carried. */
  private async confirm(): Promise<void> {
    if (this.unconfirmed.length === 0) return;
    const now = this.now();
    let upTo = 0;
    while (this.unconfirmed.length > 0) {
      const u = this.unconfirmed[0] as Unconfirmed;
      if (!this.transport.alive(u.generation)) {
        this.rewind();
        return;
      }
      if (now - u.sentAt < this.opts.ackMs) break;
      upTo = u.seq;
      this.unconfirmed.shift();
    }
    if (upTo > 0) await this.commit(upTo);
  }

  private rewind(): void {
    this.unconfirmed = [];
    this.position = this.committed;
  }

  private async commit(seq: number): Promise<void> {
    if (seq <= this.committed) return;
    await this.repo.siemCursors.saveCursor(this.opts.sink, this.owner, seq, new Date().toISOString());
    this.delivered += seq - this.committed;
    this.committed = seq;
  }
}

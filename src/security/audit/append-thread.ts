import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { AuditEntry, LogItem } from './canonical.js';
import type { SignerKey } from './checkpoint.js';
import type { LogOptions } from './log-placer.js';

/** What the thread is started with (structured-cloned: the signing key crosses as a KeyObject, never as bytes). */
export interface AppendThreadInit {
  file: string;
  /** The process checkpoints the WAL on a thread of its own (ADR 0011): commits leave that work to it. */
  threadCheckpoints: boolean;
  signer: { name: string; publicKey: Uint8Array; keyId: Uint8Array; privateKey: KeyObject };
  opts: LogOptions;
}

/** One batch: entries in log order, the time the batch is placed at, and which placed entries to send back. */
export interface AppendRequest {
  id: number;
  items: readonly LogItem[];
  force: boolean;
  nowIso: string;
  nowMs: number;
  /** Indices of the entries the caller needs back (null: all of them). */
  want: readonly number[] | null;
}

export type AppendReply =
  | { id: number; ok: true; entries: [number, AuditEntry][] }
  | { id: number; ok: false; error: { message: string; code: string | null } };

/** An error the thread reported, rebuilt with its SQLite code (so `isSqliteBusy` and the logs still see it). */
export class AppendThreadError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'AppendThreadError';
  }
}

/**
 * Where the compiled worker is. The tests run the TypeScript sources, which Node cannot start as a thread: they
 * use the build `npm test` makes before it runs them (the same source, compiled).
 */
function workerUrl(): URL {
  const here = new URL('./append.worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return here;
  const href = here.href;
  const at = href.lastIndexOf('/src/');
  return new URL(`${href.slice(0, at)}/dist/${href.slice(at + '/src/'.length)}`);
}

/**
 * The SQLite append transaction on a thread of its own (ADR 0012): placing, hashing, signing and the inserts of
 * a batch leave the event loop, which only hands over the prepared entries and hears back. Requests are taken
 * in the order they are sent, one transaction each. A thread that dies fails what it was given (the writer keeps
 * those entries queued and retries them) and a new one starts with the next batch.
 */
export class AppendThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (e: AuditEntry[]) => void; reject: (e: Error) => void }>();
  /** Batches sent and not yet answered (close waits for them). */
  private readonly inFlight = new Set<Promise<AuditEntry[]>>();
  private closed = false;

  constructor(private readonly init: AppendThreadInit) {}

  static signerInit(signer: SignerKey): AppendThreadInit['signer'] {
    // Copies with memory of their own: a small Buffer is a view into Node's shared 8 KB pool, and cloning the view
    // would hand the thread the whole pool block — whatever else (key material included) sits in it.
    return {
      name: signer.name,
      publicKey: new Uint8Array(signer.publicKey),
      keyId: new Uint8Array(signer.keyId),
      privateKey: signer.privateKey,
    };
  }

  /** Place and write one batch; resolves with the wanted entries at their indices (the others left empty). */
  append(req: Omit<AppendRequest, 'id'>): Promise<AuditEntry[]> {
    if (this.closed) return Promise.reject(new Error('audit append thread is closed'));
    const id = this.nextId++;
    const w = this.thread();
    const sent = new Promise<AuditEntry[]>((resolve, reject) => {
      try {
        w.postMessage({ ...req, id } satisfies AppendRequest);
      } catch (err) {
        // A value that cannot cross threads (DataCloneError): this batch fails, nothing is left waiting.
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      this.waiting.set(id, { resolve, reject });
      // Held open while a batch is in flight; an idle thread never keeps the process alive.
      if (this.waiting.size === 1) w.ref();
    });
    this.inFlight.add(sent);
    const done = (): boolean => this.inFlight.delete(sent);
    sent.then(done, done);
    return sent;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(workerUrl(), { workerData: this.init });
    w.unref();
    w.on('message', (m: AppendReply) => this.settle(m));
    w.on('error', (err: Error) => this.failAll(w, err));
    w.on('exit', (code) => this.failAll(w, new Error(`audit append thread exited (code ${code})`)));
    this.worker = w;
    return w;
  }

  private settle(m: AppendReply): void {
    const p = this.waiting.get(m.id);
    if (!p) return;
    this.waiting.delete(m.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (!m.ok) {
      p.reject(new AppendThreadError(m.error.message, m.error.code));
      return;
    }
    const out: AuditEntry[] = [];
    for (const [i, e] of m.entries) out[i] = e;
    p.resolve(out);
  }

  private failAll(w: Worker, err: Error): void {
    if (this.worker !== w) return;
    this.worker = null;
    const pending = [...this.waiting.values()];
    this.waiting.clear();
    for (const p of pending) p.reject(err);
    void w.terminate();
  }

  /** Stop the thread (after the final flush); batches still in flight finish first. */
  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    if (!w) return;
    await Promise.allSettled([...this.inFlight]);
    this.worker = null;
    await w.terminate();
  }
}

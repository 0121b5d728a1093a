import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background thread folds the write-ahead log back into the database file. */
export const WAL_CHECKPOINT_MS = 200;
/**
 * The WAL size (pages) at which a connection that commits checkpoints by itself, on its own thread: only reached
 * when the background thread is missing or cannot keep up (SQLite's own default is 1,000).
 */
export const WAL_FALLBACK_PAGES = 10_000;
/**
 * `journal_size_limit` of the connections that write: the WAL is truncated to this when it restarts, so frames of
 * an earlier cycle (page images of since-deleted rows) do not linger past the new ones until the process ends.
 */
export const WAL_SIZE_LIMIT = 0;

export interface CheckpointResult {
  /** 1 when another connection held a lock the checkpoint needed (it is tried again next time). */
  busy: number;
  /** Frames in the WAL, and how many of them are in the database file now. */
  log: number;
  checkpointed: number;
}

export interface WalCheckpointer {
  /** The last checkpoint that found frames to copy (null before the first). */
  readonly last: CheckpointResult | null;
  /** Resolves after the next checkpoint that found frames to copy. */
  next(): Promise<CheckpointResult>;
  /** One last checkpoint, then the thread's connection is closed and the thread ends. */
  stop(): Promise<void>;
}

/**
 * The worker's code, plain CommonJS run by `eval`: no file to resolve from either dist or the TypeScript sources
 * the tests run. It only ever runs `wal_checkpoint(PASSIVE)`, which waits for no lock and blocks no reader or
 * writer; frames it cannot copy yet (a reader still needs the old page) are copied on a later round.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const describe = (err) => (err && err.message) || (err && err.code) || String(err);
let db = null;
try {
  const SQLite = require(workerData.driver);
  db = new SQLite(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 0');
} catch (err) {
  // SQLite's errors lose their message crossing threads as exceptions: told as a message instead.
  parentPort.postMessage({ error: 'cannot open ' + workerData.file + ': ' + describe(err) });
  if (db) db.close();
  db = null;
  parentPort.close();
}
const checkpoint = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r && r.log > 0) parentPort.postMessage({ busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ error: describe(err) });
  }
};
const timer = db ? setInterval(checkpoint, workerData.intervalMs) : null;
parentPort.on('message', () => {
  if (db) {
    clearInterval(timer);
    checkpoint();
    db.close();
  }
  parentPort.close();
});
`;

/** A thread that ended by itself (it could not open the file, it crashed) starts again after this, doubling. */
const RESTART_MS = 1000;
const RESTART_MAX_MS = 60_000;
/** The same failure is reported at most this often (it would otherwise repeat every round). */
const REPORT_EVERY_MS = 60_000;

/**
 * Checkpoints an SQLite database's write-ahead log from a thread of its own. SQLite otherwise does it inside
 * whichever commit crosses 1,000 WAL pages — on the event loop, copying pages and waiting for two fsyncs: with the
 * audit log committing every few milliseconds under load, that was about half of what each commit cost the
 * request thread. The connections this process writes with set `wal_autocheckpoint` to WAL_FALLBACK_PAGES.
 */
export function startWalCheckpointer(
  file: string,
  onError: (message: string) => void,
  opts: { intervalMs?: number; restartMs?: number } = {},
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const intervalMs = opts.intervalMs ?? WAL_CHECKPOINT_MS;
  const restartMs = opts.restartMs ?? RESTART_MS;
  let last: CheckpointResult | null = null;
  let waiting: { resolve: (r: CheckpointResult) => void; reject: (err: Error) => void }[] = [];
  const settle = (fn: (w: (typeof waiting)[number]) => void): void => {
    const w = waiting;
    waiting = [];
    for (const x of w) fn(x);
  };
  const reported = new Map<string, number>();
  const report = (message: string): void => {
    const now = Date.now();
    const at = reported.get(message);
    if (at !== undefined && now - at < REPORT_EVERY_MS) return;
    if (reported.size >= 100) reported.clear();
    reported.set(message, now);
    onError(message);
  };
  let stopped = false;
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  let retryMs = restartMs;
  let restart: NodeJS.Timeout | null = null;
  const spawn = (): void => {
    restart = null;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
    // The thread must not keep a process alive that has nothing else to do (CLI commands, tests).
    w.unref();
    worker = w;
    w.on('message', (m: CheckpointResult | { error: string }) => {
      if ('error' in m) {
        report(m.error);
        return;
      }
      retryMs = restartMs;
      last = m;
      settle((x) => x.resolve(m));
    });
    w.on('error', (err: unknown) => report(err instanceof Error ? err.message : String(err)));
    exited = new Promise((resolve) =>
      w.once('exit', () => {
        worker = null;
        resolve();
        if (stopped) return;
        // Until it is back, the writing connections' fallback keeps the WAL bounded.
        restart = setTimeout(spawn, retryMs);
        restart.unref();
        retryMs = Math.min(retryMs * 2, RESTART_MAX_MS);
      }),
    );
  };
  spawn();
  let stopping: Promise<void> | null = null;
  return {
    get last() {
      return last;
    },
    next: () =>
      stopped
        ? Promise.reject(new Error('the WAL checkpointer has stopped'))
        : new Promise((resolve, reject) => waiting.push({ resolve, reject })),
    stop: () => {
      stopping ??= (async () => {
        stopped = true;
        if (restart) clearTimeout(restart);
        const w = worker;
        if (w) {
          // Held open until the thread is gone: an unreferenced worker would let the process end mid-close.
          w.ref();
          w.postMessage('stop');
        }
        await exited;
        settle((x) => x.reject(new Error('the WAL checkpointer has stopped')));
      })();
      return stopping;
    },
  };
}

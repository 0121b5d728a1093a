import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the background thread folds the write-ahead log back into the database file. */
export const WAL_CHECKPOINT_MS = 200;
/**
 * The WAL size (pages) at which a connection that commits checkpoints by itself, on its own thread: only reached
 * when the background thread is missing or cannot keep up (SQLite's own default is 1,000).
 */
export const WAL_FALLBACK_PAGES = 10_000;

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

/**
 * Checkpoints an SQLite database's write-ahead log from a thread of its own. SQLite otherwise does it inside
 * whichever commit crosses 1,000 WAL pages — on the event loop, copying pages and waiting for two fsyncs: with the
 * audit log committing every few milliseconds under load, that was about half of what each commit cost the
 * request thread. The connections this process writes with set `wal_autocheckpoint` to WAL_FALLBACK_PAGES.
 */
export function startWalCheckpointer(
  file: string,
  onError: (message: string) => void,
  intervalMs = WAL_CHECKPOINT_MS,
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  // The thread must not keep a process alive that has nothing else to do (CLI commands, tests).
  worker.unref();
  let last: CheckpointResult | null = null;
  let waiting: ((r: CheckpointResult) => void)[] = [];
  worker.on('message', (m: CheckpointResult | { error: string }) => {
    if ('error' in m) {
      onError(m.error);
      return;
    }
    last = m;
    const w = waiting;
    waiting = [];
    for (const resolve of w) resolve(m);
  });
  worker.on('error', (err: unknown) => onError(err instanceof Error ? err.message : String(err)));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | null = null;
  return {
    get last() {
      return last;
    },
    next: () => new Promise((resolve) => waiting.push(resolve)),
    stop: () => {
      stopping ??= (async () => {
        // Held open until the thread is gone: an unreferenced worker would let the process end mid-close.
        worker.ref();
        worker.postMessage('stop');
        await exited;
      })();
      return stopping;
    },
  };
}

import { parentPort, workerData } from 'node:worker_threads';
import type { AppendReply, AppendRequest, AppendThreadInit } from './append-thread.js';
import { preparedOf, type AuditEntry } from './canonical.js';
import { LogPlacer } from './log-placer.js';
import { SqliteAppender } from './sqlite-appender.repository.js';

/**
 * The audit append thread (ADR 0012): its own SQLite connection and placer; one transaction per request, in
 * the order they arrive. Waiting for another connection's write lock blocks only this thread, so it waits
 * (SQLite's busy handler) instead of failing and being retried from the event loop.
 */
const BUSY_TIMEOUT_MS = 10_000;

const init = workerData as AppendThreadInit;
const port = parentPort;
if (!port) throw new Error('append.worker runs as a worker thread only');

// Buffers arrive as plain Uint8Arrays: made Buffers again (hex and base64 are Buffer methods).
const placer = new LogPlacer(
  {
    name: init.signer.name,
    publicKey: Buffer.from(init.signer.publicKey),
    keyId: Buffer.from(init.signer.keyId),
    privateKey: init.signer.privateKey,
  },
  init.opts,
);
const appender = new SqliteAppender(init.file, {
  threadCheckpoints: init.threadCheckpoints,
  busyTimeoutMs: BUSY_TIMEOUT_MS,
});

const codeOf = (err: unknown): string | null => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
};

port.on('message', (req: AppendRequest) => {
  const placed: AuditEntry[] = [];
  let reply: AppendReply;
  try {
    const prepared = req.items.map(preparedOf);
    const plan = appender.append(req.nowIso, (head) => {
      placed.length = 0;
      return placer.place(head, prepared, req.force, req.nowMs, req.nowIso, placed);
    });
    placer.committed(plan);
    const entries: [number, AuditEntry][] = [];
    if (req.want === null) placed.forEach((e, i) => entries.push([i, e]));
    else
      for (const i of req.want) {
        const e = placed[i];
        if (e) entries.push([i, e]);
      }
    reply = { id: req.id, ok: true, entries };
  } catch (err) {
    placer.failed();
    reply = {
      id: req.id,
      ok: false,
      error: { message: err instanceof Error ? err.message : String(err), code: codeOf(err) },
    };
  }
  port.postMessage(reply);
});

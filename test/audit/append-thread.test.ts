import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { systemActor } from '../../src/security/access/actor.js';
import { AppendThread } from '../../src/security/audit/append-thread.js';
import type { AuditLog } from '../../src/security/audit/audit-log.js';
import { generateSigner } from '../../src/security/audit/checkpoint.js';
import { AuditWriter } from '../../src/security/audit/audit-writer.js';
import { prepare, type AuditEntry, type AuditInput, type PreparedEntry } from '../../src/security/audit/canonical.js';
import { inputFromEvent } from '../../src/security/audit/event-mapper.js';
import type { SeparEvent } from '../../src/platform/events.js';
import { startHarness, type Harness } from '../support/harness.js';
import { auditInput } from './support.js';

const input = (i: number, action = 'test.thread'): AuditInput => auditInput(new Date().toISOString(), i, action);

/** The append thread's worker, reached the way only a test may: to kill it as a crash would. */
const workerOf = (log: AuditLog): Worker | null =>
  (log as unknown as { thread: { worker: Worker | null } | null }).thread?.worker ?? null;

describe('audit append thread (sqlite, as `separ serve` runs)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('sqlite');
  });
  afterAll(async () => {
    await h.close();
  });

  it('appends on a thread of its own, and the log it writes verifies', async () => {
    const audit = h.rt.audit.service;
    const placed = await Promise.all(Array.from({ length: 300 }, (_, i) => audit.record(input(i))));
    expect(workerOf(audit.log)).not.toBeNull();
    // Sequence numbers are consecutive, in the order of the calls, and each entry chains to the one before.
    for (let i = 1; i < placed.length; i++) {
      expect(placed[i]?.seq).toBe((placed[i - 1]?.seq ?? 0) + 1);
      expect(placed[i]?.prev).toBe(placed[i - 1]?.hash);
    }
    const report = await h.rt.audit.operations.verify(systemActor('test'));
    expect(report.problems).toEqual([]);
  });

  it('starts a new thread after the old one died, and what was queued meanwhile is all written', async () => {
    const audit = h.rt.audit.service;
    await audit.flush();
    const first = workerOf(audit.log);
    expect(first).not.toBeNull();
    await first?.terminate();
    // Bus events (nobody waits for them) queued after the crash: written by a new thread.
    for (let i = 0; i < 40; i++)
      h.rt.bus.emit({
        type: 'test.after_crash',
        at: new Date().toISOString(),
        outcome: 'success',
        context: { actorId: null, actorType: 'system', ip: null, userAgent: null, requestId: null },
        detail: { i },
      });
    const durable = await audit.durable(input(0, 'test.durable_after_crash'));
    await audit.flush();
    const second = workerOf(audit.log);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    const found = await audit.repo.search({ action: 'test.after_crash', limit: 100 });
    expect(found).toHaveLength(40);
    expect(durable.seq).toBeGreaterThan(0);
    const report = await h.rt.audit.operations.verify(systemActor('test'));
    expect(report.problems).toEqual([]);
  });

  it('cleans up and canonicalises the hot read events on the thread exactly as the event loop would', async () => {
    const audit = h.rt.audit.service;
    const ids = ['01935c2e-7d1a-7c3b-9a51-3f0e2b6c8d10', '01935c2e-7d1a-7c3b-9a51-3f0e2b6c8d11'];
    // Hostile where an emitter could be wrong: control characters (log forging), a card number, a lone surrogate.
    const event: SeparEvent = {
      type: 'record.sensitive_read',
      at: new Date().toISOString(),
      outcome: 'success',
      context: {
        actorId: null,
        actorType: 'system',
        ip: '203.0.113.9',
        userAgent: 'ua\u0000\nFAKE entry=forged',
        requestId: 'req-thread-prepare',
      },
      detail: {
        object: 'contacts',
        reads: [
          { fields: ['email', 'custom.note\u0007'], ids },
          { fields: ['phone\ud800'], ids: ['4111 1111 1111 1111'] },
        ],
      },
    };
    const expected = prepare(inputFromEvent(event));
    h.rt.bus.emit(event);
    await audit.flush();
    const [stored] = await audit.repo.search({ action: 'record.sensitive_read', limit: 1 });
    expect(stored?.request_id).toBe('req-thread-prepare');
    expect(stored?.detail).toBe(expected.detail);
    expect(stored?.user_agent).toBe(expected.userAgent);
    expect(stored?.detail).not.toContain('4111 1111 1111 1111');
    for (const id of ids) {
      const who = await audit.repo.search({ targetId: id, limit: 5 });
      expect(who.map((w) => w.request_id)).toContain('req-thread-prepare');
    }
    const report = await h.rt.audit.operations.verify(systemActor('test'));
    expect(report.problems).toEqual([]);
  });

  it('prepares on the event loop a read event whose detail is not the plain shape, and never poisons the queue', async () => {
    const audit = h.rt.audit.service;
    const odd: SeparEvent = {
      type: 'record.sensitive_read',
      at: new Date().toISOString(),
      outcome: 'success',
      context: { actorId: null, actorType: 'system', ip: null, userAgent: null, requestId: 'req-odd-detail' },
      // A function cannot cross threads; a Buffer would arrive as a Uint8Array and log differently.
      detail: { object: 'contacts', reads: [{ fields: ['email'], ids: ['x'] }], hook: () => 1, raw: Buffer.from('ab') },
    };
    const expected = prepare(inputFromEvent(odd));
    h.rt.bus.emit(odd);
    const after = await audit.durable(input(7, 'test.after_odd_detail'));
    expect(after.seq).toBeGreaterThan(0);
    const [stored] = await audit.repo.search({ action: 'record.sensitive_read', limit: 1 });
    expect(stored?.request_id).toBe('req-odd-detail');
    expect(stored?.detail).toBe(expected.detail);
    // Straight to the log: an input that cannot be cloned is prepared here instead, not retried for ever.
    const { entries } = await audit.log.append([
      { unprepared: { ...input(8, 'test.uncloneable'), detail: { f: () => 2 } } },
    ]);
    expect(entries[0]?.action).toBe('test.uncloneable');
    expect(entries[0]?.detail).toBe('{}');
  });

  it('a read event is copied when emitted: changing its detail afterwards changes nothing logged', async () => {
    const audit = h.rt.audit.service;
    const ids = ['01935c2e-7d1a-7c3b-9a51-3f0e2b6c8d20'];
    const reads = [{ fields: ['email'], ids }];
    h.rt.bus.emit({
      type: 'record.sensitive_read',
      at: new Date().toISOString(),
      outcome: 'success',
      context: { actorId: null, actorType: 'system', ip: null, userAgent: null, requestId: 'req-mutated' },
      detail: { object: 'contacts', reads },
    });
    ids.push('01935c2e-7d1a-7c3b-9a51-3f0e2b6c8d21');
    reads[0]?.fields.push('phone');
    await audit.flush();
    const [stored] = await audit.repo.search({ action: 'record.sensitive_read', limit: 1 });
    expect(stored?.request_id).toBe('req-mutated');
    expect(stored?.detail).toBe(
      '{"object":"contacts","reads":[{"fields":["email"],"ids":["01935c2e-7d1a-7c3b-9a51-3f0e2b6c8d20"]}]}',
    );
    const report = await h.rt.audit.operations.verify(systemActor('test'));
    expect(report.problems).toEqual([]);
  });

  it('a batch the thread cannot write is refused to durable callers with the database error', async () => {
    const audit = h.rt.audit.service;
    await audit.flush();
    // The head row goes missing (an attacker with file access, a bad restore): appends fail loudly, write nothing.
    const { sql } = await import('kysely');
    const head = await audit.repo.head();
    await sql`delete from audit_head`.execute(h.rt.db.kysely);
    try {
      await expect(audit.durable(input(1, 'test.no_head'))).rejects.toThrow(/audit_head row is missing/);
    } finally {
      await sql`insert into audit_head (id, tree_size, last_hash, frontier, checkpoint_size, checkpoint_at, updated_at) values (1, ${head.tree_size}, ${head.last_hash}, ${head.frontier}, ${head.checkpoint_size}, ${head.checkpoint_at}, ${head.updated_at})`.execute(
        h.rt.db.kysely,
      );
    }
    expect(await audit.repo.search({ action: 'test.no_head', limit: 5 })).toHaveLength(0);
    await audit.durable(input(2, 'test.head_back'));
    const report = await h.rt.audit.operations.verify(systemActor('test'));
    expect(report.problems).toEqual([]);
  });
});

describe('audit append thread failures', () => {
  it('a thread that dies with batches in flight fails each of them (the writer retries), and never hangs', async () => {
    const { signer } = generateSigner('test/separ-audit/thread');
    // A database file that is not there: the thread dies as it starts, with these two batches sent to it.
    const thread = new AppendThread({
      file: join(tmpdir(), `separ-missing-${process.pid}-${Date.now()}.db`),
      threadCheckpoints: false,
      signer: AppendThread.signerInit(signer),
      opts: { checkpointMs: 1000, checkpointEntries: 1000 },
    });
    const req = { items: [], force: true, nowIso: new Date().toISOString(), nowMs: Date.now(), want: null };
    const uncloneable = { ...req, items: [{ unprepared: { ...auditInput('x', 1), detail: { f: () => 1 } } }] };
    await expect(thread.append(uncloneable)).rejects.toMatchObject({ name: 'DataCloneError' });
    const results = await Promise.allSettled([thread.append(req), thread.append(req)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await thread.close();
    await expect(thread.append(req)).rejects.toThrow(/closed/);
  });

  it('hands the thread copies of the public key and key id, never views into a shared buffer pool', () => {
    const { signer } = generateSigner('test/separ-audit/pool');
    const pooled = Buffer.from(signer.publicKey.toString('base64'), 'base64');
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.length);
    const init = AppendThread.signerInit({
      ...signer,
      publicKey: pooled,
      keyId: Buffer.from(signer.keyId.toString('hex'), 'hex'),
    });
    expect(init.publicKey.buffer.byteLength).toBe(32);
    expect(init.keyId.buffer.byteLength).toBe(init.keyId.length);
    expect(Buffer.from(init.publicKey).equals(signer.publicKey)).toBe(true);
  });
});

describe('group commit windows', () => {
  it('what queues while a batch is being written waits for its own window, then goes as one batch', async () => {
    const batches: number[] = [];
    let release: (() => void) | null = null;
    const log = {
      append: async (prepared: readonly PreparedEntry[]) => {
        batches.push(prepared.length);
        if (batches.length === 1) await new Promise<void>((r) => (release = r));
        return { entries: [] as AuditEntry[] };
      },
    } as unknown as AuditLog;
    const writer = new AuditWriter(log, createLogger('silent'), { batchMs: 200, batchMax: 1000 });
    const entry = (i: number): PreparedEntry => ({
      at: new Date().toISOString(),
      actorType: 'system',
      actorId: null,
      action: 'test',
      targetType: null,
      targetId: null,
      outcome: 'success',
      ip: null,
      userAgent: null,
      requestId: null,
      detail: JSON.stringify({ i }),
      refs: [],
    });
    for (let i = 0; i < 3; i++) writer.submit(entry(i));
    await new Promise((r) => setTimeout(r, 300));
    expect(batches).toEqual([3]);
    // More arrive one by one, each in its own turn of the event loop; the first batch commits midway. Written
    // back to back, the five queued by then would go at once, alone; with a window, all ten go together.
    for (let i = 0; i < 10; i++) {
      writer.submit(entry(i));
      if (i === 4) (release as (() => void) | null)?.();
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 400));
    expect(batches).toEqual([3, 10]);
    writer.stop();
  });
});

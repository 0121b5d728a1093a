import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { createRuntime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { systemActor } from '../../src/security/access/actor.js';
import type { AuditInput } from '../../src/security/audit/canonical.js';
import { parseCheckpoint } from '../../src/security/audit/checkpoint.js';
import { startHarness, type Harness } from '../support/harness.js';
import { testDialects } from '../support/dialects.js';
import { auditInput } from './support.js';

const input = (clock: ManualClock, i: number): AuditInput => auditInput(clock.now().toISOString(), i);

for (const dialect of await testDialects()) {
  describe(`audit checkpoints and heartbeat (${dialect})`, () => {
    let h: Harness;
    const clock = new ManualClock('2026-03-01T08:00:00.000Z');
    beforeAll(async () => {
      h = await startHarness(dialect, { clock });
    });
    afterAll(async () => {
      await h.close();
    });

    const checkpoints = async (): Promise<number[]> =>
      (await h.rt.audit.service.repo.checkpoints()).map((c) => Number(c.tree_size));
    const size = async (): Promise<number> => Number((await h.rt.audit.service.repo.head()).tree_size);

    it('signs a checkpoint when one second has passed, not before (injected clock)', async () => {
      const audit = h.rt.audit.service;
      await audit.flush();
      await audit.tick();
      const before = await checkpoints();
      for (let i = 0; i < 5; i++) void audit.record(input(clock, i));
      await audit.flush();
      await audit.tick();
      expect(await checkpoints()).toEqual(before);
      clock.advance(999);
      await audit.tick();
      expect(await checkpoints()).toEqual(before);
      clock.advance(1);
      await audit.tick();
      const after = await checkpoints();
      expect(after).toEqual([...before, await size()]);
      const latest = await audit.repo.latestCheckpoint();
      expect(parseCheckpoint(latest?.note ?? '').checkpoint.treeSize).toBe(await size());
    });

    it('signs a checkpoint at least every 1,000 entries, within a batch too', async () => {
      const audit = h.rt.audit.service;
      const start = await size();
      const last = (await checkpoints()).at(-1) ?? 0;
      await Promise.all(Array.from({ length: 2500 }, (_, i) => audit.record(input(clock, i))));
      const cps = (await checkpoints()).filter((s) => s > start);
      expect(cps).toEqual([last + 1000, last + 2000]);
      // Group commit: 2,500 appends took a handful of transactions, not 2,500.
      const report = await h.rt.audit.operations.verify(systemActor('test'));
      expect(report.problems).toEqual([]);
    });

    it('writes an hourly heartbeat with a checkpoint, and verify reports a silent gap', async () => {
      const audit = h.rt.audit.service;
      clock.advance(3600 * 1000);
      await audit.tick();
      const beats = await audit.repo.search({ action: 'audit.heartbeat', limit: 5 });
      expect(beats).toHaveLength(1);
      expect(beats[0]?.at).toBe(clock.now().toISOString());
      expect((await checkpoints()).at(-1)).toBe(await size());
      // Two hours with no heartbeat (the process was frozen, or entries were removed): a gap shows.
      clock.advance(2 * 3600 * 1000);
      await audit.durable(input(clock, 0));
      const report = await h.rt.audit.operations.verify(systemActor('test'));
      expect(report.ok).toBe(true);
      expect(report.warnings.join('\n')).toMatch(/logging gap: no entries between/);
    });

    it('serialises sequence numbers across instances sharing the database', async () => {
      const other = await createRuntime(h.config, { migrate: false, clock, logger: createLogger('silent') });
      try {
        const a = h.rt.audit.service;
        const b = other.audit.service;
        const writes: Promise<unknown>[] = [];
        for (let i = 0; i < 300; i++) {
          writes.push(a.record(input(clock, i)));
          writes.push(b.record(input(clock, 1000 + i)));
        }
        await Promise.all(writes);
        const report = await a.repo.countEntries();
        expect(report.maxSeq).toBe(report.count);
        const verified = await other.audit.operations.verify(systemActor('test'));
        expect(verified.problems).toEqual([]);
      } finally {
        await other.close();
      }
      expect((await h.rt.audit.operations.verify(systemActor('test'))).ok).toBe(true);
    });
  });
}

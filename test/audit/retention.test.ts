import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { ManualClock } from '../../src/platform/clock.js';
import { systemActor } from '../../src/security/access/actor.js';
import type { AuditInput } from '../../src/security/audit/canonical.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';
import { testDialects } from '../support/dialects.js';
import { API, call, verifyStandalone } from './support.js';

const input = (clock: ManualClock, i: number): AuditInput => ({
  at: clock.now().toISOString(),
  actor: { type: 'system', id: null },
  action: 'test.old',
  target: null,
  outcome: 'success',
  ip: null,
  userAgent: null,
  requestId: null,
  detail: { i },
});

for (const dialect of await testDialects()) {
  describe(`audit retention and archive segments (${dialect})`, () => {
    let h: Harness;
    let auditor: TestUser;
    const clock = new ManualClock('2025-01-01T00:00:00.000Z');
    const tmp = mkdtempSync(join(tmpdir(), 'separ-archive-'));
    beforeAll(async () => {
      h = await startHarness(dialect, { clock });
      auditor = await createUserWithToken(h, { roles: ['auditor'] });
    });
    afterAll(async () => {
      await h.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    it('keeps 12 months online, archives older entries as a signed segment that verifies on its own', async () => {
      const audit = h.rt.audit.service;
      await Promise.all(Array.from({ length: 1200 }, (_, i) => audit.record(input(clock, i))));
      // Nothing is older than 12 months yet.
      expect(await h.rt.audit.operations.archive(systemActor('test'))).toBeNull();

      clock.advance(400 * 24 * 3600 * 1000);
      await audit.durable({ ...input(clock, 9999), action: 'test.recent' });
      await audit.log.append([], true);
      const result = await h.rt.audit.operations.archive(systemActor('test'));
      expect(result).not.toBeNull();
      expect(result?.fromSeq).toBe(1);
      expect(result?.toSeq).toBe(1024);
      const toSeq = result?.toSeq ?? 0;
      expect(existsSync(join(result?.dir ?? '', 'entries.jsonl'))).toBe(true);

      // The rows are gone from the database, and only those.
      const counts = await audit.repo.countEntries();
      expect(counts.minSeq).toBe(toSeq + 1);
      // The database still refuses deleting anything not archived.
      await expect(sql`delete from audit_entries where seq = ${toSeq + 1}`.execute(h.rt.db.kysely)).rejects.toThrow(
        /APPEND_ONLY/,
      );

      // The online log verifies from the archived state; the segment verifies standalone; so do both in a row.
      const report = await h.rt.audit.operations.verify(systemActor('test'));
      expect(report.problems).toEqual([]);
      expect(report.archivedThrough).toBe(toSeq);
      const key = join(tmp, 'key.pub');
      writeFileSync(key, `${audit.verifierKey}\n`);
      const seg = verifyStandalone([result?.dir ?? '', '--key', key]);
      expect(seg.code, seg.stdout).toBe(0);
      const exportDir = join(tmp, 'online');
      await h.rt.audit.operations.export(systemActor('test'), exportDir);
      const both = verifyStandalone([result?.dir ?? '', exportDir, '--key', key, '--json']);
      expect(both.code, both.stdout).toBe(0);
      expect((JSON.parse(both.stdout) as { firstSeq: number }).firstSeq).toBe(1);

      // Proofs for online entries still work; archived ones answer 404 (their proof is in the segment).
      const online = await call(h.app, 'GET', `${API}/audit/events/${toSeq + 1}/proof`, auditor.headers);
      expect(online.statusCode, online.body).toBe(200);
      const proofFile = join(tmp, 'proof.json');
      writeFileSync(proofFile, online.body);
      expect(verifyStandalone(['--proof', proofFile, '--key', key]).code).toBe(0);
      const archived = await call(h.app, 'GET', `${API}/audit/events/5/proof`, auditor.headers);
      expect(archived.statusCode).toBe(404);

      // The archiving itself is in the log.
      const entries = await audit.repo.search({ action: 'audit.archive', limit: 5 });
      expect(JSON.parse(entries[0]?.detail ?? '{}')).toMatchObject({ fromSeq: 1, toSeq });

      // A segment edited on disk is caught by verify.
      writeFileSync(join(result?.dir ?? '', 'entries.jsonl'), 'tampered\n', { flag: 'a' });
      const after = await h.rt.audit.operations.verify(systemActor('test'));
      expect(after.ok).toBe(false);
      expect(after.firstBad?.message).toMatch(/archived segment 1–\d+ was changed/);
    });
  });
}

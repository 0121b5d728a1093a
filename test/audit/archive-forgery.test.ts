import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { ManualClock } from '../../src/platform/clock.js';
import { systemActor } from '../../src/security/access/actor.js';
import { startHarness, type Harness } from '../support/harness.js';
import { testDialects } from '../support/dialects.js';
import { generateSigner } from '../../src/security/audit/checkpoint.js';
import { auditInput, dropAuditGuards, verifyStandalone } from './support.js';

/**
 * Attacks on where verification starts. An archive record moves the start of verification and the triggers'
 * pruning limit past the archived entries, and anyone who can insert a row could write one — with every trigger in
 * place — then delete the entries it claims are archived. Removing signed checkpoints lets a rewritten stretch be
 * signed anew by the next checkpoint. Both must fail verification, naming the place.
 */
for (const dialect of await testDialects()) {
  describe(`forged archive records, removed checkpoints, inserted keys (${dialect})`, () => {
    let h: Harness;
    const clock = new ManualClock('2025-01-01T00:00:00.000Z');
    const actor = systemActor('test');

    let tmp = '';
    let key = '';

    beforeEach(async () => {
      h = await startHarness(dialect, { clock });
      tmp = mkdtempSync(join(tmpdir(), 'separ-forgery-'));
      key = join(tmp, 'key.pub');
      writeFileSync(key, `${h.rt.audit.service.verifierKey}\n`);
      const audit = h.rt.audit.service;
      await Promise.all(Array.from({ length: 1300 }, (_, i) => audit.record(auditInput(clock.now().toISOString(), i))));
      await audit.log.append([], true);
    });
    afterEach(async () => {
      await h.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    /** The newest signed checkpoint note, as an outsider keeps it. */
    const latestNote = async (): Promise<string> => {
      const cps = await h.rt.audit.service.repo.checkpoints();
      const file = join(tmp, `trusted-${cps.length}.txt`);
      writeFileSync(file, cps[cps.length - 1]?.note ?? '');
      return file;
    };
    const noteAt = async (size: number): Promise<string> => {
      const cp = (await h.rt.audit.service.repo.checkpoints()).find((c) => Number(c.tree_size) === size);
      const file = join(tmp, `trusted-at-${size}.txt`);
      writeFileSync(file, cp?.note ?? '');
      return file;
    };

    /** An archive record as the attacker inserts it, from a head state (its file is never there). */
    const insertArchive = async (
      size: number,
      head: { last_hash: string; frontier: string },
      rootHash = 'x',
    ): Promise<void> => {
      await sql`insert into audit_archives (to_seq, from_seq, last_hash, frontier, root_hash, file, file_sha256, created_at)
        values (${size}, 1, ${head.last_hash}, ${head.frontier}, ${rootHash}, ${'/nonexistent'}, ${'x'}, ${clock.now().toISOString()})`.execute(
        h.rt.db.kysely,
      );
    };
    /** The attacker's archive record: the head's own state (a genuine checkpoint is signed at that size). */
    const forgeArchiveAtHead = async (toSeq?: number): Promise<number> => {
      const head = await h.rt.audit.service.repo.head();
      const size = toSeq ?? Number(head.tree_size);
      await insertArchive(size, head);
      return size;
    };

    it('an inserted archive record at a genuine checkpoint, then entries deleted under it: named, triggers intact', async () => {
      const size = await forgeArchiveAtHead();
      // The triggers now let these go: they are "archived".
      await sql`delete from audit_entries where seq in (500, 600)`.execute(h.rt.db.kysely);
      const report = await h.rt.audit.operations.verify(actor);
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.message).join('\n')).toMatch(
        new RegExp(`archive record for entries 1–${size} was not announced by a signed audit\\.archive entry`),
      );
      // An export now starts where the forged record says; the standalone verifier does not take that on trust.
      const ex = join(tmp, 'export');
      await h.rt.audit.operations.export(actor, ex);
      const standalone = verifyStandalone([ex, '--key', key]);
      expect(standalone.code, standalone.stdout).toBe(1);
      expect(standalone.stdout + standalone.stderr).toMatch(
        new RegExp(`starts after entry ${size}, but no signed audit\\.archive entry announces that archive`),
      );
    });

    it('an announcement appended through the log itself (then signed by the next checkpoint) is not enough', async () => {
      const audit = h.rt.audit.service;
      const head = await audit.repo.head();
      const size = Number(head.tree_size);
      const cp = (await audit.repo.checkpoints()).find((c) => Number(c.tree_size) === size);
      expect(cp).toBeDefined();
      // The attacker's announcement, chained and hashed like any entry — but not signed with the log's key.
      await audit.durable({
        ...auditInput(clock.now().toISOString(), 0, 'audit.archive'),
        target: null,
        detail: { fromSeq: 1, toSeq: size, rootHash: cp?.root_hash, entriesSha256: 'x', signature: 'AAAA', keyId: 'x' },
      });
      await audit.log.append([], true);
      await insertArchive(size, head, cp?.root_hash ?? '');
      await sql`delete from audit_entries where seq <= ${size}`.execute(h.rt.db.kysely);
      const report = await h.rt.audit.operations.verify(actor);
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.message).join('\n')).toMatch(
        new RegExp(`archive record for entries 1–${size} was not announced by a signed audit\\.archive entry`),
      );
      const ex = join(tmp, 'export');
      await h.rt.audit.operations.export(actor, ex);
      const standalone = verifyStandalone([ex, '--key', key]);
      expect(standalone.code, standalone.stdout).toBe(1);
    });

    it('an inserted archive record beyond every checkpoint: no signed checkpoint at its size', async () => {
      await forgeArchiveAtHead(2 ** 40);
      const report = await h.rt.audit.operations.verify(actor);
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.message).join('\n')).toMatch(/has no signed checkpoint at that size/);
    });

    it('signed checkpoints removed (to have a rewrite signed anew): the uncovered stretch is named', async () => {
      await dropAuditGuards(h);
      await sql`delete from audit_checkpoints where tree_size > 100`.execute(h.rt.db.kysely);
      const kept = await sql<{
        n: number | string;
      }>`select max(tree_size) as n from audit_checkpoints`.execute(h.rt.db.kysely);
      const last = Number(kept.rows[0]?.n ?? 0);
      const report = await h.rt.audit.operations.verify(actor);
      expect(report.ok).toBe(false);
      expect(report.firstBad?.seq).toBe(last + 1);
      expect(report.firstBad?.message).toBe(
        `no signed checkpoint covers entries ${last + 1}–${last + 1001}: one is signed at least every 1000 entries, so checkpoints were removed`,
      );
      const ex = join(tmp, 'export');
      await h.rt.audit.operations.export(actor, ex);
      const standalone = verifyStandalone([ex, '--key', key]);
      expect(standalone.code).toBe(1);
      expect(standalone.stdout + standalone.stderr).toMatch(
        new RegExp(`no signed checkpoint covers entries ${last + 1}–${last + 1001}`),
      );
    });

    it('a signing key inserted next to the real one is not trusted: it does not open with the key hierarchy', async () => {
      const { signer, pkcs8 } = generateSigner('attacker.example/separ-audit/0001');
      pkcs8.fill(0);
      await sql`insert into audit_keys (key_id, name, public_key, sealed_private, created_at, retired_at)
        values (${signer.keyId.toString('hex')}, ${signer.name}, ${signer.publicKey.toString('base64')}, ${'AQID'}, ${'2000-01-01T00:00:00.000Z'}, ${null})`.execute(
        h.rt.db.kysely,
      );
      const report = await h.rt.audit.operations.verify(actor);
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.message)).toEqual([
        `signing key ${signer.keyId.toString('hex')} is not this installation's: its private half does not open with the key hierarchy (inserted)`,
      ]);
      // Nor does an export hand it to outsiders as one of the log's keys.
      const ex = join(tmp, 'export');
      await h.rt.audit.operations.export(actor, ex);
      expect(readFileSync(join(ex, 'audit-key.pub'), 'utf8').trim()).toBe(h.rt.audit.service.verifierKey);
    });

    it('a genuine archive verifies; its segment moved away is said, not hidden', async () => {
      clock.advance(400 * 24 * 3600 * 1000);
      await h.rt.audit.service.durable(auditInput(clock.now().toISOString(), 9999, 'test.recent'));
      await h.rt.audit.service.log.append([], true);
      const result = await h.rt.audit.operations.archive(actor);
      expect(result?.toSeq).toBe(1024);
      const ok = await h.rt.audit.operations.verify(actor);
      expect(ok.problems).toEqual([]);
      expect(ok.archivedThrough).toBe(1024);
      // The standalone verifier over segment + export checks a trusted checkpoint wherever its size falls.
      const early = await noteAt(1001);
      const ex = join(tmp, 'export');
      await h.rt.audit.operations.export(actor, ex);
      const seg = result?.dir ?? '';
      const chain = verifyStandalone([seg, ex, '--key', key, '--trusted', early]);
      expect(chain.code, chain.stdout + chain.stderr).toBe(0);
      // The export alone verifies: its start is the genuine archive, announced and signed.
      const exportAlone = verifyStandalone([ex, '--key', key]);
      expect(exportAlone.code, exportAlone.stdout + exportAlone.stderr).toBe(0);
      // The export alone cannot check a checkpoint of archived entries: that is a failure, not a silent pass.
      const alone = verifyStandalone([ex, '--key', key, '--trusted', early]);
      expect(alone.code).toBe(1);
      expect(alone.stdout + alone.stderr).toMatch(/the trusted checkpoint \(tree size 1001\) predates this export/);
      // A checkpoint the export does not reach (the log went on after it): truncation, in the second directory too.
      await h.rt.audit.service.durable(auditInput(clock.now().toISOString(), 10000, 'test.later'));
      await h.rt.audit.service.log.append([], true);
      const later = await latestNote();
      const truncated = verifyStandalone([seg, ex, '--key', key, '--trusted', later]);
      expect(truncated.code).toBe(1);
      expect(truncated.stdout + truncated.stderr).toMatch(/the log was truncated: the trusted checkpoint has/);
      // A --key that is neither a file nor a key is a usage error (exit 2), not a crash.
      const badKey = verifyStandalone([ex, '--key', join(tmp, 'no-such-key.pub')]);
      expect(badKey.code).toBe(2);
      expect(badKey.stderr).toMatch(/is neither a readable key file nor a verifier key/);
      expect(badKey.stderr).not.toMatch(/at .*verify-audit\.mjs/);
      renameSync(result?.dir ?? '', `${result?.dir ?? ''}.cold`);
      const moved = await h.rt.audit.operations.verify(actor);
      expect(moved.ok).toBe(true);
      expect(moved.warnings.join('\n')).toMatch(/archived segment 1–1024 is not at .*: its entries were not checked/);
      // A second record claiming more than the genuine one was announced for is refused.
      await forgeArchiveAtHead();
      const forged = await h.rt.audit.operations.verify(actor);
      expect(forged.ok).toBe(false);
      expect(forged.problems.map((p) => p.message).join('\n')).toMatch(/archive records do not follow each other/);
    });
  });
}

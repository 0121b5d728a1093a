import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';
import { testDialects } from '../support/dialects.js';
import { canonicalEntry } from '../../src/security/audit/canonical.js';
import { rowToEntry } from '../../src/security/audit/audit-log.js';
import { leafHash } from '../../src/security/audit/merkle.js';
import { systemActor } from '../../src/security/access/actor.js';
import { verifyLog } from '../../src/security/audit/audit-verifier.js';
import { API, call, dropAuditGuards, separ, settle, verifyStandalone } from './support.js';

/**
 * An attacker with write access to the database drops the append-only triggers and edits, deletes, reorders
 * or truncates audit rows. `separ audit verify` (the real binary) must fail naming the place, and the
 * standalone verifier, given an export of the tampered log, must name the same place.
 */

interface Outcome {
  cliCode: number | null;
  cliError: string;
  outsiderCode: number | null;
  outsiderFirstBad: { seq: number | null; message: string } | null;
}

type Attack = (h: Harness, db: Harness['rt']['db']['kysely']) => Promise<number>;

beforeAll(() => {
  if (!existsSync(fileURLToPath(new URL('../../dist/security/audit/index.js', import.meta.url)))) {
    throw new Error('dist/ is missing the audit module: run `npm run build` (npm test does it) first');
  }
});

for (const dialect of await testDialects()) {
  describe(`audit tampering (${dialect})`, () => {
    let h: Harness | null = null;
    const tmp = mkdtempSync(join(tmpdir(), 'separ-tamper-'));
    afterEach(async () => {
      await h?.close();
      h = null;
    });
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    /** A log with some real activity (more than 30 entries). */
    async function populated(): Promise<Harness> {
      const harness = await startHarness(dialect);
      const user = await createUserWithToken(harness, { roles: ['sales-rep'] });
      for (let i = 0; i < 15; i++) {
        const res = await call(harness.app, 'POST', `${API}/contacts`, user.headers, {
          firstName: `Person${i}`,
          lastName: 'Tamper',
          email: `p${i}@example.test`,
        });
        expect(res.statusCode).toBe(201);
        await call(harness.app, 'GET', `${API}/contacts?limit=50`, user.headers);
      }
      await settle(harness);
      await harness.rt.audit.service.log.append([], true);
      return harness;
    }

    async function check(harness: Harness, name: string): Promise<Outcome> {
      await settle(harness);
      const cli = separ(harness, ['audit', 'verify']);
      const dir = join(tmp, `${name}-${dialect}`);
      await harness.rt.audit.operations.export(systemActor('test'), dir);
      const keyFile = join(tmp, `${name}-${dialect}.pub`);
      writeFileSync(keyFile, `${harness.rt.audit.service.verifierKey}\n`);
      const outsider = verifyStandalone([dir, '--key', keyFile, '--json']);
      const parsed = JSON.parse(outsider.stdout || 'null') as { firstBad: Outcome['outsiderFirstBad'] } | null;
      return {
        cliCode: cli.code,
        cliError: cli.stderr.trim(),
        outsiderCode: outsider.code,
        outsiderFirstBad: parsed?.firstBad ?? null,
      };
    }

    it('an untouched log verifies with the CLI and the standalone verifier', { timeout: 180_000 }, async () => {
      h = await populated();
      const r = await check(h, 'untouched');
      expect(r.cliCode, r.cliError).toBe(0);
      expect(r.outsiderCode).toBe(0);
      expect(r.outsiderFirstBad).toBeNull();
    });

    const attacks: [string, Attack, RegExp][] = [
      [
        'edit',
        async (_h, db) => {
          await sql`update audit_entries set actor_id = 'someone-else' where seq = 30`.execute(db);
          return 30;
        },
        /altered/,
      ],
      [
        'delete',
        async (_h, db) => {
          await sql`delete from audit_entries where seq = 25`.execute(db);
          return 25;
        },
        /missing \(deleted\)/,
      ],
      [
        'reorder',
        async (_h, db) => {
          // Swap two entries' places (their sequence numbers), keeping their recorded hashes.
          await sql`update audit_entries set seq = -1 where seq = 20`.execute(db);
          await sql`update audit_entries set seq = 20 where seq = 21`.execute(db);
          await sql`update audit_entries set seq = 21 where seq = -1`.execute(db);
          return 20;
        },
        /altered/,
      ],
      [
        'truncate',
        async (harness, db) => {
          const head = await harness.rt.audit.service.repo.head();
          const cut = Number(head.tree_size) - 10;
          await sql`delete from audit_entries where seq > ${cut}`.execute(db);
          return cut + 1;
        },
        /(truncated|missing \(deleted\))/,
      ],
      [
        'rewrite with recomputed hashes',
        async (harness, db) => {
          // A careful attacker edits entry 20 and recomputes its hash and every later hash and chain link.
          // Only the signed checkpoints can catch this; the place named is the start of the signed range.
          const rows = await db.selectFrom('audit_entries').selectAll().where('seq', '>=', 20).orderBy('seq').execute();
          expect(rows.length).toBeGreaterThan(5);
          let prev: string | null = null;
          for (const row of rows) {
            const e = rowToEntry(row);
            if (e.seq === 20) e.actorId = 'someone-else';
            if (prev !== null) e.prev = prev;
            const hash = leafHash(canonicalEntry(e)).toString('hex');
            await sql`update audit_entries set actor_id = ${e.actorId}, prev_hash = ${e.prev}, hash = ${hash} where seq = ${e.seq}`.execute(
              db,
            );
            prev = hash;
          }
          // Also repoint the head, so new entries chain on from the forgery.
          await sql`update audit_head set last_hash = ${prev ?? ''} where id = 1`.execute(db);
          const cps = await harness.rt.audit.service.repo.checkpoints();
          const before = cps.filter((c) => Number(c.tree_size) < 20).map((c) => Number(c.tree_size));
          return Math.max(0, ...before) + 1;
        },
        /do not match the checkpoint signed/,
      ],
    ];

    /** The first (`asc`) or newest (`desc`) record created, and the first entry naming it (target or read). */
    async function createdRecord(
      db: Harness['rt']['db']['kysely'],
      order: 'asc' | 'desc',
    ): Promise<{ id: string; firstSeq: number }> {
      const created = await db
        .selectFrom('audit_entries')
        .select(['target_id'])
        .where('action', '=', 'record.created')
        .orderBy('seq', order)
        .executeTakeFirstOrThrow();
      const id = created.target_id ?? '';
      const first = await db
        .selectFrom('audit_entries')
        .select((eb) => eb.fn.min('seq').as('seq'))
        .where((eb) => eb.or([eb('target_id', '=', id), eb('detail', 'like', `%${id}%`)]))
        .executeTakeFirstOrThrow();
      return { id, firstSeq: Number(first.seq) };
    }

    it('detects: index rows deleted to hide a read from "who accessed this"', { timeout: 180_000 }, async () => {
      h = await populated();
      await dropAuditGuards(h);
      const db = h.rt.db.kysely;
      const { id, firstSeq } = await createdRecord(db, 'asc');
      const deleted = await sql`delete from audit_refs where ref_id = ${id}`.execute(db);
      expect(Number(deleted.numAffectedRows)).toBeGreaterThan(0);
      await settle(h);
      const cli = separ(h, ['audit', 'verify']);
      expect(cli.code).toBe(1);
      expect(cli.stderr.trim().split('\n')).toHaveLength(1);
      expect(cli.stderr).toContain(`at entry ${firstSeq}:`);
      expect(cli.stderr).toMatch(/who accessed this/);
    });

    // PostgreSQL runs the index check while the entries are hashed, up to the newest entry at the start; the
    // gap is in the newest record's entries, and small pages make the entries span many reads.
    it('detects deleted index rows of the newest record, and reports none before', { timeout: 180_000 }, async () => {
      const harness = await populated();
      h = harness;
      await dropAuditGuards(harness);
      const db = harness.rt.db.kysely;
      const { id, firstSeq } = await createdRecord(db, 'desc');
      const indexProblems = async (): Promise<{ seq: number | null; message: string }[]> => {
        const report = await verifyLog(harness.rt.audit.service.repo, { heartbeatMs: 3600_000, pageSize: 7 });
        return report.problems.filter((p) => /who accessed this/.test(p.message));
      };
      expect(await indexProblems()).toEqual([]);

      await sql`delete from audit_refs where ref_id = ${id}`.execute(db);
      const problems = await indexProblems();
      expect(problems).toHaveLength(1);
      expect(problems[0]?.seq).toBe(firstSeq);
      expect(problems[0]?.message).toContain(id);
    });

    for (const [name, attack, message] of attacks) {
      it(`detects: ${name}`, { timeout: 180_000 }, async () => {
        h = await populated();
        await dropAuditGuards(h);
        const place = await attack(h, h.rt.db.kysely);
        const r = await check(h, name.replace(/\W+/g, '-'));
        expect(r.cliCode).toBe(1);
        expect(r.cliError.split('\n')).toHaveLength(1);
        expect(r.cliError).toContain(`at entry ${place}:`);
        expect(r.cliError).toMatch(message);
        expect(r.outsiderCode).toBe(1);
        expect(r.outsiderFirstBad?.seq).toBe(place);
        expect(r.outsiderFirstBad?.message).toMatch(message);
      });
    }
  });
}

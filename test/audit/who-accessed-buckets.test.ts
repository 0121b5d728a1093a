import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';
import { testDialects } from '../support/dialects.js';
import { AuditSearchRepository } from '../../src/security/audit/audit-search.repository.js';
import { REF_BUCKET } from '../../src/security/audit/ref-index-check.js';
import type { AuditEventView } from '../../src/security/audit/index.js';
import { API, body, call, settle } from './support.js';

/**
 * "Who accessed this" over an index keyed bucket first: the search probes bucket numbers, a few hundred per
 * query, so a record named in buckets far apart (and in more buckets than one round looks at) must still be
 * found, newest first, without gaps or repeats.
 */
for (const dialect of await testDialects()) {
  describe(`"who accessed this" across buckets (${dialect})`, () => {
    let h: Harness;
    let rep: TestUser;
    let auditor: TestUser;

    beforeAll(async () => {
      h = await startHarness(dialect);
      rep = await createUserWithToken(h, { roles: ['sales-rep'] });
      auditor = await createUserWithToken(h, { roles: ['auditor'] });
    });
    afterAll(async () => {
      await h.close();
    });

    it('finds every bucket naming a record, newest first, across probe queries and rounds', async () => {
      const repo = new AuditSearchRepository(h.rt.db);
      const probe = `probe-${Date.now()}`;
      // 20 buckets spread over several probe queries (256 bucket numbers each, counted down from the newest
      // online bucket, here 4001: so 3745 | 3746 and 928 | 929 fall in different queries), and decoys around them.
      const online = { oldest: 0, newest: 4001 };
      const buckets = [
        3, 4, 200, 255, 256, 257, 300, 511, 512, 513, 700, 701, 928, 929, 1023, 1024, 2047, 3745, 3746, 4000,
      ];
      await h.rt.db.kysely
        .insertInto('audit_refs')
        .values([
          ...buckets.map((bucket) => ({ ref_id: probe, bucket })),
          ...[2, 5, 258, 1499, 4001].map((bucket) => ({ ref_id: `${probe}-decoy`, bucket })),
          ...buckets.map((bucket) => ({ ref_id: `a${probe}`, bucket: bucket + 1 })),
        ])
        .execute();
      const newestFirst = [...buckets].sort((a, b) => b - a);

      const first = await repo.bucketsMentioning(probe, Number.MAX_SAFE_INTEGER, online);
      expect(first).toEqual(newestFirst.slice(0, 16));
      const rest = await repo.bucketsMentioning(probe, first[first.length - 1] ?? 0, online);
      expect(rest).toEqual(newestFirst.slice(16));
      expect(await repo.bucketsMentioning(probe, 256, online)).toEqual([255, 200, 4, 3]);
      expect(await repo.bucketsMentioning(probe, 3, online)).toEqual([]);
      expect(await repo.bucketsMentioning('never-named', Number.MAX_SAFE_INTEGER, online)).toEqual([]);
    });

    it('shows reads of one contact that lie in different buckets of the real log', async () => {
      const created = await call(h.app, 'POST', `${API}/contacts`, rep.headers, {
        firstName: 'Nasrin',
        lastName: 'Ahmadi',
        email: 'nasrin.ahmadi@example.test',
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = body<{ id: string }>(created).id;
      expect((await call(h.app, 'GET', `${API}/contacts/${id}`, rep.headers)).statusCode).toBe(200);
      // Push the log into the next bucket with unrelated entries, then read the contact again.
      const filler = h.rt.audit.service.system();
      await Promise.all(
        Array.from({ length: REF_BUCKET + 10 }, (_, i) =>
          h.rt.audit.service.record({ ...filler, action: 'test.filler', detail: { i } }),
        ),
      );
      expect((await call(h.app, 'GET', `${API}/contacts/${id}`, rep.headers)).statusCode).toBe(200);
      await settle(h);
      // Index rows far outside the log (anyone who can insert could add them) neither widen the probe range
      // nor show up: the search spans the buckets the log itself holds.
      const before = await new AuditSearchRepository(h.rt.db).onlineBuckets();
      await h.rt.db.kysely
        .insertInto('audit_refs')
        .values([
          { ref_id: id, bucket: 2 ** 50 },
          { ref_id: id, bucket: -(2 ** 50) },
        ])
        .execute();
      expect(await new AuditSearchRepository(h.rt.db).onlineBuckets()).toEqual(before);
      expect(before.newest).toBeGreaterThanOrEqual(1);

      const res = await call(h.app, 'GET', `${API}/audit/events?targetId=${id}&limit=50`, auditor.headers);
      expect(res.statusCode, res.body).toBe(200);
      const items = body<{ items: AuditEventView[] }>(res).items;
      const reads = items.filter((e) => e.action === 'record.sensitive_read');
      expect(reads).toHaveLength(2);
      const [newer, older] = reads.map((e) => e.id);
      expect(Math.floor((newer ?? 0) / REF_BUCKET)).toBeGreaterThan(Math.floor((older ?? 0) / REF_BUCKET));
      expect(items.some((e) => e.action === 'record.created')).toBe(true);
    });
  });
}

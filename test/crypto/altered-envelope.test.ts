import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startHarness, json, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';
import { testDialects } from '../support/dialects.js';

/*
 * A record whose sealed values were altered in the database (by someone with write access to it, or a bad restore):
 * the AEAD refuses it. That must not take down every list page and lookup it appears in, nor stop a key rotation
 * for good; it must not be silently overwritten by a write either; and it is reported (a review's finding: one
 * such row made every page holding it answer 500 and blocked rotation).
 */
for (const dialect of await testDialects()) {
  describe(`a record whose envelope was altered (${dialect})`, () => {
    let h: Harness;
    let rep: Record<string, string>;
    const ids: string[] = [];
    beforeAll(async () => {
      h = await startHarness(dialect, { rotationSettleMs: 0 });
      rep = (await createUserWithToken(h, { roles: ['sales-rep'] })).headers;
      for (const i of [1, 2]) {
        const r = await h.app.inject({
          method: 'POST',
          url: '/api/v1/contacts',
          headers: rep,
          payload: { firstName: `Altered${i}`, email: `altered.${i}@example.org`, phone: `+4915112345${i}00` },
        });
        expect(r.statusCode, r.body).toBe(201);
        ids.push(String((json(r) as { id: string }).id));
      }
      // Flip one character of the first record's ciphertext (base64 'A' <-> 'B' keeps it well-formed).
      const row = (
        await sql<{ sealed: string }>`select sealed from contacts where id = ${ids[0]}`.execute(h.rt.db.kysely)
      ).rows[0];
      const sealed = row?.sealed ?? '';
      const at = sealed.length - 10;
      const altered = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
      await sql`update contacts set sealed = ${altered} where id = ${ids[0]}`.execute(h.rt.db.kysely);
    });
    afterAll(async () => h?.close());

    it('still lists, reads and looks up records, showing none of its sealed values, and reports it', async () => {
      const list = await h.app.inject({ method: 'GET', url: '/api/v1/contacts?limit=50', headers: rep });
      expect(list.statusCode, list.body).toBe(200);
      const items = (json(list) as { items: { id: string; email: unknown }[] }).items;
      expect(items.find((c) => c.id === ids[1])?.email).toBe('altered.2@example.org');
      expect(items.find((c) => c.id === ids[0])?.email ?? null).toBeNull();
      const one = await h.app.inject({ method: 'GET', url: `/api/v1/contacts/${ids[0] ?? ''}`, headers: rep });
      expect(one.statusCode, one.body).toBe(200);
      const lookup = await h.app.inject({
        method: 'GET',
        url: '/api/v1/contacts?email=altered.2%40example.org',
        headers: rep,
      });
      expect(lookup.statusCode, lookup.body).toBe(200);
      await h.rt.audit.service.flush();
      const reported = await sql<{
        n: number;
      }>`select count(*) as n from audit_entries where action = 'record.integrity_failure' and target_id = ${ids[0]}`.execute(
        h.rt.db.kysely,
      );
      // Once per record and process, however many reads met it.
      expect(Number(reported.rows[0]?.n)).toBe(1);
    });

    it('refuses to write over it (409), rather than replacing what cannot be read', async () => {
      const r = await h.app.inject({
        method: 'PATCH',
        url: `/api/v1/contacts/${ids[0] ?? ''}`,
        headers: { ...rep, 'if-match': '"1"' },
        payload: { firstName: 'Overwrite' },
      });
      expect(r.statusCode, r.body).toBe(409);
      expect(json(r)).toMatchObject({ code: 'SEPAR_ERR_CONFLICT' });
    });

    it('does not hold a key rotation back', async () => {
      await h.rt.rotation.start();
      await h.rt.rotation.resume();
      const status = await h.rt.rotation.status();
      expect(status.rotation?.state).toBe('done');
      const r = await h.app.inject({ method: 'GET', url: `/api/v1/contacts/${ids[1] ?? ''}`, headers: rep });
      expect((json(r) as { email: string }).email).toBe('altered.2@example.org');
    });
  });
}

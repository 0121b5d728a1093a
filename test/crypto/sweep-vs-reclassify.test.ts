import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';
import { testDialects } from '../support/dialects.js';
import { API, body, call } from '../audit/support.js';

/*
 * A long storage sweep (the mask refresh after an upgrade, a rotation, an earlier reclassification) still running
 * when a field is made restricted — on this instance or another — must not write rows back by the classification it
 * started with after that change's own sweep has passed them: the values would be in plaintext again, for good (a
 * review's finding). Rows are stored by the registry as it is when they are written.
 */
for (const dialect of await testDialects()) {
  describe(`a storage sweep overtaken by a reclassification (${dialect})`, () => {
    let h: Harness;
    let admin: TestUser;
    beforeAll(async () => {
      h = await startHarness(dialect);
      admin = await createUserWithToken(h, { roles: ['admin'] });
    });
    afterAll(async () => h?.close());

    it('stores every row by the new classification, whichever sweep writes it last', async () => {
      const created = await call(h.app, 'POST', `${API}/fields`, admin.headers, {
        object: 'contacts',
        key: 'diagnosis',
        label: 'Diagnosis',
        type: 'text',
        classification: 'public',
        searchable: true,
      });
      expect(created.statusCode, created.body).toBe(201);
      const field = body<{ id: string; version: number }>(created);
      for (let i = 0; i < 6; i++) {
        const r = await call(h.app, 'POST', `${API}/contacts`, admin.headers, {
          firstName: `Sweep${i}`,
          custom: { diagnosis: `SecretDx${i}` },
        });
        expect(r.statusCode, r.body).toBe(201);
      }
      let reclassified = false;
      // A sweep as the mask refresh runs it, which meets the reclassification after its first row.
      await h.rt.crm.storage.sweep('contacts', {
        beforeRow: async () => {
          if (reclassified) return;
          reclassified = true;
          const upd = await call(h.app, 'PATCH', `${API}/fields/${field.id}`, admin.headers, {
            classification: 'restricted',
            version: field.version,
          });
          expect(upd.statusCode, upd.body).toBe(200);
          await h.rt.crm.storage.idle();
        },
      });
      await h.rt.crm.storage.idle();
      const leaks = await sql<{
        id: string;
      }>`select id from contacts where custom like ${'%SecretDx%'} or search_text like ${'%secretdx%'}`.execute(
        h.rt.db.kysely,
      );
      expect(leaks.rows).toEqual([]);
      // … and the values are there, sealed.
      const list = await call(h.app, 'GET', `${API}/contacts?limit=50`, admin.headers);
      expect(list.statusCode).toBe(200);
    });
  });
}

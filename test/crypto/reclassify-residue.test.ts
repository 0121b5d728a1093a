import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';
import { API, body, call, waitForBackgroundWork } from '../security/helpers.js';

/**
 * A field that was public and searchable had its values in the full-text index. Once it is classified restricted
 * and its records re-stored, the index must not keep them either: FTS5 leaves the terms of replaced rows in older
 * segments until it happens to merge them, so a copy of the file would still spell them out (a review found 21 of
 * 3,000 values readable after a reclassification and two restarts).
 */
describe('reclassified to restricted: nothing left in the search index (sqlite)', () => {
  let h: Harness;
  let admin: TestUser;
  const COUNT = 600;
  const marker = (i: number): string => `Zephyrmark${i}q`;

  beforeAll(async () => {
    h = await startHarness('sqlite');
    admin = await createUserWithToken(h, { roles: ['admin'] });
  });
  afterAll(async () => h?.close());

  it('merges the index once the records are re-stored, so no removed term stays in the file', async () => {
    const created = await call(h.app, 'POST', `${API}/fields`, admin.headers, {
      object: 'contacts',
      key: 'codename',
      label: 'Code name',
      type: 'text',
      classification: 'public',
      searchable: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const field = body<{ id: string; version: number }>(created);
    for (let i = 0; i < COUNT; i++) {
      const r = await call(h.app, 'POST', `${API}/contacts`, admin.headers, {
        firstName: 'Residue',
        lastName: `Test${i}`,
        custom: { codename: marker(i) },
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    const found = await call(h.app, 'GET', `${API}/contacts?q=${marker(7)}`, admin.headers);
    expect(body<{ items: unknown[] }>(found).items).toHaveLength(1);

    // On a large table many segments wait to be merged; with automerge off this small one behaves the same.
    await sql`insert into contacts_fts(contacts_fts, rank) values ('automerge', 0)`.execute(h.rt.db.kysely);
    const upd = await call(h.app, 'PATCH', `${API}/fields/${field.id}`, admin.headers, {
      classification: 'restricted',
      version: field.version,
    });
    expect(upd.statusCode, upd.body).toBe(200);
    await waitForBackgroundWork(h.rt);
    // Everything into the database file (the audit and checkpoint threads may hold a read for a moment).
    for (let i = 0; i < 50; i++) {
      const cp = await sql<{ busy: number }>`pragma wal_checkpoint(truncate)`.execute(h.rt.db.kysely);
      if (Number(cp.rows[0]?.busy ?? 1) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // The index's own storage: its segments' blocks and their first terms. (The audit trail keeps what was written
    // while the field was public, as it must. Pages the merge frees are zeroed by secure_delete.)
    const blocks = await sql<{ b: Uint8Array | string | null }>`select block as b from contacts_fts_data
      union all select term as b from contacts_fts_idx`.execute(h.rt.db.kysely);
    const index = blocks.rows
      .map((r) => Buffer.from(r.b ?? '').toString('latin1'))
      .join('\n')
      .toLowerCase();
    expect(index.length).toBeGreaterThan(0);
    const left = Array.from({ length: COUNT }, (_, i) => marker(i).toLowerCase()).filter((m) => index.includes(m));
    expect(left).toEqual([]);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { systemActor } from '../../src/security/access/index.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';

/*
 * Instances keep unwrapped subject keys in memory (ADR 0010). Erasing a subject (crypto-shredding its key) on one
 * instance must make its personal data unreadable at once on every other one, even where its key is cached.
 */
const dialects = await testDialects();
const quiet = createLogger('silent');

describe.each(dialects)('crypto-shredding with cached keys (%s)', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('a subject erased on one instance is unreadable at once on another that holds its key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'separ-erasure-'));
    const pg = dialect === 'postgres' ? await freshPgDatabase() : null;
    cleanup.push(async () => {
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    });
    const env = { SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}) };
    const open = (): Promise<Runtime> => createRuntime(loadConfig(env), { migrate: true, logger: quiet });
    const a = await open();
    const b = await open();
    cleanup.push(
      () => a.close(),
      () => b.close(),
    );
    const sys = systemActor('test');
    const owner = await a.identity.users.createUser(sys, { email: 'owner@example.com', name: 'O', roles: ['admin'] });
    const erased = await a.crm.records.contacts.create(sys, {
      firstName: 'Erased',
      email: 'erase.me@example.com',
      phone: '+491511234500',
      ownerId: owner.id,
    });
    const erasedId = String(erased.id);
    const kept = await a.crm.records.contacts.create(sys, {
      firstName: 'Kept',
      email: 'keep.me@example.com',
      ownerId: owner.id,
    });

    // B reads both in clear: their keys are now unwrapped and cached in B.
    expect((await b.crm.records.contacts.get(sys, erasedId)).email).toBe('erase.me@example.com');
    expect((await b.crm.records.contacts.list(sys, { limit: 50 })).items.map((c) => c.email)).toContain(
      'erase.me@example.com',
    );

    expect(await a.crypto.destroySubject('contacts', erasedId)).toBe(1);

    // B, without being told, no longer shows it: not by id, not in a page, not through a lookup.
    expect(await b.crm.records.contacts.get(sys, erasedId)).toMatchObject({
      firstName: 'Erased',
      email: null,
      phone: null,
    });
    const page = await b.crm.records.contacts.list(sys, { limit: 50 });
    expect(page.items.find((c) => c.id === erasedId)).toMatchObject({ email: null, phone: null });
    expect(page.items.find((c) => c.id === kept.id)?.email).toBe('keep.me@example.com');
    expect((await b.crm.records.contacts.list(sys, { email: 'erase.me@example.com' })).items).toEqual([]);
  });
});

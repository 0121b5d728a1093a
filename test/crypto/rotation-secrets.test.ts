import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { systemActor } from '../../src/security/access/index.js';
import { HierarchySecretSealer } from '../../src/security/identity/hierarchy-secret-sealer.js';
import { sealPurpose } from '../../src/security/identity/mfa/totp.service.js';
import { open as openSigningKey } from '../../src/security/audit/signing-key.js';
import type { AuditKeysTable } from '../../src/db/index.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';

/*
 * A rotation made because a KEK leaked must leave nothing under it: someone holding the old KEK and a copy of the
 * database could otherwise still sign audit checkpoints with the log's key, or read every second factor's seed.
 */
for (const dialect of await testDialects()) {
  describe(`a key rotation re-seals the small secrets (${dialect})`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups) await c();
    });
    /** A fresh installation (its own data dir, and database on PostgreSQL), closed and removed after the suite. */
    const fresh = async (): Promise<Runtime> => {
      const dir = mkdtempSync(join(tmpdir(), 'separ-rot-secrets-'));
      const pg = dialect === 'postgres' ? await freshPgDatabase() : null;
      const env = { SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}) };
      const rt = await createRuntime(loadConfig(env), {
        migrate: true,
        logger: createLogger('silent'),
        rotationSettleMs: 0,
      });
      cleanups.push(async () => {
        await rt.close();
        await pg?.drop();
        rmSync(dir, { recursive: true, force: true });
      });
      return rt;
    };

    it('moves the audit signing key and TOTP seeds to the new KEK, and they still open', async () => {
      const rt = await fresh();
      const user = await rt.identity.users.createUser(systemActor('test'), {
        email: 'mfa@example.com',
        name: 'M',
        roles: ['admin'],
      });
      // A seed as identity seals it (the hierarchy sealer), one confirmed and one pending.
      const sealer = new HierarchySecretSealer(rt.crypto, {
        seal: () => Promise.reject(new Error('legacy sealer not used')),
        open: () => Promise.reject(new Error('legacy sealer not used')),
      });
      const seed = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      const now = new Date().toISOString();
      await sql`insert into mfa_totp (user_id, secret_sealed, pending_secret_sealed, pending_created_at, last_counter, confirmed_at, updated_at)
          values (${user.id}, ${await sealer.seal(sealPurpose(user.id, false), seed)}, ${await sealer.seal(sealPurpose(user.id, true), seed)}, ${now}, 0, ${now}, ${now})`.execute(
        rt.db.kysely,
      );
      const keys = async () => (await sql<AuditKeysTable>`select * from audit_keys`.execute(rt.db.kysely)).rows;
      expect((await keys()).length).toBeGreaterThanOrEqual(1);
      expect((await rt.rotation.status()).secretsOnOldKeks).toBe(0);

      await rt.rotation.start();
      // The new KEK is active: the secrets are now on an old one, and the status says so.
      expect((await rt.rotation.status()).secretsOnOldKeks).toBe((await keys()).length + 2);
      await rt.rotation.resume();
      const after = await rt.rotation.status();
      expect(after.secretsOnOldKeks).toBe(0);
      expect(after.keks.map((k) => k.status)).toEqual(['retired', 'active']);

      const row = (
        await sql<{
          secret_sealed: string;
          pending_secret_sealed: string;
        }>`select secret_sealed, pending_secret_sealed from mfa_totp where user_id = ${user.id}`.execute(rt.db.kysely)
      ).rows[0];
      for (const [sealed, pending] of [
        [row?.secret_sealed ?? '', false],
        [row?.pending_secret_sealed ?? '', true],
      ] as const) {
        expect(sealer.isStale(sealed)).toBe(false);
        expect(await sealer.open(sealPurpose(user.id, pending), sealed)).toBe(seed);
      }
      for (const k of await keys()) {
        expect(rt.crypto.secretIsStale(k.sealed_private)).toBe(false);
        expect(openSigningKey(k, rt.crypto).vkey).toContain('separ-audit');
      }
    });

    it('finishes even when a secret no longer opens, and keeps counting it', async () => {
      const rt = await fresh();
      const user = await rt.identity.users.createUser(systemActor('test'), {
        email: 'bad@example.com',
        name: 'B',
        roles: ['admin'],
      });
      const now = new Date().toISOString();
      // A seed altered in the database: it opens under no key.
      await sql`insert into mfa_totp (user_id, secret_sealed, pending_secret_sealed, pending_created_at, last_counter, confirmed_at, updated_at)
          values (${user.id}, ${'sk1.' + Buffer.alloc(80, 7).toString('base64')}, ${null}, ${null}, 0, ${now}, ${now})`.execute(
        rt.db.kysely,
      );
      await rt.rotation.start();
      await rt.rotation.resume();
      const status = await rt.rotation.status();
      expect(status.rotation?.state).toBe('done');
      expect(status.keks.map((k) => k.status)).toEqual(['retired', 'active']);
      expect(status.secretsOnOldKeks).toBe(1);
    });
  });
}

import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';
import { bitsForRows } from '../../src/security/crypto/index.js';
import { systemActor } from '../../src/security/access/index.js';

/*
 * Starting a rotation is one step or none. Step by step, a crash after the new KEK was made active left two active
 * KEKs and no rotation for `--resume` to find, and two `separ keys rotate` at once each began one (a review).
 */
for (const dialect of await testDialects()) {
  describe(`starting a key rotation (${dialect})`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups) await c();
    });
    const open = async (): Promise<Runtime> => {
      const dir = mkdtempSync(join(tmpdir(), 'separ-rot-start-'));
      const pg = dialect === 'postgres' ? await freshPgDatabase() : null;
      const rt = await createRuntime(
        loadConfig({ SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}) }),
        { migrate: true, logger: createLogger('silent'), rotationSettleMs: 0 },
      );
      cleanups.push(async () => {
        await rt.close();
        await pg?.drop();
        rmSync(dir, { recursive: true, force: true });
      });
      return rt;
    };

    it('sizes the new epoch’s blind indexes from SEPAR_BLIND_INDEX_ROWS as it is now', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'separ-rot-bits-'));
      const pg = dialect === 'postgres' ? await freshPgDatabase() : null;
      const env = { SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}) };
      const opts = { migrate: true, logger: createLogger('silent'), rotationSettleMs: 0 };
      cleanups.push(async () => {
        await pg?.drop();
        rmSync(dir, { recursive: true, force: true });
      });
      const first = await createRuntime(loadConfig(env), opts);
      const sys = systemActor('test');
      const owner = await first.identity.users.createUser(sys, { email: 'b@example.com', name: 'B', roles: ['admin'] });
      await first.crm.records.contacts.create(sys, { firstName: 'Bits', email: 'bits@example.com', ownerId: owner.id });
      expect((await first.rotation.status()).epochs.map((e) => e.bits)).toEqual([bitsForRows(1_000_000)]);
      await first.close();
      // A small installation says so, and its next rotation builds indexes of that size.
      const again = await createRuntime(loadConfig({ ...env, SEPAR_BLIND_INDEX_ROWS: '4000' }), opts);
      await again.rotation.start();
      await again.rotation.resume();
      const epochs = (await again.rotation.status()).epochs;
      expect(epochs.find((e) => e.status === 'active')?.bits).toBe(bitsForRows(4000));
      const found = await again.crm.records.contacts.list(sys, { email: 'bits@example.com' });
      expect(found.items).toHaveLength(1);
      await again.close();
    });

    it('lets a running server read records another process re-sealed under a KEK it has not loaded yet', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'separ-rot-two-'));
      const pg = dialect === 'postgres' ? await freshPgDatabase() : null;
      const env = { SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}) };
      const opts = { migrate: true, logger: createLogger('silent'), rotationSettleMs: 0 };
      const server = await createRuntime(loadConfig(env), opts);
      cleanups.push(async () => {
        await server.close();
        await pg?.drop();
        rmSync(dir, { recursive: true, force: true });
      });
      const sys = systemActor('test');
      const owner = await server.identity.users.createUser(sys, {
        email: 'two@example.com',
        name: 'T',
        roles: ['admin'],
      });
      const c = await server.crm.records.contacts.create(sys, {
        firstName: 'Two',
        email: 'two.rot@example.org',
        ownerId: owner.id,
      });
      // `separ keys rotate` in another process: a new KEK and new subject keys the server has not heard of.
      const cli = await createRuntime(loadConfig(env), opts);
      await cli.rotation.start();
      await cli.rotation.resume();
      await cli.close();
      const id = String(c.id);
      expect((await server.crm.records.contacts.get(sys, id)).email).toBe('two.rot@example.org');
      const updated = await server.crm.records.contacts.update(
        sys,
        id,
        { firstName: 'Three' },
        { ifMatch: Number(c.version) },
      );
      expect(updated.email).toBe('two.rot@example.org');
      await server.audit.service.flush();
      const alarms = await sql`select seq from audit_entries where action = 'record.integrity_failure'`.execute(
        server.db.kysely,
      );
      expect(alarms.rows).toEqual([]);
    });

    it('gives two concurrent starts the same rotation, with one new KEK', async () => {
      const rt = await open();
      const [a, b] = await Promise.all([rt.rotation.start(), rt.rotation.start()]);
      expect(a.id).toBe(b.id);
      const status = await rt.rotation.status();
      expect(status.keks.map((k) => k.status)).toEqual(['retiring', 'active']);
      expect(status.epochs.map((e) => e.status)).toEqual(['active', 'building']);
      await rt.rotation.resume();
      expect((await rt.rotation.status()).keks.map((k) => k.status)).toEqual(['retired', 'active']);
    });

    it('leaves everything as it was when the start fails part-way', async () => {
      const rt = await open();
      const db = rt.db.kysely;
      // The last of the start's writes fails, as a crash there would end it.
      if (dialect === 'sqlite') {
        await sql`create trigger fail_rotation before insert on key_rotations begin select raise(abort, 'injected'); end`.execute(
          db,
        );
      } else {
        await sql`create function fail_rotation() returns trigger language plpgsql as $$ begin raise exception 'injected'; end $$`.execute(
          db,
        );
        await sql`create trigger fail_rotation before insert on key_rotations for each row execute function fail_rotation()`.execute(
          db,
        );
      }
      await expect(rt.rotation.start()).rejects.toThrow(/injected/);
      const status = await rt.rotation.status();
      expect(status.keks.map((k) => k.status)).toEqual(['active']);
      expect(status.epochs.map((e) => e.status)).toEqual(['active']);
      expect(status.rotation).toBeNull();
      await sql`drop trigger fail_rotation${dialect === 'postgres' ? sql` on key_rotations` : sql``}`.execute(db);
      // … and a rotation starts and finishes normally afterwards.
      await rt.rotation.start();
      await rt.rotation.resume();
      expect((await rt.rotation.status()).keks.map((k) => k.status)).toEqual(['retired', 'active']);
    });
  });
}

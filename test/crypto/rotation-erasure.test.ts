import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { systemActor } from '../../src/security/access/index.js';
import { RecordRepository } from '../../src/crm/records/record.repository.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';

/*
 * Key rotation and crypto-shredding side by side, from the attacker's (or the unlucky operator's) side: a rotation
 * must not destroy what erasure keeps (audit details sealed under a record's key), and must not bring back what
 * erasure destroyed (values it read just before the shred).
 */
const quiet = createLogger('silent');
const sys = systemActor('test');

async function runtime(dialect: string): Promise<{ rt: Runtime; drop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'separ-rot-erase-'));
  const pg = dialect === 'postgres' ? await freshPgDatabase() : null;
  const rt = await createRuntime(
    loadConfig({ SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent', ...(pg ? { DATABASE_URL: pg.url } : {}) }),
    { migrate: true, logger: quiet, rotationSettleMs: 0 },
  );
  return {
    rt,
    drop: async () => {
      await rt.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function contact(rt: Runtime, email: string): Promise<string> {
  const owner = await rt.identity.users.createUser(sys, { email: `owner.${email}`, name: 'Owner', roles: ['admin'] });
  const c = await rt.crm.records.contacts.create(sys, { firstName: 'Parisa', email, ownerId: owner.id });
  return String(c.id);
}

for (const dialect of await testDialects()) {
  describe(`rotation and erasure (${dialect})`, () => {
    const drops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const d of drops) await d();
    });

    it('keeps the audit details sealed under a record key readable after a rotation, and erasure still destroys them', async () => {
      const { rt, drop } = await runtime(dialect);
      drops.push(drop);
      const id = await contact(rt, 'kept.details@example.org');
      // What the audit trail stores for a change of this record: sealed under the record's own key.
      const sealed = await rt.crypto.sealForSubject('contacts', id, ['audit'], Buffer.from('{"email":"before"}'));
      await rt.rotation.start();
      await rt.rotation.resume();
      const status = await rt.rotation.status();
      expect(status.deksOnOldKeks).toBe(0);
      expect((await rt.crypto.openForSubject('contacts', id, ['audit'], sealed))?.toString()).toBe(
        '{"email":"before"}',
      );
      // The record itself moved to a new key and reads as before.
      expect((await rt.crm.records.contacts.get(sys, id)).email).toBe('kept.details@example.org');
      // Erasure destroys every key of the subject, the one the rotation retired too.
      expect(await rt.crypto.destroySubject('contacts', id)).toBe(2);
      expect(await rt.crypto.openForSubject('contacts', id, ['audit'], sealed)).toBeNull();
    });

    it('does not bring back a record erased while the rotation sweep holds it', async () => {
      const { rt, drop } = await runtime(dialect);
      drops.push(drop);
      const id = await contact(rt, 'erase.me@example.org');
      await rt.rotation.start();
      // The sweep has read the record (its wrapped key included) when the erasure lands.
      await rt.rotation.resume({
        beforeRow: async () => {
          await rt.crypto.destroySubject('contacts', id);
        },
      });
      rt.crypto.hierarchy.forgetCachedDeks();
      const after = await rt.crm.records.contacts.get(sys, id);
      expect(after.email).not.toBe('erase.me@example.org');
      expect((await rt.crm.records.contacts.list(sys, { email: 'erase.me@example.org' })).items).toEqual([]);
      // No live key is left for the subject: nothing could open what the sweep wrote.
      expect(await rt.crypto.destroySubject('contacts', id)).toBe(0);
    });

    it('refuses a record write prepared with a key that was shredded meanwhile', async () => {
      const { rt, drop } = await runtime(dialect);
      drops.push(drop);
      const id = await contact(rt, 'stale.write@example.org');
      const before = await rt.crm.records.contacts.get(sys, id);
      const repo = new RecordRepository(rt.db);
      const def = rt.crm.records.contacts.definition;
      // The write was prepared (values opened, re-sealed) before the shred, and lands after it.
      const row = await repo.findById(def, id, { kind: 'all' }, true);
      const kid = String(row?.sealed_kid);
      await rt.crypto.destroySubject('contacts', id);
      const prepared = { sealed: String(row?.sealed), sealed_kid: kid, masks: row?.masks ?? null };
      const opts = { bumpVersion: true, openedWith: kid };
      expect(await repo.update(def, id, Number(before.version), { kind: 'all' }, prepared, {}, opts)).toBeNull();
      // The same write without a key that was read: nothing of the shredded subject to guard, it applies.
      expect(await repo.update(def, id, Number(before.version), { kind: 'all' }, { title: 'x' }, {})).toBe(
        Number(before.version) + 1,
      );
    });
  });
}

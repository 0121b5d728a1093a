import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryStateRepository } from '../../src/crm/fields/registry-state.repository.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * The registry state every list, search and write reads: the stamp and the objects whose records are being
 * re-stored. It is read by exact keys — a settings row that only looks like a marker is not one.
 */
for (const dialect of await testDialects()) {
  describe(`registry state (${dialect})`, () => {
    let h: Harness;
    let state: RegistryStateRepository;

    beforeAll(async () => {
      h = await startHarness(dialect);
      state = new RegistryStateRepository(h.rt.db);
    });
    afterAll(async () => {
      await h?.close();
    });

    it('reads the stamp and the pending markers, and forgets a marker once cleared', async () => {
      const stamp = await state.renewStamp();
      const token = await state.markPending('contacts');
      await state.markPending('deals');
      let now = await state.read();
      expect(now.stamp).toBe(stamp);
      expect([...now.pending].sort()).toEqual(['contacts', 'deals']);

      // A newer change re-marked contacts meanwhile: clearing with the old token leaves it pending.
      const newer = await state.markPending('contacts');
      await state.clearPending('contacts', token);
      expect((await state.read()).pending.has('contacts')).toBe(true);
      await state.clearPending('contacts', newer);
      await state.clearPending('deals', (await state.pendingToken('deals')) ?? '');
      now = await state.read();
      expect(now.pending.size).toBe(0);
      expect(now.stamp).toBe(stamp);
    });

    it('does not take a look-alike settings row for a marker', async () => {
      // `_` is a LIKE wildcard and case folds under SQLite's LIKE: none of these is a marker.
      for (const key of ['sweepXpending:contacts', 'SWEEP_PENDING:contacts', 'sweep_pending:unknown-object']) {
        await h.rt.db.kysely.insertInto('settings').values({ key, value: 'x' }).execute();
      }
      expect((await state.read()).pending.size).toBe(0);
    });
  });
}

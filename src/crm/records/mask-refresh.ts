import type { Logger } from '../../platform/logger.js';
import { MASK_RULES } from '../../security/access/index.js';
import type { CrmObjectName } from '../../security/classification/index.js';
import type { SettingsRepository } from '../settings.repository.js';
import type { ObjectDefinition } from './object-definition.js';
import type { RecordRepository } from './record.repository.js';
import type { StorageSweeper } from './storage-sweeper.js';

const KEY = 'mask_rules';

/**
 * Write-time masks follow the rules they were written under (security/access/masking.ts, `MASK_RULES`). When the
 * rules change, the masks already stored would go on disclosing what the old rules let through — to every role that
 * sees masks, and to anyone with a copy of the database — until each record happened to be written again. So once
 * per change of rules every record is re-stored in the background (the storage sweep: the values are opened, the
 * masks computed afresh), and the rules are then recorded as applied. Reads and writes go on meanwhile; a stale
 * mask is shown until its record's turn. An installation with no records yet has nothing to re-write.
 */
export async function refreshStoredMasks(deps: {
  settings: SettingsRepository;
  repo: RecordRepository;
  sweeper: StorageSweeper;
  defs: Record<CrmObjectName, ObjectDefinition>;
  logger: Logger;
  /** Re-write stored masks (servers); otherwise only an installation without records records the rules. */
  rewrite: boolean;
}): Promise<void> {
  if ((await deps.settings.get(KEY)) === MASK_RULES) return;
  const objects = deps.sweeper.objects;
  const holding = await Promise.all(objects.map((o) => deps.repo.hasAny(deps.defs[o])));
  if (!holding.some(Boolean)) {
    // Nothing stored yet: every mask from now on is written under these rules (a CLI's `init` and `seed` too).
    await deps.settings.put(KEY, MASK_RULES);
    return;
  }
  if (!deps.rewrite) return;
  // In the background: the caller (a starting server) goes on; `StorageSweeper.idle` waits for it at shutdown.
  deps.sweeper.track(
    (async () => {
      let records = 0;
      for (const object of objects) records += await deps.sweeper.sweep(object);
      await deps.settings.put(KEY, MASK_RULES);
      deps.logger.info({ records, rules: MASK_RULES }, 'stored masks re-written under the current mask rules');
    })().catch((err: unknown) => {
      // Tried again at the next start; the masks already re-written stay so.
      deps.logger.error({ err }, 're-writing stored masks failed');
    }),
  );
}

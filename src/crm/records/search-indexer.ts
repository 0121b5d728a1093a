import type { Logger } from '../../platform/logger.js';
import type { FieldRegistry, CrmObjectName } from '../../security/classification/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { RecordRepository } from './record.repository.js';
import { searchText } from './record-mapper.js';

const BATCH = 500;

/**
 * Rebuilds the plaintext search document of every record of an object after its fields'
 * classification or searchability changed, so a value that became restricted leaves the index.
 * Runs in the background in batches; a second request while one runs queues exactly one rerun.
 */
export class SearchIndexer {
  private running = new Map<CrmObjectName, Promise<void>>();
  private rerun = new Set<CrmObjectName>();

  constructor(
    private readonly repo: RecordRepository,
    private readonly registry: FieldRegistry,
    private readonly defs: Record<CrmObjectName, ObjectDefinition>,
    private readonly logger: Logger,
  ) {}

  request(object: CrmObjectName): void {
    if (this.running.has(object)) {
      this.rerun.add(object);
      return;
    }
    const run = this.rebuild(object)
      .then(() => undefined)
      .catch((err: unknown) => this.logger.error({ err, object }, 'search reindex failed'))
      .finally(() => {
        this.running.delete(object);
        if (this.rerun.delete(object)) this.request(object);
      });
    this.running.set(object, run);
  }

  /** Resolves when no rebuild is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  async rebuild(object: CrmObjectName): Promise<number> {
    const def = this.defs[object];
    await this.registry.load();
    const fields = this.registry.fields(object);
    let after = 0;
    let count = 0;
    for (;;) {
      const rows = await this.repo.searchBatch(def, after, BATCH);
      if (rows.length === 0) break;
      const updates = rows.map((r) => ({
        id: String(r.id),
        text: searchText(
          def,
          r,
          JSON.parse(String(r.custom)) as Record<string, unknown>,
          JSON.parse(String(r.tags)) as string[],
          fields,
        ),
      }));
      await this.repo.setSearchText(def, updates);
      count += rows.length;
      after = Number(rows[rows.length - 1]?.seq ?? after);
    }
    return count;
  }
}

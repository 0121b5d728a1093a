import type { Classification, CrmObjectName, FieldDefinition } from './classification.js';

/** Where the registry reads its rows (the fields repository implements it). */
export interface FieldSource {
  loadAll(): Promise<FieldDefinition[]>;
}

const REFRESH_MS = 5000;

/**
 * The one field registry. Built-in and custom fields, with their classification, in one place.
 * Cached in memory; refreshed after local changes at once and from the database every few seconds
 * so other instances' changes arrive without a restart.
 */
export class FieldRegistry {
  private byObject = new Map<CrmObjectName, FieldDefinition[]>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  /** The shared registry stamp this cache was loaded at (see RegistryStateRepository). */
  private stamp: string | null = null;

  constructor(
    private readonly source: FieldSource,
    private readonly now: () => number = Date.now,
  ) {}

  async load(): Promise<void> {
    const all = await this.source.loadAll();
    const next = new Map<CrmObjectName, FieldDefinition[]>();
    for (const f of all) {
      const list = next.get(f.object) ?? [];
      list.push(f);
      next.set(f.object, list);
    }
    for (const list of next.values()) list.sort((a, b) => a.position - b.position || a.key.localeCompare(b.key));
    this.byObject = next;
    this.loadedAt = this.now();
  }

  /** Reload when another instance changed a field since this cache was loaded. */
  async atStamp(stamp: string | null): Promise<this> {
    if (stamp !== this.stamp) {
      await this.load();
      this.stamp = stamp;
      return this;
    }
    return this.fresh();
  }

  /** Refresh when stale; concurrent callers share one load. */
  async fresh(): Promise<this> {
    if (this.now() - this.loadedAt > REFRESH_MS) {
      this.loading ??= this.load().finally(() => {
        this.loading = null;
      });
      await this.loading;
    }
    return this;
  }

  fields(object: CrmObjectName): readonly FieldDefinition[] {
    return this.byObject.get(object) ?? [];
  }

  field(object: CrmObjectName, key: string): FieldDefinition | undefined {
    return this.fields(object).find((f) => f.key === key);
  }

  custom(object: CrmObjectName): readonly FieldDefinition[] {
    return this.fields(object).filter((f) => !f.builtin);
  }

  classification(object: CrmObjectName, key: string): Classification | undefined {
    return this.field(object, key)?.classification;
  }
}

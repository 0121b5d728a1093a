import { Value } from 'typebox/value';
import { AppError, forbidden } from '../../../platform/app-error.js';
import type { Clock } from '../../../platform/clock.js';
import { CRM_OBJECTS, type Actor, type CrmObject } from '../../access/index.js';
import type { Classification } from '../../classification/index.js';
import { PreferencesSchema, type Preferences } from './preferences.schema.js';
import type { PreferencesRepository } from './preferences.repository.js';

/** The field registry's answer to "how is this field classified?" (undefined: no such field). */
export interface FieldClassifier {
  classification(object: CrmObject, key: string): Classification | undefined;
}

/** Filter values on fields of these classes are personal or card data: a saved view must not keep them. */
const UNSAVED_CLASSES: ReadonlySet<Classification> = new Set(['restricted', 'pci']);

export interface PreferencesView {
  preferences: Preferences;
  updatedAt: string | null;
}

/**
 * Each signed-in person's own UI preferences (language, saved list views). Only ever the caller's:
 * there is no way to name another user, so no one reads or writes someone else's.
 */
export class PreferencesService {
  constructor(
    private readonly repo: PreferencesRepository,
    private readonly clock: Clock,
    private readonly fields?: () => FieldClassifier,
  ) {}

  private owner(actor: Actor): string {
    if (actor.kind === 'system') throw forbidden('Preferences belong to a person.');
    return actor.userId;
  }

  async get(actor: Actor): Promise<PreferencesView> {
    const row = await this.repo.find(this.owner(actor));
    if (!row) return { preferences: {}, updatedAt: null };
    return { preferences: parse(row.document), updatedAt: row.updated_at };
  }

  /** Replaces the caller's preferences with `input` (already validated against PreferencesSchema by the route). */
  async put(actor: Actor, input: Preferences): Promise<PreferencesView> {
    const userId = this.owner(actor);
    this.refuseProtectedFilterValues(input);
    const now = this.clock.now().toISOString();
    const document = JSON.stringify(input);
    await this.repo.save(userId, document, now);
    return { preferences: parse(document), updatedAt: now };
  }

  /**
   * Preferences are stored as plain JSON, outside the field encryption: a saved view that kept "email = x" would
   * put that address at rest in the clear, readable by any token of the user. Such a view is refused (the web UI
   * leaves those filters out when it saves); a custom field that no longer exists is judged as protected.
   */
  private refuseProtectedFilterValues(input: Preferences): void {
    const registry = this.fields?.();
    if (!registry) return;
    const isObject = (list: string): list is CrmObject => (CRM_OBJECTS as readonly string[]).includes(list);
    const problems: { field: string; message: string }[] = [];
    for (const [list, views] of Object.entries(input.savedViews ?? {})) {
      if (!isObject(list)) continue;
      views.forEach((view, i) => {
        for (const [key, value] of Object.entries(view.filters)) {
          if (value === '') continue;
          const custom = key.startsWith('custom.');
          const c = registry.classification(list, custom ? key.slice('custom.'.length) : key);
          if ((c === undefined && custom) || (c !== undefined && UNSAVED_CLASSES.has(c))) {
            problems.push({
              field: `/savedViews/${list}/${i}/filters/${key}`,
              message: 'is a filter on restricted or card data, which a saved view does not keep',
            });
          }
        }
      });
    }
    if (problems.length > 0) {
      throw new AppError('SEPAR_ERR_VALIDATION', 'Saved views cannot keep values of protected fields', {
        detail: `A saved view cannot keep a filter value on restricted or card data (${problems
          .map((p) => p.field)
          .join(', ')}): personal data is stored only encrypted.`,
        errors: problems,
      });
    }
  }
}

/** A stored document that no longer matches the schema reads as empty rather than failing the page. */
function parse(json: string): Preferences {
  try {
    const v: unknown = JSON.parse(json);
    return Value.Check(PreferencesSchema, v) ? v : {};
  } catch {
    return {};
  }
}

import { Value } from 'typebox/value';
import { AppError, forbidden } from '../../../platform/app-error.js';
import type { Clock } from '../../../platform/clock.js';
import { maskCardNumbersInText } from '../../../platform/formats/index.js';
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
    return this.purgeProtected(row.user_id, parse(row.document), row.updated_at);
  }

  /** Replaces the caller's preferences with `input` (already validated against PreferencesSchema by the route). */
  async put(actor: Actor, input: Preferences): Promise<PreferencesView> {
    const userId = this.owner(actor);
    this.refuseProtectedFilterValues(input);
    const now = this.clock.now().toISOString();
    const document = JSON.stringify(withoutCardNumbers(input));
    await this.repo.save(userId, document, now);
    return { preferences: parse(document), updatedAt: now };
  }

  /**
   * Preferences are stored as plain JSON, outside the field encryption: a saved view that kept "email = x" would
   * put that address at rest in the clear, readable by any token of the user. Such a view is refused (the web UI
   * leaves those filters out when it saves); a custom field that no longer exists is judged as protected, and a
   * list that is not a CRM object's cannot say what its filters are, so it is refused.
   */
  private refuseProtectedFilterValues(input: Preferences): void {
    const problems = this.protectedFilters(input).map(({ list, index, key }) => ({
      field: `/savedViews/${list}/${index}/filters/${key}`,
      message: 'is a filter on restricted or card data, which a saved view does not keep',
    }));
    for (const list of Object.keys(input.savedViews ?? {})) {
      if (!isObject(list)) problems.push({ field: `/savedViews/${list}`, message: 'is not a list of Separ' });
    }
    if (problems.length > 0) {
      throw new AppError('SEPAR_ERR_VALIDATION', 'Saved views cannot keep values of protected fields', {
        detail: `A saved view cannot keep these (${problems.map((p) => p.field).join(', ')}): personal data is stored only encrypted, and views belong to the lists ${CRM_OBJECTS.join(', ')}.`,
        errors: problems,
      });
    }
  }

  /** Filter values of saved views that are on protected fields now (a field may have been reclassified since). */
  private protectedFilters(prefs: Preferences): { list: string; index: number; key: string }[] {
    const registry = this.fields?.();
    if (!registry) return [];
    const found: { list: string; index: number; key: string }[] = [];
    for (const [list, views] of Object.entries(prefs.savedViews ?? {})) {
      if (!isObject(list)) continue;
      views.forEach((view, index) => {
        for (const [key, value] of Object.entries(view.filters)) {
          if (value === '') continue;
          const custom = key.startsWith('custom.');
          const c = registry.classification(list, custom ? key.slice('custom.'.length) : key);
          if ((c === undefined && custom) || (c !== undefined && UNSAVED_CLASSES.has(c)))
            found.push({ list, index, key });
        }
      });
    }
    return found;
  }

  /**
   * A document saved before one of its filters' fields became restricted: those values are dropped and the
   * document rewritten, so they leave the database the first time the person's preferences are read.
   */
  private async purgeProtected(userId: string, prefs: Preferences, updatedAt: string): Promise<PreferencesView> {
    const found = this.protectedFilters(prefs);
    if (found.length === 0) return { preferences: prefs, updatedAt };
    const savedViews = structuredClone(prefs.savedViews ?? {});
    for (const { list, index, key } of found) {
      const view = savedViews[list]?.[index];
      if (view) delete view.filters[key];
    }
    const cleaned: Preferences = { ...prefs, savedViews };
    const now = this.clock.now().toISOString();
    await this.repo.save(userId, JSON.stringify(cleaned), now);
    return { preferences: cleaned, updatedAt: now };
  }
}

/**
 * Preferences are plain JSON at rest, so a card number typed into any text of a view (name, search text, sort,
 * columns, filter names and values) is masked (first 6 + last 4) before it is kept, as in all free text Separ stores.
 */
function withoutCardNumbers(prefs: Preferences): Preferences {
  if (!prefs.savedViews) return prefs;
  const mask = (text: string): string => maskCardNumbersInText(text).text;
  const savedViews: NonNullable<Preferences['savedViews']> = {};
  for (const [list, views] of Object.entries(prefs.savedViews)) {
    savedViews[list] = views.map((view) => ({
      ...view,
      name: mask(view.name),
      sort: mask(view.sort),
      columns: view.columns.map(mask),
      ...(view.q === undefined ? {} : { q: mask(view.q) }),
      filters: Object.fromEntries(Object.entries(view.filters).map(([key, value]) => [mask(key), mask(value)])),
    }));
  }
  return { ...prefs, savedViews };
}

const isObject = (list: string): list is CrmObject => (CRM_OBJECTS as readonly string[]).includes(list);

/** A stored document that no longer matches the schema reads as empty rather than failing the page. */
function parse(json: string): Preferences {
  try {
    const v: unknown = JSON.parse(json);
    return Value.Check(PreferencesSchema, v) ? v : {};
  } catch {
    return {};
  }
}

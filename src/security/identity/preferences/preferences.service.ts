import { Value } from 'typebox/value';
import { forbidden } from '../../../platform/app-error.js';
import type { Clock } from '../../../platform/clock.js';
import type { Actor } from '../../access/index.js';
import { PreferencesSchema, type Preferences } from './preferences.schema.js';
import type { PreferencesRepository } from './preferences.repository.js';

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
    const now = this.clock.now().toISOString();
    const document = JSON.stringify(input);
    await this.repo.save(userId, document, now);
    return { preferences: parse(document), updatedAt: now };
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

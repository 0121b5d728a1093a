import { newId } from '../../platform/ids.js';
import type { ObjectDefinition } from '../records/object-definition.js';
import type { FieldRepository } from './field.repository.js';

/**
 * Seed the registry with the built-in fields of every object. Existing rows are left alone, so an
 * administrator's classification or label change survives restarts and upgrades.
 */
export async function syncBuiltinFields(
  repo: FieldRepository,
  defs: readonly ObjectDefinition[],
  now: string,
): Promise<void> {
  for (const def of defs) {
    let position = 0;
    for (const f of def.fields) {
      position += 10;
      await repo.insertIfMissing({
        id: newId(),
        object: def.name,
        key: f.key,
        label: f.label,
        type: f.type,
        classification: f.classification,
        builtin: 1,
        searchable: f.searchable ? 1 : 0,
        required: f.required ? 1 : 0,
        options: JSON.stringify(f.enumValues ?? []),
        position,
        created_at: now,
        updated_at: now,
        version: 1,
        deleted_at: null,
      });
    }
  }
}

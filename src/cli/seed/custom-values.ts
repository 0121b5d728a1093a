import type { FieldDefinition } from '../../security/classification/index.js';
import type { Prng } from './prng.js';

/**
 * A valid value for a required custom field, so seeded records pass the same rules as records created through
 * the API. Optional custom fields are left out, as most real records would.
 */
export function customValue(f: FieldDefinition, r: Prng): string | number | boolean {
  switch (f.type) {
    case 'number':
      return r.range(1, 1000);
    case 'boolean':
      return r.chance(0.5);
    case 'date':
      return new Date(Date.UTC(2020, 0, 1) + r.int(2000) * 86_400_000).toISOString().slice(0, 10);
    case 'select':
    case 'enum':
      return f.options.length > 0 ? r.pick(f.options) : 'n/a';
    case 'email':
      return `seed.${r.digits(8)}@example.com`;
    case 'phone':
      return `+4915${r.digits(9)}`;
    case 'url':
      return `https://example.com/${r.digits(6)}`;
    default:
      return `seed ${r.digits(4)}`;
  }
}

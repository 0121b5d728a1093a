import { readFileSync } from 'node:fs';

/** ../shared/testdata/hostile-inputs.json: awkward and hostile inputs to feed every field and parameter. */
export const hostileInputs = JSON.parse(
  readFileSync(new URL('../../../shared/testdata/hostile-inputs.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** The strings of the named lists, in one array. */
export const hostileStrings = (...lists: string[]): string[] => lists.flatMap((k) => hostileInputs[k] as string[]);

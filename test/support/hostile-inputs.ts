import { readFileSync } from 'node:fs';

/** ../shared/testdata/hostile-inputs.json: awkward and hostile inputs to feed every field and parameter. */
export const hostileInputs = JSON.parse(
  readFileSync(new URL('../../../shared/testdata/hostile-inputs.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** The strings of the named lists, in one array. */
export const hostileStrings = (...lists: string[]): string[] => lists.flatMap((k) => hostileInputs[k] as string[]);

/** The lists of text meant for any free-text field: markup, SQL, formulas, log forging, Unicode tricks, identifiers. */
export const HOSTILE_TEXT = [
  'markup_and_script',
  'sql_and_query',
  'spreadsheet_formula',
  'log_forging',
  'unicode',
  'identifiers',
] as const;

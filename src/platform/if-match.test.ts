import { describe, expect, it } from 'vitest';
import { isAppError } from './app-error.js';
import { parseIfMatch } from './if-match.js';

const parse = (value: string | undefined) =>
  parseIfMatch({ headers: value === undefined ? {} : { 'if-match': value } });

describe('parseIfMatch', () => {
  it('reads the version of a strong ETag and nothing when the header is absent', () => {
    expect(parse('"3"')).toBe(3);
    expect(parse(' "2147483647" ')).toBe(2147483647);
    expect(parse(undefined)).toBeUndefined();
  });

  it('refuses anything else instead of writing unguarded', () => {
    for (const bad of ['W/"3"', '3', '"0"', '"03"', '*', '"3", "4"', '"2147483648"', '"1e3"', '"３"', '""']) {
      let thrown: unknown;
      try {
        parse(bad);
      } catch (err) {
        thrown = err;
      }
      expect(isAppError(thrown) && thrown.code, bad).toBe('SEPAR_ERR_BAD_REQUEST');
    }
  });
});

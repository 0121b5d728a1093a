import { describe, expect, it } from 'vitest';
import { fail, ok, type Result } from './result.js';

describe('Result helpers', () => {
  it('builds success and failure values that narrow on `ok`', () => {
    const results: Result<number>[] = [ok(42), fail('is not a number')];
    const [good, bad] = results;
    expect(good).toEqual({ ok: true, value: 42 });
    expect(bad).toEqual({ ok: false, reason: 'is not a number' });
    if (good?.ok) expect(good.value + 1).toBe(43);
    if (bad && !bad.ok) expect(bad.reason).toMatch(/not a number/);
  });
});

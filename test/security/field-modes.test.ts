import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';
import { API, body, call } from './helpers.js';

interface FieldItem {
  object: string;
  key: string;
  mode?: string;
}

/** `GET /fields` tells each caller how they see each field (the UI offers only usable filters and columns). */
describe.each(await testDialects())('field modes in the field list (%s)', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(dialect);
  });
  afterAll(async () => {
    await h?.close();
  });

  const modes = async (roles: string[]): Promise<Map<string, string | undefined>> => {
    const user = await createUserWithToken(h, { roles });
    const res = await call(h.app, 'GET', `${API}/fields?object=contacts`, user.headers);
    expect(res.statusCode, res.body).toBe(200);
    return new Map(body<{ items: FieldItem[] }>(res).items.map((f) => [f.key, f.mode]));
  };

  it("answers each caller's own mode, the same the list API enforces", async () => {
    const admin = await modes(['admin']);
    expect(admin.get('email')).toBe('masked-write');
    expect(admin.get('paymentCard')).toBe('masked-write');
    expect(admin.get('firstName')).toBe('write');
    const readOnly = await modes(['read-only']);
    expect(readOnly.get('email')).toBe('none');
    expect(readOnly.get('paymentCard')).toBe('none');
    expect(readOnly.get('firstName')).toBe('read');
    // A field the caller cannot use is still refused by the list API, whatever the UI offers.
    const viewer = await createUserWithToken(h, { roles: ['read-only'] });
    const filtered = await call(h.app, 'GET', `${API}/contacts?sort=email`, viewer.headers);
    expect(filtered.statusCode).toBe(403);
  });
});

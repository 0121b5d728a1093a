import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/index.js';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, loginSession, type TestSession, type TestUser } from '../support/identity.js';
import { API, body, problem, sessionHeaders } from './helpers.js';

const hostile = JSON.parse(
  readFileSync(new URL('../../../shared/testdata/hostile-inputs.json', import.meta.url), 'utf8'),
) as Record<string, unknown> & { sizes: { long_string_chars: number; many_keys: number } };
const hostileStrings = ['markup_and_script', 'sql_and_query', 'spreadsheet_formula', 'log_forging', 'unicode'].flatMap(
  (k) => hostile[k] as string[],
);

interface View {
  preferences: {
    language?: string;
    savedViews?: Record<string, { name: string; columns: string[]; filters: Record<string, string>; sort: string }[]>;
  };
  updatedAt: string | null;
}

const dialects = await testDialects();

describe.each(dialects)('per-user preferences (%s)', (dialect) => {
  let h: Harness;
  let ada: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    h = await startHarness(dialect);
    ada = await createUserWithToken(h, { roles: ['sales-rep'] });
    bob = await createUserWithToken(h, { roles: ['admin'] });
  });
  afterAll(async () => h?.close());

  const get = (u: TestUser) => h.app.inject({ method: 'GET', url: `${API}/me/preferences`, headers: u.headers });
  const put = (u: TestUser, payload: unknown) =>
    h.app.inject({
      method: 'PUT',
      url: `${API}/me/preferences`,
      headers: { ...u.headers, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });

  const view = (name: string, filterValue = 'x') => ({
    name,
    columns: ['name', 'email', 'custom.tier'],
    filters: { title: filterValue },
    sort: '-updatedAt',
    q: filterValue,
  });

  it('starts empty, then keeps exactly what was saved', async () => {
    const empty = await get(ada);
    expect(empty.statusCode).toBe(200);
    expect(body<View>(empty)).toEqual({ preferences: {}, updatedAt: null });

    const prefs = { language: 'fa', savedViews: { contacts: [view('Tehran leads', 'tehran')] } };
    const saved = await put(ada, prefs);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(body<View>(saved).preferences).toEqual(prefs);
    const again = body<View>(await get(ada));
    expect(again.preferences).toEqual(prefs);
    expect(again.updatedAt).not.toBeNull();

    // PUT replaces the whole document.
    expect((await put(ada, { language: 'en' })).statusCode).toBe(200);
    expect(body<View>(await get(ada)).preferences).toEqual({ language: 'en' });
  });

  it("belongs to its user: another user neither sees nor changes someone else's", async () => {
    expect((await put(ada, { language: 'fa' })).statusCode).toBe(200);
    expect(body<View>(await get(bob)).preferences).toEqual({});
    expect((await put(bob, { language: 'en', savedViews: { deals: [view('Mine')] } })).statusCode).toBe(200);
    expect(body<View>(await get(ada)).preferences).toEqual({ language: 'fa' });
    expect(body<View>(await get(bob)).preferences.language).toBe('en');
    // There is no way to name another user: extra path segments and query parameters are refused.
    const other = await h.app.inject({
      method: 'GET',
      url: `${API}/me/preferences?userId=${ada.userId}`,
      headers: bob.headers,
    });
    expect(other.statusCode).toBe(400);
    const byPath = await h.app.inject({
      method: 'GET',
      url: `${API}/me/preferences/${ada.userId}`,
      headers: bob.headers,
    });
    expect(byPath.statusCode).toBe(404);
  });

  it('needs a signed-in caller, and a session write needs the CSRF token', async () => {
    expect((await h.app.inject({ method: 'GET', url: `${API}/me/preferences` })).statusCode).toBe(401);
    const s: TestSession = await loginSession(h, ada.email, ada.password);
    const noCsrf = await h.app.inject({
      method: 'PUT',
      url: `${API}/me/preferences`,
      headers: { cookie: s.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ language: 'en' }),
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(problem(noCsrf).code).toBe('SEPAR_ERR_CSRF');
    const ok = await h.app.inject({
      method: 'PUT',
      url: `${API}/me/preferences`,
      headers: { ...sessionHeaders(s), 'content-type': 'application/json' },
      payload: JSON.stringify({ language: 'en' }),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const read = await h.app.inject({ method: 'GET', url: `${API}/me/preferences`, headers: { cookie: s.cookie } });
    expect(body<View>(read).preferences.language).toBe('en');
  });

  it('refuses unknown keys and wrong values with problem+json naming the field', async () => {
    const cases: [unknown, string, string][] = [
      [{ theme: 'dark' }, 'SEPAR_ERR_UNKNOWN_FIELD', 'theme'],
      [{ savedViews: { contacts: [{ ...view('v'), owner: 'x' }] } }, 'SEPAR_ERR_UNKNOWN_FIELD', 'owner'],
      [{ language: 'de' }, 'SEPAR_ERR_VALIDATION', 'language'],
      [{ savedViews: { Contacts: [view('v')] } }, 'SEPAR_ERR_UNKNOWN_FIELD', 'Contacts'],
      [{ savedViews: { contacts: [{ ...view('v'), columns: ['../etc'] }] } }, 'SEPAR_ERR_VALIDATION', 'columns'],
      [{ savedViews: { contacts: [{ ...view('v'), filters: { email: 3 } }] } }, 'SEPAR_ERR_VALIDATION', 'filters'],
      [{ savedViews: { contacts: [{ ...view('v'), name: '' }] } }, 'SEPAR_ERR_VALIDATION', 'name'],
    ];
    for (const [payload, code, field] of cases) {
      const res = await put(ada, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(problem(res).code).toBe(code);
      expect(problem(res).detail).toContain(field);
    }
    for (const bad of hostile.prototype_pollution as unknown[]) {
      const res = await put(ada, { savedViews: { contacts: [{ ...view('v'), filters: bad }] } });
      expect(res.statusCode).toBe(400);
    }
    for (const bad of hostile.type_confusion as unknown[]) {
      expect((await put(ada, bad)).statusCode, JSON.stringify(bad)).toBeLessThan(500);
      expect((await put(ada, { language: bad })).statusCode).toBe(400);
    }
  });

  it('never keeps a filter value on restricted or card data: preferences are not encrypted', async () => {
    const field = await h.app.inject({
      method: 'POST',
      url: `${API}/fields`,
      headers: { ...bob.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({
        object: 'contacts',
        key: 'passportNo',
        label: 'Passport',
        type: 'text',
        classification: 'restricted',
      }),
    });
    expect(field.statusCode, field.body).toBe(201);
    const before = body<View>(await get(ada)).preferences;
    const refused: [string, Record<string, string>][] = [
      ['contacts', { email: 'sara.ahmadi@pars-software.ir' }],
      ['contacts', { title: 'CEO', phone: '+989121234567' }],
      ['contacts', { nationalId: '0499370899' }],
      ['contacts', { 'custom.passportNo': 'X1234567' }],
      // A custom field that does not exist (or no longer does) cannot be shown to be harmless.
      ['contacts', { 'custom.gone': 'x' }],
    ];
    for (const [list, filters] of refused) {
      const res = await put(ada, { savedViews: { [list]: [{ ...view('v'), filters }] } });
      expect(res.statusCode, JSON.stringify(filters)).toBe(400);
      expect(problem(res).code).toBe('SEPAR_ERR_VALIDATION');
      const key = Object.keys(filters).find((k) => k !== 'title') ?? '';
      expect(problem(res).detail).toContain(`/savedViews/${list}/0/filters/${key}`);
      // The refusal does not echo the value back, and nothing was stored.
      expect(res.body).not.toContain(Object.values(filters).at(-1));
    }
    expect(body<View>(await get(ada)).preferences).toEqual(before);
    // Public, internal and confidential filters are kept, and an emptied protected filter is harmless.
    const kept = {
      savedViews: {
        contacts: [{ ...view('v'), filters: { title: 'CEO', email: '', tag: 'vip' } }],
        companies: [{ ...view('c'), filters: { industry: 'Banking' } }],
      },
    };
    const ok = await put(ada, kept);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(body<View>(await get(ada)).preferences).toEqual(kept);
    // A list that is not a CRM object's cannot say what its filters are.
    const elsewhere = await put(ada, { savedViews: { people: [{ ...view('p'), filters: { email: 'a@b.ir' } }] } });
    expect(elsewhere.statusCode).toBe(400);
    expect(problem(elsewhere).detail).toContain('/savedViews/people');
  });

  it('drops a saved filter value once its field becomes restricted, the next time preferences are read', async () => {
    const tier = await h.app.inject({
      method: 'POST',
      url: `${API}/fields`,
      headers: { ...bob.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({
        object: 'contacts',
        key: 'tier',
        label: 'Tier',
        type: 'text',
        classification: 'internal',
      }),
    });
    expect(tier.statusCode, tier.body).toBe(201);
    const saved = {
      savedViews: { contacts: [{ ...view('Gold'), filters: { title: 'CEO', 'custom.tier': 'gold-7731' } }] },
    };
    expect((await put(ada, saved)).statusCode).toBe(200);
    const reclassified = await h.app.inject({
      method: 'PATCH',
      url: `${API}/fields/${body<{ id: string }>(tier).id}`,
      headers: { ...bob.headers, 'content-type': 'application/json', 'if-match': '"1"' },
      payload: JSON.stringify({ classification: 'restricted' }),
    });
    expect(reclassified.statusCode, reclassified.body).toBe(200);
    const after = await get(ada);
    expect(after.body).not.toContain('gold-7731');
    expect(body<View>(after).preferences.savedViews?.contacts?.[0]?.filters).toEqual({ title: 'CEO' });
    // The value left the stored document too.
    const stored = await h.rt.db.kysely.selectFrom('user_preferences').select('document').execute();
    expect(JSON.stringify(stored)).not.toContain('gold-7731');
  });

  it('stores hostile text inertly and returns it byte for byte', async () => {
    const views = hostileStrings.map((s, i) => view(s.length > 0 ? s : `#${i}`, s));
    for (let i = 0; i < views.length; i += 25) {
      const prefs = { savedViews: { contacts: views.slice(i, i + 25) } };
      const res = await put(ada, prefs);
      expect(res.statusCode, res.body).toBe(200);
      expect(body<View>(await get(ada)).preferences).toEqual(prefs);
    }
  });

  it('masks card numbers typed into a view before keeping it: preferences are plain JSON at rest', async () => {
    const card = { ...view('VIP 4012 8877 7766 5546', 'paid with 4539-1488-0343-6467'), sort: '4111 1111 1111 1111' };
    const res = await put(ada, { savedViews: { contacts: [card] } });
    expect(res.statusCode, res.body).toBe(200);
    const kept = body<View>(await get(ada)).preferences.savedViews?.contacts?.[0];
    expect(kept?.name).toBe('VIP 401288******5546');
    expect(JSON.stringify(kept)).not.toMatch(/4012 8877 7766 5546|4539-1488-0343-6467|4111 1111 1111 1111/);
    expect(JSON.stringify(kept)).toContain('6467');
    const row = await h.rt.db.kysely
      .selectFrom('user_preferences')
      .select('document')
      .where('user_id', '=', ada.userId)
      .executeTakeFirst();
    expect(row?.document ?? '').not.toMatch(/8877 7766|1488-0343/);
  });

  it('refuses oversize documents: too many views, lists, columns, long text, a huge body', async () => {
    const many = Array.from({ length: 26 }, (_, i) => view(`v${i}`));
    expect((await put(ada, { savedViews: { contacts: many } })).statusCode).toBe(400);
    const lists = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`list-${i}`, [view('v')]]));
    expect((await put(ada, { savedViews: lists })).statusCode).toBe(400);
    const wide = { ...view('v'), columns: Array.from({ length: 61 }, (_, i) => `c${i}`) };
    expect((await put(ada, { savedViews: { contacts: [wide] } })).statusCode).toBe(400);
    const longName = view('n'.repeat(81));
    expect((await put(ada, { savedViews: { contacts: [longName] } })).statusCode).toBe(400);

    const long = 'x'.repeat(hostile.sizes.long_string_chars);
    const huge = await put(ada, { savedViews: { contacts: [view('v', long)] } });
    expect(huge.statusCode).toBe(413);
    expect(problem(huge).code).toBe('SEPAR_ERR_PAYLOAD_TOO_LARGE');
    const keys = Object.fromEntries(Array.from({ length: hostile.sizes.many_keys }, (_, i) => [`k${i}`, 'v']));
    expect((await put(ada, { savedViews: { contacts: [{ ...view('v'), filters: keys }] } })).statusCode).toBe(413);
    // Nothing of it was kept.
    expect(JSON.stringify(body<View>(await get(ada)).preferences)).not.toContain('xxxxxxxxxx');
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = openApiDocument(h.app) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths[`${API}/me/preferences`] ?? {}).sort()).toEqual(['get', 'put']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';
import { API, body, call } from './helpers.js';

interface FieldItem {
  object: string;
  key: string;
  mode?: string;
  queryMode?: string;
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

  it('two roles of different reach: a query counts only the mode that holds on every record it runs over', async () => {
    // A sales rep (restricted data in clear on own contacts) who also has support (every contact, national ID
    // hidden, email masked). Filtering every contact by national ID would tell whose contact has that ID.
    const admin = await createUserWithToken(h, { roles: ['admin'] });
    const other = await call(h.app, 'POST', `${API}/contacts`, admin.headers, {
      firstName: 'Sara',
      lastName: 'Ahmadi',
      email: 'sara.mixed@example.ir',
      nationalId: '0013542419',
    });
    expect(other.statusCode, other.body).toBe(201);
    const mixed = await createUserWithToken(h, { roles: ['sales-rep', 'support'] });
    const res = await call(h.app, 'GET', `${API}/fields?object=contacts`, mixed.headers);
    const items = new Map(body<{ items: FieldItem[] }>(res).items.map((f) => [f.key, f]));
    expect(items.get('nationalId')).toMatchObject({ mode: 'write', queryMode: 'none' });
    expect(items.get('email')).toMatchObject({ mode: 'write', queryMode: 'masked' });
    expect(items.get('firstName')).toMatchObject({ mode: 'write', queryMode: 'read' });

    const byId = await call(h.app, 'GET', `${API}/contacts?nationalId=0013542419`, mixed.headers);
    expect(byId.statusCode, byId.body).toBe(403);
    expect(byId.body).not.toContain('Sara');
    // Sorting by email would order records by values hidden on others' contacts.
    expect((await call(h.app, 'GET', `${API}/contacts?sort=email`, mixed.headers)).statusCode).toBe(403);
    // An exact email lookup stays usable: every record shows the email at least masked.
    const byEmail = await call(h.app, 'GET', `${API}/contacts?email=sara.mixed@example.ir`, mixed.headers);
    expect(byEmail.statusCode, byEmail.body).toBe(200);
    // The same user with only the sales-rep role filters its own contacts by national ID.
    const rep = await createUserWithToken(h, { roles: ['sales-rep'] });
    expect((await call(h.app, 'GET', `${API}/contacts?nationalId=0013542419`, rep.headers)).statusCode).toBe(200);
  });

  it("a record's timeline shows activities as the activities API would, and derived filters need the field", async () => {
    const admin = await createUserWithToken(h, { roles: ['admin'] });
    const plain = { public: 'read', internal: 'read', confidential: 'read', restricted: 'none', pci: 'none' };
    const role = await call(h.app, 'POST', `${API}/roles`, admin.headers, {
      id: 'activity-blind',
      name: 'Activities without body or due date',
      policy: {
        objects: { contacts: { ops: ['read'], scope: 'all' }, activities: { ops: ['read'], scope: 'all' } },
        classifications: { '*': plain },
        fields: { activities: { body: 'none', dueAt: 'none' } },
        reveal: [],
        capabilities: [],
        ipAllow: [],
      },
    });
    expect(role.statusCode, role.body).toBe(201);
    const contact = body<{ id: string }>(
      await call(h.app, 'POST', `${API}/contacts`, admin.headers, { firstName: 'Timeline', lastName: 'Person' }),
    );
    const task = await call(h.app, 'POST', `${API}/activities`, admin.headers, {
      type: 'task',
      subject: 'Call back',
      body: 'SECRET-BODY about the offer',
      dueAt: '2027-03-04T09:00:00Z',
      related: [{ type: 'contacts', id: contact.id }],
    });
    expect(task.statusCode, task.body).toBe(201);
    const blind = await createUserWithToken(h, { roles: ['activity-blind'] });
    const direct = body<Record<string, unknown>>(
      await call(h.app, 'GET', `${API}/activities/${body<{ id: string }>(task).id}`, blind.headers),
    );
    expect(direct.subject).toBe('Call back');
    expect(Object.hasOwn(direct, 'body')).toBe(false);
    expect(Object.hasOwn(direct, 'dueAt')).toBe(false);
    const timeline = await call(h.app, 'GET', `${API}/contacts/${contact.id}/timeline`, blind.headers);
    expect(timeline.statusCode, timeline.body).toBe(200);
    const items = body<{ items: Record<string, unknown>[] }>(timeline).items;
    expect(items).toHaveLength(1);
    expect(items[0]?.subject).toBe('Call back');
    expect(timeline.body).not.toContain('SECRET-BODY');
    expect(timeline.body).not.toContain('2027-03-04');
    // Nor do the timeline's order and cursor tell the hidden dates: it pages by creation time for this reader.
    const later = await call(h.app, 'POST', `${API}/activities`, admin.headers, {
      type: 'task',
      subject: 'Second',
      dueAt: '2027-02-01T09:00:00Z',
      related: [{ type: 'contacts', id: contact.id }],
    });
    expect(later.statusCode, later.body).toBe(201);
    const page1 = await call(h.app, 'GET', `${API}/contacts/${contact.id}/timeline?limit=1`, blind.headers);
    const p1 = body<{ items: { subject: string }[]; nextCursor: string }>(page1);
    expect(p1.items.map((i) => i.subject)).toEqual(['Second']); // newest created first, not by due date
    const cursorBody = Buffer.from(p1.nextCursor.split('.')[0] ?? '', 'base64url').toString();
    expect(cursorBody).not.toContain('2027-0');
    const page2 = await call(
      h.app,
      'GET',
      `${API}/contacts/${contact.id}/timeline?limit=1&cursor=${encodeURIComponent(p1.nextCursor)}`,
      blind.headers,
    );
    expect(body<{ items: { subject: string }[] }>(page2).items.map((i) => i.subject)).toEqual(['Call back']);
    // The admin, who reads due dates, sees it by due date, latest first (March, then February).
    const full = await call(h.app, 'GET', `${API}/contacts/${contact.id}/timeline`, admin.headers);
    expect(body<{ items: { subject: string }[] }>(full).items.map((i) => i.subject)).toEqual(['Call back', 'Second']);
    // A reader who may not see activities' links gets no timeline (it is a query by link).
    const linkless = await call(h.app, 'POST', `${API}/roles`, admin.headers, {
      id: 'activity-linkless',
      name: 'Activities without links',
      policy: {
        objects: { contacts: { ops: ['read'], scope: 'all' }, activities: { ops: ['read'], scope: 'all' } },
        classifications: { '*': plain },
        fields: { activities: { related: 'none' } },
        reveal: [],
        capabilities: [],
        ipAllow: [],
      },
    });
    expect(linkless.statusCode, linkless.body).toBe(201);
    const noLinks = await createUserWithToken(h, { roles: ['activity-linkless'] });
    expect((await call(h.app, 'GET', `${API}/contacts/${contact.id}/timeline`, noLinks.headers)).statusCode).toBe(403);
    // The due date is hidden: a date range on it would find it by bisection.
    const range = `dueAfter=2027-03-01T00:00:00Z&dueBefore=2027-03-05T00:00:00Z`;
    const bisect = await call(h.app, 'GET', `${API}/activities?${range}`, blind.headers);
    expect(bisect.statusCode, bisect.body).toBe(403);
    expect((await call(h.app, 'GET', `${API}/activities?${range}`, admin.headers)).statusCode).toBe(200);
  });
});

import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import type { SeparEvent } from '../../src/platform/events.js';
import { systemActor } from '../../src/security/access/actor.js';
import type {
  ReviewItemView,
  ReviewSummary,
  ReviewView,
} from '../../src/security/access/review/access-review.model.js';
import type { DormantReport, DormantRun } from '../../src/security/access/review/dormant-accounts.service.js';
import { freshPgDatabase, testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, loginSession, type TestUser } from '../support/identity.js';
import { requireBuiltCli, runSepar } from '../support/cli.js';

const dialects = await testDialects();
const API = '/api/v1';
const DAY = 86_400_000;
const MISSING = '01a20000-0000-7000-8000-000000000000';

const body = <T>(res: LightMyRequestResponse): T => JSON.parse(res.body) as T;
const code = (res: LightMyRequestResponse): string => body<{ code: string }>(res).code;
const sha256 = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

function caller(h: Harness) {
  return (method: 'GET' | 'POST', url: string, who: TestUser | Record<string, string>, payload?: unknown) =>
    h.app.inject({
      method,
      url: `${API}${url}`,
      headers: 'headers' in who ? (who as TestUser).headers : who,
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
}

describe.each(dialects)('access reviews over the API (%s)', (dialect) => {
  let h: Harness;
  let clock: ManualClock;
  let call: ReturnType<typeof caller>;
  const events: SeparEvent[] = [];
  let admin: TestUser;
  let officer: TestUser;
  let officer2: TestUser;
  let rep: TestUser;
  let manager: TestUser;
  let review: ReviewView;
  const itemOf = (r: ReviewView, user: TestUser): ReviewItemView => {
    const item = r.items.find((i) => i.userId === user.userId);
    if (!item) throw new Error(`no item for ${user.email}`);
    return item;
  };
  const decide = (who: TestUser, r: ReviewView, user: TestUser, decision: 'certify' | 'revoke', comment?: string) =>
    call('POST', `/access-reviews/${r.id}/items/${itemOf(r, user).id}/decision`, who, {
      decision,
      ...(comment !== undefined ? { comment } : {}),
    });
  const ofType = (type: string) => events.filter((e) => e.type === type);

  beforeAll(async () => {
    clock = new ManualClock('2026-03-02T09:00:00.000Z');
    h = await startHarness(dialect, { clock });
    call = caller(h);
    h.rt.bus.subscribe((e) => {
      events.push(e);
    });
    admin = await createUserWithToken(h, { roles: ['admin'] });
    officer = await createUserWithToken(h, { roles: ['security-officer'] });
    officer2 = await createUserWithToken(h, { roles: ['security-officer'] });
    rep = await createUserWithToken(h, { roles: ['sales-rep'] });
    manager = await createUserWithToken(h, { roles: ['sales-manager'] });
    await h.rt.access.teams.create(systemActor('test'), {
      name: 'Tehran sales',
      members: [
        { userId: rep.userId, role: 'member' },
        { userId: manager.userId, role: 'manager' },
      ],
    });
    // The rep works through the API before the review starts: that is their last activity.
    expect((await call('GET', '/contacts', rep)).statusCode).toBe(200);
    clock.advance(60_000);
  });
  afterAll(async () => h?.close());

  it('refuses callers without the review-access capability (admin included) with 403', async () => {
    for (const who of [admin, rep, manager]) {
      const started = await call('POST', '/access-reviews', who, {});
      expect(started.statusCode, started.body).toBe(403);
      expect(started.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((await call('GET', '/access-reviews', who)).statusCode).toBe(403);
      expect((await call('GET', '/access-reviews/dormant', who)).statusCode).toBe(403);
    }
    expect((await call('GET', '/access-reviews', {})).statusCode).toBe(401);
  });

  it('validates the start request', async () => {
    const extra = await call('POST', '/access-reviews', officer, { name: 'x', role: 'admin' });
    expect(extra.statusCode).toBe(400);
    expect((await call('POST', '/access-reviews', officer, { dueInDays: 0 })).statusCode).toBe(400);
    const notReviewer = await call('POST', '/access-reviews', officer, { reviewerId: rep.userId });
    expect(notReviewer.statusCode, notReviewer.body).toBe(400);
    expect(body<{ detail: string }>(notReviewer).detail).toMatch(/review-access/);
    expect((await call('GET', `/access-reviews/${MISSING}`, officer)).statusCode).toBe(404);
    expect((await call('GET', '/access-reviews/not-a-uuid', officer)).statusCode).toBe(400);
  });

  it('starts a campaign listing every user with roles, teams, effective permissions and last activity', async () => {
    const res = await call('POST', '/access-reviews', officer, { name: 'Q1 2026 access review' });
    expect(res.statusCode, res.body).toBe(201);
    review = body<ReviewView>(res);
    expect(review).toMatchObject({
      name: 'Q1 2026 access review',
      state: 'open',
      reviewerId: null,
      createdBy: officer.userId,
      lastReminderAt: null,
      closedAt: null,
      evidence: null,
      overdue: false,
    });
    expect(Date.parse(review.dueAt) - Date.parse(review.createdAt)).toBe(14 * DAY);
    expect(Date.parse(review.escalateAt) - Date.parse(review.createdAt)).toBe(7 * DAY);
    expect(review.items).toHaveLength(await h.rt.identity.users.count());
    expect(review.counts).toEqual({ total: 5, certified: 0, revoked: 0, undecided: 5, escalated: 0 });

    const a = itemOf(review, admin);
    expect(a.roles).toEqual(['admin']);
    expect(a.permissions.capabilities).toContain('manage-users');
    expect(a.permissions.capabilities).not.toContain('review-access');
    const o = itemOf(review, officer);
    expect(o.permissions.capabilities).toContain('review-access');
    expect(o.permissions.reveal).toEqual(['restricted']);
    const r = itemOf(review, rep);
    expect(r).toMatchObject({ email: rep.email, status: 'active', roles: ['sales-rep'], decision: null });
    expect(r.teams).toEqual([{ id: expect.any(String) as string, name: 'Tehran sales', role: 'member' }]);
    expect(r.permissions.objects.contacts).toEqual({ ops: ['read', 'create', 'update', 'delete'], scope: 'own' });
    expect(r.lastActivityAt).not.toBeNull();
    expect(itemOf(review, manager).teams[0]?.role).toBe('manager');
    expect(itemOf(review, manager).permissions.objects.deals?.scope).toBe('all');
    expect(ofType('access_review.started').at(-1)).toMatchObject({
      target: { type: 'access_review', id: review.id },
      context: { actorId: officer.userId },
      detail: { items: 5 },
    });

    const list = await call('GET', '/access-reviews', officer);
    expect(list.statusCode).toBe(200);
    expect(body<{ items: ReviewSummary[] }>(list).items.map((x) => x.id)).toContain(review.id);
    const got = await call('GET', `/access-reviews/${review.id}`, officer2);
    expect(got.statusCode).toBe(200);
    expect(body<ReviewView>(got).items).toHaveLength(5);
  });

  it('certifies an item and records who decided what, when; a decision is final', async () => {
    const res = await decide(officer, review, manager, 'certify', 'Leads the Tehran team');
    expect(res.statusCode, res.body).toBe(200);
    expect(body<ReviewItemView>(res)).toMatchObject({
      userId: manager.userId,
      decision: 'certify',
      decidedBy: officer.userId,
      decidedAt: clock.now().toISOString(),
      comment: 'Leads the Tehran team',
    });
    const again = await decide(officer2, review, manager, 'revoke');
    expect(again.statusCode).toBe(409);
    expect((await call('GET', '/contacts', manager)).statusCode).toBe(200);
    const bad = await call('POST', `/access-reviews/${review.id}/items/${itemOf(review, rep).id}/decision`, officer, {
      decision: 'maybe',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a reviewer deciding their own access item (separation of duties)', async () => {
    const own = await decide(officer, review, officer, 'certify');
    expect(own.statusCode, own.body).toBe(403);
    expect(body<{ detail: string }>(own).detail).toMatch(/own access/);
    expect(ofType('access_review.self_review_refused')).toHaveLength(1);
    const byOther = await decide(officer2, review, officer, 'certify');
    expect(byOther.statusCode, byOther.body).toBe(200);
    expect(body<ReviewItemView>(byOther).decidedBy).toBe(officer2.userId);
  });

  it('revokes an item: the user loses their roles, their token stops working and their sessions end', async () => {
    const session = await loginSession(h, rep.email, rep.password);
    expect((await call('GET', '/me', { cookie: session.cookie })).statusCode).toBe(200);
    expect((await call('GET', '/contacts', rep)).statusCode).toBe(200);

    const res = await decide(officer, review, rep, 'revoke', 'Left sales in February');
    expect(res.statusCode, res.body).toBe(200);
    expect(body<ReviewItemView>(res)).toMatchObject({ decision: 'revoke', decidedBy: officer.userId });
    expect((await h.rt.identity.users.getUser(systemActor('test'), rep.userId)).roles).toEqual([]);
    const denied = await call('GET', '/contacts', rep);
    expect(denied.statusCode).toBe(403);
    expect((await call('GET', '/me', { cookie: session.cookie })).statusCode).toBe(401);
    expect(ofType('access_review.decided').at(-1)).toMatchObject({
      detail: { userId: rep.userId, decision: 'revoke', rolesRemoved: ['sales-rep'] },
    });
    expect(ofType('user.update').at(-1)).toMatchObject({
      target: { id: rep.userId },
      detail: { rolesBefore: ['sales-rep'], rolesAfter: [] },
    });
  });

  it('refuses to close while items are undecided', async () => {
    const res = await call('POST', `/access-reviews/${review.id}/close`, officer, {});
    expect(res.statusCode).toBe(409);
    expect(code(res)).toBe('SEPAR_ERR_CONFLICT');
    expect(body<{ detail: string }>(res).detail).toMatch(/2 items still need a decision/);
    // The body is a JSON object, even when empty.
    expect((await call('POST', `/access-reviews/${review.id}/close`, officer)).statusCode).toBe(400);
    const forcedWithoutReason = await call('POST', `/access-reviews/${review.id}/close`, officer, { force: true });
    expect(forcedWithoutReason.statusCode).toBe(400);
  });

  it('reminds about undecided items at most once a day', async () => {
    // Nothing scheduled on the first day.
    expect(await h.rt.access.reviews.remind(clock.now())).toEqual([]);
    // A reviewer may remind by hand once a day.
    const first = await call('POST', `/access-reviews/${review.id}/remind`, officer);
    expect(first.statusCode, first.body).toBe(200);
    expect(body<{ reminded: boolean; undecided: number }>(first)).toMatchObject({ reminded: true, undecided: 2 });
    const second = await call('POST', `/access-reviews/${review.id}/remind`, officer);
    expect(body<{ reminded: boolean; nextReminderAt: string }>(second)).toMatchObject({ reminded: false });
    expect(ofType('access_review.reminder')).toHaveLength(1);
    expect(ofType('access_review.reminder')[0]?.detail).toMatchObject({ undecided: 2 });
    const notify = ofType('access_review.reminder')[0]?.detail?.notify as string[];
    expect(notify.sort()).toEqual([officer.userId, officer2.userId].sort());

    clock.advance(DAY - 120_000);
    expect(await h.rt.access.reviews.remind(clock.now())).toEqual([]);
    clock.advance(120_000);
    expect(await h.rt.access.reviews.remind(clock.now())).toEqual([review.id]);
    expect(await h.rt.access.reviews.remind(clock.now())).toEqual([]);
    expect(ofType('access_review.reminder')).toHaveLength(2);
    clock.advance(DAY);
    expect(await h.rt.access.reviews.remind(clock.now())).toEqual([review.id]);
    expect(ofType('access_review.reminder')).toHaveLength(3);
  });

  it('escalates unanswered items to the security officers after the escalation date', async () => {
    expect(await h.rt.access.reviews.escalate(clock.now())).toEqual({ reviews: [], items: 0 });
    clock.set(new Date(Date.parse(review.escalateAt) + 1000));
    const out = await h.rt.access.reviews.escalate(clock.now());
    expect(out).toEqual({ reviews: [review.id], items: 2 });
    expect(await h.rt.access.reviews.escalate(clock.now())).toEqual({ reviews: [], items: 0 });
    const event = ofType('access_review.escalated')[0];
    expect(event).toMatchObject({ target: { type: 'access_review', id: review.id }, detail: { items: 2 } });
    expect((event?.detail?.userIds as string[]).sort()).toEqual([admin.userId, officer2.userId].sort());
    expect((event?.detail?.notify as string[]).sort()).toEqual([officer.userId, officer2.userId].sort());
    const got = body<ReviewView>(await call('GET', `/access-reviews/${review.id}`, officer));
    expect(got.counts.escalated).toBe(2);
    expect(itemOf(got, admin).escalatedAt).toBe(clock.now().toISOString());
    expect(itemOf(got, rep).escalatedAt).toBeNull();
    review = got;
  });

  it('closes once every item is decided and keeps immutable evidence', async () => {
    expect((await decide(officer, review, admin, 'certify')).statusCode).toBe(200);
    expect((await decide(officer, review, officer2, 'certify', 'Second officer')).statusCode).toBe(200);
    clock.set(new Date(Date.parse(review.dueAt) + 1000));
    const res = await call('POST', `/access-reviews/${review.id}/close`, officer, {});
    expect(res.statusCode, res.body).toBe(200);
    const closed = body<ReviewView>(res);
    expect(closed).toMatchObject({ state: 'closed', closedAt: clock.now().toISOString(), overdue: false });
    expect(closed.counts).toEqual({ total: 5, certified: 4, revoked: 1, undecided: 0, escalated: 2 });
    const ev = closed.evidence;
    if (!ev) throw new Error('no evidence');
    expect(ev.review).toMatchObject({ id: review.id, closedBy: officer.userId, forced: false, forceReason: null });
    expect(ev.items).toHaveLength(5);
    expect(ev.items.find((i) => i.userId === rep.userId)).toMatchObject({
      decision: 'revoke',
      decidedBy: officer.userId,
      comment: 'Left sales in February',
      roles: ['sales-rep'],
    });
    expect(ev.items.find((i) => i.userId === officer.userId)?.decidedBy).toBe(officer2.userId);
    expect(ev.snapshotSha256).toMatch(/^[0-9a-f]{64}$/);
    for (const i of ev.items) expect(i.snapshotSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ev.snapshotSha256).toBe(sha256(ev.items.map((i) => `${i.itemId}:${i.snapshotSha256}`).join('\n')));
    const closedEvent = ofType('access_review.closed').at(-1);
    expect(closedEvent?.detail).toMatchObject({ evidenceSha256: closed.evidenceSha256, forced: false });
    expect(closed.evidenceSha256).toBe(sha256(JSON.stringify(ev)));

    // Immutable afterwards: no decision, no second close, no reminder; the stored evidence stays the same.
    const item = itemOf(closed, manager);
    expect(
      (
        await call('POST', `/access-reviews/${review.id}/items/${item.id}/decision`, officer, {
          decision: 'revoke',
        })
      ).statusCode,
    ).toBe(409);
    expect((await call('POST', `/access-reviews/${review.id}/close`, officer, {})).statusCode).toBe(409);
    expect((await call('POST', `/access-reviews/${review.id}/remind`, officer)).statusCode).toBe(409);
    clock.advance(30 * DAY);
    expect(await h.rt.access.reviews.remind(clock.now())).toEqual([]);
    expect(await h.rt.access.reviews.escalate(clock.now())).toEqual({ reviews: [], items: 0 });
    const later = body<ReviewView>(await call('GET', `/access-reviews/${review.id}`, officer2));
    expect(later.evidence).toEqual(ev);
    expect(later.evidenceSha256).toBe(closed.evidenceSha256);
  });

  it('honours an assigned reviewer, undoes a revoke identity refuses, and force-closes with a reason', async () => {
    const res = await call('POST', '/access-reviews', officer, {
      name: 'Assigned review',
      reviewerId: officer2.userId,
      dueInDays: 3,
      escalateAfterDays: 1,
    });
    expect(res.statusCode, res.body).toBe(201);
    const r2 = body<ReviewView>(res);
    expect(r2.reviewerId).toBe(officer2.userId);
    expect(itemOf(r2, rep).roles).toEqual([]);
    // Only the assigned reviewer decides, except on their own item, which another officer must decide.
    expect((await decide(officer, r2, manager, 'certify')).statusCode).toBe(403);
    expect((await decide(officer2, r2, officer2, 'certify')).statusCode).toBe(403);
    expect((await decide(officer, r2, officer2, 'certify')).statusCode).toBe(200);
    // The last active administrator cannot lose the role: identity refuses and the decision is not recorded.
    const lastAdmin = await decide(officer2, r2, admin, 'revoke');
    expect(lastAdmin.statusCode, lastAdmin.body).toBe(409);
    expect(body<{ detail: string }>(lastAdmin).detail).toMatch(/last active administrator/);
    const after = body<ReviewView>(await call('GET', `/access-reviews/${r2.id}`, officer2));
    expect(itemOf(after, admin).decision).toBeNull();
    expect((await call('GET', '/users', admin)).statusCode).toBe(200);

    const forced = await call('POST', `/access-reviews/${r2.id}/close`, officer, {
      force: true,
      reason: 'Superseded by the Q2 review',
    });
    expect(forced.statusCode, forced.body).toBe(200);
    const closed = body<ReviewView>(forced);
    expect(closed.evidence?.review).toMatchObject({ forced: true, forceReason: 'Superseded by the Q2 review' });
    expect(closed.evidence?.counts.undecided).toBe(4);
  });
});

describe.each(dialects)('dormant accounts with an injectable clock (%s)', (dialect) => {
  let h: Harness;
  let clock: ManualClock;
  let call: ReturnType<typeof caller>;
  const events: SeparEvent[] = [];
  let admin: TestUser;
  let officer: TestUser;
  let active: TestUser;
  let idle: TestUser;

  beforeAll(async () => {
    clock = new ManualClock('2026-01-05T08:00:00.000Z');
    h = await startHarness(dialect, { clock });
    call = caller(h);
    h.rt.bus.subscribe((e) => {
      events.push(e);
    });
    admin = await createUserWithToken(h, { roles: ['admin'] });
    officer = await createUserWithToken(h, { roles: ['security-officer'] });
    active = await createUserWithToken(h, { roles: ['sales-rep'] });
    idle = await createUserWithToken(h, { roles: ['sales-rep'] });
  });
  afterAll(async () => h?.close());

  it('reports nobody while everyone was active within 90 days, and needs review-access', async () => {
    expect((await call('GET', '/access-reviews/dormant', admin)).statusCode).toBe(403);
    expect((await call('POST', '/access-reviews/dormant/disable', idle)).statusCode).toBe(403);
    clock.advance(60 * DAY);
    await loginSession(h, active.email, active.password); // a real sign-in on day 60
    clock.advance(29 * DAY);
    const report = await h.rt.access.dormant.report(systemActor('test'), clock.now());
    expect(report).toMatchObject({ dormantAfterDays: 90, accounts: [] });
  });

  it('after 91 days reports and disables the idle account, keeps the recent one and skips the last admin', async () => {
    clock.advance(2 * DAY);
    const res = await call('GET', '/access-reviews/dormant', officer);
    expect(res.statusCode, res.body).toBe(200);
    const report = body<DormantReport>(res);
    expect(report.cutoff).toBe(new Date(clock.now().getTime() - 90 * DAY).toISOString());
    expect(report.accounts.map((a) => a.userId).sort()).toEqual([admin.userId, idle.userId].sort());
    const idleEntry = report.accounts.find((a) => a.userId === idle.userId);
    expect(idleEntry).toMatchObject({ email: idle.email, roles: ['sales-rep'], lastLoginAt: null, idleDays: 91 });

    const run = await call('POST', '/access-reviews/dormant/disable', officer);
    expect(run.statusCode, run.body).toBe(200);
    const out = body<DormantRun>(run);
    expect(out.disabled.map((a) => a.userId)).toEqual([idle.userId]);
    expect(out.skipped.map((a) => a.userId)).toEqual([admin.userId]);
    expect(out.skipped[0]?.reason).toMatch(/last active administrator/);

    const users = h.rt.identity.users;
    expect((await users.getUser(systemActor('test'), idle.userId)).status).toBe('disabled');
    expect((await users.getUser(systemActor('test'), admin.userId)).status).toBe('active');
    expect((await users.getUser(systemActor('test'), active.userId)).status).toBe('active');
    expect((await users.getUser(systemActor('test'), officer.userId)).status).toBe('active');
    expect((await call('GET', '/contacts', idle)).statusCode).toBe(401);
    expect((await call('GET', '/contacts', active)).statusCode).toBe(200);
    const disabledEvents = events.filter((e) => e.type === 'account.dormant_disabled');
    expect(disabledEvents).toHaveLength(1);
    expect(disabledEvents[0]).toMatchObject({
      target: { type: 'user', id: idle.userId },
      context: { actorId: officer.userId },
      detail: { dormantAfterDays: 90, idleDays: 91 },
    });
  });

  it('runs again idempotently from the scheduled jobs', async () => {
    clock.advance(DAY);
    const out = await h.rt.access.jobs.run(clock.now());
    expect(out.dormant?.disabled).toEqual([]);
    expect(out.dormant?.skipped.map((a) => a.userId)).toEqual([admin.userId]);
    // The sweep runs once a day per process; the hourly tick in between leaves it alone.
    clock.advance(3_600_000);
    expect((await h.rt.access.jobs.run(clock.now())).dormant).toBeNull();
    expect(events.filter((e) => e.type === 'account.dormant_disabled')).toHaveLength(1);
  });
});

describe.each(dialects)('separ access (CLI, %s)', (dialect) => {
  let dir = '';
  let env: Record<string, string> = {};
  let dropPg: (() => Promise<void>) | null = null;

  const separ = (args: string[], input = '') => runSepar(args, env, input);
  const json = <T>(args: string[]): T => {
    const r = separ(args);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };

  beforeAll(async () => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'separ-access-cli-'));
    env = { SEPAR_DATA_DIR: dir };
    if (dialect === 'postgres') {
      const pg = await freshPgDatabase();
      env.DATABASE_URL = pg.url;
      dropPg = pg.drop;
    }
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (dropPg) await dropPg();
  });

  it('runs an access review end to end and reports dormant accounts', () => {
    expect(separ(['access', '--help']).stdout).toMatch(/review/);
    const init = separ(
      ['init', '--email', 'admin@example.com', '--name', 'Admin', '--password-stdin'],
      'correct horse battery staple 2026\n',
    );
    expect(init.code, init.stderr).toBe(0);
    for (const [email, role] of [
      ['officer@example.com', 'security-officer'],
      ['rep@example.com', 'sales-rep'],
    ] as const) {
      const u = separ(['users', 'create', '--email', email, '--name', role, '--role', role]);
      expect(u.code, u.stderr).toBe(0);
    }

    const badReviewer = separ(['access', 'review', 'start', '--reviewer', 'rep@example.com']);
    expect(badReviewer.code).not.toBe(0);
    expect(badReviewer.stderr.trim().split('\n')).toHaveLength(1);

    const review = json<ReviewView>(['access', 'review', 'start', '--name', 'CLI review', '--json']);
    expect(review).toMatchObject({ name: 'CLI review', state: 'open', createdBy: 'cli' });
    expect(review.items.map((i) => i.email).sort()).toEqual([
      'admin@example.com',
      'officer@example.com',
      'rep@example.com',
    ]);
    const item = (email: string) => review.items.find((i) => i.email === email)?.id ?? '';
    expect(json<{ items: ReviewSummary[] }>(['access', 'review', 'list', '--json']).items[0]?.id).toBe(review.id);

    const both = separ(['access', 'review', 'decide', review.id, item('rep@example.com'), '--certify', '--revoke']);
    expect(both.code).not.toBe(0);
    const certified = json<ReviewItemView>([
      'access',
      'review',
      'decide',
      review.id,
      item('officer@example.com'),
      '--certify',
      '--comment',
      'on duty',
      '--json',
    ]);
    expect(certified).toMatchObject({ decision: 'certify', decidedBy: 'cli', comment: 'on duty' });

    const early = separ(['access', 'review', 'close', review.id]);
    expect(early.code).not.toBe(0);
    expect(early.stderr).toMatch(/2 items still need a decision/);

    const revoked = json<ReviewItemView>([
      'access',
      'review',
      'decide',
      review.id,
      item('rep@example.com'),
      '--revoke',
      '--json',
    ]);
    expect(revoked).toMatchObject({ decision: 'revoke', decidedBy: 'cli' });
    const human = separ(['access', 'review', 'decide', review.id, item('admin@example.com'), '--certify']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/admin@example.com: certified/);

    const closed = json<ReviewView>(['access', 'review', 'close', review.id, '--json']);
    expect(closed.state).toBe('closed');
    expect(closed.evidence?.items.map((i) => i.decidedBy)).toEqual(['cli', 'cli', 'cli']);
    const shown = json<ReviewView>(['access', 'review', 'show', review.id, '--json']);
    expect(shown.evidenceSha256).toBe(closed.evidenceSha256);
    expect(separ(['access', 'review', 'show', review.id]).stdout).toMatch(/evidence kept/);

    // The revoke took the rep's roles away: a new campaign's snapshot shows none.
    const next = json<ReviewView>(['access', 'review', 'start', '--json']);
    expect(next.items.find((i) => i.email === 'rep@example.com')?.roles).toEqual([]);

    expect(json<DormantReport>(['access', 'dormant', '--json'])).toMatchObject({ dormantAfterDays: 90, accounts: [] });
    expect(json<DormantRun>(['access', 'dormant', '--disable', '--json'])).toMatchObject({ disabled: [], skipped: [] });
    expect(separ(['access', 'dormant']).stdout).toMatch(/Dormant accounts .*: 0/);
  }, 300_000); // about twenty process starts, each opening the keyring and the database
});

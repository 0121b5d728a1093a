import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';

interface KeyStatusBody {
  root: { kind: string; id: string };
  keks: { version: number; status: string; deks: number }[];
  epochs: { epoch: number; status: string }[];
  rotation: unknown;
  deksOnOldKeks: number;
}

/** Every string in a JSON value. */
const strings = (v: unknown): string[] =>
  typeof v === 'string'
    ? [v]
    : Array.isArray(v)
      ? v.flatMap(strings)
      : typeof v === 'object' && v !== null
        ? Object.values(v).flatMap(strings)
        : [];

const dialects = await testDialects();

describe.each(dialects)('GET /keys/status (%s)', (dialect) => {
  let h: Harness;
  let officer: TestUser;
  let admin: TestUser;
  let rep: TestUser;

  beforeAll(async () => {
    h = await startHarness(dialect);
    officer = await createUserWithToken(h, { roles: ['security-officer'] });
    admin = await createUserWithToken(h, { roles: ['admin'] });
    rep = await createUserWithToken(h, { roles: ['sales-rep'] });
  });
  afterAll(async () => h?.close());

  const status = (headers?: Record<string, string>) =>
    h.app.inject({ method: 'GET', url: '/api/v1/keys/status', ...(headers ? { headers } : {}) });

  it('shows a key manager the root kind, the active KEK version and rotation state', async () => {
    const res = await status(officer.headers);
    expect(res.statusCode, res.body).toBe(200);
    const body = JSON.parse(res.body) as KeyStatusBody;
    expect(body.root.kind).toBe('keyring');
    expect(body.keks.filter((k) => k.status === 'active').map((k) => k.version)).toEqual([1]);
    expect(body.rotation).toBeNull();
    expect(body.deksOnOldKeks).toBe(0);
    // The same as `separ keys status --json`.
    expect(body).toEqual(JSON.parse(JSON.stringify(await h.rt.rotation.status())));
  });

  it('never carries key material: only labels, states, numbers and times', async () => {
    const body: unknown = JSON.parse((await status(officer.headers)).body);
    for (const s of strings(body)) expect(s).toMatch(/^[A-Za-z0-9_.:+-]{1,80}$/);
  });

  it('is refused without the manage-keys capability (administrators included) and without a caller', async () => {
    for (const u of [admin, rep]) {
      const res = await status(u.headers);
      expect(res.statusCode).toBe(403);
      expect((JSON.parse(res.body) as { code: string }).code).toBe('SEPAR_ERR_FORBIDDEN');
    }
    expect((await status()).statusCode).toBe(401);
  });
});

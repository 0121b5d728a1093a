import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken } from '../support/identity.js';

describe('Server-Timing (SEPAR_SERVER_TIMING)', () => {
  let off: Harness;
  let on: Harness;
  beforeAll(async () => {
    off = await startHarness('sqlite');
    on = await startHarness('sqlite', { env: { SEPAR_SERVER_TIMING: '1' } });
  });
  afterAll(async () => {
    await off?.close();
    await on?.close();
  });

  it('is absent by default', async () => {
    const res = await off.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['server-timing']).toBeUndefined();
  });

  it('when enabled, carries only the duration — on answers, refusals and lookups alike', async () => {
    const admin = (await createUserWithToken(on, { roles: ['admin'] })).headers;
    const responses = [
      await on.app.inject({ method: 'GET', url: '/healthz' }),
      await on.app.inject({ method: 'GET', url: '/api/v1/contacts?email=nobody%40example.com' }),
      await on.app.inject({ method: 'GET', url: '/api/v1/contacts?email=nobody%40example.com', headers: admin }),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([200, 401, 200]);
    for (const res of responses) {
      const header = String(res.headers['server-timing']);
      expect(header).toMatch(/^app;dur=\d+\.\d{3}$/);
      expect(header).not.toContain('nobody');
      expect(Number(header.slice('app;dur='.length))).toBeLessThan(30_000);
    }
  });
});

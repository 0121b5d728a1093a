import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { startHarness, type Harness } from '../support/harness.js';
import { HOSTILE_TEXT, hostileStrings } from '../support/hostile-inputs.js';
import { createUserWithToken } from '../support/identity.js';
import { openApiDocument } from '../../src/http/index.js';

/**
 * Garbage in, never a 500 out: random JSON bodies, query strings and path ids on every route of the
 * OpenAPI document, plus the hostile inputs, as an administrator (the widest surface).
 */
const hostile = hostileStrings(...HOSTILE_TEXT, 'emails_invalid');

const stringArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(...hostile),
  fc.string({ unit: 'binary', maxLength: 20 }),
);
const valueArb = fc.oneof(
  stringArb,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(stringArb, { maxLength: 3 }),
);

describe('fuzz: no input yields a 500', () => {
  let h: Harness;
  let admin: { authorization: string };
  let ops: { method: string; path: string; fields: string[]; query: string[] }[] = [];

  beforeAll(async () => {
    h = await startHarness('sqlite');
    admin = (await createUserWithToken(h, { roles: ['admin'] })).headers;
    const doc = openApiDocument(h.app) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { in: string; name: string }[];
            requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
          }
        >
      >;
    };
    ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: path.replace(/^\/api\/v1/, ''),
        fields: Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      })),
    );
  });
  afterAll(async () => h?.close());

  it('random bodies, query strings and ids on every route', { timeout: 180_000 }, async () => {
    expect(ops.length).toBeGreaterThan(30);
    const failures: string[] = [];
    for (const op of ops) {
      if (op.path === '/auth/logout' || op.path === '/me/sessions') continue; // would end the admin's own credentials
      await fc
        .assert(
          fc.asyncProperty(
            fc.oneof(fc.uuid(), stringArb),
            fc.dictionary(
              fc.oneof(fc.constantFrom(...(op.fields.length ? op.fields : ['x'])), fc.string({ maxLength: 8 })),
              valueArb,
              { maxKeys: 6 },
            ),
            fc.dictionary(
              fc.oneof(fc.constantFrom(...(op.query.length ? op.query : ['x'])), fc.string({ maxLength: 8 })),
              stringArb,
              { maxKeys: 4 },
            ),
            fc.boolean(),
            async (id, body, query, rawGarbage) => {
              const url = `/api/v1${op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id))}?${new URLSearchParams(query).toString()}`;
              const withBody = !['GET', 'DELETE'].includes(op.method);
              const res = await h.app.inject({
                method: op.method as 'GET',
                url,
                headers: { ...admin, ...(withBody ? { 'content-type': 'application/json' } : {}) },
                ...(withBody ? { payload: rawGarbage ? JSON.stringify(body).slice(0, -1) : JSON.stringify(body) } : {}),
              });
              if (res.statusCode >= 500)
                failures.push(`${op.method} ${url} ${JSON.stringify(body)} → ${res.statusCode} ${res.body}`);
              return res.statusCode < 500;
            },
          ),
          { numRuns: 60, seed: 20261129 },
        )
        .catch(() => undefined);
    }
    expect(failures).toEqual([]);
  });
});

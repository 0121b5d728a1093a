import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, urlForLog } from '../../src/platform/logger.js';
import { buildHttpApp, createRuntime, type Runtime } from '../../src/runtime/index.js';
import type { FastifyInstance } from 'fastify';
import { startHarness, type Harness } from '../support/harness.js';
import { createUserWithToken, type TestUser } from '../support/identity.js';

/**
 * At debug/trace level Fastify logs every request. The query is where people type what they look customers up by
 * (an email, a phone number, a card number in `q`): a log line must not carry what the database keeps encrypted.
 */
describe('request log', () => {
  it('keeps the path and the names of query parameters, never their values', () => {
    expect(urlForLog('/api/v1/contacts?email=leila%40example.test&q=4539+1488+0343+6467')).toBe(
      '/api/v1/contacts?email=…&q=…',
    );
    expect(urlForLog('/api/v1/contacts/0190-ab')).toBe('/api/v1/contacts/0190-ab');
    expect(urlForLog('/x?a&&b=1')).toBe('/x?a=…&b=…');
    // A card number as a path segment or a parameter's name is masked too.
    expect(urlForLog('/api/v1/contacts/4539148803436467?4111111111111111')).toBe(
      '/api/v1/contacts/453914******6467?411111******1111=…',
    );
    // A forged line break in the path stays escaped.
    expect(urlForLog('/x\n{"level":50}?a=1')).toBe('/x\\u000a{"level":50}?a=…');
  });

  describe('a server logging at debug level', () => {
    let h: Harness;
    let rt: Runtime | null = null;
    let app: FastifyInstance | null = null;
    let admin: TestUser;
    const lines: string[] = [];

    beforeAll(async () => {
      h = await startHarness('sqlite');
      admin = await createUserWithToken(h, { roles: ['admin'] });
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      rt = await createRuntime(
        { ...h.config, logLevel: 'debug' },
        { migrate: false, logger: createLogger('debug', sink) },
      );
      app = await buildHttpApp(rt);
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await rt?.close();
      await h?.close();
    });

    it('logs lookups and searches without the values looked up', async () => {
      const res = await app?.inject({
        method: 'GET',
        url: '/api/v1/contacts?email=leila.karimi%40example.test&phone=09121234567&q=4539148803436467',
        headers: admin.headers,
      });
      expect(res?.statusCode, res?.body).toBe(200);
      const log = lines.join('');
      expect(log).toContain('"url":"/api/v1/contacts?email=…&phone=…&q=…"');
      expect(log).not.toMatch(/leila|karimi|09121234567|4539148803436467/);
    });
  });
});

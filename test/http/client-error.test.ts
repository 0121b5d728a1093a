import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime, buildHttpApp, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { ensureTlsMaterial, tlsServerOptions } from '../../src/http/index.js';

/** Raw bytes over TLS, and everything the server answers until it closes the connection. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => {
      s.write(bytes);
    });
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (out += d));
    s.on('end', () => resolve(out));
    s.on('close', () => resolve(out));
    s.on('error', reject);
    s.setTimeout(10_000, () => s.destroy(new Error('no answer')));
  });
}

/**
 * Requests Node's parser refuses never reach Fastify's error handler: they still get problem+json with a stable
 * code and the security headers every other answer carries, and the connection is closed.
 */
describe('requests the HTTP parser refuses', () => {
  let app: FastifyInstance;
  let rt: Runtime;
  let port = 0;
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'separ-client-error-'));
    rt = await createRuntime(loadConfig({ SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent' }), {
      migrate: true,
      logger: createLogger('silent'),
    });
    app = await buildHttpApp(rt, tlsServerOptions(await ensureTlsMaterial(dir, null, null)));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  });
  afterAll(async () => {
    await app?.close();
    await rt?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, string, number, string][] = [
    [
      'Content-Length and Transfer-Encoding together (smuggling)',
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
      'SEPAR_ERR_BAD_REQUEST',
    ],
    [
      'two different Content-Lengths',
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      400,
      'SEPAR_ERR_BAD_REQUEST',
    ],
    ['a lowercase method', 'get /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n', 400, 'SEPAR_ERR_BAD_REQUEST'],
    [
      'headers over the limit',
      `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'SEPAR_ERR_HEADERS_TOO_LARGE',
    ],
  ];
  for (const [name, bytes, status, code] of cases) {
    it(`answers ${name} with problem+json ${status} and the security headers`, async () => {
      const text = await raw(port, bytes);
      const [head = '', body = ''] = text.split('\r\n\r\n');
      expect(head.split('\r\n')[0]).toBe(
        `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : 'Request Header Fields Too Large'}`,
      );
      const headers = head.toLowerCase();
      expect(headers).toContain('content-type: application/problem+json');
      expect(headers).toContain('strict-transport-security: max-age=31536000');
      expect(headers).toMatch(/content-security-policy: [^\r]*frame-ancestors 'none'/);
      expect(headers).toContain('x-content-type-options: nosniff');
      expect(headers).toContain('connection: close');
      expect(headers).not.toContain('x-powered-by');
      const problem = JSON.parse(body) as { code: string; status: number; detail: string };
      expect(problem).toMatchObject({ code, status });
      // Nothing of the request comes back.
      expect(body).not.toContain('aaaa');
      expect(body).not.toContain('login');
    });
  }
});

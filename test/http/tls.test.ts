import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type ConnectionOptions } from 'node:tls';
import { request } from 'node:https';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { createRuntime, buildHttpApp, type Runtime } from '../../src/runtime/index.js';
import { createLogger } from '../../src/platform/logger.js';
import { ensureTlsMaterial, tlsServerOptions } from '../../src/http/index.js';

function handshake(port: number, opts: ConnectionOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false, ...opts }, () => {
      const v = s.getProtocol() ?? 'unknown';
      s.end();
      resolve(v);
    });
    s.on('error', reject);
  });
}

describe('HTTPS by default', () => {
  let app: FastifyInstance;
  let rt: Runtime;
  let port = 0;
  let dir = '';
  let ca = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'separ-tls-'));
    const config = loadConfig({ SEPAR_DATA_DIR: dir, SEPAR_LOG_LEVEL: 'silent' });
    rt = await createRuntime(config, { migrate: true, logger: createLogger('silent') });
    const material = await ensureTlsMaterial(dir, null, null);
    expect(material.generated).toBe(true);
    ca = material.cert;
    app = await buildHttpApp(rt, tlsServerOptions(material));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  });
  afterAll(async () => {
    await app?.close();
    await rt?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts TLS 1.3 and TLS 1.2', async () => {
    expect(await handshake(port, { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' })).toBe('TLSv1.3');
    expect(await handshake(port, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toBe('TLSv1.2');
    expect(await handshake(port, {})).toBe('TLSv1.3');
  });

  it('refuses TLS 1.1 and 1.0 (the server says protocol version, not the client)', async () => {
    for (const v of ['TLSv1.1', 'TLSv1'] as const) {
      // SECLEVEL=0 lets this client offer the old protocol at all, so the refusal is the server's.
      const err = await handshake(port, { minVersion: v, maxVersion: v, ciphers: 'DEFAULT@SECLEVEL=0' }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err, v).toBeInstanceOf(Error);
      expect(String(err?.message)).toMatch(/protocol version|unsupported protocol/i);
    }
  });

  it('serves a certificate valid for localhost with HSTS and no X-Powered-By', async () => {
    const res = await new Promise<{ status: number; headers: Record<string, unknown> }>((resolve, reject) => {
      const r = request(
        {
          host: '127.0.0.1',
          port,
          path: '/healthz',
          servername: 'localhost',
          ca,
          checkServerIdentity: () => undefined,
        },
        (m) => {
          m.resume();
          resolve({ status: m.statusCode ?? 0, headers: m.headers });
        },
      );
      r.on('error', reject);
      r.end();
    });
    expect(res.status).toBe(200);
    expect(String(res.headers['strict-transport-security'])).toMatch(/max-age=31536000; includeSubDomains/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './support/server.js';

/** How the server hands out the web app: same origin, strict CSP, cache rules, API never shadowed. */
test('index.html: strict CSP with a fresh style nonce per response, never cached', async ({ request }) => {
  const a = await request.get('/contacts/some-client-route');
  const b = await request.get('/');
  for (const res of [a, b]) {
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/html');
    expect(res.headers()['cache-control']).toBe('no-store');
    const csp = res.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'/);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? '';
    expect(await res.text()).toContain(`nonce="${nonce}"`);
  }
  const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? '')?.[1];
  expect(nonceOf(a.headers()['content-security-policy'])).not.toBe(nonceOf(b.headers()['content-security-policy']));
  expect(await b.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
});

test('hashed assets: long-lived immutable caching, compressed when accepted', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeTruthy();
  const res = await request.get(script ?? '', { headers: { 'accept-encoding': 'br, gzip' } });
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toContain('immutable');
  expect(res.headers()['cache-control']).toContain('max-age=31536000');
  expect(res.headers()['content-encoding']).toMatch(/br|gzip/);
  expect((await request.get('/assets/nope-123.js')).status()).toBe(404);
});

test('the API, health checks and missing files are never answered with the web app', async ({ request }) => {
  const api = await request.get('/api/v1/nothing-here');
  expect(api.status()).toBe(401);
  expect(api.headers()['content-type']).toContain('application/problem+json');
  expect((await request.get('/healthz')).status()).toBe(200);
  expect(await (await request.get('/healthz')).json()).toEqual({ status: 'ok' });
  const missing = await request.get('/favicon.ico');
  expect(missing.status()).toBe(404);
  expect(missing.headers()['content-type']).toContain('application/problem+json');
});

test('the typed API client matches the committed OpenAPI document (no drift)', () => {
  // Regenerate with `npm run web:api` when openapi.json changes.
  execFileSync(process.execPath, [join(ROOT, 'web', 'scripts', 'generate-api.mjs'), '--check'], { stdio: 'pipe' });
});

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

test('initial JavaScript is under 500 KB gzipped (sign-in page, and the dashboard after signing in)', () => {
  const dist = join(ROOT, 'web', 'dist');
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const closure = (keys: string[], seen = new Set<string>()): Set<string> => {
    for (const k of keys) {
      if (seen.has(k)) continue;
      seen.add(k);
      closure(manifest[k]?.imports ?? [], seen);
    }
    return seen;
  };
  const gz = (keys: Set<string>) =>
    [...keys].reduce((sum, k) => sum + gzipSync(readFileSync(join(dist, manifest[k]?.file ?? ''))).length, 0);
  const entry = Object.keys(manifest).filter((k) => manifest[k]?.isEntry);
  const dashboard = Object.keys(manifest).filter((k) => k.includes('DashboardPage'));
  const signIn = gz(closure(entry));
  const firstPage = gz(closure([...entry, ...dashboard]));
  console.log(
    `initial JS gzipped: sign-in ${(signIn / 1024).toFixed(1)} KB; dashboard ${(firstPage / 1024).toFixed(1)} KB`,
  );
  expect(signIn).toBeLessThan(500 * 1024);
  expect(firstPage).toBeLessThan(500 * 1024);
});

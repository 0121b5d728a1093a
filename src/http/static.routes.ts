import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/app-error.js';
import { htmlContentSecurityPolicy } from './security-headers.js';

/** The built web app (vite build → web/dist), next to dist/ and src/ alike. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** web/index.html carries this placeholder where each response puts its own CSP style nonce. */
export const STYLE_NONCE_PLACEHOLDER = '__SEPAR_STYLE_NONCE__';

/** Paths that belong to the server, never to the web app's client-side router. */
const SERVER_PATHS = /^\/(?:api|assets|healthz|readyz)(?:\/|$)/;
/** Built asset names: content-hashed, no directories, no dot-files. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;
/** A path with a file extension is a missing file, not a client route. */
const FILE_LIKE = /\/[^/]*\.[A-Za-z0-9]{1,8}$/;

const notFound = (): AppError =>
  new AppError('SEPAR_ERR_NOT_FOUND', 'Not found', { detail: 'There is nothing at this address.' });

/**
 * Serves the web app from the same origin as the API: content-hashed files under /assets/ with
 * year-long immutable caching (precompressed .br/.gz when the build wrote them), and index.html for every
 * client route with `Cache-Control: no-store` and a per-response style nonce in its CSP. Registered after
 * the API, so /api, /healthz and /readyz keep their own answers (unknown /api paths stay problem+json:
 * 401 without credentials, 404 with). The page and its assets are public (they hold no data); everything
 * they show comes from the API. Does nothing when the web app has not been built.
 */
export async function registerStaticRoutes(app: FastifyInstance, webRoot = DEFAULT_WEB_ROOT): Promise<boolean> {
  const indexFile = join(webRoot, 'index.html');
  if (!existsSync(indexFile)) return false;
  const template = readFileSync(indexFile, 'utf8');
  if (!template.includes(STYLE_NONCE_PLACEHOLDER)) {
    throw new Error(`${indexFile} lacks the CSP nonce placeholder; rebuild the web app`);
  }
  const assets = join(webRoot, 'assets');
  // Only reply.sendFile from the plugin: the routes are declared here, public like the page itself
  // (every route needs credentials unless it says otherwise).
  await app.register(fastifyStatic, {
    root: assets,
    serve: false,
    decorateReply: true,
    index: false,
    dotfiles: 'deny',
    preCompressed: true,
    cacheControl: true,
    immutable: true,
    maxAge: '365d',
  });
  app.get('/assets/*', { schema: { hide: true }, config: { public: true } }, (req, reply) => {
    const file = (req.params as { '*'?: string })['*'] ?? '';
    if (!ASSET_NAME.test(file)) throw notFound();
    return reply.sendFile(file);
  });
  // Unknown API paths stay the API's: credentials first, then a problem+json 404.
  app.get('/api/*', { schema: { hide: true } }, () => {
    throw notFound();
  });

  const serveIndex = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const path = req.url.split('?')[0] ?? '/';
    if (SERVER_PATHS.test(path) || FILE_LIKE.test(path)) throw notFound();
    const nonce = randomBytes(18).toString('base64');
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', htmlContentSecurityPolicy(nonce))
      .send(template.replaceAll(STYLE_NONCE_PLACEHOLDER, nonce));
  };
  app.get('/', { schema: { hide: true }, config: { public: true } }, serveIndex);
  app.get('/*', { schema: { hide: true }, config: { public: true } }, serveIndex);
  return true;
}

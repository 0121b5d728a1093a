import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/app-error.js';
import { sendProblem } from './problem.js';

const REFUSED_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);

/** The Content-Security-Policy of every response: no inline script or style, nothing from other origins. */
const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * The policy of the web app's HTML: the same as every response, except that `<style>` elements carrying
 * this response's nonce may apply (the UI library writes its CSS variables into one). Scripts stay 'self'
 * only — no 'unsafe-inline', no 'unsafe-eval' — and style attributes stay blocked.
 */
export function htmlContentSecurityPolicy(styleNonce: string): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(styleNonce)) throw new Error('bad CSP nonce');
  const directives: Record<string, string[]> = { ...CSP_DIRECTIVES, styleSrc: ["'self'", `'nonce-${styleNonce}'`] };
  return Object.entries(directives)
    .map(([k, v]) => `${kebab(k)} ${v.join(' ')}`)
    .join('; ');
}

type HelmetMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
type Helmet = (options: Record<string, unknown>) => HelmetMiddleware;

/** The helmet that @fastify/helmet wraps (its own dependency, resolved from it). */
const loadHelmet = (): Helmet =>
  createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as Helmet;

/**
 * The security headers of every response, computed once by helmet from our policy. Every value is static
 * (no per-request nonce, no function directive), so helmet's per-request work — building its middleware
 * from the options, which @fastify/helmet did on every request — gives the same headers every time.
 */
export function securityHeaders(opts: { https: boolean }): readonly (readonly [string, string])[] {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: unknown): void => {
      headers.push([name.toLowerCase(), String(value)]);
    },
    removeHeader: (): void => undefined,
  };
  let error: unknown = null;
  loadHelmet()({
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    hsts: opts.https ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  })({} as IncomingMessage, recorder as unknown as ServerResponse, (err) => {
    error = err ?? null;
  });
  if (error !== null) throw error instanceof Error ? error : new Error('could not compute the security headers');
  return Object.freeze(headers.map((h) => Object.freeze(h)));
}

export async function registerSecurityHeaders(app: FastifyInstance, opts: { https: boolean }): Promise<void> {
  const headers = securityHeaders(opts);
  app.addHook('onRequest', (_req, reply, done) => {
    const res = reply.raw;
    for (const [name, value] of headers) res.setHeader(name, value);
    res.removeHeader('x-powered-by');
    done();
  });

  app.addHook('onRequest', async (req, reply) => {
    if (REFUSED_METHODS.has(req.method)) {
      void reply.header('allow', 'GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS');
      return sendProblem(
        reply,
        new AppError('SEPAR_ERR_METHOD_NOT_ALLOWED', 'Method not allowed', { detail: `${req.method} is not allowed.` }),
      );
    }
    return undefined;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.removeHeader('x-powered-by');
    // Nothing is cached unless its handler chose a cache policy (hashed static assets do).
    if (!reply.hasHeader('cache-control') || req.actor) {
      void reply.header('cache-control', 'no-store');
      void reply.header('pragma', 'no-cache');
    }
    return payload;
  });
}

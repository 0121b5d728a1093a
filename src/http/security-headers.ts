import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../platform/app-error.js';
import { sendProblem } from './problem.js';

const REFUSED_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);

export async function registerSecurityHeaders(app: FastifyInstance, opts: { https: boolean }): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
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
      },
    },
    hsts: opts.https ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
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
    if (req.url.startsWith('/api/') || req.actor) {
      void reply.header('cache-control', 'no-store');
      void reply.header('pragma', 'no-cache');
    }
    return payload;
  });
}

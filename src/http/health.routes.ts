import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../platform/app-error.js';

export function registerHealth(app: FastifyInstance, ping: () => Promise<void>): void {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ready') }) } },
    },
    async () => {
      try {
        await ping();
      } catch (err) {
        throw new AppError('SEPAR_ERR_UNAVAILABLE', 'Not ready', {
          detail: 'The database is not reachable.',
          internal: err,
          headers: { 'retry-after': '5' },
        });
      }
      return { status: 'ready' as const };
    },
  );
}

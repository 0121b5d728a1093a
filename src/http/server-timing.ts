import type { FastifyInstance, FastifyRequest } from 'fastify';

const started = new WeakMap<FastifyRequest, bigint>();

/**
 * `Server-Timing: app;dur=<ms>` on every response: the time from the request's arrival to its response headers,
 * so that a benchmark can tell the server's own latency from the network's and the load generator's. Only a
 * duration, never a name, query or value. Enabled by SEPAR_SERVER_TIMING=1 (off by default: an exact processing
 * time per response makes timing probes cheaper).
 */
export function registerServerTiming(app: FastifyInstance): void {
  app.addHook('onRequest', (req, _reply, done) => {
    started.set(req, process.hrtime.bigint());
    done();
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    const t0 = started.get(req);
    if (t0 !== undefined) {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      reply.header('server-timing', `app;dur=${ms.toFixed(3)}`);
    }
    done(null, payload);
  });
}

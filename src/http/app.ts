import type { ServerOptions as HttpsServerOptions } from 'node:https';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from '../platform/logger.js';
import { newId } from '../platform/ids.js';
import type { SeparConfig } from '../config/config.js';
import { registerErrorHandling, type RefusalListener } from './error-handler.js';
import { clientErrorHandler } from './client-error.js';
import { registerSecurityHeaders, securityHeaders } from './security-headers.js';
import { registerAuth, type Authenticator } from './auth.js';
import { registerAccessResolution } from './access-hook.js';
import type { Actor } from '../security/access/actor.js';
import { schemaCompiler } from './validators.js';
import { registerHealth } from './health.routes.js';
import { registerOpenApiRoute, OPENAPI_INFO } from './openapi.js';
import { registerStaticRoutes } from './static.routes.js';
import { registerServerTiming } from './server-timing.js';

export type App = FastifyInstance;

/** A module's routes, registered under /api/v1. */
export type RouteModule = (app: FastifyInstance) => void | Promise<void>;

export interface AppDeps {
  config: SeparConfig;
  logger: Logger;
  auth: Authenticator;
  /** Evidence of refusals by policy (403): who, what, where. */
  onRefused?: RefusalListener;
  /** Attach the actor's resolved permissions (roles, IP rules, teams) after authentication. */
  resolveAccess?: (actor: Actor) => Promise<Actor>;
  ping: () => Promise<void>;
  modules: RouteModule[];
  /** Present when serving HTTPS (omitted for app.inject tests and SEPAR_INSECURE_HTTP). */
  https?: HttpsServerOptions;
  /** The built web app to serve (default web/dist); null serves none. Skipped when it has not been built. */
  webRoot?: string | null;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const options = {
    loggerInstance: deps.logger,
    logController: new LogController({
      disableRequestLogging: deps.config.logLevel !== 'debug' && deps.config.logLevel !== 'trace',
    }),
    bodyLimit: deps.config.bodyLimitBytes,
    requestTimeout: deps.config.requestTimeoutMs,
    connectionTimeout: deps.config.requestTimeoutMs + 5000,
    keepAliveTimeout: 10_000,
    trustProxy: deps.config.trustProxy === false ? false : [...deps.config.trustProxy],
    genReqId: () => newId(),
    onProtoPoisoning: 'error' as const,
    onConstructorPoisoning: 'error' as const,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: true, maxParamLength: 200 },
    clientErrorHandler: clientErrorHandler(securityHeaders({ https: Boolean(deps.https) })),
    ...(deps.https ? { https: { ...deps.https, maxHeaderSize: 16 * 1024 } } : { http: { maxHeaderSize: 16 * 1024 } }),
  };
  const app = Fastify(
    options as FastifyServerOptions,
  ).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;
  app.setValidatorCompiler(schemaCompiler);
  app.server.headersTimeout = 15_000;

  if (deps.config.serverTiming) registerServerTiming(app);
  registerErrorHandling(app, deps.onRefused);
  await registerSecurityHeaders(app, { https: Boolean(deps.https) });
  await app.register(cookie, { parseOptions: {} });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      servers: [{ url: deps.config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: '__Host-separ_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  registerAuth(app, deps.auth, new URL(deps.config.publicUrl).origin);
  if (deps.resolveAccess) registerAccessResolution(app, deps.resolveAccess);
  registerHealth(app, deps.ping);
  await app.register(
    async (api) => {
      for (const mod of deps.modules) await mod(api);
      registerOpenApiRoute(api, app);
    },
    { prefix: '/api/v1' },
  );
  if (deps.webRoot !== null) await registerStaticRoutes(app, deps.webRoot);
  return app;
}

export { buildApp, type AppDeps, type RouteModule } from './app.js';
export {
  actorOf,
  requestMeta,
  SESSION_COOKIE,
  CSRF_HEADER,
  type Authenticator,
  type RequestMeta,
  type SessionResolution,
} from './auth.js';
export { ensureTlsMaterial, localCaTrustInstructions, tlsServerOptions, type TlsMaterial } from './tls.js';
export { openApiDocument } from './openapi.js';
export { sendProblem } from './problem.js';
export { clientIp } from './client-ip.js';

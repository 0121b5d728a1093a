import type { Static } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestMeta, SESSION_COOKIE } from '../../http/auth.js';
import { AppError } from '../../platform/app-error.js';
import type { LoginResponse } from './auth.schema.js';
import { SESSION_COOKIE_OPTIONS } from './cookie.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_OPTIONS, type DeviceCookies } from './devices/device-cookie.js';
import type { ResolvedSession, SessionService } from './session.service.js';
import type { SignInContext, SignInResult } from './sign-in.service.js';

/** Sets the session cookie (and a new device cookie) of a sign-in step and shapes its answer. */
export function signInReply(reply: FastifyReply, result: SignInResult): Static<typeof LoginResponse> {
  void reply.setCookie(SESSION_COOKIE, result.session.token, SESSION_COOKIE_OPTIONS);
  switch (result.state) {
    case 'full':
      if (result.deviceCookie !== null) void reply.setCookie(DEVICE_COOKIE, result.deviceCookie, DEVICE_COOKIE_OPTIONS);
      return { user: result.user, csrfToken: result.session.csrfToken };
    case 'pending':
      return { mfaRequired: true, methods: result.methods, csrfToken: result.session.csrfToken };
    case 'restricted':
      return {
        user: result.user,
        csrfToken: result.session.csrfToken,
        setupRequired: result.setup,
        mfaMethods: result.methods,
      };
  }
}

/** The request's sign-in context: caller facts, the verified device cookie, the session cookie it held. */
export async function signInContext(req: FastifyRequest, devices: DeviceCookies): Promise<SignInContext> {
  return {
    meta: requestMeta(req),
    deviceHash: await devices.verify(req.cookies[DEVICE_COOKIE]),
    previousSessionToken: req.cookies[SESSION_COOKIE] ?? null,
  };
}

/** The session the request was made with (the auth hook resolved it); 401 when it ended meanwhile. */
export async function currentSession(req: FastifyRequest, sessions: SessionService): Promise<ResolvedSession> {
  const session = await sessions.current(req.actor?.sessionId ?? null);
  if (!session) {
    throw new AppError('SEPAR_ERR_UNAUTHENTICATED', 'Unauthenticated', {
      detail: 'This needs a signed-in browser session.',
    });
  }
  return session;
}

import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { actorOf, checkSameOrigin, requestMeta, SESSION_COOKIE } from '../../http/auth.js';
import type { RouteModule } from '../../http/app.js';
import { currentSession, signInContext, signInReply } from './auth-reply.js';
import { LoginBody, LoginResponse, SessionStateSchema, StepUpPasswordBody, StepUpSchema } from './auth.schema.js';
import { NoContent, NoQuery } from './common.schema.js';
import { CLEAR_SITE_DATA, SESSION_COOKIE_OPTIONS } from './cookie.js';
import type { DeviceCookies } from './devices/device-cookie.js';
import type { LoginService } from './login.service.js';
import { AssertionBody, RecoveryCodeBody, TotpCodeBody } from './mfa/mfa.schema.js';
import { requestOptionsJson, RequestOptionsSchema, type AuthenticationCredential } from './mfa/webauthn.schema.js';
import type { PasskeySignIn, SecondFactorService } from './second-factor.service.js';
import type { NewSession, SessionService } from './session.service.js';
import type { SignInFlow } from './sign-in.service.js';

export interface AuthRoutesDeps {
  logins: LoginService;
  sessions: SessionService;
  signIn: SignInFlow;
  secondFactor: SecondFactorService;
  passkeys: PasskeySignIn;
  deviceCookies: DeviceCookies;
  /** The origin browsers use (SEPAR_PUBLIC_URL): a login posted from anywhere else is refused (login CSRF). */
  publicOrigin: string;
}

/** The browser's JSON form of an assertion is exactly what @simplewebauthn/server verifies. */
const assertion = (c: AuthenticationCredential): AuthenticationResponseJSON => c;

const PENDING = { sessionKinds: ['pending'] as const };

export function authRoutes(deps: AuthRoutesDeps): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    const stepUpReply = (reply: FastifyReply, s: { session: NewSession; authenticatedAt: string }) => {
      void reply.setCookie(SESSION_COOKIE, s.session.token, SESSION_COOKIE_OPTIONS);
      return { csrfToken: s.session.csrfToken, authenticatedAt: s.authenticatedAt };
    };

    r.post(
      '/auth/login',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with email and password',
          description:
            'Sets the `__Host-separ_session` cookie and returns the CSRF token to send as X-CSRF-Token. When a second ' +
            'factor is due the answer is `{mfaRequired: true, methods}` and the session is pending until ' +
            '/auth/mfa/… answers it; when the account must first enrol MFA (or change an administrator-chosen ' +
            'password) the answer lists `setupRequired` and the session can do only that. Every failure — unknown ' +
            'email, wrong password, disabled or locked account — answers 401 SEPAR_ERR_INVALID_CREDENTIALS with the ' +
            'same body; too many attempts answer 429 with Retry-After.',
          security: [],
          querystring: NoQuery,
          body: LoginBody,
          response: { 200: LoginResponse },
        },
      },
      async (req, reply) => {
        checkSameOrigin(req, deps.publicOrigin);
        const ctx = await signInContext(req, deps.deviceCookies);
        const result = await deps.logins.login(req.body.email, req.body.password, ctx.meta, {
          previousSessionToken: ctx.previousSessionToken ?? null,
          deviceHash: ctx.deviceHash,
        });
        return signInReply(reply, result);
      },
    );

    r.post(
      '/auth/logout',
      {
        config: { sessionKinds: ['pending', 'restricted'] },
        schema: {
          tags: ['auth'],
          summary: 'Sign out: end this session and clear the cookie',
          querystring: NoQuery,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        await deps.sessions.logout(actorOf(req));
        void reply.clearCookie(SESSION_COOKIE, SESSION_COOKIE_OPTIONS);
        void reply.header('clear-site-data', CLEAR_SITE_DATA);
        return reply.code(204).send(null);
      },
    );

    r.get(
      '/auth/session',
      {
        config: { sessionKinds: ['pending', 'restricted'] },
        schema: {
          tags: ['auth'],
          summary: 'The state of this browser session: signed in, second factor due, or account setup due',
          querystring: NoQuery,
          response: { 200: SessionStateSchema },
        },
      },
      async (req) => {
        const session = await currentSession(req, deps.sessions);
        const state = await deps.signIn.mfaState(session.userId);
        return {
          kind: session.kind,
          authenticatedAt: session.authenticatedAt,
          recentlyAuthenticated: session.recentlyAuthenticated,
          methods:
            session.kind === 'pending'
              ? [...state.usable, ...(state.hasRecoveryCodes ? (['recovery'] as const) : [])]
              : [],
          setupRequired: session.kind === 'restricted' ? await deps.signIn.remainingSetup(session) : [],
          mfaMethods: state.policy.allowed,
          csrfToken: session.csrfToken,
        };
      },
    );

    // The second step of sign-in: a pending session answers with one factor.

    r.post(
      '/auth/mfa/totp',
      {
        config: PENDING,
        schema: {
          tags: ['auth'],
          summary: 'Complete sign-in with an authenticator-app code',
          description: 'Each code works once. Five wrong answers end the pending session.',
          querystring: NoQuery,
          body: TotpCodeBody,
          response: { 200: LoginResponse },
        },
      },
      async (req, reply) => {
        const session = await currentSession(req, deps.sessions);
        const ctx = await signInContext(req, deps.deviceCookies);
        const result = await deps.secondFactor.complete(session, { method: 'totp', code: req.body.code }, ctx);
        return signInReply(reply, result);
      },
    );

    r.post(
      '/auth/mfa/recovery',
      {
        config: PENDING,
        schema: {
          tags: ['auth'],
          summary: 'Complete sign-in with a recovery code (each works once)',
          querystring: NoQuery,
          body: RecoveryCodeBody,
          response: { 200: LoginResponse },
        },
      },
      async (req, reply) => {
        const session = await currentSession(req, deps.sessions);
        const ctx = await signInContext(req, deps.deviceCookies);
        const result = await deps.secondFactor.complete(session, { method: 'recovery', code: req.body.code }, ctx);
        return signInReply(reply, result);
      },
    );

    r.post(
      '/auth/mfa/webauthn/options',
      {
        config: PENDING,
        schema: {
          tags: ['auth'],
          summary: 'Challenge for completing sign-in with a passkey or security key',
          querystring: NoQuery,
          response: { 200: RequestOptionsSchema },
        },
      },
      async (req) =>
        requestOptionsJson(await deps.secondFactor.webauthnOptions(await currentSession(req, deps.sessions), 'mfa')),
    );

    r.post(
      '/auth/mfa/webauthn',
      {
        config: PENDING,
        schema: {
          tags: ['auth'],
          summary: 'Complete sign-in with a passkey or security key assertion',
          querystring: NoQuery,
          body: AssertionBody,
          response: { 200: LoginResponse },
        },
      },
      async (req, reply) => {
        const session = await currentSession(req, deps.sessions);
        const ctx = await signInContext(req, deps.deviceCookies);
        const result = await deps.secondFactor.complete(
          session,
          { method: 'webauthn', response: assertion(req.body.credential) },
          ctx,
        );
        return signInReply(reply, result);
      },
    );

    // Passkey sign-in: WebAuthn with user verification, no password.

    r.post(
      '/auth/passkey/options',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Challenge for signing in with a passkey alone',
          security: [],
          querystring: NoQuery,
          response: { 200: RequestOptionsSchema },
        },
      },
      async (req) => {
        checkSameOrigin(req, deps.publicOrigin);
        return requestOptionsJson(await deps.passkeys.options(requestMeta(req)));
      },
    );

    r.post(
      '/auth/passkey',
      {
        config: { public: true },
        schema: {
          tags: ['auth'],
          summary: 'Sign in with a passkey (user verification required; counts as both factors)',
          security: [],
          querystring: NoQuery,
          body: AssertionBody,
          response: { 200: LoginResponse },
        },
      },
      async (req, reply) => {
        checkSameOrigin(req, deps.publicOrigin);
        const ctx = await signInContext(req, deps.deviceCookies);
        return signInReply(reply, await deps.passkeys.signIn(assertion(req.body.credential), ctx));
      },
    );

    // Step-up: re-authenticate within the last minutes before a sensitive action.

    r.post(
      '/auth/step-up/totp',
      {
        schema: {
          tags: ['auth'],
          summary: 'Confirm it is you with an authenticator-app code (sensitive actions need it)',
          querystring: NoQuery,
          body: TotpCodeBody,
          response: { 200: StepUpSchema },
        },
      },
      async (req, reply) => {
        const session = await currentSession(req, deps.sessions);
        const s = await deps.secondFactor.stepUp(session, { method: 'totp', code: req.body.code }, requestMeta(req));
        return stepUpReply(reply, s);
      },
    );

    r.post(
      '/auth/step-up/webauthn/options',
      {
        schema: {
          tags: ['auth'],
          summary: 'Challenge for confirming it is you with a passkey or security key',
          querystring: NoQuery,
          response: { 200: RequestOptionsSchema },
        },
      },
      async (req) =>
        requestOptionsJson(
          await deps.secondFactor.webauthnOptions(await currentSession(req, deps.sessions), 'step-up'),
        ),
    );

    r.post(
      '/auth/step-up/webauthn',
      {
        schema: {
          tags: ['auth'],
          summary: 'Confirm it is you with a passkey or security key assertion',
          querystring: NoQuery,
          body: AssertionBody,
          response: { 200: StepUpSchema },
        },
      },
      async (req, reply) => {
        const session = await currentSession(req, deps.sessions);
        const s = await deps.secondFactor.stepUp(
          session,
          { method: 'webauthn', response: assertion(req.body.credential) },
          requestMeta(req),
        );
        return stepUpReply(reply, s);
      },
    );

    r.post(
      '/auth/step-up/password',
      {
        config: { sessionKinds: ['restricted'] },
        schema: {
          tags: ['auth'],
          summary: 'Confirm it is you with your password (only for accounts without MFA methods)',
          querystring: NoQuery,
          body: StepUpPasswordBody,
          response: { 200: StepUpSchema },
        },
      },
      async (req, reply) => {
        const session = await currentSession(req, deps.sessions);
        const s = await deps.secondFactor.stepUp(
          session,
          { method: 'password', password: req.body.password },
          requestMeta(req),
        );
        return stepUpReply(reply, s);
      },
    );
  };
}

import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, SESSION_COOKIE } from '../../../http/auth.js';
import type { RouteModule } from '../../../http/app.js';
import { currentSession, signInContext } from '../auth-reply.js';
import { IdParams, NoContent, NoQuery } from '../common.schema.js';
import { SESSION_COOKIE_OPTIONS } from '../cookie.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_OPTIONS, type DeviceCookies } from '../devices/device-cookie.js';
import type { SessionService } from '../session.service.js';
import type { SetupStep, SignInFlow } from '../sign-in.service.js';
import type { MfaMethod } from './mfa-policy.js';
import {
  CredentialParams,
  EnrolledSchema,
  MfaStatusSchema,
  RecoveryCodesSchema,
  RegistrationBody,
  TotpCodeBody,
  TotpEnrolmentSchema,
  WebauthnEnrolledSchema,
} from './mfa.schema.js';
import type { MfaService } from './mfa.service.js';
import { creationOptionsJson, CreationOptionsSchema, type RegistrationCredential } from './webauthn.schema.js';

export interface MfaRoutesDeps {
  mfa: MfaService;
  sessions: SessionService;
  signIn: SignInFlow;
  deviceCookies: DeviceCookies;
}

/** Enrolment is what a restricted session is for; every change is sensitive (step-up). */
const ENROL = { sessionKinds: ['restricted'] as const, stepUp: true };

const registration = (c: RegistrationCredential): RegistrationResponseJSON => c;

export function mfaRoutes(deps: MfaRoutesDeps): RouteModule {
  return (app: FastifyInstance): void => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    /**
     * After an enrolment: a restricted session whose setup is now complete becomes a full one (new id, new CSRF
     * token); otherwise it keeps going with what is left.
     */
    const progress = async (
      req: FastifyRequest,
      reply: FastifyReply,
      proved: MfaMethod,
    ): Promise<{ csrfToken: string; setupRequired: SetupStep[] }> => {
      const session = await currentSession(req, deps.sessions);
      if (session.kind !== 'restricted') return { csrfToken: session.csrfToken, setupRequired: [] };
      const next = await deps.signIn.afterSetupStep(session, await signInContext(req, deps.deviceCookies), proved);
      if (next.session) void reply.setCookie(SESSION_COOKIE, next.session.token, SESSION_COOKIE_OPTIONS);
      if (next.deviceCookie) void reply.setCookie(DEVICE_COOKIE, next.deviceCookie, DEVICE_COOKIE_OPTIONS);
      return { csrfToken: next.session?.csrfToken ?? session.csrfToken, setupRequired: next.setup };
    };

    r.get(
      '/me/mfa',
      {
        config: { sessionKinds: ['restricted'] },
        schema: {
          tags: ['mfa'],
          summary: 'Your MFA methods and policy (never a secret)',
          querystring: NoQuery,
          response: { 200: MfaStatusSchema },
        },
      },
      async (req) => deps.mfa.status(actorOf(req)),
    );

    r.post(
      '/me/mfa/totp',
      {
        config: ENROL,
        schema: {
          tags: ['mfa'],
          summary: 'Start enrolling an authenticator app: a new secret, its otpauth:// URL and QR code',
          description:
            'The secret is in this answer only; it is stored sealed and can never be read back. It becomes active ' +
            'when POST /me/mfa/totp/confirm receives a current code (an active secret stays in force until then).',
          querystring: NoQuery,
          response: { 200: TotpEnrolmentSchema },
        },
      },
      async (req) => deps.mfa.startTotp(actorOf(req)),
    );

    r.post(
      '/me/mfa/totp/confirm',
      {
        config: ENROL,
        schema: {
          tags: ['mfa'],
          summary: 'Confirm the authenticator app with a current code; first method: recovery codes, shown once',
          querystring: NoQuery,
          body: TotpCodeBody,
          response: { 200: EnrolledSchema },
        },
      },
      async (req, reply) => {
        const result = await deps.mfa.confirmTotp(actorOf(req), req.body.code);
        return { recoveryCodes: result.recoveryCodes, ...(await progress(req, reply, 'totp')) };
      },
    );

    r.delete(
      '/me/mfa/totp',
      {
        config: { stepUp: true },
        schema: {
          tags: ['mfa'],
          summary: 'Remove your authenticator app (not your last method while MFA is required)',
          querystring: NoQuery,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        await deps.mfa.removeTotp(actorOf(req));
        return reply.code(204).send(null);
      },
    );

    r.post(
      '/me/mfa/webauthn/register/options',
      {
        config: ENROL,
        schema: {
          tags: ['mfa'],
          summary: 'Start registering a passkey or security key',
          querystring: NoQuery,
          response: { 200: CreationOptionsSchema },
        },
      },
      async (req) => creationOptionsJson(await deps.mfa.webauthnRegistrationOptions(actorOf(req))),
    );

    r.post(
      '/me/mfa/webauthn/register',
      {
        config: ENROL,
        schema: {
          tags: ['mfa'],
          summary: 'Finish registering a passkey or security key; first method: recovery codes, shown once',
          querystring: NoQuery,
          body: RegistrationBody,
          response: { 200: WebauthnEnrolledSchema },
        },
      },
      async (req, reply) => {
        const result = await deps.mfa.registerWebauthn(actorOf(req), registration(req.body.credential), req.body.name);
        return {
          credential: result.credential,
          recoveryCodes: result.recoveryCodes,
          ...(await progress(req, reply, 'webauthn')),
        };
      },
    );

    r.delete(
      '/me/mfa/webauthn/:id',
      {
        config: { stepUp: true },
        schema: {
          tags: ['mfa'],
          summary: 'Remove one of your passkeys or security keys',
          params: CredentialParams,
          querystring: NoQuery,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        await deps.mfa.removeWebauthn(actorOf(req), req.params.id);
        return reply.code(204).send(null);
      },
    );

    r.post(
      '/me/mfa/recovery-codes',
      {
        config: { stepUp: true },
        schema: {
          tags: ['mfa'],
          summary: 'Replace your recovery codes with ten new ones (shown once; the old ones stop working)',
          querystring: NoQuery,
          response: { 200: RecoveryCodesSchema },
        },
      },
      async (req) => ({ recoveryCodes: await deps.mfa.regenerateRecoveryCodes(actorOf(req)) }),
    );

    r.delete(
      '/users/:id/mfa',
      {
        config: { stepUp: true },
        schema: {
          tags: ['users'],
          summary: "Remove all of a user's MFA methods (administrators; e.g. lost device)",
          description: 'The user must enrol again at their next sign-in; all their sessions end.',
          params: IdParams,
          querystring: NoQuery,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        await deps.mfa.resetForUser(actorOf(req), req.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}

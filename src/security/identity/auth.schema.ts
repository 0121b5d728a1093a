import { Type } from 'typebox';
import { EmailInput, PasswordInput, Uuid } from './common.schema.js';
import { MfaMethodSchema, SecondFactorSchema, SetupStepSchema } from './mfa/mfa.schema.js';
import { UserStatusSchema, UserViewSchema } from './user.schema.js';

export const LoginBody = Type.Object({ email: EmailInput, password: PasswordInput }, { additionalProperties: false });

const CsrfToken = Type.String({ description: 'Send as X-CSRF-Token on every state-changing request' });

/** Signed in: a full session. */
export const SignedInSchema = Type.Object(
  { user: UserViewSchema, csrfToken: CsrfToken },
  { additionalProperties: false },
);

/** A second factor is due: the session is pending until POST /auth/mfa/… answers it. */
export const MfaRequiredSchema = Type.Object(
  { mfaRequired: Type.Literal(true), methods: Type.Array(SecondFactorSchema), csrfToken: CsrfToken },
  { additionalProperties: false },
);

/** Signed in, but the account must be set up first (enrol MFA, change a password); nothing else is allowed. */
export const SetupRequiredSchema = Type.Object(
  {
    user: UserViewSchema,
    csrfToken: CsrfToken,
    setupRequired: Type.Array(SetupStepSchema),
    mfaMethods: Type.Array(MfaMethodSchema, { description: 'Methods the policy lets this user enrol' }),
  },
  { additionalProperties: false },
);

export const LoginResponse = Type.Union([SignedInSchema, MfaRequiredSchema, SetupRequiredSchema]);

export const SessionStateSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('full'), Type.Literal('pending'), Type.Literal('restricted')]),
    authenticatedAt: Type.String({ format: 'date-time' }),
    recentlyAuthenticated: Type.Boolean({ description: 'Sensitive actions are allowed without step-up' }),
    methods: Type.Array(SecondFactorSchema, { description: 'Pending: the second factors that can answer' }),
    setupRequired: Type.Array(SetupStepSchema, { description: 'Restricted: what is left to do' }),
    mfaMethods: Type.Array(MfaMethodSchema, { description: 'Methods the policy lets this user use' }),
    csrfToken: CsrfToken,
  },
  { additionalProperties: false },
);

export const StepUpSchema = Type.Object(
  { csrfToken: CsrfToken, authenticatedAt: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
export const StepUpPasswordBody = Type.Object({ password: PasswordInput }, { additionalProperties: false });

export const MeSchema = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    name: Type.String(),
    roles: Type.Array(Type.String()),
    status: UserStatusSchema,
    csrfToken: Type.Union([Type.String(), Type.Null()], { description: 'Null when authenticated with a token' }),
    authMethod: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  },
  { additionalProperties: false },
);

export const ChangePasswordBody = Type.Object(
  { currentPassword: PasswordInput, newPassword: PasswordInput },
  { additionalProperties: false },
);

export const ChangedPasswordSchema = Type.Object(
  { csrfToken: CsrfToken, setupRequired: Type.Array(SetupStepSchema) },
  { additionalProperties: false },
);

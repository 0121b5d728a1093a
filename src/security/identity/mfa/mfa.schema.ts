import { Type } from 'typebox';
import { NullableTimestamp, Timestamp } from '../common.schema.js';
import { MAX_CREDENTIAL_NAME_LENGTH } from './mfa.service.js';
import { AuthenticationCredential, RegistrationCredential } from './webauthn.schema.js';

export const MfaMethodSchema = Type.Union([Type.Literal('totp'), Type.Literal('webauthn')]);
export const SecondFactorSchema = Type.Union([
  Type.Literal('totp'),
  Type.Literal('webauthn'),
  Type.Literal('recovery'),
]);
export const SetupStepSchema = Type.Union([Type.Literal('mfa-enrolment'), Type.Literal('password-change')]);

export const TotpCode = Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code shown by the app' });
export const TotpCodeBody = Type.Object({ code: TotpCode }, { additionalProperties: false });
export const RecoveryCodeBody = Type.Object(
  {
    code: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'One of your recovery codes, e.g. 7K3Q-M9XD-2HPT-W4RA',
    }),
  },
  { additionalProperties: false },
);
export const AssertionBody = Type.Object({ credential: AuthenticationCredential }, { additionalProperties: false });
export const RegistrationBody = Type.Object(
  {
    credential: RegistrationCredential,
    name: Type.Optional(
      Type.String({ minLength: 1, maxLength: MAX_CREDENTIAL_NAME_LENGTH, description: 'A label, e.g. "Laptop"' }),
    ),
  },
  { additionalProperties: false },
);

export const CredentialParams = Type.Object(
  { id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,1024}$' }) },
  { additionalProperties: false },
);

export const WebauthnCredentialSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    createdAt: Timestamp,
    lastUsedAt: NullableTimestamp,
    deviceType: Type.Union([Type.String(), Type.Null()]),
    backedUp: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const MfaStatusSchema = Type.Object(
  {
    required: Type.Boolean(),
    allowedMethods: Type.Array(MfaMethodSchema),
    totp: Type.Object(
      { enrolled: Type.Boolean(), confirmedAt: NullableTimestamp, enrolmentPending: Type.Boolean() },
      { additionalProperties: false },
    ),
    webauthn: Type.Array(WebauthnCredentialSchema),
    recoveryCodes: Type.Object(
      { total: Type.Integer(), remaining: Type.Integer(), createdAt: NullableTimestamp },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const TotpEnrolmentSchema = Type.Object(
  {
    secret: Type.String({ description: 'Base32 secret (RFC 4648), shown only in this answer' }),
    otpauthUrl: Type.String({ description: 'otpauth://totp/… for authenticator apps' }),
    qrCode: Type.String({ description: 'The otpauth URL as a PNG data: URL' }),
  },
  { additionalProperties: false },
);

const RecoveryCodes = Type.Union([Type.Array(Type.String()), Type.Null()], {
  description: 'Ten single-use recovery codes, shown once (null when the account already has codes)',
});

/** After an enrolment: codes, and the session's CSRF token (the session gets a new id when it becomes full). */
export const EnrolledSchema = Type.Object(
  {
    recoveryCodes: RecoveryCodes,
    csrfToken: Type.String(),
    setupRequired: Type.Array(SetupStepSchema),
  },
  { additionalProperties: false },
);
export const WebauthnEnrolledSchema = Type.Object(
  {
    credential: WebauthnCredentialSchema,
    recoveryCodes: RecoveryCodes,
    csrfToken: Type.String(),
    setupRequired: Type.Array(SetupStepSchema),
  },
  { additionalProperties: false },
);
export const RecoveryCodesSchema = Type.Object(
  { recoveryCodes: Type.Array(Type.String()) },
  { additionalProperties: false },
);

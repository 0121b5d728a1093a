import { Type } from 'typebox';
import { EmailInput, PasswordInput } from '../common.schema.js';

const LinkToken = Type.String({ minLength: 1, maxLength: 128, description: 'The token from the emailed link' });

export const AcceptInvitationBody = Type.Object(
  { token: LinkToken, password: PasswordInput },
  { additionalProperties: false },
);
export const ResetRequestBody = Type.Object({ email: EmailInput }, { additionalProperties: false });
export const ResetCompleteBody = Type.Object(
  { token: LinkToken, password: PasswordInput },
  { additionalProperties: false },
);

export const InvitationSchema = Type.Object(
  {
    expiresAt: Type.String({ format: 'date-time' }),
    emailed: Type.Boolean(),
    link: Type.Union([Type.String(), Type.Null()], {
      description: 'Only when mail is not configured: give it to the user yourself (it is shown once)',
    }),
  },
  { additionalProperties: false },
);
export const AcceptedSchema = Type.Object(
  { status: Type.Literal('accepted'), message: Type.String() },
  { additionalProperties: false },
);

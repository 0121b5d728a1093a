import { Type } from 'typebox';
import { EmailInput, PasswordInput, Uuid } from './common.schema.js';
import { UserStatusSchema, UserViewSchema } from './user.schema.js';

export const LoginBody = Type.Object({ email: EmailInput, password: PasswordInput }, { additionalProperties: false });

export const LoginResponse = Type.Object(
  {
    user: UserViewSchema,
    csrfToken: Type.String({ description: 'Send as X-CSRF-Token on every state-changing request' }),
  },
  { additionalProperties: false },
);

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

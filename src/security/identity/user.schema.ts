import { Type, type Static } from 'typebox';
import { EmailInput, NullableTimestamp, PasswordInput, Timestamp, Uuid } from './common.schema.js';
import { MAX_NAME_LENGTH, MAX_ROLES_PER_USER, MAX_USER_PAGE, DEFAULT_USER_PAGE } from './user.service.js';

export const RoleId = Type.String({ minLength: 1, maxLength: 64 });
export const UserStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);
const RoleList = Type.Array(RoleId, { maxItems: MAX_ROLES_PER_USER, uniqueItems: true });
const Name = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH });

export const UserViewSchema = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    name: Type.String(),
    roles: Type.Array(Type.String()),
    status: UserStatusSchema,
    lastLoginAt: NullableTimestamp,
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

export const UserPageSchema = Type.Object(
  {
    items: Type.Array(UserViewSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as `cursor` for the next page' }),
  },
  { additionalProperties: false },
);

export const ListUsersQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_USER_PAGE, default: DEFAULT_USER_PAGE })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const CreateUserBody = Type.Object(
  {
    email: EmailInput,
    name: Name,
    roles: RoleList,
    password: Type.Optional(Type.Union([PasswordInput, Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Name),
    roles: Type.Optional(RoleList),
    status: Type.Optional(UserStatusSchema),
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false },
);

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ maxLength: 64, description: 'The version, quoted: "3"' })),
});

export const SetPasswordBody = Type.Object({ password: PasswordInput }, { additionalProperties: false });

export const RoleViewSchema = Type.Object(
  { id: Type.String(), name: Type.String(), description: Type.String(), builtin: Type.Boolean() },
  { additionalProperties: false },
);
export const RoleListSchema = Type.Object({ items: Type.Array(RoleViewSchema) }, { additionalProperties: false });

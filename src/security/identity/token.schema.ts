import { Type } from 'typebox';
import { TOKEN_SCOPES } from '../access/access.service.js';
import { NullableTimestamp, Timestamp, Uuid } from './common.schema.js';
import { MAX_TOKEN_NAME_LENGTH } from './token.service.js';

const Scope = Type.String({ minLength: 1, maxLength: 64, description: `One of: ${TOKEN_SCOPES.join(', ')}` });
const Scopes = Type.Array(Type.String(), {
  description: "Empty: the owner's full permissions; otherwise only what these scopes allow",
});

export const TokenViewSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    prefix: Type.String({ description: 'The first 12 characters of the token, to recognise it' }),
    scopes: Scopes,
    createdAt: Timestamp,
    lastUsedAt: NullableTimestamp,
    expiresAt: NullableTimestamp,
  },
  { additionalProperties: false },
);
export const TokenListSchema = Type.Object({ items: Type.Array(TokenViewSchema) }, { additionalProperties: false });

export const CreatedTokenSchema = Type.Object(
  {
    token: Type.String({ description: 'The token itself. Shown once: store it now.' }),
    id: Uuid,
    name: Type.String(),
    prefix: Type.String(),
    scopes: Scopes,
    createdAt: Timestamp,
    lastUsedAt: NullableTimestamp,
    expiresAt: NullableTimestamp,
  },
  { additionalProperties: false },
);

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: MAX_TOKEN_NAME_LENGTH }),
    scopes: Type.Optional(
      Type.Union([Type.Array(Scope, { maxItems: TOKEN_SCOPES.length, uniqueItems: true }), Type.Null()], {
        description: "Omitted, null or empty: the owner's full permissions",
      }),
    ),
    expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  },
  { additionalProperties: false },
);

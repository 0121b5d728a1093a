import { Type } from 'typebox';
import { NullableString, Timestamp } from './common.schema.js';

export const SessionId = Type.String({ pattern: '^[0-9a-f]{16}$', description: 'Public session id (16 hex digits)' });
export const SessionParams = Type.Object({ id: SessionId }, { additionalProperties: false });

export const SessionViewSchema = Type.Object(
  {
    id: SessionId,
    kind: Type.Union([Type.Literal('full'), Type.Literal('pending'), Type.Literal('restricted')], {
      description: 'pending: a sign-in waiting for its second factor; restricted: account setup only',
    }),
    createdAt: Timestamp,
    lastSeenAt: Timestamp,
    authenticatedAt: Timestamp,
    ip: NullableString,
    userAgent: NullableString,
    device: Type.Union([Type.String(), Type.Null()], { description: 'e.g. "Firefox 128 on Linux"' }),
    current: Type.Boolean({ description: 'The session this request was made with' }),
  },
  { additionalProperties: false },
);
export const SessionListSchema = Type.Object({ items: Type.Array(SessionViewSchema) }, { additionalProperties: false });

export const RevokeSessionsQuery = Type.Object(
  { all: Type.Optional(Type.Boolean({ default: false, description: 'Also end the current session' })) },
  { additionalProperties: false },
);

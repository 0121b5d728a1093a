import { Type } from 'typebox';
import { NullableString, Timestamp } from './common.schema.js';

export const SessionId = Type.String({ pattern: '^[0-9a-f]{16}$', description: 'Public session id (16 hex digits)' });
export const SessionParams = Type.Object({ id: SessionId }, { additionalProperties: false });

export const SessionViewSchema = Type.Object(
  {
    id: SessionId,
    createdAt: Timestamp,
    lastSeenAt: Timestamp,
    ip: NullableString,
    userAgent: NullableString,
    current: Type.Boolean({ description: 'The session this request was made with' }),
  },
  { additionalProperties: false },
);
export const SessionListSchema = Type.Object({ items: Type.Array(SessionViewSchema) }, { additionalProperties: false });

export const RevokeSessionsQuery = Type.Object(
  { all: Type.Optional(Type.Boolean({ default: false, description: 'Also end the current session' })) },
  { additionalProperties: false },
);

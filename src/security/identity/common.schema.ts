import { Type } from 'typebox';

export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

export const Uuid = Type.String({ format: 'uuid', pattern: UUID_PATTERN, description: 'A UUID (lower case)' });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
export const NullableString = Type.Union([Type.String(), Type.Null()]);

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
/** For routes that take no query parameters: any parameter is refused rather than ignored. */
export const NoQuery = Type.Object({}, { additionalProperties: false });
export const NoContent = Type.Null({ description: 'No content' });

/** Passwords are accepted up to 1024 code points by policy; the schema leaves room to say why a longer one fails. */
export const PasswordInput = Type.String({ minLength: 1, maxLength: 4096, format: 'password' });
export const EmailInput = Type.String({ minLength: 1, maxLength: 320, description: 'Email address' });

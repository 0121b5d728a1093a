import type { IncomingHttpHeaders } from 'node:http';
import { AppError } from './app-error.js';

const STRONG_VERSION = /^\s*"([1-9][0-9]{0,9})"\s*$/;

/**
 * The version a write expects, from `If-Match: "3"` (the ETag a GET answered). Only a strong ETag names a
 * version (RFC 9110 compares If-Match strongly), so `W/"3"`, lists, `*` and anything else are refused rather
 * than ignored — a write must never proceed unguarded because its precondition was unreadable.
 */
export function parseIfMatch(req: { headers: IncomingHttpHeaders }): number | undefined {
  const raw = req.headers['if-match'];
  if (raw === undefined) return undefined;
  const m = STRONG_VERSION.exec(raw);
  const version = m?.[1] === undefined ? NaN : Number(m[1]);
  if (!Number.isSafeInteger(version) || version > 2147483647) {
    throw new AppError('SEPAR_ERR_BAD_REQUEST', 'Bad If-Match', {
      detail: 'If-Match must be the ETag you read, the version in double quotes, like "3".',
      errors: [{ field: 'if-match', message: 'must look like "3"' }],
    });
  }
  return version;
}

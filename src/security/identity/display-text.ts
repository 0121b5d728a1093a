import { validationError } from '../../platform/app-error.js';
import { hasControlChars } from '../../platform/formats/index.js';

/** Line breaks, bidi embeddings/overrides/isolates: they let a name forge log lines or reorder what others read. */
const FORBIDDEN_FORMAT = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/**
 * A short single-line label typed by a person (a user's name, a token's name): trimmed, 1..max code points,
 * no control characters, line separators or bidi overrides. Returns the trimmed text.
 */
export function checkDisplayText(field: string, value: string, max: number): string {
  const text = value.trim();
  const length = [...text].length;
  if (length === 0) throw validationError(field, 'must not be empty');
  if (length > max) throw validationError(field, `must be at most ${max} characters long`);
  if (hasControlChars(text) || FORBIDDEN_FORMAT.test(text)) {
    throw validationError(field, 'must not contain control characters, line breaks or text-direction overrides');
  }
  return text;
}

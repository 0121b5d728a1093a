import { AppError, validationError } from '../../../platform/app-error.js';
import { hasControlChars } from '../../../platform/formats/index.js';
import { MAX_CAMPAIGN_DAYS } from './access-review.model.js';

/** Input rules and refusals of access reviews. */

export function checkText(field: string, value: string, max: number, allowNewlines: boolean): string {
  const t = value.trim();
  if (!t || [...t].length > max) throw validationError(field, `must be 1–${max} characters`);
  if (hasControlChars(t) || (!allowNewlines && /[\r\n\t]/.test(t))) {
    throw validationError(field, 'must not contain control characters');
  }
  return t;
}

export function checkDays(field: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > MAX_CAMPAIGN_DAYS) {
    throw validationError(field, `must be a whole number of days from 1 to ${MAX_CAMPAIGN_DAYS}`);
  }
  return v;
}

export const closedConflict = (): AppError =>
  new AppError('SEPAR_ERR_CONFLICT', 'Access review closed', {
    detail: 'This access review is closed; its evidence can no longer change.',
  });

export const alreadyDecided = (): AppError =>
  new AppError('SEPAR_ERR_CONFLICT', 'Already decided', {
    detail: 'This item has been decided already; decisions are final.',
  });

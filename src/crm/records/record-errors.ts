import { AppError, notFound } from '../../platform/app-error.js';
import type { ObjectDefinition } from './object-definition.js';

/** 404 for a record of this object: missing, deleted, or outside the actor's scope — the same answer for all. */
export function recordNotFound(def: ObjectDefinition): AppError {
  return notFound(def.singular.charAt(0).toUpperCase() + def.singular.slice(1));
}

/** A write against a version that is no longer current: 412 when it came from If-Match, 409 from the body. */
export function staleWrite(fromIfMatch: boolean, current: number): AppError {
  return fromIfMatch
    ? new AppError('SEPAR_ERR_PRECONDITION_FAILED', 'Stale version', {
        detail: `The record changed since you read it (now version ${current}). Read it again and retry.`,
        headers: { etag: `"${current}"` },
      })
    : new AppError('SEPAR_ERR_VERSION_CONFLICT', 'Version conflict', {
        detail: `The record changed since you read it (now version ${current}). Read it again and retry.`,
      });
}

/** Constraint violations are the caller's problem (400/409), never a 500. */
export function translateDbError(err: unknown): unknown {
  const msg = err instanceof Error ? err.message : '';
  const code = (err as { code?: unknown }).code;
  if (code === '23503' || /FOREIGN KEY constraint failed/.test(msg)) {
    return new AppError('SEPAR_ERR_VALIDATION', 'Invalid reference', { detail: 'A referenced record does not exist.' });
  }
  if (code === '23505' || /UNIQUE constraint failed/.test(msg)) {
    return new AppError('SEPAR_ERR_DUPLICATE', 'Duplicate', { detail: 'A record with this value already exists.' });
  }
  return err;
}

/**
 * What decides how a record is stored changed (on some instance) while this write was being prepared — a field's
 * classification, or the record's key — so it was not stored.
 */
export function storageChanged(): AppError {
  return new AppError('SEPAR_ERR_UNAVAILABLE', 'Storage changed', {
    detail:
      'A field definition or the record’s key changed while this write was being prepared; nothing was stored. Send it again.',
    headers: { 'retry-after': '1' },
  });
}

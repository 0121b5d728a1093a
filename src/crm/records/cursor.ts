import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../platform/app-error.js';

/**
 * Opaque, signed pagination cursors. A cursor names the last row seen (sort value + id), and is
 * bound to the user and to the query it came from: a forged, edited or borrowed cursor is refused
 * with 400 instead of steering the query.
 */
export interface CursorPayload {
  /** user id the cursor was issued to */
  u: string;
  /** query fingerprint (sort, filters, search) */
  f: string;
  /** last sort value */
  v: string | number | null;
  /** last id */
  i: string;
}

const badCursor = (): AppError =>
  new AppError('SEPAR_ERR_BAD_CURSOR', 'Invalid cursor', {
    detail: 'The cursor is not valid for this query. Start again without a cursor.',
  });

export class CursorCodec {
  constructor(private readonly key: Buffer) {}

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, 16);
  }

  fingerprint(parts: unknown): string {
    return createHmac('sha256', this.key).update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
  }

  encode(p: CursorPayload): string {
    const body = Buffer.from(JSON.stringify(p)).toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  decode(cursor: string, expect: { u: string; f: string }): CursorPayload {
    const [body, sig, extra] = cursor.split('.');
    if (!body || !sig || extra !== undefined) throw badCursor();
    const given = Buffer.from(sig, 'base64url');
    const want = this.mac(body);
    if (given.length !== want.length || !timingSafeEqual(given, want)) throw badCursor();
    let p: unknown;
    try {
      p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw badCursor();
    }
    if (!isPayload(p) || p.u !== expect.u || p.f !== expect.f) throw badCursor();
    return p;
  }
}

function isPayload(p: unknown): p is CursorPayload {
  if (typeof p !== 'object' || p === null) return false;
  const o = p as Record<string, unknown>;
  return (
    typeof o.u === 'string' &&
    typeof o.f === 'string' &&
    typeof o.i === 'string' &&
    (o.v === null || typeof o.v === 'string' || typeof o.v === 'number')
  );
}

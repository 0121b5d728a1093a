import { AppError, forbidden, validationError } from '../../platform/app-error.js';
import { recordNotFound } from './record-errors.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import { hasControlChars } from '../../platform/formats/index.js';
import { eventContext, canReveal, fieldMode, recordScope, type Actor } from '../../security/access/index.js';
import type { FieldDefinition, FieldRegistry } from '../../security/classification/index.js';
import type { CryptoService } from '../../security/crypto/index.js';
import { RateLimits, type Redis } from '../../security/defense/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { RecordRepository, Row } from './record.repository.js';
import { mergeSealed } from './record-storage.js';

/** Reveals per user: at most 20 in 10 minutes, whichever objects and instances they go through. */
export type RevealLimits = RateLimits<'reveal'>;

export function revealLimits(redis: Redis | null, keyPrefix: string): RevealLimits {
  return new RateLimits<'reveal'>({
    redis,
    keyPrefix,
    rules: { reveal: { points: 20, seconds: 600, what: 'reveals' } },
  });
}

export interface RevealRequest {
  fields: string[];
  reason: string;
  /** The caller proved who they are recently (session step-up), not merely holds a credential. */
  recentlyAuthenticated: boolean;
  interactive: boolean;
}

/**
 * Reveal shows the clear value of fields the actor sees masked — only with a reason, within a rate
 * limit, with step-up for card data (never through an API token), and always leaving evidence
 * (the fields and the reason, never the values).
 */
export class RevealService {
  constructor(
    private readonly def: ObjectDefinition,
    private readonly repo: RecordRepository,
    private readonly registry: FieldRegistry,
    private readonly crypto: CryptoService,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    /** Shared by every object's reveal and, with Redis, by every instance: the limit is per user. */
    private readonly limits: RevealLimits,
  ) {}

  async reveal(actor: Actor, id: string, req: RevealRequest): Promise<{ id: string; fields: Record<string, unknown> }> {
    const reason = req.reason.trim();
    if ([...reason].length < 5 || [...reason].length > 500 || hasControlChars(reason)) {
      throw validationError('reason', 'must say why, in 5–500 characters');
    }
    const scope = recordScope(actor, this.def.name, 'read');
    const row = await this.repo.findById(this.def, id, scope);
    if (!row) throw recordNotFound(this.def);
    const fields = (await this.registry.fresh()).fields(this.def.name);
    const wanted: FieldDefinition[] = [];
    for (const key of new Set(req.fields)) {
      const f = key.startsWith('custom.')
        ? fields.find((x) => !x.builtin && x.key === key.slice(7))
        : fields.find((x) => x.builtin && x.key === key);
      if (!f) throw validationError('fields', `'${key}' is not a field of ${this.def.name}`);
      const mode = fieldMode(actor, this.def.name, key, f.classification, String(row.owner_id));
      if (mode === 'none') throw forbidden(`Your role may not see '${key}'.`);
      if (
        (mode === 'masked' || mode === 'masked-write') &&
        !canReveal(actor, f.classification, this.def.name, String(row.owner_id))
      ) {
        throw forbidden(`Your role may not reveal ${f.classification} data ('${key}').`);
      }
      if (f.classification === 'pci' && (!req.interactive || !req.recentlyAuthenticated)) {
        throw new AppError('SEPAR_ERR_STEP_UP_REQUIRED', 'Recent authentication required', {
          detail:
            'Revealing card data needs a signed-in session that confirmed who it is in the last minutes (POST /api/v1/auth/step-up).',
        });
      }
      wanted.push(f);
    }
    // A reveal is a sensitive action: in a signed-in session it needs a recent sign-in (step-up), so a session
    // left open on an unattended screen does not reveal anything. API tokens are not interactive (they reveal
    // restricted data within their owner's rights; card data never).
    if (req.interactive && !req.recentlyAuthenticated) {
      throw new AppError('SEPAR_ERR_STEP_UP_REQUIRED', 'Recent authentication required', {
        detail: 'Revealing personal data needs a recent sign-in: confirm it is you (POST /api/v1/auth/step-up).',
        headers: { 'www-authenticate': 'Bearer error="insufficient_user_authentication"' },
      });
    }
    await this.limits.consume('reveal', actor.userId);
    const opened = this.open(row);
    const { builtin, custom } = mergeSealed(this.def, row, opened);
    const out: Record<string, unknown> = {};
    for (const f of wanted) {
      const spec = this.def.fields.find((s) => s.key === f.key);
      out[f.builtin ? f.key : `custom.${f.key}`] = f.builtin
        ? spec
          ? (builtin[spec.column] ?? null)
          : null
        : (custom[f.key] ?? null);
    }
    this.bus.emit({
      type: 'record.revealed',
      at: this.clock.now().toISOString(),
      outcome: 'success',
      context: eventContext(actor),
      target: { type: this.def.name, id },
      detail: { fields: Object.keys(out), reason },
    });
    return { id, fields: out };
  }

  private open(row: Row): ReturnType<CryptoService['open']> {
    if (typeof row.sealed !== 'string' || typeof row.sealed_kid !== 'string') return null;
    return this.crypto.open(
      this.def.table,
      String(row.id),
      row.sealed,
      row.sealed_kid,
      (row.dek_wrapped as string | null) ?? null,
    );
  }
}

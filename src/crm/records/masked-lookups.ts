import { RateLimits, tooMany, type Redis } from '../../security/defense/index.js';

/**
 * An exact lookup (`?phone=`, `?email=`, `?nationalId=`, a searchable custom field) by someone who sees that field
 * only masked answers whether the value they typed is a record's: a confirmation oracle. A support agent shown
 * `+98 *** 4321` who knows or guesses part of the rest could otherwise try the numbers the mask leaves open (at
 * least 100,000 with nothing known, masking.ts), and learn the right one without a reveal (its reason, its budget,
 * its entry). A write refused because its email is already a customer's answers
 * the same question about records the caller may not even read. So, per user:
 *
 * - at most PROBES_PER_WINDOW answers of "nothing found" / "already exists" in 10 minutes, across objects and
 *   instances (Redis when configured); once spent, such lookups and such writes are refused (429) until the window
 *   moves on — the right guess too, or a hit would still confirm it;
 * - at most PROBES_IN_FLIGHT of them at once on an instance (429, retry in a second): the budget is checked before
 *   and counted after each, so guesses sent all at once could otherwise all run before the count caught up;
 * - each miss and each refusal leaves an audit entry (`record.lookup_miss`, `record.duplicate_refused`) naming the
 *   object and fields, never the value, so probing shows in the audit trail, which otherwise records what responses
 *   showed;
 * - a lookup that finds records proves the caller knows the value: its read entry names that field as seen in
 *   clear, not as a mask (sensitive-reads.ts).
 *
 * Someone looking a customer up on the phone rarely misses, and creating a duplicate is rare; someone guessing mostly
 * misses. Lookups of fields the caller reads in clear are neither counted nor refused: they answer nothing the caller
 * could not read anyway, and the record scope applies to every lookup alike.
 */
export const PROBES_PER_WINDOW = 20;
/**
 * Above what one client runs at once in practice (an integration looking emails up over 20 connections, as the
 * benchmark does; 8 refused a third of those on PostgreSQL, where queries overlap): it bounds how far a burst can
 * overrun the budget, not how fast lookups go.
 */
export const PROBES_IN_FLIGHT = 32;

export class ProbeBudget {
  private readonly limits: RateLimits<'probe'>;
  private readonly inFlight = new Map<string, number>();

  constructor(redis: Redis | null, keyPrefix: string) {
    this.limits = new RateLimits<'probe'>({
      redis,
      keyPrefix,
      rules: { probe: { points: PROBES_PER_WINDOW, seconds: 600, what: 'lookups that found nothing' } },
    });
  }

  /** Admits one probe of `userId` (429 when its budget is spent or too many run at once); call the result when done. */
  async enter(userId: string): Promise<() => void> {
    const running = this.inFlight.get(userId) ?? 0;
    if (running >= PROBES_IN_FLIGHT) throw tooMany('lookups at once', 1000);
    // Counted as running before the budget is read: a burst cannot all pass the check at once.
    this.inFlight.set(userId, running + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(userId) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(userId);
      else this.inFlight.set(userId, left);
    };
    try {
      await this.limits.check('probe', userId);
    } catch (err) {
      release();
      throw err;
    }
    return release;
  }

  /** The probe found nothing, or was refused as a duplicate: it counts. */
  async missed(userId: string): Promise<void> {
    await this.limits.count('probe', userId);
  }
}

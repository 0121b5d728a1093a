import type { Clock } from '../../../platform/clock.js';
import { systemActor } from '../actor.js';
import { DAY_MS } from './activity.js';
import type { AccessReviewService } from './access-review.service.js';
import type { DormantAccountService, DormantRun } from './dormant-accounts.service.js';

/**
 * How often `serve` wakes the access jobs. Hourly, so a restart never postpones them by a day: reminders still go
 * out at most once a day per campaign (the last one is stored), an item escalates once, and the dormant-account
 * sweep runs once a day per process (its first run an hour after start).
 */
export const ACCESS_JOBS_INTERVAL_MS = 3_600_000;
/** The dormant-account sweep runs at most this often in one process (a little under a day, so ticks never drift past it). */
export const DORMANT_SWEEP_INTERVAL_MS = DAY_MS - ACCESS_JOBS_INTERVAL_MS / 2;

export interface AccessJobsOutcome {
  reminded: string[];
  escalated: { reviews: string[]; items: number };
  /** Null when the daily sweep was not due on this tick. */
  dormant: DormantRun | null;
  /** Counts for the log line; all zero when nothing happened. */
  summary: { reminded: number; escalated: number; dormantDisabled: number; dormantSkipped: number };
}

/** The scheduled side of access control: review reminders and escalations, and disabling dormant accounts. */
export class AccessJobs {
  private lastSweep: number | null = null;

  constructor(
    private readonly reviews: AccessReviewService,
    private readonly dormant: DormantAccountService,
    private readonly clock: Clock,
  ) {}

  async run(now: Date = this.clock.now()): Promise<AccessJobsOutcome> {
    const reminded = await this.reviews.remind(now);
    const escalated = await this.reviews.escalate(now);
    let dormant: DormantRun | null = null;
    if (this.lastSweep === null || now.getTime() - this.lastSweep >= DORMANT_SWEEP_INTERVAL_MS) {
      this.lastSweep = now.getTime();
      dormant = await this.dormant.run(systemActor('scheduler'), now);
    }
    return {
      reminded,
      escalated,
      dormant,
      summary: {
        reminded: reminded.length,
        escalated: escalated.items,
        dormantDisabled: dormant?.disabled.length ?? 0,
        dormantSkipped: dormant?.skipped.length ?? 0,
      },
    };
  }
}

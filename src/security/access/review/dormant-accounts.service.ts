import { isAppError } from '../../../platform/app-error.js';
import type { Clock } from '../../../platform/clock.js';
import type { EventBus } from '../../../platform/events.js';
import { requireCapability } from '../access.service.js';
import { SYSTEM_USER_ID, eventContext, type Actor } from '../actor.js';
import type { AccessReviewRepository } from './access-review.repository.js';
import { DAY_MS, daysBetween, idleSince, lastActivity } from './activity.js';
import { REVIEW_CAPABILITY, deciderLabel } from './access-review.model.js';
import { delegatedActor, type UserDirectory } from './user-directory.js';

/** PCI DSS 8.2.6: accounts with no activity for this many days are disabled. */
export const DORMANT_AFTER_DAYS = 90;

export interface DormantAccount {
  userId: string;
  email: string;
  name: string;
  roles: string[];
  createdAt: string;
  lastLoginAt: string | null;
  /** The later of the last sign-in and the last API-token use; null when neither ever happened. */
  lastActivityAt: string | null;
  /** When the idle clock started: last activity, else creation (or re-enabling, when later). */
  idleSince: string;
  idleDays: number;
}

export interface DormantReport {
  generatedAt: string;
  dormantAfterDays: number;
  /** Accounts idle since before this instant are dormant. */
  cutoff: string;
  accounts: DormantAccount[];
}

export interface SkippedAccount extends DormantAccount {
  reason: string;
}

export interface DormantRun {
  ranAt: string;
  dormantAfterDays: number;
  cutoff: string;
  disabled: DormantAccount[];
  /** Dormant but left enabled: the system account, or what identity refused (the last active administrator). */
  skipped: SkippedAccount[];
}

export interface DormantAccountServiceDeps {
  repo: AccessReviewRepository;
  users: () => UserDirectory;
  clock: Clock;
  bus: EventBus;
  dormantAfterDays?: number;
}

/**
 * Dormant accounts (PCI DSS 8.2.6, ISO 27001 5.18): active users whose last sign-in or API-token use — or their
 * creation, if they never used the account — is older than the limit are reported and disabled. Disabling goes
 * through identity, which ends their sessions and tokens and refuses to disable the last active administrator;
 * such refusals are reported as skipped, never forced.
 */
export class DormantAccountService {
  readonly dormantAfterDays: number;

  constructor(private readonly deps: DormantAccountServiceDeps) {
    this.dormantAfterDays = deps.dormantAfterDays ?? DORMANT_AFTER_DAYS;
  }

  async report(actor: Actor, now: Date = this.deps.clock.now()): Promise<DormantReport> {
    requireCapability(actor, REVIEW_CAPABILITY);
    const cutoff = this.cutoff(now);
    return {
      generatedAt: now.toISOString(),
      dormantAfterDays: this.dormantAfterDays,
      cutoff: cutoff.toISOString(),
      accounts: (await this.candidates(now, cutoff)).map((c) => c.account),
    };
  }

  /** Reports and disables the dormant accounts. */
  async run(actor: Actor, now: Date = this.deps.clock.now()): Promise<DormantRun> {
    requireCapability(actor, REVIEW_CAPABILITY);
    const cutoff = this.cutoff(now);
    const users = this.deps.users();
    const internal = delegatedActor(actor, `dormant accounts: disable requested by ${deciderLabel(actor)}`);
    const out: DormantRun = {
      ranAt: now.toISOString(),
      dormantAfterDays: this.dormantAfterDays,
      cutoff: cutoff.toISOString(),
      disabled: [],
      skipped: [],
    };
    for (const { account, version } of await this.candidates(now, cutoff)) {
      if (account.userId === SYSTEM_USER_ID) {
        out.skipped.push({ ...account, reason: 'The system account is never disabled.' });
        continue;
      }
      try {
        await users.updateUser(internal, account.userId, { status: 'disabled' }, version);
      } catch (err) {
        if (!isAppError(err)) throw err;
        // The last active administrator, or a user who changed (signed in) since the check: leave them be.
        out.skipped.push({ ...account, reason: err.detail ?? err.message });
        continue;
      }
      out.disabled.push(account);
      this.deps.bus.emit({
        type: 'account.dormant_disabled',
        at: this.deps.clock.now().toISOString(),
        outcome: 'success',
        context: eventContext(actor),
        target: { type: 'user', id: account.userId },
        detail: {
          dormantAfterDays: this.dormantAfterDays,
          idleDays: account.idleDays,
          idleSince: account.idleSince,
          lastActivityAt: account.lastActivityAt,
        },
      });
    }
    if (out.skipped.length > 0) {
      this.deps.bus.emit({
        type: 'account.dormant_skipped',
        at: this.deps.clock.now().toISOString(),
        outcome: 'failure',
        context: eventContext(actor),
        detail: {
          dormantAfterDays: this.dormantAfterDays,
          skipped: out.skipped.map((s) => ({ userId: s.userId, reason: s.reason })),
        },
      });
    }
    return out;
  }

  private cutoff(now: Date): Date {
    return new Date(now.getTime() - this.dormantAfterDays * DAY_MS);
  }

  private async candidates(now: Date, cutoff: Date): Promise<{ account: DormantAccount; version: number }[]> {
    const [users, roles, tokenUse] = await Promise.all([
      this.deps.repo.directory({ activeOnly: true }),
      this.deps.repo.rolesByUser(),
      this.deps.repo.lastTokenUse(),
    ]);
    const out: { account: DormantAccount; version: number }[] = [];
    for (const u of users) {
      const since = idleSince(u, tokenUse.get(u.id));
      if (Date.parse(since) >= cutoff.getTime()) continue;
      const account: DormantAccount = {
        userId: u.id,
        email: u.email,
        name: u.name,
        roles: roles.get(u.id) ?? [],
        createdAt: u.created_at,
        lastLoginAt: u.last_login_at,
        lastActivityAt: lastActivity(u, tokenUse.get(u.id)),
        idleSince: since,
        idleDays: daysBetween(since, now),
      };
      out.push({ account, version: u.version });
    }
    return out;
  }
}

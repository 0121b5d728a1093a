import type { Db } from '../../db/index.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import type { RouteModule } from '../../http/app.js';
import { AccessRepository } from './access.repository.js';
import { PolicyResolver } from './policy-resolver.js';
import { RoleService } from './role.service.js';
import type { CrmObject } from './policy.js';
import type { Classification } from '../classification/index.js';
import { TeamService } from './team.service.js';
import { accessRoutes } from './access.routes.js';
import { AccessReviewRepository } from './review/access-review.repository.js';
import { AccessReviewService } from './review/access-review.service.js';
import { accessReviewRoutes } from './review/access-review.routes.js';
import { AccessJobs } from './review/access-review.jobs.js';
import { DormantAccountService } from './review/dormant-accounts.service.js';
import { unconnectedDirectory, type UserDirectory } from './review/user-directory.js';

export interface Access {
  resolver: PolicyResolver;
  roles: RoleService;
  teams: TeamService;
  repo: AccessRepository;
  routes: RouteModule[];
  /** Access-review campaigns: snapshot, certify/revoke, reminders, escalation, evidence. */
  reviews: AccessReviewService;
  /** Dormant accounts (PCI DSS 8.2.6): report and disable. */
  dormant: DormantAccountService;
  /** What `serve` runs on a timer: review reminders and escalations, dormant-account disabling. */
  jobs: AccessJobs;
}

export function createAccess(deps: {
  db: Db;
  clock: Clock;
  bus: EventBus;
  /** Identity's user service (read lazily: identity is built after access). */
  users?: () => UserDirectory;
  /** The field registry (read lazily: the CRM is built after access): the fields a role's modes apply to. */
  fields?: () => {
    classification(object: CrmObject, key: string): Classification | undefined;
    fields(object: CrmObject): readonly { key: string; builtin: boolean }[];
  };
  /** Days without activity after which an account is dormant (default 90). */
  dormantAfterDays?: number;
}): Access {
  const repo = new AccessRepository(deps.db);
  const resolver = new PolicyResolver(repo, deps.clock, deps.bus);
  const fields = deps.fields;
  const roles = new RoleService(repo, resolver, deps.clock, deps.bus, {
    classify: (object, key) =>
      fields?.().classification(object, key.startsWith('custom.') ? key.slice('custom.'.length) : key),
    keys: (object) => (fields?.().fields(object) ?? []).map((f) => (f.builtin ? f.key : `custom.${f.key}`)),
  });
  const teams = new TeamService(repo, resolver, deps.clock, deps.bus);
  const reviewRepo = new AccessReviewRepository(deps.db);
  const users = deps.users ?? unconnectedDirectory;
  const reviews = new AccessReviewService({ repo: reviewRepo, resolver, users, clock: deps.clock, bus: deps.bus });
  const dormant = new DormantAccountService({
    repo: reviewRepo,
    users,
    clock: deps.clock,
    bus: deps.bus,
    ...(deps.dormantAfterDays !== undefined ? { dormantAfterDays: deps.dormantAfterDays } : {}),
  });
  const jobs = new AccessJobs(reviews, dormant, deps.clock);
  return {
    resolver,
    roles,
    teams,
    repo,
    routes: [accessRoutes({ roles, teams }), accessReviewRoutes({ reviews, dormant })],
    reviews,
    dormant,
    jobs,
  };
}

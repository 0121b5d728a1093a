import type { Db } from '../../db/index.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import type { RouteModule } from '../../http/app.js';
import { AccessRepository } from './access.repository.js';
import { PolicyResolver } from './policy-resolver.js';
import { RoleService } from './role.service.js';
import { TeamService } from './team.service.js';
import { accessRoutes } from './access.routes.js';

export interface Access {
  resolver: PolicyResolver;
  roles: RoleService;
  teams: TeamService;
  repo: AccessRepository;
  routes: RouteModule[];
}

export function createAccess(deps: { db: Db; clock: Clock; bus: EventBus }): Access {
  const repo = new AccessRepository(deps.db);
  const resolver = new PolicyResolver(repo, deps.clock, deps.bus);
  const roles = new RoleService(repo, resolver, deps.clock, deps.bus);
  const teams = new TeamService(repo, resolver, deps.clock, deps.bus);
  return { resolver, roles, teams, repo, routes: [accessRoutes({ roles, teams })] };
}

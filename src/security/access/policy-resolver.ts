import { BlockList, isIP } from 'node:net';
import { AppError } from '../../platform/app-error.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import { eventContext, type Actor } from './actor.js';
import { EffectiveAccess } from './effective-access.js';
import { builtinPolicy, EMPTY_POLICY, type RolePolicy } from './policy.js';
import type { AccessRepository } from './access.repository.js';
import { parsePolicy } from './policy-schema.js';

const TTL_MS = 2000;

/** Does `ip` fall inside one of the CIDRs (IPv4 and IPv6; IPv4-mapped IPv6 handled)? */
export function ipAllowed(cidrs: readonly string[], ip: string | null): boolean {
  if (cidrs.length === 0) return true;
  if (!ip) return false;
  const addr = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  for (const c of cidrs) {
    const [net, bits] = c.split('/');
    if (!net) continue;
    const fam = isIP(net) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(net, Number(bits ?? (fam === 'ipv6' ? 128 : 32)), fam);
  }
  return list.check(addr, family);
}

/**
 * Resolves an authenticated actor's permissions for one request: role policies (cached briefly;
 * a change on this instance applies at once, on others within seconds), dropping roles whose IP
 * allowlist excludes the request, and the team members a manager sees.
 */
const MAX_ACCESS_MEMO = 1000;

export class PolicyResolver {
  private policies = new Map<string, RolePolicy>();
  private loadedAt = -Infinity;
  private teams = new Map<string, { at: number; ids: string[] }>();
  /**
   * Resolved access per (roles allowed, token scopes, team) for the policies loaded now: the same inputs give
   * the same answers, so requests share one EffectiveAccess and its field-mode cache. Emptied whenever the
   * policies are reloaded or invalidated, and team lists are part of the key, so it never outlives its inputs.
   */
  private memo = new Map<string, EffectiveAccess>();
  /**
   * Bumped by every invalidation. A load or resolution that was under way when a role changed carries the old
   * generation, and what it read then is used for that one request but never cached (a role edit applies at once).
   */
  private generation = 0;

  constructor(
    private readonly repo: AccessRepository,
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {}

  invalidate(): void {
    this.generation += 1;
    this.loadedAt = -Infinity;
    this.teams.clear();
    this.memo.clear();
  }

  async policyOf(roleId: string): Promise<RolePolicy> {
    await this.refresh();
    return this.policies.get(roleId) ?? EMPTY_POLICY;
  }

  private async refresh(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (now - this.loadedAt < TTL_MS) return;
      const generation = this.generation;
      const next = new Map<string, RolePolicy>();
      for (const r of await this.repo.roles()) {
        next.set(r.id, r.policy ? parsePolicy(r.policy) : (builtinPolicy(r.id) ?? EMPTY_POLICY));
      }
      // Invalidated while reading: what was read may predate the change (and must not replace a newer load), so
      // it is dropped and read again unless another request has loaded the roles since.
      if (generation !== this.generation) continue;
      this.policies = next;
      this.memo.clear();
      this.loadedAt = now;
      return;
    }
  }

  private async teamOf(userId: string): Promise<string[]> {
    const now = Date.now();
    const hit = this.teams.get(userId);
    if (hit && now - hit.at < TTL_MS) return hit.ids;
    const generation = this.generation;
    const ids = await this.repo.managedUserIds(userId);
    if (generation === this.generation) this.teams.set(userId, { at: now, ids });
    return ids;
  }

  async resolve(actor: Actor): Promise<Actor> {
    if (actor.kind === 'system') return { ...actor, access: EffectiveAccess.system() };
    await this.refresh();
    const generation = this.generation;
    const allowed: RolePolicy[] = [];
    const allowedRoles: string[] = [];
    const refused: string[] = [];
    for (const role of actor.roles) {
      const p = this.policies.get(role) ?? EMPTY_POLICY;
      if (ipAllowed(p.ipAllow, actor.ip)) {
        allowed.push(p);
        allowedRoles.push(role);
      } else refused.push(role);
    }
    if (refused.length > 0) {
      this.bus.emit({
        type: 'access.ip_refused',
        at: this.clock.now().toISOString(),
        outcome: 'failure',
        context: eventContext(actor),
        detail: { roles: refused, allRefused: allowed.length === 0 },
      });
      if (allowed.length === 0) {
        throw new AppError('SEPAR_ERR_IP_REFUSED', 'Network not allowed', {
          detail: 'Your role may not be used from this network.',
        });
      }
    }
    const teamUserIds = await this.teamOf(actor.userId);
    const key = JSON.stringify([allowedRoles, actor.scopes, teamUserIds]);
    let access = this.memo.get(key);
    if (!access) {
      if (this.memo.size >= MAX_ACCESS_MEMO) this.memo.clear();
      access = new EffectiveAccess(allowed, actor.scopes, teamUserIds);
      if (generation === this.generation) this.memo.set(key, access);
    }
    return { ...actor, access };
  }
}

import { AppError, forbidden, notFound, validationError } from '../../platform/app-error.js';
import { newId } from '../../platform/ids.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import { breaksLine, hasControlChars, maskCardNumbersInText } from '../../platform/formats/index.js';
import { requireCapability } from './access.service.js';
import { eventContext, type Actor } from './actor.js';
import type { AccessRepository } from './access.repository.js';
import type { PolicyResolver } from './policy-resolver.js';

export interface TeamMember {
  userId: string;
  role: 'member' | 'manager';
}

export interface TeamView {
  id: string;
  name: string;
  members: TeamMember[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Teams: a manager with a team-scoped role sees the records of the team's members. */
/** A team's name: 1–100 characters on one line (it is listed and logged). */
function teamName(raw: string): string {
  const name = raw.trim();
  if (!name || name.length > 100 || hasControlChars(name) || breaksLine(name)) {
    throw validationError('name', 'must be 1–100 characters on one line');
  }
  // Configuration, kept and shown in clear everywhere: no place for a card number.
  if (maskCardNumbersInText(name).count > 0) throw validationError('name', 'must not contain a card number');
  return name;
}

export class TeamService {
  constructor(
    private readonly repo: AccessRepository,
    private readonly resolver: PolicyResolver,
    private readonly clock: Clock,
    private readonly bus: EventBus,
  ) {}

  async list(actor: Actor): Promise<TeamView[]> {
    requireCapability(actor, 'manage-users');
    const teams = await this.repo.teams();
    const members = await this.repo.members(teams.map((t) => t.id));
    return teams.map((t) => ({
      id: t.id,
      name: t.name,
      members: members
        .filter((m) => m.team_id === t.id)
        .map((m) => ({ userId: m.user_id, role: m.role as TeamMember['role'] })),
      version: t.version,
      createdAt: t.created_at,
      updatedAt: t.updated_at,
    }));
  }

  async get(actor: Actor, id: string): Promise<TeamView> {
    const t = (await this.list(actor)).find((x) => x.id === id);
    if (!t) throw notFound('Team');
    return t;
  }

  private async checkMembers(members: TeamMember[]): Promise<{ user_id: string; role: string }[]> {
    if (members.length > 500) throw validationError('members', 'at most 500');
    const ids = members.map((m) => m.userId);
    if (new Set(ids).size !== ids.length) throw validationError('members', 'lists a user twice');
    const known = await this.repo.existingUserIds(ids);
    const missing = ids.find((i) => !known.has(i));
    if (missing) throw validationError('members', `refers to an unknown user (${missing})`);
    return members.map((m) => ({ user_id: m.userId, role: m.role }));
  }

  /**
   * Separation of duties: managing teams does not let one join a team or become its manager (a manager with a
   * team-scoped role sees the team's records). Leaving a team, or keeping one's place as it is, is allowed.
   */
  private refuseSelfPromotion(
    actor: Actor,
    next: TeamMember[],
    current: readonly { user_id: string; role: string }[],
  ): void {
    if (actor.kind === 'system') return;
    const mine = next.find((m) => m.userId === actor.userId);
    if (!mine) return;
    const before = current.find((m) => m.user_id === actor.userId);
    if (!before || (before.role !== mine.role && mine.role === 'manager')) {
      throw forbidden('No one adds themselves to a team or makes themselves its manager: another administrator must.');
    }
  }

  async create(actor: Actor, input: { name: string; members: TeamMember[] }): Promise<TeamView> {
    requireCapability(actor, 'manage-users');
    this.refuseSelfPromotion(actor, input.members, []);
    const name = teamName(input.name);
    const now = this.clock.now().toISOString();
    const id = newId();
    try {
      await this.repo.createTeam(
        { id, name, created_at: now, updated_at: now, version: 1 },
        await this.checkMembers(input.members),
      );
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('SEPAR_ERR_DUPLICATE', 'Duplicate team', { detail: `A team named '${name}' exists.` });
    }
    this.resolver.invalidate();
    this.emit(actor, 'team.created', id, { members: input.members });
    return this.get(actor, id);
  }

  async update(
    actor: Actor,
    id: string,
    input: { name?: string; members?: TeamMember[]; version?: number },
    ifMatch: number | undefined,
  ): Promise<TeamView> {
    requireCapability(actor, 'manage-users');
    const t = await this.repo.team(id);
    if (!t) throw notFound('Team');
    const expected = ifMatch ?? input.version;
    if (expected === undefined)
      throw new AppError('SEPAR_ERR_PRECONDITION_REQUIRED', 'Version required', {
        detail: 'Send If-Match or "version".',
      });
    const name = input.name === undefined ? undefined : teamName(input.name);
    if (input.members) this.refuseSelfPromotion(actor, input.members, await this.repo.members([id]));
    const members = input.members ? await this.checkMembers(input.members) : undefined;
    if (!(await this.repo.updateTeam(id, expected, name, members, this.clock.now().toISOString()))) {
      throw new AppError(
        ifMatch !== undefined ? 'SEPAR_ERR_PRECONDITION_FAILED' : 'SEPAR_ERR_VERSION_CONFLICT',
        'Stale version',
        { detail: 'The team changed since you read it.' },
      );
    }
    this.resolver.invalidate();
    this.emit(actor, 'team.updated', id, { members: input.members ?? null });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requireCapability(actor, 'manage-users');
    if (!(await this.repo.team(id))) throw notFound('Team');
    await this.repo.deleteTeam(id);
    this.resolver.invalidate();
    this.emit(actor, 'team.deleted', id, {});
  }

  private emit(actor: Actor, type: string, id: string, detail: Record<string, unknown>): void {
    this.bus.emit({
      type,
      at: this.clock.now().toISOString(),
      outcome: 'success',
      context: eventContext(actor),
      target: { type: 'team', id },
      detail,
    });
  }
}

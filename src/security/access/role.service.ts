import { AppError, forbidden, notFound, validationError } from '../../platform/app-error.js';
import type { Clock } from '../../platform/clock.js';
import type { EventBus } from '../../platform/events.js';
import { breaksLine, hasControlChars, maskCardNumbersInText } from '../../platform/formats/index.js';
import type { RolesTable } from '../../db/database.js';
import { accessOf, requireCapability } from './access.service.js';
import { eventContext, type Actor } from './actor.js';
import { builtinPolicy, EMPTY_POLICY, type RolePolicy } from './policy.js';
import { parsePolicy, validCidr } from './policy-schema.js';
import type { AccessRepository } from './access.repository.js';
import type { PolicyResolver } from './policy-resolver.js';
import { checkGrantsHeld, EMPTY_CATALOG, type FieldCatalog } from './grant-check.js';

export interface RoleView {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  policy: RolePolicy;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const ROLE_ID = /^[a-z][a-z0-9-]{1,39}$/;

function view(r: RolesTable): RoleView {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    builtin: r.builtin === 1,
    policy: r.policy ? parsePolicy(r.policy) : (builtinPolicy(r.id) ?? EMPTY_POLICY),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A role's name is one line (it is listed, logged and shown in menus); its description may have several. */
function checkText(field: string, v: string, max: number, multiline = false): string {
  const t = v.trim();
  if (!t || [...t].length > max || hasControlChars(t) || (!multiline && breaksLine(t))) {
    throw validationError(field, `must be 1–${max} characters${multiline ? '' : ' on one line'}`);
  }
  // Configuration, kept and shown in clear everywhere: no place for a card number.
  if (maskCardNumbersInText(t).count > 0) throw validationError(field, 'must not contain a card number');
  return t;
}

/**
 * Roles as data. Built-in roles keep their defaults until an administrator changes them; custom
 * roles start from nothing (deny by default). Managing roles never grants reading customer data:
 * the capability and the data are separate grants, and no one can grant what they do not hold.
 */
export class RoleService {
  constructor(
    private readonly repo: AccessRepository,
    private readonly resolver: PolicyResolver,
    private readonly clock: Clock,
    private readonly bus: EventBus,
    /** Classification of a field named in a policy (the field registry, read lazily). */
    private readonly catalog: FieldCatalog = EMPTY_CATALOG,
  ) {}

  async get(actor: Actor, id: string): Promise<RoleView> {
    requireCapability(actor, 'manage-roles');
    const r = await this.repo.role(id);
    if (!r) throw notFound('Role');
    return view(r);
  }

  async list(actor: Actor): Promise<RoleView[]> {
    requireCapability(actor, 'manage-roles');
    return (await this.repo.roles()).map(view);
  }

  /** A role holder may not hand out more than they hold (escalation through role editing). */
  private checkNoEscalation(actor: Actor, policy: RolePolicy, previous: RolePolicy | null): void {
    for (const cidr of policy.ipAllow)
      if (!validCidr(cidr)) throw validationError('policy.ipAllow', `'${cidr}' is not a CIDR`);
    if (actor.kind === 'system') return;
    checkGrantsHeld(accessOf(actor), policy, previous, this.catalog);
  }

  async create(
    actor: Actor,
    input: { id: string; name: string; description?: string; policy: RolePolicy },
  ): Promise<RoleView> {
    requireCapability(actor, 'manage-roles');
    if (!ROLE_ID.test(input.id)) throw validationError('id', 'must be 2–40 lower-case letters, digits or dashes');
    if (await this.repo.role(input.id))
      throw new AppError('SEPAR_ERR_DUPLICATE', 'Duplicate role', { detail: `The role '${input.id}' exists.` });
    this.checkNoEscalation(actor, input.policy, null);
    const now = this.clock.now().toISOString();
    await this.repo.insertRole({
      id: input.id,
      name: checkText('name', input.name, 100),
      description: input.description ? checkText('description', input.description, 500, true) : '',
      builtin: 0,
      policy: JSON.stringify(input.policy),
      version: 1,
      created_at: now,
      updated_at: now,
    });
    this.resolver.invalidate();
    this.emit(actor, 'role.created', input.id, { policy: input.policy });
    return this.get(actor, input.id);
  }

  async update(
    actor: Actor,
    id: string,
    input: { name?: string; description?: string; policy?: RolePolicy; version?: number },
    ifMatch: number | undefined,
  ): Promise<RoleView> {
    requireCapability(actor, 'manage-roles');
    const r = await this.repo.role(id);
    if (!r) throw notFound('Role');
    const expected = ifMatch ?? input.version;
    if (expected === undefined) {
      throw new AppError('SEPAR_ERR_PRECONDITION_REQUIRED', 'Version required', {
        detail: 'Send If-Match or "version".',
      });
    }
    const stale = (): AppError =>
      new AppError(
        ifMatch !== undefined ? 'SEPAR_ERR_PRECONDITION_FAILED' : 'SEPAR_ERR_VERSION_CONFLICT',
        'Stale version',
        {
          detail: 'The role changed since you read it.',
        },
      );
    // The edit is judged against the policy read here, so it must be the version the write replaces: otherwise a
    // revocation committed in between would be undone by an edit judged against the older, wider policy.
    if (r.version !== expected) throw stale();
    const before = view(r).policy;
    if (input.policy) this.checkNoEscalation(actor, input.policy, before);
    const changes: Partial<RolesTable> = { updated_at: this.clock.now().toISOString() };
    if (input.name !== undefined) changes.name = checkText('name', input.name, 100);
    if (input.description !== undefined) changes.description = checkText('description', input.description, 500, true);
    if (input.policy) changes.policy = JSON.stringify(input.policy);
    if (!(await this.repo.updateRole(id, expected, changes))) throw stale();
    this.resolver.invalidate();
    this.emit(actor, 'role.updated', id, {
      before,
      after: input.policy ?? before,
      holders: (await this.repo.roleHolders(id)).length,
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requireCapability(actor, 'manage-roles');
    const r = await this.repo.role(id);
    if (!r) throw notFound('Role');
    if (r.builtin === 1) throw forbidden('Built-in roles cannot be deleted (change their policy instead).');
    if ((await this.repo.roleHolders(id)).length > 0) {
      throw new AppError('SEPAR_ERR_CONFLICT', 'Role in use', { detail: 'Remove the role from its users first.' });
    }
    await this.repo.deleteRole(id);
    this.resolver.invalidate();
    this.emit(actor, 'role.deleted', id, {});
  }

  private emit(actor: Actor, type: string, id: string, detail: Record<string, unknown>): void {
    this.bus.emit({
      type,
      at: this.clock.now().toISOString(),
      outcome: 'success',
      context: eventContext(actor),
      target: { type: 'role', id },
      detail,
    });
  }
}

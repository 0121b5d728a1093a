import { AppError, forbidden, notFound, validationError } from '../../platform/app-error.js';
import type { Clock } from '../../platform/clock.js';
import { emailLookupKey, parseEmail } from '../../platform/formats/index.js';
import { isId, newId } from '../../platform/ids.js';
import { hasCapability, requireCapability } from '../access/access.service.js';
import type { Actor } from '../access/actor.js';
import { isPerson, requireAccountAccess } from './account-access.js';
import { checkDisplayText } from './display-text.js';
import { actorContext, type IdentityEvents } from './identity-events.js';
import type { IdentityRepositories, IdentityStore } from './identity.repository.js';
import type { PasswordHasher } from './password.js';
import { assertPasswordAcceptable } from './password-policy.js';
import type { RoleRow } from './role.repository.js';
import type { UserPatch, UserRow } from './user.repository.js';

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const MAX_NAME_LENGTH = 200;
export const MAX_ROLES_PER_USER = 32;
export const MAX_USER_PAGE = 200;
export const DEFAULT_USER_PAGE = 50;

/** What anyone outside identity sees of a user: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  roles: string[];
  status: UserStatus;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface RoleView {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
}

export interface CreateUserInput {
  email: string;
  name: string;
  roles: readonly string[];
  /** Omitted or null: the user cannot sign in until a password is set. */
  password?: string | null;
  /**
   * Whether the password must be changed at first sign-in (PCI DSS 8.3.5). Default: true, since the password was
   * chosen by someone else; false only when the person typing it is the user (the first administrator's `init`).
   */
  mustChangePassword?: boolean;
}

export interface UpdateUserInput {
  name?: string;
  roles?: readonly string[];
  status?: UserStatus;
}

export interface UserPage {
  items: UserView[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

export interface UserServiceDeps {
  store: IdentityStore;
  passwords: PasswordHasher;
  clock: Clock;
  events: IdentityEvents;
}

const ADMIN_ROLE = 'admin';

const asStatus = (s: string): UserStatus => (s === 'active' ? 'active' : 'disabled');

export function userView(row: UserRow, roles: readonly string[]): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    roles: [...roles],
    status: asStatus(row.status),
    lastLoginAt: row.last_login_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

const encodeCursor = (lastId: string): string => Buffer.from(`u:${lastId}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const id = text.startsWith('u:') ? text.slice(2) : '';
  if (!isId(id)) {
    throw new AppError('SEPAR_ERR_BAD_CURSOR', 'Bad cursor', {
      detail: 'The cursor is not one this server issued; start again without it.',
      errors: [{ field: 'cursor', message: 'is not a valid cursor' }],
    });
  }
  return id;
}

/**
 * People who can sign in, and their roles. Managing users needs the manage-users capability; everyone may
 * change their own password. Disabling a user or changing their roles ends all their sessions.
 */
export class UserService {
  constructor(private readonly deps: UserServiceDeps) {}

  async createUser(actor: Actor, input: CreateUserInput): Promise<UserView> {
    requireCapability(actor, 'manage-users');
    const parsed = parseEmail(input.email);
    if (!parsed.ok) throw validationError('email', parsed.reason);
    const email = parsed.value;
    const emailLookup = emailLookupKey(email);
    const name = checkDisplayText('name', input.name, MAX_NAME_LENGTH);
    const { repos } = this.deps.store;
    const roles = await this.checkRoles(repos, input.roles);
    const password = input.password ?? null;
    if (password !== null) assertPasswordAcceptable(password, { email, name });
    if (await repos.users.findByEmailLookup(emailLookup)) throw duplicateEmail();
    // Hash outside the transaction: the database is not held while argon2 works.
    const passwordHash = password === null ? null : await this.deps.passwords.hash(password);

    const now = this.deps.clock.now();
    const row: UserRow = {
      id: newId(now.getTime()),
      email,
      email_lookup: emailLookup,
      name,
      password_hash: passwordHash,
      status: 'active',
      // A password chosen by someone else is changed at first use (PCI DSS 8.3.5; enforced at sign-in).
      must_change_password: passwordHash === null || input.mustChangePassword === false ? 0 : 1,
      last_login_at: null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      version: 1,
      status_changed_at: null,
      disabled_reason: null,
    };
    await this.deps.store.transaction(async (tx) => {
      if ((await tx.users.insert(row)) === 'duplicate') throw duplicateEmail();
      await tx.users.replaceRoles(row.id, roles);
    });
    this.deps.events.emit({
      type: 'user.create',
      outcome: 'success',
      context: actorContext(actor),
      target: { type: 'user', id: row.id },
      detail: { roles, hasPassword: passwordHash !== null },
    });
    return userView(row, roles);
  }

  async listUsers(actor: Actor, opts: { limit?: number; cursor?: string | null } = {}): Promise<UserPage> {
    requireCapability(actor, 'manage-users');
    const limit = Math.min(Math.max(Math.trunc(opts.limit ?? DEFAULT_USER_PAGE), 1), MAX_USER_PAGE);
    const afterId = opts.cursor ? decodeCursor(opts.cursor) : null;
    const { users } = this.deps.store.repos;
    const rows = await users.list({ afterId, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const roles = await users.rolesOfMany(page.map((r) => r.id));
    const last = page[page.length - 1];
    return {
      items: page.map((r) => userView(r, roles.get(r.id) ?? [])),
      nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    };
  }

  /** One user: anyone may read themselves; others need manage-users. Unknown answers 404. */
  async getUser(actor: Actor, id: string): Promise<UserView> {
    if (id !== actor.userId) requireCapability(actor, 'manage-users');
    const view = await this.findView(id);
    if (!view) throw notFound('User');
    return view;
  }

  /** The view of a user by id, or undefined. No access check: for identity's own use (sign-in, /me). */
  async findView(id: string): Promise<UserView | undefined> {
    const { users } = this.deps.store.repos;
    const row = await users.findById(id);
    return row ? userView(row, await users.rolesOf(id)) : undefined;
  }

  /** The view of the user with this email (matched case-insensitively), or undefined. No access check: CLI use. */
  async findByEmail(email: string): Promise<UserView | undefined> {
    const { users } = this.deps.store.repos;
    const row = await users.findByEmailLookup(emailLookupKey(email));
    return row ? userView(row, await users.rolesOf(row.id)) : undefined;
  }

  /** How many users exist (the CLI offers `init` while there are none). No access check. */
  count(): Promise<number> {
    return this.deps.store.repos.users.count();
  }

  /**
   * Changes name, roles or status when the stored version is `expectedVersion` (else SEPAR_ERR_VERSION_CONFLICT).
   * Disabling a user or changing their roles ends all their sessions in the same transaction. The last active
   * administrator cannot be disabled or lose the admin role.
   */
  async updateUser(actor: Actor, id: string, patch: UpdateUserInput, expectedVersion: number): Promise<UserView> {
    requireCapability(actor, 'manage-users');
    const name = patch.name === undefined ? undefined : checkDisplayText('name', patch.name, MAX_NAME_LENGTH);
    if (patch.status !== undefined && !USER_STATUSES.includes(patch.status)) {
      throw validationError('status', `must be one of ${USER_STATUSES.join(', ')}`);
    }
    const { repos } = this.deps.store;
    const newRoles = patch.roles === undefined ? undefined : await this.checkRoles(repos, patch.roles);
    const now = this.deps.clock.now().toISOString();

    const outcome = await this.deps.store.transaction(async (tx) => {
      // Disabling or re-roling someone may remove the last administrator: serialise such changes.
      if (patch.status === 'disabled' || newRoles !== undefined) await tx.roles.lock(ADMIN_ROLE);
      const current = await tx.users.findById(id);
      if (!current) throw notFound('User');
      if (current.version !== expectedVersion) throw versionConflict(current.version);
      const oldRoles = await tx.users.rolesOf(id);
      const change: UserPatch = {};
      if (name !== undefined && name !== current.name) change.name = name;
      if (patch.status !== undefined && patch.status !== current.status) {
        change.status = patch.status;
        change.status_changed_at = now;
        change.disabled_reason = patch.status === 'disabled' ? 'admin' : null;
      }
      const rolesChanged = newRoles !== undefined && !sameSet(newRoles, oldRoles);
      const changed = [
        ...Object.keys(change).filter((k) => k === 'name' || k === 'status'),
        ...(rolesChanged ? ['roles'] : []),
      ];
      if (changed.length === 0) {
        return { row: current, roles: oldRoles, changed, oldRoles, endedSessions: 0, revokedTokens: 0 };
      }

      const losesAdmin =
        oldRoles.includes(ADMIN_ROLE) &&
        current.status === 'active' &&
        (change.status === 'disabled' || (rolesChanged && !newRoles.includes(ADMIN_ROLE)));
      if (losesAdmin && (await tx.users.countActiveWithRole(ADMIN_ROLE, id)) === 0) {
        throw new AppError('SEPAR_ERR_CONFLICT', 'Last administrator', {
          detail: 'This is the last active administrator; make someone else an administrator first.',
        });
      }
      // Separation of duties: a role manager who could give themselves any role (an administrator taking the
      // security officer's key management, or a sales rep's clear view of the records they can reassign to
      // themselves) holds every role. Adding to one's own roles takes another administrator; giving up is fine.
      if (isPerson(actor) && actor.userId === id && newRoles?.some((r) => !oldRoles.includes(r))) {
        throw forbidden('No one adds roles to their own account: another administrator must do it.');
      }
      if (!(await tx.users.updateIfVersion(id, expectedVersion, change, now))) throw versionConflict(null);
      if (rolesChanged) await tx.users.replaceRoles(id, newRoles);
      const endSessions = change.status === 'disabled' || rolesChanged;
      // Disabling ends API tokens for good: re-enabling the account must not revive them.
      const revokedTokens = change.status === 'disabled' ? await tx.tokens.revokeAllForUser(id, now) : 0;
      const endedSessions = endSessions
        ? await tx.sessions.revokeAllForUser(
            id,
            now,
            change.status === 'disabled' ? 'user-disabled' : 'roles-changed',
            null,
          )
        : 0;
      const row = await tx.users.findById(id);
      if (!row) throw notFound('User');
      return { row, roles: rolesChanged ? [...newRoles] : oldRoles, changed, oldRoles, endedSessions, revokedTokens };
    });

    if (outcome.changed.length > 0) {
      this.deps.events.emit({
        type: 'user.update',
        outcome: 'success',
        context: actorContext(actor),
        target: { type: 'user', id },
        detail: {
          changed: outcome.changed,
          ...(outcome.changed.includes('roles') ? { rolesBefore: outcome.oldRoles, rolesAfter: outcome.roles } : {}),
          ...(outcome.changed.includes('status') ? { status: outcome.row.status } : {}),
          endedSessions: outcome.endedSessions,
          ...(outcome.revokedTokens > 0 ? { revokedTokens: outcome.revokedTokens } : {}),
        },
      });
    }
    return userView(outcome.row, outcome.roles);
  }

  /**
   * The actor changes their own password: the current one is required, the new one must pass the policy, and
   * every other session of theirs ends.
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    if (!isPerson(actor)) throw validationError('actor', 'must be a signed-in user');
    requireAccountAccess(actor);
    const { users } = this.deps.store.repos;
    const user = await users.findById(actor.userId);
    if (!user) throw notFound('User');
    const ok =
      user.password_hash === null
        ? (await this.deps.passwords.verifyDummy(currentPassword), false)
        : await this.deps.passwords.verify(user.password_hash, currentPassword);
    if (!ok) {
      this.deps.events.emit({
        type: 'user.password.change',
        outcome: 'failure',
        context: actorContext(actor),
        target: { type: 'user', id: user.id },
        detail: { reason: 'wrong-current-password' },
      });
      throw new AppError('SEPAR_ERR_VALIDATION', 'Current password is wrong', {
        detail: 'The current password is not correct.',
        errors: [{ field: 'currentPassword', message: 'is not correct' }],
      });
    }
    assertPasswordAcceptable(newPassword, { email: user.email, name: user.name }, 'newPassword');
    if (newPassword.normalize('NFKC') === currentPassword.normalize('NFKC')) {
      throw validationError('newPassword', 'must differ from the current password');
    }
    const hash = await this.deps.passwords.hash(newPassword);
    const now = this.deps.clock.now().toISOString();
    const endedSessions = await this.deps.store.transaction(async (tx) => {
      await tx.users.setPasswordHash(user.id, hash, false, now);
      return tx.sessions.revokeAllForUser(user.id, now, 'password-changed', actor.sessionId);
    });
    this.deps.events.emit({
      type: 'user.password.change',
      outcome: 'success',
      context: actorContext(actor),
      target: { type: 'user', id: user.id },
      detail: { endedSessions },
    });
  }

  /**
   * An administrator (or the CLI) sets another user's password: policy-checked, marked to be changed at first
   * use, and all that user's sessions and API tokens end.
   */
  async setPassword(actor: Actor, userId: string, newPassword: string): Promise<void> {
    requireCapability(actor, 'manage-users');
    if (isPerson(actor) && actor.userId === userId) {
      // Changing one's own password always needs the current one.
      throw forbidden('Change your own password with POST /api/v1/me/password, which asks for the current one.');
    }
    const { users } = this.deps.store.repos;
    const user = await users.findById(userId);
    if (!user) throw notFound('User');
    assertPasswordAcceptable(newPassword, { email: user.email, name: user.name }, 'password');
    const hash = await this.deps.passwords.hash(newPassword);
    const now = this.deps.clock.now().toISOString();
    // An administrator setting a password is account recovery: every credential the account had ends.
    const { endedSessions, revokedTokens } = await this.deps.store.transaction(async (tx) => {
      await tx.users.setPasswordHash(userId, hash, true, now);
      return {
        endedSessions: await tx.sessions.revokeAllForUser(userId, now, 'password-set', null),
        revokedTokens: await tx.tokens.revokeAllForUser(userId, now),
      };
    });
    this.deps.events.emit({
      type: 'user.password.set',
      outcome: 'success',
      context: actorContext(actor),
      target: { type: 'user', id: userId },
      detail: { endedSessions, revokedTokens },
    });
  }

  /** The roles that exist. Needs manage-users or manage-roles. */
  async listRoles(actor: Actor): Promise<RoleView[]> {
    if (!hasCapability(actor, 'manage-roles')) requireCapability(actor, 'manage-users');
    const rows = await this.deps.store.repos.roles.list();
    return rows.map(roleView);
  }

  private async checkRoles(repos: IdentityRepositories, roles: readonly string[]): Promise<string[]> {
    const unique = [...new Set(roles)].sort();
    if (unique.length > MAX_ROLES_PER_USER) {
      throw validationError('roles', `must list at most ${MAX_ROLES_PER_USER} roles`);
    }
    const existing = await repos.roles.existing(unique);
    const unknown = unique.filter((r) => !existing.has(r));
    if (unknown.length > 0) {
      throw new AppError('SEPAR_ERR_VALIDATION', "Invalid value for 'roles'", {
        detail: `Unknown role${unknown.length > 1 ? 's' : ''}: ${unknown.map((r) => `'${r.slice(0, 64)}'`).join(', ')}.`,
        errors: [{ field: 'roles', message: 'must only contain existing role ids (see GET /api/v1/roles)' }],
      });
    }
    return unique;
  }
}

const roleView = (r: RoleRow): RoleView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  builtin: r.builtin === 1,
});

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

function duplicateEmail(): AppError {
  return new AppError('SEPAR_ERR_DUPLICATE', 'Duplicate email', {
    detail: 'A user with this email address already exists.',
    errors: [{ field: 'email', message: 'is already in use' }],
  });
}

function versionConflict(currentVersion: number | null): AppError {
  return new AppError('SEPAR_ERR_VERSION_CONFLICT', 'Version conflict', {
    detail:
      currentVersion === null
        ? 'The user was changed by someone else; reload it and try again.'
        : `The user was changed by someone else (it is now at version ${currentVersion}); reload it and try again.`,
  });
}

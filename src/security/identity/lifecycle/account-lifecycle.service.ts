import { AppError, notFound, validationError } from '../../../platform/app-error.js';
import type { Clock } from '../../../platform/clock.js';
import { systemContext } from '../../../platform/events.js';
import { emailLookupKey, hasControlChars, MAX_EMAIL_LENGTH } from '../../../platform/formats/index.js';
import { newId, newSecret } from '../../../platform/ids.js';
import type { Logger } from '../../../platform/logger.js';
import { requireCapability } from '../../access/access.service.js';
import type { Actor } from '../../access/actor.js';
import type { AuthDefense } from '../auth-defense.js';
import {
  actorContext,
  anonymousContext,
  userContext,
  type CallerMeta,
  type IdentityEvents,
} from '../identity-events.js';
import type { IdentityStore } from '../identity.repository.js';
import type { Mailer } from '../mail/mailer.js';
import { invitationMessage, passwordResetMessage } from '../mail/messages.js';
import type { PasswordHasher } from '../password.js';
import { assertPasswordAcceptable } from '../password-policy.js';
import { secretHash } from '../secret-hash.js';
import type { AccountTokenPurpose, AccountTokenRow } from './account-token.repository.js';

/** 256 random bits (base64url, 43 characters). */
const LINK_TOKEN_BYTES = 32;
const LINK_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
export const INVITATION_TTL_MS = 24 * 3_600_000;
export const PASSWORD_RESET_TTL_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

export interface Invitation {
  expiresAt: string;
  /** Whether the link was emailed to the user. */
  emailed: boolean;
  /** The link itself, only when mail is not configured (the administrator passes it on); shown once. */
  link: string | null;
}

export interface AccountLifecycleDeps {
  store: IdentityStore;
  passwords: PasswordHasher;
  defense: AuthDefense;
  mailer: Mailer;
  clock: Clock;
  events: IdentityEvents;
  logger: Logger;
  publicUrl: string;
  idleAccountDays: number;
}

const badLink = (): AppError =>
  new AppError('SEPAR_ERR_VALIDATION', 'Invalid or expired link', {
    detail: 'This link is not valid: it may have expired or been used already. Ask for a new one.',
    errors: [{ field: 'token', message: 'is invalid, expired or already used' }],
  });

/**
 * An account's life outside sign-in: invitations (single-use 256-bit link, 24 h) to choose a first password,
 * password reset by email (single-use, 30 min; signing in afterwards still needs the second factor, and every
 * session ends), and disabling accounts idle for 90 days (PCI DSS 8.2.6) — at their next sign-in attempt and by
 * a periodic sweep.
 */
export class AccountLifecycle {
  constructor(private readonly deps: AccountLifecycleDeps) {}

  /** An administrator invites a user who has no password yet: a link to choose one is emailed (or returned). */
  async invite(actor: Actor, userId: string): Promise<Invitation> {
    requireCapability(actor, 'manage-users');
    const user = await this.deps.store.repos.users.findById(userId);
    if (!user) throw notFound('User');
    if (user.status !== 'active') throw validationError('userId', 'names a disabled user');
    if (user.password_hash !== null) {
      throw new AppError('SEPAR_ERR_CONFLICT', 'Already has a password', {
        detail: 'This user has a password already; they can reset it from the sign-in page.',
      });
    }
    const { token, row } = this.newLink(userId, 'invitation', INVITATION_TTL_MS, actor.userId);
    await this.deps.store.transaction(async (tx) => {
      await tx.accountTokens.expireOutstanding(userId, 'invitation', row.created_at);
      await tx.accountTokens.insert(row);
    });
    const link = `${this.deps.publicUrl}/invitation#token=${token}`;
    let emailed = false;
    if (this.deps.mailer.configured) {
      try {
        await this.deps.mailer.send(invitationMessage(user.email, user.name, link, row.expires_at));
        emailed = true;
      } catch (err) {
        this.deps.logger.error({ err, userId }, 'invitation email could not be sent');
        throw new AppError('SEPAR_ERR_UNAVAILABLE', 'Mail not sent', {
          detail: 'The invitation email could not be sent; check the mail settings and try again.',
          headers: { 'retry-after': '30' },
        });
      }
    }
    this.deps.events.emit({
      type: 'user.invite',
      outcome: 'success',
      context: actorContext(actor),
      target: { type: 'user', id: userId },
      detail: { expiresAt: row.expires_at, emailed },
    });
    return { expiresAt: row.expires_at, emailed, link: emailed ? null : link };
  }

  /** The invited user chooses their password with the link's token. They then sign in and enrol MFA. */
  async acceptInvitation(token: string, password: string, meta: CallerMeta): Promise<void> {
    await this.deps.defense.consume('public-ip', meta.ip ?? 'unknown');
    const found = await this.validLink(token, 'invitation');
    if (!found) {
      this.deps.events.emit({
        type: 'user.invitation.accept',
        outcome: 'failure',
        context: anonymousContext(meta),
        detail: { reason: 'invalid-link' },
      });
      throw badLink();
    }
    const { user, row } = found;
    if (user.password_hash !== null) throw badLink();
    assertPasswordAcceptable(password, { email: user.email, name: user.name }, 'password');
    const hash = await this.deps.passwords.hash(password);
    const now = this.deps.clock.now().toISOString();
    const used = await this.deps.store.transaction(async (tx) => {
      if (!(await tx.accountTokens.use(row.id, now))) return false;
      await tx.users.setPasswordHash(user.id, hash, false, now);
      await tx.users.markActivated(user.id, now);
      return true;
    });
    if (!used) throw badLink();
    this.deps.events.emit({
      type: 'user.invitation.accept',
      outcome: 'success',
      context: userContext(user.id, meta),
      target: { type: 'user', id: user.id },
    });
  }

  /**
   * Emails a reset link when the address belongs to an active account with a password. The answer is the same
   * whether or not it does (no account enumeration); requests are limited per address and per account.
   */
  async requestPasswordReset(email: string, meta: CallerMeta): Promise<void> {
    await this.deps.defense.consume('reset-ip', meta.ip ?? 'unknown');
    const lookup = email.length <= MAX_EMAIL_LENGTH + 64 && !hasControlChars(email) ? emailLookupKey(email) : '';
    const user = lookup === '' ? undefined : await this.deps.store.repos.users.findByEmailLookup(lookup);
    if (!user || user.status !== 'active' || user.password_hash === null) {
      this.deps.events.emit({
        type: 'user.password.reset.request',
        outcome: 'failure',
        context: anonymousContext(meta),
        ...(user ? { target: { type: 'user' as const, id: user.id } } : {}),
        detail: { reason: user ? 'not-eligible' : 'unknown-user' },
      });
      return;
    }
    try {
      await this.deps.defense.consume('reset-account', user.id);
    } catch {
      // Over the per-account limit: answer as usual, send nothing.
      this.deps.events.emit({
        type: 'user.password.reset.request',
        outcome: 'failure',
        context: anonymousContext(meta),
        target: { type: 'user', id: user.id },
        detail: { reason: 'rate-limited' },
      });
      return;
    }
    const { token, row } = this.newLink(user.id, 'password-reset', PASSWORD_RESET_TTL_MS, null);
    await this.deps.store.transaction(async (tx) => {
      await tx.accountTokens.expireOutstanding(user.id, 'password-reset', row.created_at);
      await tx.accountTokens.insert(row);
    });
    const link = `${this.deps.publicUrl}/reset-password#token=${token}`;
    this.deps.events.emit({
      type: 'user.password.reset.request',
      outcome: 'success',
      context: anonymousContext(meta),
      target: { type: 'user', id: user.id },
      detail: { expiresAt: row.expires_at, emailed: this.deps.mailer.configured },
    });
    // Not awaited: the answer must not take longer for accounts that exist.
    this.deps.mailer
      .send(passwordResetMessage(user.email, user.name, link, row.expires_at))
      .catch((err: unknown) => this.deps.logger.error({ err, userId: user.id }, 'password reset email not sent'));
  }

  /**
   * Sets a new password with a reset link's token. Every session and API token of the account ends (whoever
   * held the account meanwhile loses it); MFA still applies at the next sign-in.
   */
  async completePasswordReset(token: string, password: string, meta: CallerMeta): Promise<void> {
    await this.deps.defense.consume('public-ip', meta.ip ?? 'unknown');
    const found = await this.validLink(token, 'password-reset');
    if (!found) {
      this.deps.events.emit({
        type: 'user.password.reset',
        outcome: 'failure',
        context: anonymousContext(meta),
        detail: { reason: 'invalid-link' },
      });
      throw badLink();
    }
    const { user, row } = found;
    assertPasswordAcceptable(password, { email: user.email, name: user.name }, 'password');
    const hash = await this.deps.passwords.hash(password);
    const now = this.deps.clock.now().toISOString();
    const ended = await this.deps.store.transaction(async (tx) => {
      if (!(await tx.accountTokens.use(row.id, now))) return null;
      await tx.accountTokens.expireOutstanding(user.id, 'password-reset', now);
      await tx.users.setPasswordHash(user.id, hash, false, now);
      await tx.tokens.revokeAllForUser(user.id, now);
      return tx.sessions.revokeAllForUser(user.id, now, 'password-reset', null);
    });
    if (ended === null) throw badLink();
    this.deps.events.emit({
      type: 'user.password.reset',
      outcome: 'success',
      context: userContext(user.id, meta),
      target: { type: 'user', id: user.id },
      detail: { endedSessions: ended },
    });
  }

  /** Disables `userId` when idle past the limit (checked at sign-in). True when it was just disabled. */
  async disableIfIdle(userId: string, meta: CallerMeta): Promise<boolean> {
    const idle = await this.deps.store.repos.users.findIdle(this.idleCutoff(), { userId });
    if (idle.length === 0) return false;
    return this.disableIdle(userId, { ...anonymousContext(meta), actorType: 'system' });
  }

  /** The periodic sweep: disables every account idle past the limit. Returns how many. */
  async disableIdleAccounts(): Promise<number> {
    let count = 0;
    for (;;) {
      const ids = await this.deps.store.repos.users.findIdle(this.idleCutoff(), { limit: 500 });
      if (ids.length === 0) return count;
      for (const id of ids) if (await this.disableIdle(id, systemContext())) count++;
      if (ids.length < 500) return count;
    }
  }

  private async disableIdle(userId: string, context: ReturnType<typeof systemContext>): Promise<boolean> {
    const now = this.deps.clock.now().toISOString();
    const ended = await this.deps.store.transaction(async (tx) => {
      if (!(await tx.users.disable(userId, 'idle', now))) return null;
      await tx.tokens.revokeAllForUser(userId, now);
      return tx.sessions.revokeAllForUser(userId, now, 'user-disabled', null);
    });
    if (ended === null) return false;
    this.deps.events.emit({
      type: 'user.disable',
      outcome: 'success',
      context,
      target: { type: 'user', id: userId },
      detail: { reason: 'idle', idleDays: this.deps.idleAccountDays, endedSessions: ended },
    });
    return true;
  }

  private idleCutoff(): string {
    return new Date(this.deps.clock.now().getTime() - this.deps.idleAccountDays * DAY_MS).toISOString();
  }

  private newLink(
    userId: string,
    purpose: AccountTokenPurpose,
    ttlMs: number,
    createdBy: string | null,
  ): { token: string; row: AccountTokenRow } {
    const token = newSecret(LINK_TOKEN_BYTES);
    const now = this.deps.clock.now();
    return {
      token,
      row: {
        id: newId(now.getTime()),
        user_id: userId,
        purpose,
        token_hash: secretHash(token),
        created_by: createdBy,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + ttlMs).toISOString(),
        used_at: null,
      },
    };
  }

  private async validLink(token: string, purpose: AccountTokenPurpose) {
    if (!LINK_TOKEN_SHAPE.test(token)) return null;
    const { accountTokens, users } = this.deps.store.repos;
    const row = await accountTokens.findByHash(secretHash(token));
    if (!row || row.purpose !== purpose || row.used_at !== null) return null;
    if (Date.parse(row.expires_at) <= this.deps.clock.now().getTime()) return null;
    const user = await users.findById(row.user_id);
    if (!user || user.status !== 'active') return null;
    return { user, row };
  }
}

import { notFound } from '../../platform/app-error.js';
import type { Clock } from '../../platform/clock.js';
import { newSecret } from '../../platform/ids.js';
import { requireCapability } from '../access/access.service.js';
import type { Actor } from '../access/actor.js';
import { requireAccountAccess } from './account-access.js';
import { actorContext, userContext, type CallerMeta, type IdentityEvents } from './identity-events.js';
import type { IdentityStore } from './identity.repository.js';
import { secretHash } from './secret-hash.js';
import type { SessionKind, SessionRow, SessionWithUser } from './session.repository.js';
import { describeUserAgent } from './user-agent.js';

/** 256-bit session tokens from the CSPRNG (base64url, 43 characters). */
export const SESSION_TOKEN_BYTES = 32;
const SESSION_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** last_seen_at is written at most this often per session, not on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 30_000;
const PUBLIC_ID_LENGTH = 16;
/** A pending session (password right, second factor due) lives at most this long. */
export const PENDING_SESSION_MS = 10 * 60_000;
/** A restricted session (MFA enrolment only) lives at most this long. */
export const RESTRICTED_SESSION_MS = 60 * 60_000;

export type AuthMethod = 'pwd' | 'totp' | 'webauthn' | 'recovery' | 'passkey' | 'sso' | 'sso-mfa';

export interface SessionSettings {
  idleMinutes: number;
  absoluteHours: number;
  /** Sensitive actions need authentication within this many minutes. */
  stepUpMinutes: number;
}

export interface NewSession {
  /** The cookie value: shown to the client once, never stored. */
  token: string;
  csrfToken: string;
  /** Row id: SHA-256 of the token. */
  id: string;
  publicId: string;
  kind: SessionKind;
}

export interface SessionStart {
  kind: SessionKind;
  /** How the user proved who they are so far (pwd, totp, …). */
  authMethods: readonly AuthMethod[];
  /** SHA-256 of the device id, when the request came from a device known for this user. */
  deviceId?: string | null;
}

export interface ResolvedSession {
  id: string;
  userId: string;
  kind: SessionKind;
  csrfToken: string;
  authenticatedAt: string;
  /** Authenticated within the step-up window. */
  recentlyAuthenticated: boolean;
  authMethods: AuthMethod[];
  deviceId: string | null;
  /** The user's roles, read with the session. */
  roles: string[];
}

export interface SessionView {
  /** A short public id (not a credential): the first 16 hex digits of the row id. */
  id: string;
  kind: SessionKind;
  createdAt: string;
  lastSeenAt: string;
  authenticatedAt: string;
  ip: string | null;
  userAgent: string | null;
  /** A short label of the device ("Firefox 128 on Linux"). */
  device: string | null;
  current: boolean;
}

export const publicSessionId = (rowId: string): string => rowId.slice(0, PUBLIC_ID_LENGTH);

const KINDS: readonly SessionKind[] = ['full', 'pending', 'restricted'];
const asKind = (k: string): SessionKind => KINDS.find((x) => x === k) ?? 'pending';

const METHODS: readonly AuthMethod[] = ['pwd', 'totp', 'webauthn', 'recovery', 'passkey', 'sso', 'sso-mfa'];
function parseMethods(stored: string): AuthMethod[] {
  try {
    const v: unknown = JSON.parse(stored);
    return Array.isArray(v) ? METHODS.filter((m) => v.includes(m)) : [];
  } catch {
    return [];
  }
}

export interface SessionServiceDeps {
  store: IdentityStore;
  clock: Clock;
  events: IdentityEvents;
  settings: SessionSettings;
}

/**
 * Server-side sessions. The client holds a random token; the database holds only its SHA-256 (the row id), so
 * a copy of the database cannot be replayed as cookies. Sessions end on logout, revocation, idle timeout
 * (measured from the last request) and absolute timeout (from sign-in), and whenever their user is disabled.
 * Every change of what a session may do (second factor answered, MFA enrolled, step-up) gives it a new id.
 */
export class SessionService {
  private readonly idleMs: number;
  private readonly absoluteMs: number;
  private readonly stepUpMs: number;

  constructor(private readonly deps: SessionServiceDeps) {
    this.idleMs = deps.settings.idleMinutes * 60_000;
    this.absoluteMs = deps.settings.absoluteHours * 3_600_000;
    this.stepUpMs = deps.settings.stepUpMinutes * 60_000;
  }

  async create(userId: string, meta: CallerMeta, how: SessionKind | SessionStart = 'full'): Promise<NewSession> {
    const start: SessionStart = typeof how === 'string' ? { kind: how, authMethods: [] } : how;
    const now = this.deps.clock.now();
    const lifetime =
      start.kind === 'pending'
        ? Math.min(PENDING_SESSION_MS, this.absoluteMs)
        : start.kind === 'restricted'
          ? Math.min(RESTRICTED_SESSION_MS, this.absoluteMs)
          : this.absoluteMs;
    return this.insert({
      userId,
      meta,
      start,
      createdAt: now.toISOString(),
      absoluteExpiresAt: new Date(now.getTime() + lifetime).toISOString(),
    });
  }

  /**
   * Replaces a live session by a new one (new token, new CSRF token, new row id) and ends the old one, e.g. when
   * a pending session completes its second factor or a session steps up. Becoming `full` starts the absolute
   * lifetime at the original sign-in; staying `full` keeps the absolute expiry. `reauthenticated` marks now as
   * the last authentication. Returns null when the old session is no longer live.
   */
  async rotate(
    sessionId: string,
    meta: CallerMeta,
    change: { kind?: SessionKind; authMethods?: readonly AuthMethod[]; reauthenticated: boolean },
  ): Promise<NewSession | null> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (tx) => {
      const old = await tx.sessions.findWithUser(sessionId);
      if (!old || old.revoked_at !== null || old.user_status !== 'active' || this.expiryReason(old, now) !== null) {
        return null;
      }
      const kind = change.kind ?? asKind(old.kind);
      const absoluteExpiresAt =
        kind === 'full' && old.kind !== 'full'
          ? new Date(Date.parse(old.created_at) + this.absoluteMs).toISOString()
          : old.absolute_expires_at;
      const created = await this.insert(
        {
          userId: old.user_id,
          meta,
          start: { kind, authMethods: change.authMethods ?? parseMethods(old.auth_methods), deviceId: old.device_id },
          createdAt: old.created_at,
          absoluteExpiresAt,
          authenticatedAt: change.reauthenticated ? now.toISOString() : (old.authenticated_at ?? old.created_at),
        },
        tx.sessions,
      );
      await tx.sessions.revoke(old.id, now.toISOString(), 'rotated');
      return created;
    });
  }

  /**
   * The live session a cookie value names, or null: unknown, revoked, idle or past its absolute lifetime, or
   * belonging to a user who is not active. An expired session is marked revoked on the way (and leaves evidence).
   */
  async resolve(token: string, meta?: CallerMeta): Promise<ResolvedSession | null> {
    if (!SESSION_TOKEN_SHAPE.test(token)) return null;
    const id = secretHash(token);
    const sessions = this.deps.store.repos.sessions;
    const row = await sessions.findWithUser(id);
    if (!row || row.revoked_at !== null || row.user_status !== 'active') return null;
    const now = this.deps.clock.now();
    const expiry = this.expiryReason(row, now);
    if (expiry !== null) {
      if ((await sessions.revoke(id, now.toISOString(), expiry)) > 0 && meta) {
        this.deps.events.emit({
          type: 'session.end',
          outcome: 'success',
          context: userContext(row.user_id, meta),
          target: { type: 'session', id: publicSessionId(id) },
          detail: { reason: expiry, kind: row.kind },
        });
      }
      return null;
    }
    if (now.getTime() - Date.parse(row.last_seen_at) >= SESSION_TOUCH_INTERVAL_MS) {
      await sessions.touch(id, now.toISOString());
    }
    return this.toResolved(row, now);
  }

  private toResolved(row: SessionWithUser, now: Date): ResolvedSession {
    const authenticatedAt = row.authenticated_at ?? row.created_at;
    return {
      id: row.id,
      userId: row.user_id,
      kind: asKind(row.kind),
      csrfToken: row.csrf_token,
      authenticatedAt,
      recentlyAuthenticated: now.getTime() - Date.parse(authenticatedAt) < this.stepUpMs,
      authMethods: parseMethods(row.auth_methods),
      deviceId: row.device_id,
      roles: row.roles,
    };
  }

  /** The live session with this row id (the actor's `sessionId`), without touching it; null when over. */
  async current(sessionId: string | null): Promise<ResolvedSession | null> {
    if (sessionId === null) return null;
    const row = await this.deps.store.repos.sessions.findWithUser(sessionId);
    const now = this.deps.clock.now();
    if (!row || row.revoked_at !== null || row.user_status !== 'active' || this.expiryReason(row, now) !== null) {
      return null;
    }
    return this.toResolved(row, now);
  }

  /** Counts a wrong second-factor answer; at `limit` the session ends. True when it ended. */
  async recordMfaFailure(sessionId: string, limit: number, meta: CallerMeta, userId: string): Promise<boolean> {
    const failures = await this.deps.store.repos.sessions.addMfaFailure(sessionId);
    if (failures < limit) return false;
    const ended = await this.deps.store.repos.sessions.revoke(
      sessionId,
      this.deps.clock.now().toISOString(),
      'mfa-failures',
    );
    if (ended > 0) {
      this.deps.events.emit({
        type: 'session.end',
        outcome: 'success',
        context: userContext(userId, meta),
        target: { type: 'session', id: publicSessionId(sessionId) },
        detail: { reason: 'mfa-failures', failures },
      });
    }
    return true;
  }

  /** Ends the session a (possibly stale) cookie value names, if any; used when a new login replaces it. */
  async revokeByToken(token: string, reason: string): Promise<void> {
    if (!SESSION_TOKEN_SHAPE.test(token)) return;
    await this.deps.store.repos.sessions.revoke(secretHash(token), this.deps.clock.now().toISOString(), reason);
  }

  /** Logout: ends the actor's own current session. */
  async logout(actor: Actor): Promise<void> {
    if (actor.sessionId !== null) {
      await this.deps.store.repos.sessions.revoke(actor.sessionId, this.deps.clock.now().toISOString(), 'logout');
    }
    this.deps.events.emit({
      type: 'auth.logout',
      outcome: 'success',
      context: actorContext(actor),
      target: { type: 'user', id: actor.userId },
      detail: actor.sessionId !== null ? { session: publicSessionId(actor.sessionId) } : { via: actor.kind },
    });
  }

  /**
   * Ends one session by its public id. Users end their own; ending another user's session (`ownerId`) needs
   * the manage-users capability. A session that is not the owner's, or not live, answers 404.
   */
  async revoke(actor: Actor, sessionId: string, ownerId: string = actor.userId): Promise<void> {
    this.requireCanManage(actor, ownerId);
    const live = await this.liveRows(ownerId);
    const row = live.find((s) => publicSessionId(s.id) === sessionId);
    if (!row) throw notFound('Session');
    await this.deps.store.repos.sessions.revoke(
      row.id,
      this.deps.clock.now().toISOString(),
      this.reasonFor(actor, ownerId),
    );
    this.deps.events.emit({
      type: 'session.revoke',
      outcome: 'success',
      context: actorContext(actor),
      target: { type: 'session', id: publicSessionId(row.id) },
      detail: { userId: ownerId },
    });
  }

  /**
   * Ends all of `ownerId`'s sessions; the actor's current session survives unless `includeCurrent`.
   * Returns how many ended.
   */
  async revokeAll(actor: Actor, opts: { ownerId?: string; includeCurrent?: boolean } = {}): Promise<number> {
    const ownerId = opts.ownerId ?? actor.userId;
    this.requireCanManage(actor, ownerId);
    const except = opts.includeCurrent === true ? null : actor.sessionId;
    const count = await this.revokeAllForUser(ownerId, this.reasonFor(actor, ownerId), except ?? undefined);
    this.deps.events.emit({
      type: 'session.revoke',
      outcome: 'success',
      context: actorContext(actor),
      target: { type: 'user', id: ownerId },
      detail: { count, all: true, includeCurrent: opts.includeCurrent === true },
    });
    return count;
  }

  /** Ends every live session of a user (except one, e.g. the one that changed the password). No access check. */
  revokeAllForUser(userId: string, reason: string, exceptSessionId?: string): Promise<number> {
    return this.deps.store.repos.sessions.revokeAllForUser(
      userId,
      this.deps.clock.now().toISOString(),
      reason,
      exceptSessionId ?? null,
    );
  }

  /** A user's live sessions, newest first; `current` marks `currentSessionId`. No access check. */
  async listForUser(userId: string, currentSessionId: string | null = null): Promise<SessionView[]> {
    const rows = await this.liveRows(userId);
    return rows.map((r) => ({
      id: publicSessionId(r.id),
      kind: asKind(r.kind),
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      authenticatedAt: r.authenticated_at ?? r.created_at,
      ip: r.ip,
      userAgent: r.user_agent,
      device: describeUserAgent(r.user_agent),
      current: r.id === currentSessionId,
    }));
  }

  /** The sessions an actor may see: their own (not with a scoped token), or (with manage-users) another user's. */
  list(actor: Actor, ownerId: string = actor.userId): Promise<SessionView[]> {
    this.requireCanManage(actor, ownerId);
    return this.listForUser(ownerId, actor.sessionId);
  }

  private async insert(
    s: {
      userId: string;
      meta: CallerMeta;
      start: SessionStart;
      createdAt: string;
      absoluteExpiresAt: string;
      authenticatedAt?: string;
    },
    repo = this.deps.store.repos.sessions,
  ): Promise<NewSession> {
    const token = newSecret(SESSION_TOKEN_BYTES);
    const csrfToken = newSecret(32);
    const id = secretHash(token);
    const now = this.deps.clock.now().toISOString();
    await repo.insert({
      id,
      user_id: s.userId,
      kind: s.start.kind,
      csrf_token: csrfToken,
      created_at: s.createdAt,
      last_seen_at: now,
      absolute_expires_at: s.absoluteExpiresAt,
      ip: s.meta.ip,
      user_agent: s.meta.userAgent,
      revoked_at: null,
      revoke_reason: null,
      authenticated_at: s.authenticatedAt ?? now,
      auth_methods: JSON.stringify([...new Set(s.start.authMethods)]),
      device_id: s.start.deviceId ?? null,
      mfa_failures: 0,
    });
    return { token, csrfToken, id, publicId: publicSessionId(id), kind: s.start.kind };
  }

  private requireCanManage(actor: Actor, ownerId: string): void {
    if (ownerId === actor.userId) requireAccountAccess(actor);
    else requireCapability(actor, 'manage-users');
  }

  private reasonFor(actor: Actor, ownerId: string): string {
    return ownerId === actor.userId ? 'revoked-by-user' : 'revoked-by-admin';
  }

  private liveRows(userId: string): Promise<SessionRow[]> {
    const now = this.deps.clock.now();
    const idleCutoff = new Date(now.getTime() - this.idleMs).toISOString();
    return this.deps.store.repos.sessions.listLiveForUser(userId, now.toISOString(), idleCutoff);
  }

  private expiryReason(row: SessionRow, now: Date): 'absolute-timeout' | 'idle-timeout' | null {
    if (now.getTime() >= Date.parse(row.absolute_expires_at)) return 'absolute-timeout';
    if (now.getTime() - Date.parse(row.last_seen_at) >= this.idleMs) return 'idle-timeout';
    return null;
  }
}

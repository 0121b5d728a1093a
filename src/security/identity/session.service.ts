import { notFound } from '../../platform/app-error.js';
import type { Clock } from '../../platform/clock.js';
import { newSecret } from '../../platform/ids.js';
import { requireCapability } from '../access/access.service.js';
import type { Actor } from '../access/actor.js';
import { requireAccountAccess } from './account-access.js';
import { actorContext, type CallerMeta, type IdentityEvents } from './identity-events.js';
import type { IdentityStore } from './identity.repository.js';
import { secretHash } from './secret-hash.js';
import type { SessionKind, SessionRow } from './session.repository.js';

/** 256-bit session tokens from the CSPRNG (base64url, 43 characters). */
export const SESSION_TOKEN_BYTES = 32;
const SESSION_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** last_seen_at is written at most this often per session, not on every request. */
export const SESSION_TOUCH_INTERVAL_MS = 30_000;
const PUBLIC_ID_LENGTH = 16;

export interface SessionSettings {
  idleMinutes: number;
  absoluteHours: number;
}

export interface NewSession {
  /** The cookie value: shown to the client once, never stored. */
  token: string;
  csrfToken: string;
  /** Row id: SHA-256 of the token. */
  id: string;
  publicId: string;
}

export interface ResolvedSession {
  id: string;
  userId: string;
  kind: SessionKind;
  csrfToken: string;
}

export interface SessionView {
  /** A short public id (not a credential): the first 16 hex digits of the row id. */
  id: string;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export const publicSessionId = (rowId: string): string => rowId.slice(0, PUBLIC_ID_LENGTH);

export interface SessionServiceDeps {
  store: IdentityStore;
  clock: Clock;
  events: IdentityEvents;
  settings: SessionSettings;
}

/**
 * Server-side sessions. The client holds a random token; the database holds only its SHA-256 (the row id), so
 * a copy of the database cannot be replayed as cookies. Sessions end on logout, revocation, idle timeout
 * (measured from the last request) and absolute timeout (from creation), and whenever their user is disabled.
 */
export class SessionService {
  private readonly idleMs: number;
  private readonly absoluteMs: number;

  constructor(private readonly deps: SessionServiceDeps) {
    this.idleMs = deps.settings.idleMinutes * 60_000;
    this.absoluteMs = deps.settings.absoluteHours * 3_600_000;
  }

  async create(userId: string, meta: CallerMeta, kind: SessionKind = 'full'): Promise<NewSession> {
    const token = newSecret(SESSION_TOKEN_BYTES);
    const csrfToken = newSecret(32);
    const id = secretHash(token);
    const now = this.deps.clock.now();
    await this.deps.store.repos.sessions.insert({
      id,
      user_id: userId,
      kind,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      absolute_expires_at: new Date(now.getTime() + this.absoluteMs).toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent,
      revoked_at: null,
      revoke_reason: null,
    });
    return { token, csrfToken, id, publicId: publicSessionId(id) };
  }

  /**
   * The live session a cookie value names, or null: unknown, revoked, of another kind, idle or past its absolute
   * lifetime, or belonging to a user who is not active. An expired session is marked revoked on the way.
   */
  async resolve(token: string, kind: SessionKind = 'full'): Promise<ResolvedSession | null> {
    if (!SESSION_TOKEN_SHAPE.test(token)) return null;
    const id = secretHash(token);
    const sessions = this.deps.store.repos.sessions;
    const row = await sessions.findWithUser(id);
    if (!row || row.revoked_at !== null || row.kind !== kind || row.user_status !== 'active') return null;
    const now = this.deps.clock.now();
    const expiry = this.expiryReason(row, now);
    if (expiry !== null) {
      await sessions.revoke(id, now.toISOString(), expiry);
      return null;
    }
    if (now.getTime() - Date.parse(row.last_seen_at) >= SESSION_TOUCH_INTERVAL_MS) {
      await sessions.touch(id, now.toISOString());
    }
    return { id, userId: row.user_id, kind, csrfToken: row.csrf_token };
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
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      ip: r.ip,
      userAgent: r.user_agent,
      current: r.id === currentSessionId,
    }));
  }

  /** The sessions an actor may see: their own, or (with manage-users) another user's. */
  list(actor: Actor, ownerId: string = actor.userId): Promise<SessionView[]> {
    if (ownerId !== actor.userId) requireCapability(actor, 'manage-users');
    return this.listForUser(ownerId, actor.sessionId);
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

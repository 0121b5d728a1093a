import { AppError, notFound, validationError } from '../../platform/app-error.js';
import type { Clock } from '../../platform/clock.js';
import { newId, newSecret } from '../../platform/ids.js';
import { requireCapability, TOKEN_SCOPES } from '../access/access.service.js';
import type { Actor } from '../access/actor.js';
import { isPerson, requireAccountAccess } from './account-access.js';
import { actorContext, type CallerMeta, type IdentityEvents } from './identity-events.js';
import type { IdentityStore } from './identity.repository.js';
import { checkDisplayText } from './display-text.js';
import { secretHash } from './secret-hash.js';
import type { TokenRow } from './token.repository.js';

export const API_TOKEN_PREFIX = 'separ_pat_';
/** 256 random bits after the prefix. */
export const API_TOKEN_BYTES = 32;
const API_TOKEN_SHAPE = /^separ_pat_[A-Za-z0-9_-]{43}$/;
/** Characters of the token kept for display ("separ_pat_Ab…"): the prefix and two random characters. */
export const API_TOKEN_DISPLAY_PREFIX_LENGTH = 12;
export const MAX_TOKENS_PER_USER = 50;
export const MAX_TOKEN_NAME_LENGTH = 100;
const TOKEN_TOUCH_INTERVAL_MS = 30_000;

export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface TokenView {
  id: string;
  name: string;
  prefix: string;
  /** Empty: the owner's full permissions. Otherwise the token can do only what these scopes allow. */
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface CreatedToken extends TokenView {
  /** The secret itself: returned once, at creation, and never again. */
  token: string;
}

export interface CreateTokenInput {
  /** Whose token; defaults to the actor. Another user's needs manage-users (the CLI uses the system actor). */
  userId?: string;
  name: string;
  /** Omitted, null or empty: the owner's full permissions. */
  scopes?: readonly string[] | null;
  /** ISO 8601 date-time in the future; omitted or null: no expiry. */
  expiresAt?: string | null;
}

export interface TokenServiceDeps {
  store: IdentityStore;
  clock: Clock;
  events: IdentityEvents;
}

const KNOWN_SCOPES: ReadonlySet<string> = new Set(TOKEN_SCOPES);

function parseScopes(stored: string): string[] {
  try {
    const v: unknown = JSON.parse(stored);
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  }
}

function toView(row: TokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: parseScopes(row.scopes),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
  };
}

/**
 * Personal API tokens (`separ_pat_…`). The database keeps the SHA-256 of the token and a 12-character display
 * prefix; the token is shown once. A token acts as its owner, narrowed by its scopes, and stops working when it
 * is revoked, expires, or its owner is disabled.
 */
export class TokenService {
  constructor(private readonly deps: TokenServiceDeps) {}

  async createToken(actor: Actor, input: CreateTokenInput): Promise<CreatedToken> {
    const userId = input.userId ?? actor.userId;
    if (userId === actor.userId && isPerson(actor)) requireAccountAccess(actor);
    else requireCapability(actor, 'manage-users');

    const name = checkDisplayText('name', input.name, MAX_TOKEN_NAME_LENGTH);
    const scopes = this.checkScopes(input.scopes);
    const now = this.deps.clock.now();
    const expiresAt = this.checkExpiry(input.expiresAt, now);

    const { users, tokens } = this.deps.store.repos;
    const owner = await users.findById(userId);
    if (!owner) throw notFound('User');
    if (owner.status !== 'active') throw validationError('userId', 'names a disabled user');
    const existing = await tokens.listForUser(userId);
    if (existing.length >= MAX_TOKENS_PER_USER) {
      throw new AppError('SEPAR_ERR_CONFLICT', 'Too many tokens', {
        detail: `A user can hold at most ${MAX_TOKENS_PER_USER} API tokens; revoke one first.`,
      });
    }

    const token = API_TOKEN_PREFIX + newSecret(API_TOKEN_BYTES);
    const row: TokenRow = {
      id: newId(now.getTime()),
      user_id: userId,
      name,
      token_hash: secretHash(token),
      prefix: token.slice(0, API_TOKEN_DISPLAY_PREFIX_LENGTH),
      scopes: JSON.stringify(scopes),
      created_at: now.toISOString(),
      last_used_at: null,
      expires_at: expiresAt,
      revoked_at: null,
    };
    await tokens.insert(row);
    this.deps.events.emit({
      type: 'token.create',
      outcome: 'success',
      context: actorContext(actor),
      target: { type: 'token', id: row.id },
      detail: { userId, scopes, expiresAt },
    });
    return { ...toView(row), token };
  }

  /** The live (not revoked) tokens of the actor, or with manage-users of another user. */
  async listTokens(actor: Actor, userId: string = actor.userId): Promise<TokenView[]> {
    if (userId !== actor.userId) requireCapability(actor, 'manage-users');
    else if (isPerson(actor)) requireAccountAccess(actor);
    const rows = await this.deps.store.repos.tokens.listForUser(userId);
    return rows.map(toView);
  }

  /**
   * Revokes one token: the owner's own, or anyone's with manage-users; otherwise 404. With `ownerId`, a token
   * of anyone else answers 404 too (the /me routes pass the actor).
   */
  async revokeToken(actor: Actor, tokenId: string, opts: { ownerId?: string } = {}): Promise<void> {
    const { tokens } = this.deps.store.repos;
    const row = await tokens.findById(tokenId);
    if (!row || row.revoked_at !== null) throw notFound('Token');
    if (opts.ownerId !== undefined && row.user_id !== opts.ownerId) throw notFound('Token');
    if (row.user_id === actor.userId && isPerson(actor)) {
      requireAccountAccess(actor);
    } else {
      try {
        requireCapability(actor, 'manage-users');
      } catch {
        throw notFound('Token');
      }
    }
    await tokens.revoke(row.id, this.deps.clock.now().toISOString());
    this.deps.events.emit({
      type: 'token.revoke',
      outcome: 'success',
      context: actorContext(actor),
      target: { type: 'token', id: row.id },
      detail: { userId: row.user_id },
    });
  }

  /** The actor a bearer token stands for, or null when it is unknown, revoked, expired or its owner is disabled. */
  async resolve(token: string, meta: CallerMeta): Promise<Actor | null> {
    if (!API_TOKEN_SHAPE.test(token)) return null;
    const { tokens } = this.deps.store.repos;
    const row = await tokens.findByHashWithUser(secretHash(token));
    if (!row || row.revoked_at !== null || row.user_status !== 'active') return null;
    const now = this.deps.clock.now();
    if (row.expires_at !== null && now.getTime() >= Date.parse(row.expires_at)) return null;
    if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) >= TOKEN_TOUCH_INTERVAL_MS) {
      await tokens.touch(row.id, now.toISOString());
    }
    const scopes = parseScopes(row.scopes);
    return {
      kind: 'token',
      userId: row.user_id,
      roles: row.roles,
      sessionId: null,
      tokenId: row.id,
      scopes: scopes.length === 0 ? null : scopes,
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
    };
  }

  private checkScopes(scopes: readonly string[] | null | undefined): string[] {
    if (scopes === undefined || scopes === null) return [];
    const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
    if (unknown.length > 0) {
      throw new AppError('SEPAR_ERR_VALIDATION', "Invalid value for 'scopes'", {
        detail: `Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.map((s) => `'${s.slice(0, 40)}'`).join(', ')}.`,
        errors: [{ field: 'scopes', message: `must only contain known scopes (${TOKEN_SCOPES.join(', ')})` }],
      });
    }
    return [...new Set(scopes)].sort();
  }

  private checkExpiry(expiresAt: string | null | undefined, now: Date): string | null {
    if (expiresAt === undefined || expiresAt === null) return null;
    const t = Date.parse(expiresAt);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(expiresAt) || Number.isNaN(t)) {
      throw validationError('expiresAt', 'must be an ISO 8601 date-time, like 2026-12-31T00:00:00Z');
    }
    if (t <= now.getTime()) throw validationError('expiresAt', 'must be in the future');
    return new Date(t).toISOString();
  }
}

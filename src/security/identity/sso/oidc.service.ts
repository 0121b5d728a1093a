import { randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';
import type { OidcConfig } from '../../../config/config.js';
import { AppError } from '../../../platform/app-error.js';
import type { Clock } from '../../../platform/clock.js';
import { emailLookupKey, parseEmail } from '../../../platform/formats/index.js';
import { newId, newSecret } from '../../../platform/ids.js';
import type { Logger } from '../../../platform/logger.js';
import type { AuthDefense } from '../auth-defense.js';
import { checkDisplayText } from '../display-text.js';
import { anonymousContext, userContext, type CallerMeta, type IdentityEvents } from '../identity-events.js';
import type { IdentityStore } from '../identity.repository.js';
import { secretHash } from '../secret-hash.js';
import type { SignInContext, SignInFlow, SignInResult } from '../sign-in.service.js';
import type { UserRow } from '../user.repository.js';
import { MAX_NAME_LENGTH } from '../user.service.js';
import type { IdTokenClaims, OidcClient } from './oidc-client.js';

/** The browser-binding cookie of an SSO round trip: random, single-use, 10 minutes, SameSite=Lax (it must come
 *  back on the IdP's top-level redirect). */
export const OIDC_COOKIE = '__Host-separ_oidc';
export const OIDC_FLOW_TTL_MS = 10 * 60_000;

interface FlowState {
  state: string;
  nonce: string;
  verifier: string;
}

const ssoFailed = (detail: string): AppError =>
  new AppError('SEPAR_ERR_UNAUTHENTICATED', 'Single sign-on failed', { detail });

const notConfigured = (): AppError =>
  new AppError('SEPAR_ERR_NOT_FOUND', 'Single sign-on is not configured', {
    detail: 'This server has no OpenID Connect provider (SEPAR_OIDC_ISSUER).',
  });

function stringClaim(claims: IdTokenClaims, name: string): string | null {
  const v = claims[name];
  return typeof v === 'string' && v.length > 0 ? v : null;
}

function listClaim(claims: IdTokenClaims, name: string): string[] {
  const v = claims[name];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export interface OidcServiceDeps {
  config: OidcConfig | null;
  client: OidcClient | null;
  store: IdentityStore;
  signIn: SignInFlow;
  defense: AuthDefense;
  events: IdentityEvents;
  clock: Clock;
  logger: Logger;
  isIdle: (userId: string, meta: CallerMeta) => Promise<boolean>;
}

/**
 * Single sign-on with an OpenID Connect provider: authorization code flow with PKCE, state and nonce, bound to
 * the browser by a single-use cookie. Users are found by (issuer, subject), linked by verified email, or created
 * just in time with roles mapped from the IdP's groups (re-synced at each sign-in for accounts SSO created).
 * The IdP's `amr`/`acr` satisfy MFA only when configured to; otherwise local MFA applies as after a password.
 */
export class OidcService {
  constructor(private readonly deps: OidcServiceDeps) {}

  get enabled(): boolean {
    return this.deps.client !== null;
  }

  /** Starts a round trip: where to send the browser, and the cookie binding it to this browser. */
  async start(meta: CallerMeta): Promise<{ location: string; cookie: string }> {
    const oidc = this.deps.client;
    if (!oidc) throw notConfigured();
    await this.deps.defense.consume('public-ip', meta.ip ?? 'unknown');
    const flow: FlowState = { state: randomState(), nonce: randomNonce(), verifier: randomPKCECodeVerifier() };
    const cookie = newSecret(32);
    const now = this.deps.clock.now();
    await this.deps.store.repos.challenges.put(
      {
        id: secretHash(`oidc:${cookie}`),
        purpose: 'oidc',
        user_id: null,
        session_id: null,
        challenge: flow.state,
        data: JSON.stringify(flow),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + OIDC_FLOW_TTL_MS).toISOString(),
      },
      now.toISOString(),
    );
    try {
      return { location: (await oidc.authorizationUrl(flow)).href, cookie };
    } catch (err) {
      this.deps.logger.error({ err }, 'OpenID Connect discovery failed');
      throw new AppError('SEPAR_ERR_UNAVAILABLE', 'Identity provider unavailable', {
        detail: 'The single sign-on provider cannot be reached; try again shortly.',
        headers: { 'retry-after': '30' },
      });
    }
  }

  /** Completes a round trip from the IdP's redirect to `callbackUrl`. */
  async finish(callbackUrl: URL, cookie: string | undefined, ctx: SignInContext): Promise<SignInResult> {
    const oidc = this.deps.client;
    const config = this.deps.config;
    if (!oidc || !config) throw notConfigured();
    await this.deps.defense.consume('public-ip', ctx.meta.ip ?? 'unknown');
    const fail = (reason: string, detail: string, userId?: string): AppError => {
      this.deps.events.emit({
        type: 'auth.sso',
        outcome: 'failure',
        context: anonymousContext(ctx.meta),
        ...(userId ? { target: { type: 'user' as const, id: userId } } : {}),
        detail: { reason },
      });
      return ssoFailed(detail);
    };

    const row =
      cookie && /^[A-Za-z0-9_-]{43}$/.test(cookie)
        ? await this.deps.store.repos.challenges.take(secretHash(`oidc:${cookie}`))
        : undefined;
    if (!row || Date.parse(row.expires_at) <= this.deps.clock.now().getTime()) {
      throw fail('no-flow', 'This sign-in was not started in this browser, or it took too long; start again.');
    }
    const flow = JSON.parse(row.data) as FlowState;
    let claims: IdTokenClaims;
    try {
      claims = await oidc.exchange(callbackUrl, flow);
    } catch (err) {
      this.deps.logger.warn({ err }, 'OpenID Connect callback refused');
      throw fail('exchange-failed', 'The identity provider’s answer could not be verified; start again.');
    }
    const issuer = claims.iss;
    const located = await this.locateUser(issuer, claims, config);
    if ('reason' in located) throw fail(located.reason, located.detail);
    const { user, provisioned, linked } = located;
    if (user.status !== 'active' || (await this.deps.isIdle(user.id, ctx.meta))) {
      throw fail('disabled', 'Your Separ account is disabled; ask an administrator.', user.id);
    }
    if (provisioned) await this.syncRoles(user, claims, config, ctx.meta);
    await this.deps.store.repos.identities.touch(issuer, claims.sub, this.deps.clock.now().toISOString());

    const amr = listClaim(claims, 'amr');
    const acr = stringClaim(claims, 'acr');
    const mfaAtIdp = amr.some((a) => config.mfaAmr.includes(a)) || (acr !== null && config.mfaAcr.includes(acr));
    this.deps.events.emit({
      type: 'auth.sso',
      outcome: 'success',
      context: userContext(user.id, ctx.meta),
      target: { type: 'user', id: user.id },
      detail: { issuer, provisioned, linked, mfaAtIdp, amr, acr },
    });
    return this.deps.signIn.afterFirstFactor(user, mfaAtIdp ? 'sso-mfa' : 'sso', ctx);
  }

  /** The user for these claims: linked before, linked now by verified email, or created (JIT). */
  private async locateUser(
    issuer: string,
    claims: IdTokenClaims,
    config: OidcConfig,
  ): Promise<{ user: UserRow; provisioned: boolean; linked: boolean } | { reason: string; detail: string }> {
    const { identities, users } = this.deps.store.repos;
    const link = await identities.find(issuer, claims.sub);
    if (link) {
      const user = await users.findById(link.user_id);
      return user
        ? { user, provisioned: link.provisioned === 1, linked: false }
        : { reason: 'gone', detail: 'No account.' };
    }
    const parsed = parseEmail(stringClaim(claims, 'email') ?? '');
    if (!parsed.ok || claims.email_verified !== true) {
      return { reason: 'no-verified-email', detail: 'The identity provider did not share a verified email address.' };
    }
    const now = this.deps.clock.now().toISOString();
    const existing = await users.findByEmailLookup(emailLookupKey(parsed.value));
    if (existing) {
      await identities.insert({
        issuer,
        subject: claims.sub,
        user_id: existing.id,
        provisioned: 0,
        created_at: now,
        last_login_at: null,
      });
      return { user: existing, provisioned: false, linked: true };
    }
    if (!config.jit) {
      return { reason: 'no-account', detail: 'There is no Separ account for you yet; ask an administrator.' };
    }
    let name: string;
    try {
      name = checkDisplayText(
        'name',
        stringClaim(claims, 'name') ?? parsed.value.split('@')[0] ?? 'User',
        MAX_NAME_LENGTH,
      );
    } catch {
      name = parsed.value.split('@')[0] ?? 'User';
    }
    const roles = await this.mappedRoles(claims, config);
    const row: UserRow = {
      id: newId(this.deps.clock.now().getTime()),
      email: parsed.value,
      email_lookup: emailLookupKey(parsed.value),
      name,
      password_hash: null,
      status: 'active',
      must_change_password: 0,
      last_login_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
      status_changed_at: null,
      disabled_reason: null,
    };
    const created = await this.deps.store.transaction(async (tx) => {
      if ((await tx.users.insert(row)) === 'duplicate') return false;
      await tx.users.replaceRoles(row.id, roles);
      await tx.identities.insert({
        issuer,
        subject: claims.sub,
        user_id: row.id,
        provisioned: 1,
        created_at: now,
        last_login_at: null,
      });
      return true;
    });
    if (!created) return { reason: 'race', detail: 'Please try again.' };
    this.deps.events.emit({
      type: 'user.create',
      outcome: 'success',
      context: { actorId: null, actorType: 'system', ip: null, userAgent: 'sso', requestId: null },
      target: { type: 'user', id: row.id },
      detail: { roles, via: 'sso', issuer },
    });
    return { user: row, provisioned: true, linked: false };
  }

  private async mappedRoles(claims: IdTokenClaims, config: OidcConfig): Promise<string[]> {
    const groups = listClaim(claims, config.groupsClaim);
    const wanted = new Set<string>(config.defaultRoles);
    for (const g of groups) for (const r of config.roleMap[g] ?? []) wanted.add(r);
    const existing = await this.deps.store.repos.roles.existing([...wanted]);
    return [...wanted].filter((r) => existing.has(r)).sort();
  }

  /** Accounts SSO created follow the IdP's groups: a change of roles ends their other sessions. */
  private async syncRoles(user: UserRow, claims: IdTokenClaims, config: OidcConfig, meta: CallerMeta): Promise<void> {
    const roles = await this.mappedRoles(claims, config);
    const { users } = this.deps.store.repos;
    const before = await users.rolesOf(user.id);
    if (before.length === roles.length && before.every((r) => roles.includes(r))) return;
    const now = this.deps.clock.now().toISOString();
    const ended = await this.deps.store.transaction(async (tx) => {
      await tx.users.replaceRoles(user.id, roles);
      return tx.sessions.revokeAllForUser(user.id, now, 'roles-changed', null);
    });
    this.deps.events.emit({
      type: 'user.update',
      outcome: 'success',
      context: { ...userContext(user.id, meta), actorType: 'system' },
      target: { type: 'user', id: user.id },
      detail: { changed: ['roles'], rolesBefore: before, rolesAfter: roles, via: 'sso', endedSessions: ended },
    });
  }
}

import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { systemActor } from '../../src/security/access/actor.js';
import type { Identity } from '../../src/security/identity/index.js';
import { SESSION_COOKIE } from '../../src/http/auth.js';

/** What the helpers need of a harness (test/support/harness.ts `Harness` fits). */
export interface IdentityHarness {
  app: FastifyInstance;
  rt: { identity: Identity };
}

export interface TestUser {
  userId: string;
  email: string;
  password: string;
  token: string;
  headers: { authorization: string };
}

export interface TestSession {
  /** A Cookie header value: `__Host-separ_session=<token>`. */
  cookie: string;
  csrfToken: string;
}

let counter = 0;

/**
 * A strong password no policy rule refuses: random hex (no letters that could spell a name, an email or 'separ')
 * behind a fixed non-hex stem.
 */
export const strongPassword = (): string => `Kq!zW${randomBytes(12).toString('hex')}`;

/** Creates a user with the given roles (as the system actor) and an unscoped API token for them. */
export async function createUserWithToken(
  h: IdentityHarness,
  opts: { roles: string[]; email?: string; name?: string },
): Promise<TestUser> {
  counter++;
  const tag = randomBytes(3).toString('hex');
  const email = opts.email ?? `user${counter}.${tag}@example.test`;
  const name = opts.name ?? `Test Person ${counter}`;
  const password = strongPassword();
  const actor = systemActor('test');
  const user = await h.rt.identity.users.createUser(actor, { email, name, roles: opts.roles, password });
  const created = await h.rt.identity.tokens.createToken(actor, { userId: user.id, name: 'test token' });
  return {
    userId: user.id,
    email: user.email,
    password,
    token: created.token,
    headers: { authorization: `Bearer ${created.token}` },
  };
}

/** The `name=value` of the session cookie in a response's Set-Cookie headers, or undefined. */
export function sessionCookieFrom(setCookie: string | string[] | undefined): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  for (const c of all) {
    const first = c.split(';')[0] ?? '';
    if (first.startsWith(`${SESSION_COOKIE}=`) && first.length > SESSION_COOKIE.length + 1) return first;
  }
  return undefined;
}

/** Signs in through the API and returns the session cookie and CSRF token; throws when sign-in fails. */
export async function loginSession(h: IdentityHarness, email: string, password: string): Promise<TestSession> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookieFrom(res.headers['set-cookie']);
  if (!cookie) throw new Error('login set no session cookie');
  const body = JSON.parse(res.body) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

import { randomBytes } from 'node:crypto';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { systemActor } from '../../src/security/access/actor.js';
import type { Identity } from '../../src/security/identity/index.js';
import { SESSION_COOKIE } from '../../src/http/auth.js';
import { SoftAuthenticator } from './soft-authenticator.js';

/** What the helpers need of a harness (test/support/harness.ts `Harness` fits). */
export interface IdentityHarness {
  app: FastifyInstance;
  rt: { identity: Identity; config?: { publicUrl: string } };
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

export const DEVICE_COOKIE = '__Host-separ_device';
const ORIGIN = 'https://localhost:8443';

let counter = 0;

/**
 * A strong password no policy rule refuses: random hex (no letters that could spell a name, an email or 'separ')
 * behind a fixed non-hex stem.
 */
export const strongPassword = (): string => `Kq!zW${randomBytes(12).toString('hex')}`;

/**
 * Creates a user with the given roles (as the system actor) and an unscoped API token for them. The password is
 * the user's own (as after an invitation), so it need not change at first sign-in; MFA is enrolled on the first
 * `loginSession`.
 */
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
  const user = await h.rt.identity.users.createUser(actor, {
    email,
    name,
    roles: opts.roles,
    password,
    mustChangePassword: false,
  });
  const created = await h.rt.identity.tokens.createToken(actor, { userId: user.id, name: 'test token' });
  return {
    userId: user.id,
    email: user.email,
    password,
    token: created.token,
    headers: { authorization: `Bearer ${created.token}` },
  };
}

/** The `name=value` of a cookie in a response's Set-Cookie headers, or undefined. */
export function cookieFrom(setCookie: string | string[] | undefined, name: string): string | undefined {
  const all = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
  for (const c of all) {
    const first = c.split(';')[0] ?? '';
    if (first.startsWith(`${name}=`) && first.length > name.length + 1) return first;
  }
  return undefined;
}

/** The `name=value` of the session cookie in a response's Set-Cookie headers, or undefined. */
export const sessionCookieFrom = (setCookie: string | string[] | undefined): string | undefined =>
  cookieFrom(setCookie, SESSION_COOKIE);

/** Per app: each user's software passkey and browser device cookie (the owner's browser, in effect). */
interface Browser {
  authenticator: SoftAuthenticator;
  deviceCookie?: string;
}
const browsers = new WeakMap<FastifyInstance, Map<string, Browser>>();

/** The software authenticator and device cookie loginSession uses for `email` on this app. */
export function browserFor(h: IdentityHarness, email: string): Browser {
  let perApp = browsers.get(h.app);
  if (!perApp) {
    perApp = new Map();
    browsers.set(h.app, perApp);
  }
  const key = email.trim().toLowerCase();
  let b = perApp.get(key);
  if (!b) {
    b = { authenticator: new SoftAuthenticator({ origin: h.rt.config?.publicUrl ?? ORIGIN }) };
    perApp.set(key, b);
  }
  return b;
}

interface LoginAnswer {
  csrfToken: string;
  mfaRequired?: true;
  methods?: string[];
  setupRequired?: string[];
}

const fail = (what: string, res: LightMyRequestResponse): Error =>
  new Error(`loginSession: ${what} failed: ${res.statusCode} ${res.body}`);

/**
 * Signs in through the API the way the user's own browser would — password, then the second factor (a software
 * passkey, enrolled on first use when the account has no MFA yet) — and returns the session cookie and CSRF
 * token of the full session. Throws when any step fails.
 */
export async function loginSession(h: IdentityHarness, email: string, password: string): Promise<TestSession> {
  const browser = browserFor(h, email);
  const jar = (session?: string): Record<string, string> => ({
    cookie: [session, browser.deviceCookie].filter((c): c is string => c !== undefined).join('; '),
  });
  const post = (url: string, session: TestSession | undefined, payload?: unknown) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { ...jar(session?.cookie), ...(session ? { 'x-csrf-token': session.csrfToken } : {}) },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const advance = (res: LightMyRequestResponse, previous?: TestSession): TestSession => {
    const device = cookieFrom(res.headers['set-cookie'], DEVICE_COOKIE);
    if (device) browser.deviceCookie = device;
    const cookie = sessionCookieFrom(res.headers['set-cookie']) ?? previous?.cookie;
    if (!cookie) throw new Error('loginSession: no session cookie');
    return { cookie, csrfToken: (JSON.parse(res.body) as { csrfToken: string }).csrfToken };
  };

  const login = await post('/api/v1/auth/login', undefined, { email, password });
  if (login.statusCode !== 200) throw fail('login', login);
  let session = advance(login);
  let answer = JSON.parse(login.body) as LoginAnswer;

  if (answer.mfaRequired) {
    if (!answer.methods?.includes('webauthn') || browser.authenticator.credentials.length === 0) {
      throw new Error(`loginSession: cannot answer the second factor (${answer.methods?.join(', ') ?? ''})`);
    }
    const options = await post('/api/v1/auth/mfa/webauthn/options', session);
    if (options.statusCode !== 200) throw fail('MFA options', options);
    const credential = browser.authenticator.get(JSON.parse(options.body) as PublicKeyCredentialRequestOptionsJSON);
    const done = await post('/api/v1/auth/mfa/webauthn', session, { credential });
    if (done.statusCode !== 200) throw fail('MFA', done);
    session = advance(done, session);
    answer = JSON.parse(done.body) as LoginAnswer;
  }

  if (answer.setupRequired?.includes('mfa-enrolment')) {
    const options = await post('/api/v1/me/mfa/webauthn/register/options', session);
    if (options.statusCode !== 200) throw fail('passkey options', options);
    const credential = browser.authenticator.create(JSON.parse(options.body) as PublicKeyCredentialCreationOptionsJSON);
    const done = await post('/api/v1/me/mfa/webauthn/register', session, { credential, name: 'test passkey' });
    if (done.statusCode !== 200) throw fail('passkey registration', done);
    session = advance(done, session);
    answer = JSON.parse(done.body) as LoginAnswer;
  }
  if (answer.setupRequired && answer.setupRequired.length > 0) {
    throw new Error(`loginSession: the account still needs ${answer.setupRequired.join(', ')}`);
  }
  return session;
}

import type { LightMyRequestResponse } from 'fastify';
import type { TestSession } from '../support/identity.js';

export const API = '/api/v1';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
}

export const body = <T>(res: LightMyRequestResponse): T => JSON.parse(res.body) as T;
export const problem = (res: LightMyRequestResponse): ProblemBody => body<ProblemBody>(res);

/** Headers of a browser request on a session: the cookie, and the CSRF token echoed for state changes. */
export const sessionHeaders = (s: TestSession): Record<string, string> => ({
  cookie: s.cookie,
  'x-csrf-token': s.csrfToken,
});

/** Set-Cookie headers of a response as a list. */
export function setCookies(res: LightMyRequestResponse): string[] {
  const v = res.headers['set-cookie'];
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const SESSION_COOKIE_NAME = '__Host-separ_session';
export const DEVICE_COOKIE_NAME = '__Host-separ_device';

/** The `name=value` of `name` in a response's Set-Cookie headers, or undefined. */
export function cookieOf(res: LightMyRequestResponse, name: string): string | undefined {
  for (const c of setCookies(res)) {
    const first = c.split(';')[0] ?? '';
    if (first.startsWith(`${name}=`) && first.length > name.length + 1) return first;
  }
  return undefined;
}

/** A step of sign-in as the browser holds it: the session cookie and CSRF token of the answer. */
export function stepSession(res: LightMyRequestResponse, previous?: TestSession): TestSession {
  const cookie = cookieOf(res, SESSION_COOKIE_NAME) ?? previous?.cookie;
  if (!cookie) throw new Error(`no session cookie in ${res.statusCode} ${res.body}`);
  const csrfToken = body<{ csrfToken?: string }>(res).csrfToken;
  if (csrfToken === undefined) throw new Error(`no CSRF token in ${res.statusCode} ${res.body}`);
  return { cookie, csrfToken };
}

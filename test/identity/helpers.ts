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

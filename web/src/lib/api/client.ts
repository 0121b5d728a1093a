import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, toProblem } from './problem';

/**
 * The one HTTP client of the web app, typed from the OpenAPI document. The session lives in an
 * HttpOnly `__Host-` cookie the script never sees; the CSRF token lives in memory only (never in
 * storage) and goes out as X-CSRF-Token on every state-changing request.
 */
let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * Step-up rotates the session (new cookie, new CSRF token) for every tab of this browser; the tab that stepped up
 * tells the others over a same-origin channel, so their next write does not fail the CSRF check.
 */
const sessionChannel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('separ-session');
sessionChannel?.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (typeof e.data === 'object' && e.data !== null && 'csrfToken' in e.data && typeof e.data.csrfToken === 'string')
    csrfToken = e.data.csrfToken;
});

/** A new session after step-up: use its CSRF token here and in this browser's other tabs. */
export function adoptRotatedSession(token: string): void {
  csrfToken = token;
  sessionChannel?.postMessage({ csrfToken: token });
}

/** Called when the API says the session is gone (expired, revoked elsewhere). */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A 401 that means the session is gone — not one asking to confirm identity for a sensitive action
 * (step-up answers 401 with `WWW-Authenticate: … error="insufficient_user_authentication"`; the session lives on).
 */
const sessionGone = (res: Response): boolean =>
  res.status === 401 && !(res.headers.get('www-authenticate') ?? '').includes('insufficient_user_authentication');

const session: Middleware = {
  onRequest({ request }) {
    if (!SAFE.has(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    if (sessionGone(response) && !request.url.endsWith('/auth/login')) {
      for (const l of unauthenticatedListeners) l();
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(session);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer, or an ApiError built from its problem+json body. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'The server could not be reached.' });
  }
  if (!result.response.ok || result.error !== undefined) {
    throw new ApiError(result.response.status, toProblem(result.error));
  }
  return result.data as T;
}

/**
 * A call to an endpoint the API contract names but this server's OpenAPI document does not have yet
 * (MFA, reveal, audit). Same session, CSRF and error handling as the typed client; callers only reach
 * it after feature detection says the path exists (or the server asked for it, like an MFA step).
 */
export async function callContract<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'The server could not be reached.' });
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : null;
  } catch {
    parsed = null;
  }
  if (!res.ok) {
    if (sessionGone(res)) for (const l of unauthenticatedListeners) l();
    throw new ApiError(res.status, toProblem(parsed));
  }
  return parsed as T;
}

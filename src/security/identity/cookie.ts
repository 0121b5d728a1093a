import type { CookieSerializeOptions } from '@fastify/cookie';

/**
 * `__Host-` cookie: Secure, Path=/, no Domain (bound to this exact host). No Max-Age or Expires: the browser
 * forgets it when it closes, and the server ends it at the idle or absolute timeout anyway.
 */
export const SESSION_COOKIE_OPTIONS: CookieSerializeOptions = {
  path: '/',
  secure: true,
  httpOnly: true,
  sameSite: 'strict',
};

export const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

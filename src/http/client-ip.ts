import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * What a client whose forwarded address cannot be read is taken to be: the unspecified address. It matches no IP
 * allowlist but one that admits every address, shares one login-limit bucket with every other such client (never
 * the proxy's, or everyone behind the proxy would share it with them), and reads as "unknown" in the audit trail.
 */
export const UNREADABLE_CLIENT = '0.0.0.0';

/** A forwarded address as some proxies write it — with a port (`ip:port`, `[v6]:port`) or in brackets — bare. */
function bare(value: string): string {
  const v = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(v);
  if (bracketed?.[1]) return bracketed[1];
  const v4port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(v);
  return v4port?.[1] ?? v;
}

/**
 * The client's address as Separ records and judges it (IP allowlists, login limits, known networks, the audit
 * trail): the one trusted proxies forwarded (SEPAR_TRUST_PROXY), or the peer's when none are trusted. A forwarded
 * value that is no address even without its port is not believed, and the client is not taken to be the proxy
 * either (that would let it through an allowlist of the proxy's network): it is UNREADABLE_CLIENT.
 */
export function clientIp(req: FastifyRequest): string {
  const ip = req.ip;
  if (isIP(ip) !== 0) return ip;
  const stripped = bare(ip);
  return isIP(stripped) !== 0 ? stripped : UNREADABLE_CLIENT;
}

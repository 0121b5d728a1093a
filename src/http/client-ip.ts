import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * The client's address as Separ records and judges it (IP allowlists, login limits, known networks, the audit
 * trail): the one trusted proxies forwarded (SEPAR_TRUST_PROXY), or the peer's. A forwarded value that is not an
 * address (a proxy passing on whatever a client wrote) is not believed: the peer's address stands instead.
 */
export function clientIp(req: FastifyRequest): string {
  const ip = req.ip;
  return isIP(ip) !== 0 ? ip : (req.socket.remoteAddress ?? '');
}

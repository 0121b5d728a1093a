import { isIP } from 'node:net';

function expandIpv6(ip: string): number[] | null {
  const [head = '', tail, ...rest] = ip.split('::');
  if (rest.length > 0) return null;
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? h : [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * The network an address belongs to, coarse enough that a user's home or office stays one network:
 * IPv4 /24, IPv6 /48 (IPv4-mapped IPv6 counts as IPv4). Null for anything that is not an IP address.
 */
export function networkOf(ip: string | null): string | null {
  if (!ip) return null;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;
  if (isIP(v4) === 4) {
    const [a, b, c] = v4.split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  if (isIP(ip) === 6) {
    const groups = expandIpv6(ip.split('%')[0] ?? ip);
    if (!groups) return null;
    return `${groups
      .slice(0, 3)
      .map((g) => g.toString(16))
      .join(':')}::/48`;
  }
  return null;
}

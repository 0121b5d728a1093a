import { isIP } from 'node:net';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { maskCardNumbersInText } from './formats/index.js';

export type { Logger };

/**
 * Paths that must never reach a log: credentials, tokens, cookies, and the personal fields of the
 * registry (which are encrypted at rest; a log line must not undo that).
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'currentPassword',
  '*.currentPassword',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.email',
  '*.phone',
  '*.nationalId',
  '*.birthDate',
  '*.address',
  '*.paymentCard',
];

/**
 * Invisible characters that change how the text around them is shown, or hide text: bidirectional embeddings,
 * overrides and isolates (U+202A–E, U+2066–9), direction marks (U+200E/F, U+061C), the zero-width space, word joiner
 * and the rest of the U+2060–206F block, the soft hyphen and combining grapheme joiner (U+00AD, U+034F), the
 * Mongolian vowel separator (U+180E), blank-looking fillers (U+115F/1160, U+3164, U+FFA0), interlinear annotation
 * marks (U+FFF9–B), the BOM (U+FEFF), musical formatting (U+1D173–A) and tag characters (U+E0000–7F, which can carry
 * invisible text). In a log line or a SIEM console they can make an entry read as something else
 * ("Acme \u202Egnp.exe"). ZWNJ and ZWJ (U+200C/D) stay: Persian words and emoji need them, and they reorder nothing.
 */
export const isDisplayControl = (c: number): boolean =>
  c === 0x00ad ||
  c === 0x034f ||
  c === 0x061c ||
  c === 0x115f ||
  c === 0x1160 ||
  c === 0x180e ||
  c === 0x200b ||
  c === 0x200e ||
  c === 0x200f ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2060 && c <= 0x206f) ||
  c === 0x3164 ||
  c === 0xfeff ||
  c === 0xffa0 ||
  (c >= 0xfff9 && c <= 0xfffb) ||
  (c >= 0x1d173 && c <= 0x1d17a) ||
  (c >= 0xe0000 && c <= 0xe007f);

/** Escape control characters so user input can never forge or split a log line, nor disguise one. */
export function escapeControl(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || isDisplayControl(c);
    // Beyond U+FFFF in braces: `\\ue0041` would read as U+E004 followed by "1".
    out += !control ? ch : c > 0xffff ? `\\u{${c.toString(16)}}` : `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/**
 * A URL as a log line shows it: the path, and of the query only the names. Query values are what people look
 * customers up by (`?email=`, `?phone=`, `?nationalId=`, a card number typed into `?q=`) — personal data that is
 * encrypted at rest must not come back through the request log (debug/trace level).
 */
export function urlForLog(url: string): string {
  const q = url.indexOf('?');
  const names =
    q < 0
      ? []
      : url
          .slice(q + 1)
          .split('&')
          .filter((p) => p !== '')
          .map((p) => `${p.split('=')[0] ?? ''}=…`);
  const kept = q < 0 ? url : `${url.slice(0, q)}?${names.join('&')}`;
  // A card number can still come as a path segment or a parameter's name (`/contacts/4111…`, `?4111…`).
  return escapeControl(maskCardNumbersInText(kept).text);
}

interface LoggedRequest {
  method?: unknown;
  url?: unknown;
  id?: unknown;
  ip?: unknown;
}

/** The request of Fastify's request log lines ("incoming request"): method, id, client address and urlForLog. */
function requestSerializer(req: LoggedRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? urlForLog(req.url) : undefined,
    id: req.id,
    // What a trusted proxy forwarded is logged only when it is an address (http/client-ip.ts).
    remoteAddress: typeof req.ip === 'string' && isIP(req.ip) !== 0 ? req.ip : undefined,
  };
}

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: requestSerializer },
    base: { service: 'separ' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

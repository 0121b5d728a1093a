import { hostname } from 'node:os';
import { canonicalEntry, type AuditEntry } from '../canonical.js';

export type SiemFormat = 'rfc5424' | 'cef' | 'json';

/**
 * SIEM message formats. Every message carries the entry's sequence number and leaf hash, so a SIEM can
 * drop the duplicates at-least-once delivery may produce and tie what it holds to the signed log.
 *
 * - rfc5424: RFC 5424 syslog, facility 13 (log audit), severity informational (success) or warning
 *   (failure), MSGID = action, structured data `[separ@32473 …]` (32473: the documentation enterprise
 *   number of RFC 5612), MSG = BOM + the canonical entry JSON (the exact bytes the leaf hashes).
 * - cef: ArcSight CEF:0 in the MSG of the same syslog header.
 * - json: one line `{"hash":"…","entry":{…canonical entry…}}`.
 *
 * Over tcp:// and tls:// syslog messages are framed by octet counting (RFC 6587 §3.4.1); JSON lines end in
 * a newline. Entry strings never contain control characters (canonical.ts escapes them), so no input can
 * start a new message.
 */

const FACILITY_LOG_AUDIT = 13;
const SD_ID = 'separ@32473';
const BOM = '\uFEFF';
const VERSION = '0.1.0';

const printAscii = (s: string, max: number): string => {
  const clean = s.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean === '' ? '-' : clean;
};

const HOST = printAscii(hostname(), 255);

/** RFC 5424 §6.3.3: inside PARAM-VALUE, '"', '\' and ']' are escaped with a backslash. */
const sdValue = (s: string): string => s.replace(/["\\\]]/g, (c) => `\\${c}`);

function header(e: AuditEntry): string {
  const pri = FACILITY_LOG_AUDIT * 8 + (e.outcome === 'failure' ? 4 : 6);
  return `<${pri}>1 ${e.at} ${HOST} separ ${process.pid} ${printAscii(e.action, 32)}`;
}

function structuredData(e: AuditEntry): string {
  const params: [string, string | null][] = [
    ['seq', String(e.seq)],
    ['hash', e.hash],
    ['outcome', e.outcome],
    ['actorType', e.actorType],
    ['actorId', e.actorId],
    ['targetType', e.targetType],
    ['targetId', e.targetId],
    ['ip', e.ip],
    ['requestId', e.requestId],
  ];
  return `[${SD_ID}${params
    .filter((p): p is [string, string] => p[1] !== null)
    .map(([k, v]) => ` ${k}="${sdValue(v)}"`)
    .join('')}]`;
}

export function rfc5424(e: AuditEntry): string {
  return `${header(e)} ${structuredData(e)} ${BOM}${canonicalEntry(e)}`;
}

const cefHeader = (s: string): string => s.replace(/[\\|]/g, (c) => `\\${c}`);
const cefValue = (s: string): string => s.replace(/[\\=]/g, (c) => `\\${c}`);

export function cef(e: AuditEntry): string {
  const ext: [string, string | null][] = [
    ['rt', String(Date.parse(e.at))],
    ['act', e.action],
    ['outcome', e.outcome],
    ['suser', e.actorId],
    ['cs1Label', 'actorType'],
    ['cs1', e.actorType],
    ['src', e.ip],
    ['requestClientApplication', e.userAgent],
    ['cs2Label', 'targetType'],
    ['cs2', e.targetType],
    ['cs3Label', 'targetId'],
    ['cs3', e.targetId],
    ['cs4Label', 'requestId'],
    ['cs4', e.requestId],
    ['cs5Label', 'hash'],
    ['cs5', e.hash],
    ['externalId', String(e.seq)],
    ['msg', e.detail],
  ];
  const severity = e.outcome === 'failure' ? 7 : 3;
  const body = `CEF:0|Separ|Separ|${VERSION}|${cefHeader(e.action)}|${cefHeader(e.action)}|${severity}|${ext
    .filter((p): p is [string, string] => p[1] !== null)
    .map(([k, v]) => `${k}=${cefValue(v)}`)
    .join(' ')}`;
  return `${header(e)} ${structuredData(e)} ${body}`;
}

export function jsonLine(e: AuditEntry): string {
  return `{"hash":"${e.hash}","entry":${canonicalEntry(e)}}`;
}

export function formatEntry(format: SiemFormat, e: AuditEntry): string {
  switch (format) {
    case 'rfc5424':
      return rfc5424(e);
    case 'cef':
      return cef(e);
    case 'json':
      return jsonLine(e);
  }
}

/** The bytes on a stream transport: octet counting for syslog, newline-terminated for JSON lines. */
export function frame(format: SiemFormat, message: string): Buffer {
  if (format === 'json') return Buffer.from(`${message}\n`);
  const body = Buffer.from(message);
  return Buffer.concat([Buffer.from(`${body.length} `), body]);
}

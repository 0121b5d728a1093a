import { escapeControl } from '../../platform/logger.js';
import { maskCardNumbersInText } from '../../platform/formats/index.js';

/**
 * The exact bytes an audit entry is hashed over, and the clean-up every value gets before it becomes
 * one. Every string is made well-formed UTF-16 (lone surrogates → U+FFFD, which is what UTF-8 storage
 * would do anyway) and has its control characters escaped (`\u000a` as six visible characters), so user
 * input can never split or forge an entry in any output (syslog, CEF, a terminal). Card numbers in free
 * text are masked; credentials are never kept.
 */

export type AuditActorType = 'user' | 'token' | 'system' | 'anonymous';
export type AuditOutcome = 'success' | 'failure';

export interface AuditRef {
  type: string;
  id: string;
}

/** What a caller hands to the audit service. */
export interface AuditInput {
  at: string;
  actor: { type: AuditActorType; id: string | null };
  action: string;
  target: AuditRef | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  detail: Record<string, unknown>;
  /** Ids of further records the entry is about ("who accessed this"), besides the target. */
  refs?: readonly string[];
}

/**
 * An input whose clean-up and canonical form are left to where the log is appended (the audit append thread,
 * ADR 0012): only for inputs of plain data — strings, numbers, arrays, plain objects — which cross threads
 * unchanged.
 */
export interface UnpreparedEntry {
  readonly unprepared: AuditInput;
}

/** What the log appends: entries prepared here, or inputs to prepare where it appends them. */
export type LogItem = PreparedEntry | UnpreparedEntry;

export const preparedOf = (item: LogItem): PreparedEntry => ('unprepared' in item ? prepare(item.unprepared) : item);

/** An entry after clean-up, before it has a place in the log. `detail` is canonical JSON text. */
export interface PreparedEntry {
  at: string;
  actorType: AuditActorType;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  detail: string;
  /** Record ids to index for "who accessed this" (the target's included), cleaned, each once. */
  refs: string[];
}

/** An entry in the log. */
export interface AuditEntry extends Omit<PreparedEntry, 'refs'> {
  seq: number;
  /** Leaf hash (hex) of the previous entry; 64 zeros for the first. */
  prev: string;
  /** RFC 6962 leaf hash (hex) of `canonicalEntry(this)`. */
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
export const CANONICAL_VERSION = 1;

const MAX_STRING = 4096;
const MAX_SHORT = 512;
const MAX_ARRAY = 1000;
const MAX_DEPTH = 8;
const MAX_DETAIL_BYTES = 64 * 1024;
/** Longest record id an entry indexes ("who accessed this"). */
const MAX_REF = 200;

/** Keys whose values are credentials: never kept, whatever an emitter puts there. */
const SECRET_KEYS = new Set(
  [
    'password',
    'currentpassword',
    'newpassword',
    'passphrase',
    'secret',
    'token',
    'accesstoken',
    'refreshtoken',
    'idtoken',
    'cookie',
    'authorization',
    'csrftoken',
    'otp',
    'totp',
    'recoverycode',
    'cvv',
    'cvc',
    'pin',
  ].map((k) => k.toLowerCase()),
);

/** Keys that need no cleaning (the usual identifiers). */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

const HEX = /^[0-9a-fA-F]+$/;
/** 1 for the code units of hex digits. */
const HEX_DIGIT = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEF') HEX_DIGIT[c.charCodeAt(0)] = 1;

/** 8-4-4-4-12 hex digits. A loop: half the time of the equivalent regular expression, and a list page has 100. */
function isUuid(s: string): boolean {
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 0x2d) return false;
    } else if (c > 0x7f || HEX_DIGIT[c] !== 1) return false;
  }
  return true;
}

/** Hashes and UUIDs: nothing to escape, and digits in them are not card numbers (masking would corrupt them). */
const isOpaqueId = (s: string): boolean => (s.length === 36 ? isUuid(s) : s.length >= 32 && HEX.test(s));

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const span = (from: number, to: number): string => `${String.fromCharCode(from)}-${String.fromCharCode(to)}`;
/**
 * Anything that needs work: control characters (C0, DEL, C1), separators U+2028/9, the invisible characters that
 * reorder or hide text (escapeControl's isDisplayControl), surrogates (maybe lone).
 */
const NEEDS_ESCAPE = new RegExp(
  `[${span(0x00, 0x1f)}${span(0x7f, 0x9f)}\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200e\u200f` +
    `\u2028\u2029${span(0x202a, 0x202e)}${span(0x2060, 0x206f)}\u3164\ufeff\uffa0${span(0xfff9, 0xfffb)}` +
    // Surrogates: any character beyond U+FFFF (tag characters and musical formatting among them), and lone halves.
    `\ud800-\udfff]`,
);

/** The first `max` code units, without half a surrogate pair at the end. */
function truncate(s: string, max: number): string {
  const last = s.charCodeAt(max - 1);
  return `${s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max)}…[truncated]`;
}

/** Well-formed, control characters escaped, card numbers masked, at most `max` characters. */
export function cleanString(s: string, max = MAX_STRING): string {
  const opaque = isOpaqueId(s);
  if (opaque && s.length <= max) return s; // ids and hashes: nothing to clean
  // Card numbers first: escaping a control character next to one writes hex digits (`\u0009`) that would join
  // its first group and hide it from the scan.
  let out = opaque ? s : maskCardNumbersInText(s).text;
  if (NEEDS_ESCAPE.test(out)) out = escapeControl(out.replace(LONE_SURROGATE, '\uFFFD'));
  return out.length > max ? truncate(out, max) : out;
}

const cleanOptional = (s: string | null | undefined, max = MAX_SHORT): string | null =>
  s === null || s === undefined ? null : cleanString(s, max);

/** Needs more than quotes as a JSON string: quote, backslash, control characters, surrogates (maybe lone). */
const NOT_PLAIN_JSON = new RegExp(`["\\\\${span(0x00, 0x1f)}\ud800-\udfff]`);
/** Exactly JSON.stringify(s), without the call for the usual string that needs nothing escaped. */
const jsonString = (s: string): string => (NOT_PLAIN_JSON.test(s) ? JSON.stringify(s) : `"${s}"`);

/**
 * JSON text of a detail string, cleaned. Record ids need neither cleaning nor escaping; other short strings of a
 * detail repeat from entry to entry (field names, object names, reasons) and are cleaned once.
 */
const shortForms = new Map<string, string>();
function stringJson(s: string): string {
  if (s.length === 36 && isUuid(s)) return `"${s}"`;
  if (s.length > 64) return jsonString(cleanString(s));
  let text = shortForms.get(s);
  if (text === undefined) {
    text = jsonString(cleanString(s));
    if (shortForms.size >= 4096) shortForms.clear();
    shortForms.set(s, text);
  }
  return text;
}

/** An object key as it appears in the detail (JSON text), and whether its value is a credential. */
interface KeyForm {
  text: string;
  /** The text is the key in quotes: no other key can clean to the same text. */
  plain: boolean;
  secret: boolean;
}
/** Detail keys repeat from entry to entry (`object`, `reads`, `fields`, `ids` …): each is cleaned once. */
const keyForms = new Map<string, KeyForm>();
function keyForm(key: string): KeyForm {
  let form = keyForms.get(key);
  if (form === undefined) {
    const text = jsonString(PLAIN_KEY.test(key) ? key : cleanString(key, 128));
    form = { text, plain: text === `"${key}"`, secret: key.length <= 15 && SECRET_KEYS.has(key.toLowerCase()) };
    if (keyForms.size >= 4096) keyForms.clear();
    keyForms.set(key, form);
  }
  return form;
}

/**
 * Canonical JSON text of a value: object keys sorted by UTF-16 code unit, no whitespace, clean strings;
 * anything JSON has no form for becomes a string or is dropped (`undefined` in an array: null). Written as
 * text directly (building a cleaned copy and serialising it cost more).
 */
function canonicalJson(v: unknown, depth: number): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return stringJson(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? String(v) : jsonString(String(v));
    case 'bigint':
      return jsonString(v.toString());
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      break;
  }
  if (depth >= MAX_DEPTH) return '"[too deep]"';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'null' : jsonString(v.toISOString());
  if (Buffer.isBuffer(v)) return jsonString(v.toString('base64'));
  if (Array.isArray(v)) {
    const n = Math.min(v.length, MAX_ARRAY);
    let out = '[';
    for (let i = 0; i < n; i++) out += `${i > 0 ? ',' : ''}${canonicalJson(v[i], depth + 1) ?? 'null'}`;
    if (v.length > MAX_ARRAY) out += `${n > 0 ? ',' : ''}"[${v.length - MAX_ARRAY} more]"`;
    return `${out}]`;
  }
  const keys = Object.keys(v).sort();
  const forms = keys.map(keyForm);
  // Two keys that clean to the same text (one with a control character, one already escaped): the first stays.
  const emitted = forms.every((f) => f.plain) ? null : new Set<string>();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const form = forms[i] as KeyForm;
    const value = (v as Record<string, unknown>)[keys[i] as string];
    const text = form.secret
      ? value === undefined || value === null
        ? undefined
        : '"[redacted]"'
      : canonicalJson(value, depth + 1);
    if (text === undefined || emitted?.has(form.text)) continue;
    emitted?.add(form.text);
    out += `${out.length > 1 ? ',' : ''}${form.text}:${text}`;
  }
  return `${out}}`;
}

/**
 * Canonical JSON text of a detail object. Stored as is and embedded verbatim in the entry bytes, so nothing
 * ever has to re-serialise it the same way.
 */
export function canonicalDetail(detail: Record<string, unknown>): string {
  let text = canonicalJson(detail, 0) ?? '{}';
  if (Buffer.byteLength(text) > MAX_DETAIL_BYTES) {
    text = JSON.stringify({
      truncated: true,
      keys: Object.keys(detail)
        .sort()
        .slice(0, 100)
        .map((k) => cleanString(k)),
    });
  }
  return text;
}

/** Already what toISOString() gives (what every emitter sends): kept as is. */
const ISO_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

function canonicalTime(at: string): string {
  if (ISO_UTC.test(at)) return at;
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? new Date().toISOString() : d.toISOString();
}

const ACTOR_TYPES: readonly AuditActorType[] = ['user', 'token', 'system', 'anonymous'];

export function prepare(input: AuditInput): PreparedEntry {
  const refs = new Set<string>();
  if (input.target && typeof input.target.id === 'string' && input.target.id !== '') {
    refs.add(cleanString(input.target.id, MAX_REF));
  }
  for (const id of input.refs ?? []) if (typeof id === 'string' && id !== '') refs.add(cleanString(id, MAX_REF));
  return {
    at: canonicalTime(input.at),
    actorType: ACTOR_TYPES.includes(input.actor.type) ? input.actor.type : 'anonymous',
    actorId: cleanOptional(input.actor.id, MAX_REF),
    action: cleanString(input.action, 128),
    targetType: input.target ? cleanString(input.target.type, 64) : null,
    targetId: input.target ? cleanString(input.target.id, MAX_REF) : null,
    outcome: input.outcome === 'failure' ? 'failure' : 'success',
    ip: cleanOptional(input.ip, 64),
    userAgent: cleanOptional(input.userAgent, MAX_SHORT),
    requestId: cleanOptional(input.requestId, 200),
    detail: canonicalDetail(input.detail),
    refs: [...refs],
  };
}

/** JSON text of a field that changes every entry (time, target, request id, previous hash). */
const q = (s: string | null): string => (s === null ? 'null' : jsonString(s));

/**
 * JSON text of a value that repeats from entry to entry (actor, action, address, user agent): remembered,
 * since rebuilding a million entries (verification) would otherwise escape the same few strings a million times.
 */
const quoted = new Map<string, string>();
function qc(s: string | null): string {
  if (s === null) return 'null';
  let out = quoted.get(s);
  if (out === undefined) {
    out = JSON.stringify(s);
    if (quoted.size >= 4096) quoted.clear();
    quoted.set(s, out);
  }
  return out;
}

/**
 * The bytes a leaf hashes (UTF-8 of this text). Fixed key order, no whitespace; the detail is embedded
 * verbatim. The previous entry's hash is inside, so the leaves form a hash chain as well as a Merkle tree.
 *
 * {"v":1,"seq":N,"at":"…","actor":{"type":"…","id":…},"action":"…","target":{"type":"…","id":"…"}|null,
 *  "outcome":"success|failure","ip":…,"ua":…,"rid":…,"detail":{…},"prev":"<hex>"}
 */
export function canonicalEntry(e: Omit<AuditEntry, 'hash'>): string {
  return canonicalFields(
    e.seq,
    e.at,
    e.actorType,
    e.actorId,
    e.action,
    e.targetType,
    e.targetId,
    e.outcome,
    e.ip,
    e.userAgent,
    e.requestId,
    e.detail,
    e.prev,
  );
}

/** The same bytes from loose fields (verification reads rows without building entry objects). */
export function canonicalFields(
  seq: number,
  at: string,
  actorType: string,
  actorId: string | null,
  action: string,
  targetType: string | null,
  targetId: string | null,
  outcome: string,
  ip: string | null,
  userAgent: string | null,
  requestId: string | null,
  detail: string,
  prev: string,
): string {
  const target = targetType === null || targetId === null ? 'null' : `{"type":${qc(targetType)},"id":${q(targetId)}}`;
  return (
    `{"v":${CANONICAL_VERSION},"seq":${seq},"at":${q(at)},"actor":{"type":${qc(actorType)},"id":${qc(actorId)}}` +
    `,"action":${qc(action)},"target":${target},"outcome":${qc(outcome)},"ip":${qc(ip)},"ua":${qc(userAgent)}` +
    `,"rid":${q(requestId)},"detail":${detail},"prev":${q(prev)}}`
  );
}

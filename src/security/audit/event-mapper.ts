import type { SeparEvent } from '../../platform/events.js';
import type { AuditInput } from './canonical.js';

/**
 * A bus event as an audit input. Every event on the bus is recorded: the bus exists for what must leave
 * evidence. Reads that name several records (`record.sensitive_read` from a list: `reads` grouped as
 * `[{fields, masked, ids}]`) index each record read, so "who accessed this" finds them — the verifier checks the
 * index against exactly these `reads[].ids`.
 */
export function inputFromEvent(e: SeparEvent): AuditInput {
  const detail = e.detail ?? {};
  const refs: string[] = [];
  const object = typeof detail.object === 'string' ? detail.object : e.target?.type;
  if (object && Array.isArray(detail.reads)) {
    for (const group of detail.reads as unknown[]) {
      const ids = (group as { ids?: unknown } | null)?.ids;
      if (!Array.isArray(ids)) continue;
      for (const id of ids as unknown[]) if (typeof id === 'string') refs.push(id);
    }
  }
  return {
    at: e.at,
    actor: { type: e.context.actorType, id: e.context.actorId },
    action: e.type,
    target: e.target ? { type: e.target.type, id: e.target.id } : null,
    outcome: e.outcome,
    ip: e.context.ip,
    userAgent: e.context.userAgent,
    requestId: e.context.requestId,
    detail,
    refs,
  };
}

const isStrings = (xs: unknown): xs is string[] => Array.isArray(xs) && xs.every((x) => typeof x === 'string');

const GROUP_KEYS = ['fields', 'masked', 'ids'];

/**
 * A copy of one `reads` group when it is exactly `{fields, masked, ids}` of string arrays, as plain enumerable data
 * properties (no getter, no hidden key: what is checked is what is copied, and what the event loop would have
 * logged); null otherwise.
 */
function plainGroup(g: unknown): Record<string, string[]> | null {
  if (g === null || typeof g !== 'object' || Object.getPrototypeOf(g) !== Object.prototype) return null;
  if (Object.getOwnPropertySymbols(g).length > 0) return null;
  const names = Object.getOwnPropertyNames(g);
  if (names.length !== GROUP_KEYS.length || !GROUP_KEYS.every((k) => names.includes(k))) return null;
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const p = Object.getOwnPropertyDescriptor(g, name);
    // The copy is what is checked (an array's elements are read once).
    const copy: unknown = p?.enumerable && Array.isArray(p.value) ? [...(p.value as unknown[])] : null;
    if (!isStrings(copy)) return null;
    out[name] = copy;
  }
  return out;
}

/**
 * The input of a read event as a fresh copy, when its detail is exactly what `RecordEvents` builds — `{ object,
 * reads: [{ fields, masked, ids }] }`, strings only — so it may be prepared later on the audit append thread: nothing
 * in it fails to cross threads or changes on the way, and nothing the emitter does after emitting changes what is
 * logged. Anything else (another shape, another type of value) answers null and is prepared at once, here.
 */
export function plainReadInput(input: AuditInput): AuditInput | null {
  const d = input.detail;
  const keys = Object.keys(d);
  if (keys.length !== 2 || typeof d.object !== 'string' || !Array.isArray(d.reads)) return null;
  const reads: Record<string, string[]>[] = [];
  for (const g of d.reads as unknown[]) {
    const group = plainGroup(g);
    if (!group) return null;
    reads.push(group);
  }
  const strOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
  if (
    typeof input.at !== 'string' ||
    typeof input.action !== 'string' ||
    !strOrNull(input.actor.id) ||
    !strOrNull(input.ip) ||
    !strOrNull(input.userAgent) ||
    !strOrNull(input.requestId) ||
    (input.target !== null && (typeof input.target.type !== 'string' || typeof input.target.id !== 'string'))
  ) {
    return null;
  }
  return {
    ...input,
    actor: { ...input.actor },
    target: input.target ? { ...input.target } : null,
    detail: { object: d.object, reads },
    refs: [...(input.refs ?? [])],
  };
}

import type { SeparEvent } from '../../platform/events.js';
import type { AuditInput } from './canonical.js';

/**
 * A bus event as an audit input. Every event on the bus is recorded: the bus exists for what must leave
 * evidence. Reads that name several records (`record.sensitive_read` from a list: `reads` grouped as
 * `[{fields, masked?, ids}]`) index each record read, so "who accessed this" finds them — the verifier checks the
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

/**
 * The input of a read event as a fresh copy, when its detail is exactly what `RecordEvents` builds — `{ object,
 * reads: [{ fields, masked?, ids }] }`, strings only — so it may be prepared later on the audit append thread: nothing in
 * it fails to cross threads or changes on the way, and nothing the emitter does after emitting changes what is
 * logged. Anything else (another shape, another type of value) answers null and is prepared at once, here.
 */
export function plainReadInput(input: AuditInput): AuditInput | null {
  const d = input.detail;
  const keys = Object.keys(d);
  if (keys.length !== 2 || typeof d.object !== 'string' || !Array.isArray(d.reads)) return null;
  const reads: ({ fields: string[]; ids: string[] } | { fields: string[]; masked: string[]; ids: string[] })[] = [];
  for (const g of d.reads as unknown[]) {
    if (g === null || typeof g !== 'object' || Object.getPrototypeOf(g) !== Object.prototype) return null;
    const { fields, masked, ids } = g as { fields?: unknown; masked?: unknown; ids?: unknown };
    if (!isStrings(fields) || !isStrings(ids)) return null;
    const n = Object.keys(g).length;
    if (n === 2 && masked === undefined) reads.push({ fields: [...fields], ids: [...ids] });
    else if (n === 3 && isStrings(masked)) reads.push({ fields: [...fields], masked: [...masked], ids: [...ids] });
    else return null;
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

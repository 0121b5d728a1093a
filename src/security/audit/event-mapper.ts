import type { SeparEvent } from '../../platform/events.js';
import type { AuditInput } from './canonical.js';

/**
 * A bus event as an audit input. Every event on the bus is recorded: the bus exists for what must leave
 * evidence. Reads that name several records (`record.sensitive_read` from a list: `reads` grouped as
 * `[{fields, ids}]`) index each record read, so "who accessed this" finds them — the verifier checks the
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

import type { SeparEvent } from '../../platform/events.js';
import type { AuditInput, AuditRef } from './canonical.js';

/**
 * A bus event as an audit input. Every event on the bus is recorded: the bus exists for what must leave
 * evidence. Reads that name several records (`record.sensitive_read` from a list) index each record read,
 * so "who accessed this" finds them.
 */
export function inputFromEvent(e: SeparEvent): AuditInput {
  let detail = e.detail ?? {};
  const refs: AuditRef[] = [];
  const object = typeof detail.object === 'string' ? detail.object : e.target?.type;
  if (object && Array.isArray(detail.reads)) {
    for (const r of detail.reads as unknown[]) {
      const id = (r as { id?: unknown } | null)?.id;
      if (typeof id === 'string') refs.push({ type: object, id });
    }
    detail = { ...detail, reads: groupReads(detail.reads as unknown[]) };
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

/**
 * `[{id, fields}, …]` → `[{fields, ids: […]}, …]`: the same facts (which record, which fields), grouped by
 * the set of fields shown. A list page usually shows the same fields of every record, so its entry holds
 * the field names once instead of fifty times.
 */
export function groupReads(reads: readonly unknown[]): { fields: string[]; ids: string[] }[] {
  const groups = new Map<string, { fields: string[]; ids: string[] }>();
  for (const r of reads) {
    const read = r as { id?: unknown; fields?: unknown } | null;
    if (typeof read?.id !== 'string') continue;
    const fields = Array.isArray(read.fields) ? read.fields.filter((f): f is string => typeof f === 'string') : [];
    const key = fields.join('\u0000');
    let g = groups.get(key);
    if (!g) {
      g = { fields, ids: [] };
      groups.set(key, g);
    }
    g.ids.push(read.id);
  }
  return [...groups.values()];
}

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
  const groups: { fields: string[]; ids: string[] }[] = [];
  let last: { fields: string[]; ids: string[] } | undefined;
  for (const r of reads) {
    const read = r as { id?: unknown; fields?: unknown } | null;
    if (typeof read?.id !== 'string') continue;
    const fields = Array.isArray(read.fields) ? (read.fields as unknown[]) : [];
    // Consecutive records usually show the same fields: compare with the last group before searching.
    let g = last && sameStrings(last.fields, fields) ? last : groups.find((x) => sameStrings(x.fields, fields));
    if (!g) {
      g = { fields: fields.filter((f): f is string => typeof f === 'string'), ids: [] };
      groups.push(g);
    }
    g.ids.push(read.id);
    last = g;
  }
  return groups;
}

function sameStrings(a: readonly string[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

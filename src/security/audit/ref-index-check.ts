import { isOpaqueId } from './canonical.js';
import type { VerifyProblem } from './audit-verifier.js';

/** Entries per "who accessed this" bucket (audit_refs); the writer, the reader and the migration agree on it. */
export const REF_BUCKET = 1024;

/** Stored index rows for buckets `from`–`to` (inclusive). */
export type RefRowsLoader = (
  from: number,
  to: number,
) => Promise<readonly { ref_id: string; bucket: number | bigint }[]>;

/**
 * The records an entry makes findable by "who accessed this": its target, and each record a read showed
 * (`detail.reads[].ids`, as the event mapper groups them). Ids from the detail are taken only when they are
 * opaque ids, which the canonical form stores unchanged.
 */
export function entryRefIds(targetId: string | null, detail: string): string[] {
  const ids: string[] = [];
  if (targetId !== null && targetId !== '') ids.push(targetId);
  if (!detail.includes('"reads"')) return ids;
  let reads: unknown;
  try {
    reads = (JSON.parse(detail) as { reads?: unknown }).reads;
  } catch {
    return ids; // a malformed detail is the hash check's business, not the index's
  }
  if (!Array.isArray(reads)) return ids;
  for (const group of reads as unknown[]) {
    const groupIds = (group as { ids?: unknown } | null)?.ids;
    if (!Array.isArray(groupIds)) continue;
    for (const id of groupIds as unknown[]) if (typeof id === 'string' && isOpaqueId(id)) ids.push(id);
  }
  return ids;
}

/**
 * Checks the "who accessed this" index against the entries: every record an entry names must be indexed
 * in that entry's bucket, or a search for the record would silently skip the entry (an attacker hiding a
 * read by deleting index rows). Extra rows only cost search time (a bucket straddling an archived range
 * keeps its rows), so they are not reported. Fed entry by entry in sequence order; compared a page at a
 * time so memory stays bounded.
 */
export class RefIndexCheck {
  private bucket = -1;
  /** Record id → first entry in the current bucket that names it. */
  private current = new Map<string, number>();
  private finished: { bucket: number; ids: Map<string, number> }[] = [];

  constructor(private readonly load: RefRowsLoader) {}

  add(seq: number, targetId: string | null, detail: string): void {
    const bucket = Math.floor(seq / REF_BUCKET);
    if (bucket !== this.bucket) {
      if (this.current.size > 0) this.finished.push({ bucket: this.bucket, ids: this.current });
      this.bucket = bucket;
      this.current = new Map();
    }
    for (const id of entryRefIds(targetId, detail)) if (!this.current.has(id)) this.current.set(id, seq);
  }

  /** Compares the completed buckets (and, at the end, the last one) with the stored rows. */
  async compare(final: boolean): Promise<VerifyProblem[]> {
    if (final && this.current.size > 0) {
      this.finished.push({ bucket: this.bucket, ids: this.current });
      this.current = new Map();
    }
    const done = this.finished;
    this.finished = [];
    const first = done[0];
    const last = done[done.length - 1];
    if (!first || !last) return [];
    const stored = new Set<string>();
    for (const r of await this.load(first.bucket, last.bucket)) stored.add(`${Number(r.bucket)}:${r.ref_id}`);
    const problems: VerifyProblem[] = [];
    for (const { bucket, ids } of done) {
      for (const [id, seq] of ids) {
        if (stored.has(`${bucket}:${id}`)) continue;
        problems.push({
          seq,
          message: `entry ${seq} is missing from the "who accessed this" index (record ${id}): index rows were deleted`,
        });
        break; // one per bucket is enough to locate the damage
      }
    }
    return problems;
  }
}

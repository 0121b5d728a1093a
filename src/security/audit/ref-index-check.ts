import type { VerifyProblem } from './audit-verifier.js';

/** Entries per "who accessed this" bucket (audit_refs); the writer, the reader and the migration agree on it. */
export const REF_BUCKET = 1024;

/** The first entry in a range naming a record the index lacks for that entry's bucket. */
export type FirstUnindexed = (from: number, to: number) => Promise<{ seq: number; refId: string } | null>;

const RANGE = 100_000;

/**
 * Checks the "who accessed this" index against the entries: every record an entry names (its target, or a
 * record a read showed) must be indexed in that entry's bucket, or a search for the record would silently
 * skip the entry — an attacker hiding a read by deleting index rows. Index rows are outside the hashes, so
 * only this check can notice. Extra rows only cost search time (a bucket straddling an archived range keeps
 * its rows) and are not reported. The entries have already been verified, so they can be trusted here.
 */
export async function checkRefIndex(
  firstUnindexed: FirstUnindexed,
  from: number,
  to: number,
): Promise<VerifyProblem | null> {
  for (let start = from; start <= to; start += RANGE) {
    const hit = await firstUnindexed(start, Math.min(to, start + RANGE - 1));
    if (hit) {
      return {
        seq: hit.seq,
        message: `entry ${hit.seq} is missing from the "who accessed this" index (record ${hit.refId}): index rows were deleted`,
      };
    }
  }
  return null;
}

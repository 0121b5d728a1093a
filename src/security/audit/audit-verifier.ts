import type { AuditArchivesTable, AuditKeysTable, DialectName } from '../../db/index.js';
import type { AuditRepository } from './audit.repository.js';
import type { EntryTuple } from './sqlite-appender.repository.js';
import { canonicalFields, GENESIS_HASH } from './canonical.js';
import {
  archiveStatement,
  parseCheckpoint,
  verifyNote,
  verifyStatement,
  type ParsedVerifierKey,
  publicKeyObject,
} from './checkpoint.js';
import { Frontier, leafHashHex, STORED_LEVEL_STEP } from './merkle.js';
import { keyId } from './checkpoint.js';
import { checkRefIndex } from './ref-index-check.js';

export interface VerifyProblem {
  /** The first entry (sequence number) affected, or null when the problem is not an entry's. */
  seq: number | null;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Entries checked (online) and the range. */
  entries: number;
  firstSeq: number | null;
  lastSeq: number;
  /** Root of the whole tree (hex) as recomputed. */
  rootHash: string;
  checkpoints: number;
  /** Largest tree size covered by a valid signed checkpoint. */
  signedSize: number;
  archivedThrough: number;
  firstBad: VerifyProblem | null;
  problems: VerifyProblem[];
  warnings: string[];
}

export interface VerifyOptions {
  /** Time without any entry (no heartbeat) that is reported as a gap. */
  heartbeatMs: number;
  /** A checkpoint note the caller trusts (kept from an earlier run): the log must extend it. */
  trusted?: string | undefined;
  /** Page size when streaming entries (default: {@link defaultPageSize}). */
  pageSize?: number;
  /**
   * Is a key row this installation's own (its private half opens with the key hierarchy)? Without it every key row
   * is taken at its word — which the standalone verifier avoids by pinning `--key`.
   */
  ownKey?: (row: AuditKeysTable) => boolean;
}

/**
 * Rows per page when streaming entries. On PostgreSQL the next page is read while this one is hashed, so a
 * large page keeps the server busy in parallel (measured on 1M entries: 5000 → 14.1 s, 500 → 16.3 s). SQLite
 * reads synchronously on our thread, so read-ahead buys nothing there, and a large page costs: the page read
 * ahead survives young-generation collections and is copied on every scavenge (GC was a quarter of the run).
 * A small page dies young (1M entries: 5000 → 11.6 s, 1000 → 8.4 s, 500 → 8.4 s).
 */
export function defaultPageSize(dialect: DialectName): number {
  return dialect === 'postgres' ? 5000 : 1000;
}

/**
 * Recomputes everything from the rows: each entry's canonical bytes and leaf hash against its recorded
 * hash (edits), the chain of previous hashes (reordering, insertion), the sequence (deletion), every stored
 * Merkle node, the tree root at every signed checkpoint and each checkpoint's Ed25519 signature (rewrites
 * that recomputed hashes), checkpoints beyond the last entry (truncation), and that the "who accessed this"
 * index still finds every entry (deleted index rows would hide a read). Names the first bad entry.
 */
export async function verifyLog(repo: AuditRepository, opts: VerifyOptions): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const warnings: string[] = [];
  const report = (seq: number | null, message: string): void => {
    problems.push({ seq, message });
  };

  const keys = new Map<string, ParsedVerifierKey>();
  for (const k of await repo.keys()) {
    const publicKey = Buffer.from(k.public_key, 'base64');
    const id = keyId(k.name, publicKey);
    if (id.toString('hex') !== k.key_id || publicKey.length !== 32) {
      report(null, `signing key ${k.key_id} is inconsistent (its id does not match its name and public key)`);
      continue;
    }
    if (opts.ownKey && !opts.ownKey(k)) {
      report(
        null,
        `signing key ${k.key_id} is not this installation's: its private half does not open with the key hierarchy (inserted)`,
      );
      continue;
    }
    publicKeyObject(publicKey);
    keys.set(k.key_id, { name: k.name, keyId: id, publicKey });
  }

  // Signed checkpoints: size → root (only those whose signature verifies).
  const signed = new Map<number, Buffer>();
  const cpRows = await repo.checkpoints();
  for (const c of cpRows) {
    const size = Number(c.tree_size);
    try {
      const parsed = parseCheckpoint(c.note);
      const key = keys.get(c.key_id);
      if (!key || !verifyNote(parsed, key) || parsed.checkpoint.origin !== key.name) {
        report(size, `the checkpoint for tree size ${size} has no valid signature (forged or edited)`);
        continue;
      }
      if (parsed.checkpoint.treeSize !== size || parsed.checkpoint.rootHash.toString('base64') !== c.root_hash) {
        report(size, `the checkpoint row for tree size ${size} does not match its signed note`);
        continue;
      }
      signed.set(size, parsed.checkpoint.rootHash);
    } catch (err) {
      report(size, `the checkpoint for tree size ${size} is malformed: ${(err as Error).message}`);
    }
  }

  let trusted: { size: number; root: Buffer } | null = null;
  if (opts.trusted !== undefined) {
    try {
      const parsed = parseCheckpoint(opts.trusted);
      const key = [...keys.values()].find((k) => verifyNote(parsed, k));
      if (!key) report(null, 'the trusted checkpoint is not signed by this log’s key');
      else trusted = { size: parsed.checkpoint.treeSize, root: parsed.checkpoint.rootHash };
    } catch (err) {
      report(null, `the trusted checkpoint is malformed: ${(err as Error).message}`);
    }
  }

  // Where the online log starts: after the last archived segment.
  const archives = await repo.archives();
  const lastArchive = archives[archives.length - 1];
  let frontier = Frontier.empty();
  let prev = GENESIS_HASH;
  let expected = 1;
  if (lastArchive) {
    if (!signed.has(Number(lastArchive.to_seq))) {
      report(
        Number(lastArchive.to_seq),
        `the archive record for entries up to ${lastArchive.to_seq} has no signed checkpoint at that size (forged)`,
      );
    }
    try {
      frontier = Frontier.parse(Number(lastArchive.to_seq), lastArchive.frontier);
      prev = lastArchive.last_hash;
      expected = Number(lastArchive.to_seq) + 1;
      // Archiving signs a checkpoint at the segment's end and appends an `audit.archive` entry after it (below).
      // Anyone who can insert a row could otherwise write an archive record and so move the start of verification
      // (and the triggers' pruning limit) past entries they then delete.
      const cp = signed.get(Number(lastArchive.to_seq));
      if (cp && (!cp.equals(frontier.root()) || cp.toString('base64') !== lastArchive.root_hash)) {
        report(
          expected - 1,
          `the archive record for entries up to ${expected - 1} does not match the signed checkpoint`,
        );
      }
      for (let i = 0; i < archives.length; i++) {
        const a = archives[i];
        const from = i === 0 ? 1 : Number(archives[i - 1]?.to_seq) + 1;
        if (a && Number(a.from_seq) !== from) {
          report(Number(a.from_seq), `archive records do not follow each other (segment ${a.from_seq}–${a.to_seq})`);
        }
      }
    } catch (err) {
      report(null, `the archive record is malformed: ${(err as Error).message}`);
    }
  }
  const archivedThrough = expected - 1;

  const storedNodes = new Map<string, string>();
  for (const n of await repo.allTreeNodes()) storedNodes.set(`${n.level}:${n.idx}`, n.hash);

  let entryProblem = false;
  let count = 0;
  let firstSeq: number | null = null;
  let lastGoodCheckpoint = archivedThrough;
  // The newest archive record must be the one an `audit.archive` entry of the online log announced.
  let archiveWitnessed = lastArchive === undefined;
  // Checkpoints are signed at least every MAX_CHECKPOINT_ENTRIES entries, whatever the configuration: a longer
  // stretch without one means signed checkpoints were removed (to rewrite what they covered, and have it signed anew).
  let lastSigned = archivedThrough;
  let stretchReported = false;
  let lastAtMs: number | null = null;
  let lastAction = '';
  let lastAt = '';
  const gapsReported: string[] = [];
  const pageSize = opts.pageSize ?? defaultPageSize(repo.dialect);
  const after = archivedThrough;

  // On PostgreSQL the "who accessed this" check runs in the server while we hash, up to the newest entry kept
  // now (entries appended meanwhile are checked afterwards). Its answer counts only if the entries verify.
  // SQLite would run it on this thread anyway, so it runs after the entries there.
  const refs = (from: number, to: number): Promise<VerifyProblem | null> =>
    checkRefIndex((a, b) => repo.firstUnindexed(a, b), from, to);
  let earlyTo = archivedThrough;
  let earlyRefs: Promise<VerifyProblem | null> | null = null;
  if (repo.dialect === 'postgres') {
    earlyTo = Math.max(archivedThrough, (await repo.maxSeq()) ?? 0);
    earlyRefs = refs(archivedThrough + 1, earlyTo);
    earlyRefs.catch(() => undefined);
  }

  // The next page is read while this one is hashed (PostgreSQL works in parallel with us).
  let nextPage: Promise<EntryTuple[]> | null = repo.entryTuples(after, pageSize);
  for (;;) {
    if (entryProblem || !nextPage) break;
    const rows: EntryTuple[] = await nextPage;
    if (rows.length === 0) break;
    const lastRow = rows[rows.length - 1];
    nextPage = rows.length === pageSize && lastRow ? repo.entryTuples(Number(lastRow[0]), pageSize) : null;
    for (const row of rows) {
      const e = { seq: Number(row[0]), at: row[1], action: row[4], prev: row[12], hash: row[13] };
      if (e.seq !== expected) {
        report(
          expected,
          e.seq > expected
            ? expected === e.seq - 1
              ? `entry ${expected} is missing (deleted)`
              : `entries ${expected}–${e.seq - 1} are missing (deleted)`
            : `entry ${e.seq} is out of order`,
        );
        entryProblem = true;
        break;
      }
      firstSeq ??= e.seq;
      const hex = leafHashHex(
        canonicalFields(
          e.seq,
          row[1],
          row[2],
          row[3],
          row[4],
          row[5],
          row[6],
          row[7],
          row[8],
          row[9],
          row[10],
          row[11],
          row[12],
        ),
      );
      if (hex !== e.hash) {
        report(e.seq, `entry ${e.seq} was altered: its content does not match its recorded hash`);
        entryProblem = true;
        break;
      }
      if (e.prev !== prev) {
        report(
          e.seq,
          `entry ${e.seq} does not follow entry ${e.seq - 1}: the hash chain is broken (entries reordered, inserted or rewritten)`,
        );
        entryProblem = true;
        break;
      }
      let nodeProblem: string | null = null;
      const leaf = Buffer.from(hex, 'hex');
      frontier.append(leaf, (n) => {
        const stored = storedNodes.get(`${n.level}:${n.index}`);
        if (stored !== undefined && stored !== n.hash.toString('hex')) {
          nodeProblem = `stored Merkle node (level ${n.level}, index ${n.index}) does not match the entries`;
        } else if (stored === undefined && n.level % STORED_LEVEL_STEP === 0) {
          nodeProblem = `stored Merkle node (level ${n.level}, index ${n.index}) is missing`;
        }
      });
      if (nodeProblem) report(e.seq, nodeProblem);
      const cp = signed.get(e.seq);
      if (cp) {
        if (!cp.equals(frontier.root())) {
          report(
            lastGoodCheckpoint + 1,
            `entries ${lastGoodCheckpoint + 1}–${e.seq} do not match the checkpoint signed at tree size ${e.seq} (rewritten)`,
          );
          entryProblem = true;
          break;
        }
        lastGoodCheckpoint = e.seq;
        lastSigned = e.seq;
        stretchReported = false;
      } else if (e.seq - lastSigned > MAX_CHECKPOINT_ENTRIES && !stretchReported) {
        report(
          lastSigned + 1,
          `no signed checkpoint covers entries ${lastSigned + 1}–${e.seq}: one is signed at least every ${MAX_CHECKPOINT_ENTRIES} entries, so checkpoints were removed`,
        );
        stretchReported = true;
      }
      if (!archiveWitnessed && e.action === 'audit.archive' && lastArchive) {
        archiveWitnessed = announces(row[11], lastArchive, keys);
      }
      if (trusted && trusted.size === e.seq && !trusted.root.equals(frontier.root())) {
        // The rewrite lies after the last checkpoint that still matched: that is where to look.
        report(
          lastGoodCheckpoint + 1,
          `entries ${lastGoodCheckpoint + 1}–${e.seq} do not match the trusted checkpoint at tree size ${trusted.size}: the log does not extend it (rewritten)`,
        );
        entryProblem = true;
        break;
      }
      const atMs = Date.parse(e.at);
      if (lastAtMs !== null && atMs - lastAtMs > opts.heartbeatMs * 1.5 && lastAction !== 'audit.stop') {
        if (gapsReported.length < 20) gapsReported.push(`no entries between ${lastAt} and ${e.at} (entry ${e.seq})`);
      }
      lastAtMs = atMs;
      lastAt = e.at;
      lastAction = e.action;
      prev = hex;
      expected++;
      count++;
    }
  }

  // A page read ahead and no longer needed (verification stopped at a problem).
  nextPage?.catch(() => undefined);
  const lastSeq = expected - 1;
  if (!entryProblem) {
    const early = earlyRefs ? await earlyRefs : null;
    const unindexed = early && early.seq !== null && early.seq <= lastSeq ? early : await refs(earlyTo + 1, lastSeq);
    if (unindexed) problems.push(unindexed);
    const beyond = [...signed.keys()].filter((s) => s > lastSeq).sort((a, b) => a - b)[0];
    if (beyond !== undefined) {
      report(
        lastSeq + 1,
        `the log was truncated: a checkpoint was signed at tree size ${beyond} but the log ends at ${lastSeq}`,
      );
    }
    if (!archiveWitnessed && lastArchive) {
      report(
        archivedThrough,
        `the archive record for entries ${lastArchive.from_seq}–${lastArchive.to_seq} was not announced by a signed audit.archive entry (forged: entries up to ${lastArchive.to_seq} may have been removed)`,
      );
    }
    if (trusted && trusted.size > lastSeq) {
      report(
        lastSeq + 1,
        `the log was truncated: the trusted checkpoint has ${trusted.size} entries, the log ${lastSeq}`,
      );
    }
  }
  const signedSize = [...signed.keys()].filter((s) => s <= lastSeq).reduce((m, s) => Math.max(m, s), 0);
  if (!entryProblem && lastSeq > signedSize) {
    warnings.push(`${lastSeq - signedSize} newest entries are not yet covered by a signed checkpoint`);
  }
  for (const g of gapsReported) warnings.push(`logging gap: ${g}`);

  const ordered = [...problems].sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
  return {
    ok: problems.length === 0,
    entries: count,
    firstSeq,
    lastSeq,
    rootHash: frontier.root().toString('hex'),
    checkpoints: cpRows.length,
    signedSize,
    archivedThrough,
    firstBad: ordered[0] ?? null,
    problems: ordered,
    warnings,
  };
}

/** The most entries a configuration may leave between signed checkpoints (SEPAR_AUDIT_CHECKPOINT_ENTRIES ≤ 1000). */
export const MAX_CHECKPOINT_ENTRIES = 1000;

/**
 * Does this `audit.archive` entry's detail announce exactly this archive record, signed by one of the log's keys?
 * An entry anyone appended would be signed by the next checkpoint as part of the log; its own signature is not.
 */
function announces(detail: string, a: AuditArchivesTable, keys: ReadonlyMap<string, ParsedVerifierKey>): boolean {
  try {
    const d = JSON.parse(detail) as Record<string, unknown>;
    const key = typeof d.keyId === 'string' ? keys.get(d.keyId) : undefined;
    return (
      key !== undefined &&
      d.fromSeq === Number(a.from_seq) &&
      d.toSeq === Number(a.to_seq) &&
      d.rootHash === a.root_hash &&
      d.entriesSha256 === a.file_sha256 &&
      verifyStatement(
        archiveStatement(key.name, Number(a.from_seq), Number(a.to_seq), a.root_hash, a.file_sha256),
        d.signature,
        key,
      )
    );
  } catch {
    return false;
  }
}

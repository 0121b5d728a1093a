import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../platform/app-error.js';
import type { Actor } from '../access/actor.js';
import { requireAuditManage, requireAuditRead } from './audit-access.js';
import { writeBundle, type BundleResult, type BundleStart } from './audit-bundle.js';
import { REF_BUCKET, rowToEntry } from './audit-log.js';
import { verifyLog, type VerifyReport } from './audit-verifier.js';
import { actorInput, type AuditService } from './audit.service.js';
import { GENESIS_HASH } from './canonical.js';
import { Frontier, leafHash } from './merkle.js';
import { canonicalEntry } from './canonical.js';
import { archiveStatement, verifierKey } from './checkpoint.js';

/**
 * Archive boundaries fall on 1,024-entry blocks: every proof for an online entry then reads online leaves only
 * (stored subtrees cover 256), and whole "who accessed this" buckets (1,024) go with their entries.
 */
const ARCHIVE_ALIGN = REF_BUCKET;
const PAGE = 5000;
export const MIN_RETENTION_MONTHS = 12;
export const MAX_RETENTION_MONTHS = 1200;

export interface ArchiveResult {
  fromSeq: number;
  toSeq: number;
  dir: string;
  entries: number;
  rootHash: string;
  entriesSha256: string;
}

/**
 * Operator work on the log: verification, export, retention and archiving. Each is recorded in the log
 * (durably, before the work) with the actor who asked.
 */
export class AuditOperations {
  constructor(
    private readonly audit: AuditService,
    private readonly archiveDir: string,
  ) {}

  private async note(actor: Actor, action: string, detail: Record<string, unknown>): Promise<void> {
    await this.audit.durable({
      ...actorInput(actor),
      at: this.audit.system().at,
      action,
      outcome: 'success',
      target: null,
      detail,
    });
  }

  async verify(actor: Actor, opts: { trusted?: string | undefined } = {}): Promise<VerifyReport> {
    requireAuditRead(actor);
    await this.note(actor, 'audit.verify', { trusted: opts.trusted !== undefined });
    await this.audit.flush();
    await this.audit.log.append([], true);
    const report = await verifyLog(this.audit.repo, {
      heartbeatMs: this.audit.config.heartbeatSeconds * 1000,
      trusted: opts.trusted,
      ownKey: (row) => this.audit.isOwnKey(row),
    });
    if (report.ok) {
      const archives = await this.verifyArchives();
      report.problems.push(...archives.problems);
      report.warnings.push(...archives.warnings);
      if (archives.problems.length > 0) {
        report.ok = false;
        report.firstBad = report.problems[0] ?? null;
      }
    }
    await this.audit.durable({
      ...actorInput(actor),
      at: this.audit.system().at,
      action: 'audit.verify.result',
      outcome: report.ok ? 'success' : 'failure',
      target: null,
      detail: { ok: report.ok, entries: report.entries, lastSeq: report.lastSeq, firstBad: report.firstBad },
    });
    return report;
  }

  /**
   * Archived segments still on disk must be the files that were recorded. One that is not there (moved to cold
   * storage, or removed) is said so: its entries were not checked here (`verify-audit.mjs SEGMENT…` checks them).
   */
  private async verifyArchives(): Promise<{ problems: { seq: number | null; message: string }[]; warnings: string[] }> {
    const out: { seq: number | null; message: string }[] = [];
    const warnings: string[] = [];
    for (const a of await this.audit.repo.archives()) {
      const file = join(a.file, 'entries.jsonl');
      if (!existsSync(file)) {
        warnings.push(`archived segment ${a.from_seq}–${a.to_seq} is not at ${a.file}: its entries were not checked`);
        continue;
      }
      const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
      if (sha !== a.file_sha256) {
        out.push({
          seq: Number(a.from_seq),
          message: `archived segment ${a.from_seq}–${a.to_seq} was changed (${a.file})`,
        });
      }
    }
    return { problems: out, warnings };
  }

  private async start(): Promise<BundleStart> {
    const archives = await this.audit.repo.archives();
    const last = archives[archives.length - 1];
    return last
      ? { size: Number(last.to_seq), lastHash: last.last_hash, frontier: last.frontier }
      : { size: 0, lastHash: GENESIS_HASH, frontier: '[]' };
  }

  async export(actor: Actor, dir: string): Promise<BundleResult> {
    requireAuditRead(actor);
    const target = resolve(dir);
    await this.note(actor, 'audit.export', { dir: target });
    await this.audit.flush();
    await this.audit.log.append([], true);
    return writeBundle(this.audit.repo, target, {
      origin: this.audit.origin,
      verifierKeys: await this.verifierKeys(),
      start: await this.start(),
      checkpoints: await this.audit.repo.checkpoints(),
      createdAt: this.audit.system().at,
      kind: 'export',
    });
  }

  /** The log's keys for a bundle: only this installation's own (a row inserted with another key is left out). */
  private async verifierKeys(): Promise<string[]> {
    return (await this.audit.repo.keys())
      .filter((k) => this.audit.isOwnKey(k))
      .map((k) => verifierKey(k.name, Buffer.from(k.public_key, 'base64')));
  }

  async retention(actor: Actor): Promise<{ months: number; minimum: number; archivedThrough: number }> {
    requireAuditRead(actor);
    await this.note(actor, 'audit.retention.read', {});
    const archives = await this.audit.repo.archives();
    return {
      months: await this.audit.retentionMonths(),
      minimum: MIN_RETENTION_MONTHS,
      archivedThrough: Number(archives[archives.length - 1]?.to_seq ?? 0),
    };
  }

  async setRetention(
    actor: Actor,
    months: number,
  ): Promise<{ months: number; minimum: number; archivedThrough: number }> {
    requireAuditManage(actor);
    if (!Number.isInteger(months) || months < MIN_RETENTION_MONTHS || months > MAX_RETENTION_MONTHS) {
      throw new AppError('SEPAR_ERR_VALIDATION', 'Invalid retention', {
        detail: `Audit retention must be between ${MIN_RETENTION_MONTHS} and ${MAX_RETENTION_MONTHS} months.`,
        errors: [{ field: 'months', message: `must be between ${MIN_RETENTION_MONTHS} and ${MAX_RETENTION_MONTHS}` }],
      });
    }
    const before = await this.audit.retentionMonths();
    await this.audit.durable({
      ...actorInput(actor),
      at: this.audit.system().at,
      action: 'audit.retention.update',
      outcome: 'success',
      target: { type: 'setting', id: 'audit.retention_months' },
      detail: { before, after: months },
    });
    await this.audit.repo.setRetentionMonths(months);
    const archives = await this.audit.repo.archives();
    return {
      months,
      minimum: MIN_RETENTION_MONTHS,
      archivedThrough: Number(archives[archives.length - 1]?.to_seq ?? 0),
    };
  }

  /**
   * Move entries older than the retention period into a signed, verifiable archive segment (same layout as
   * an export, ending in a signed checkpoint), record it, and only then drop those rows from the database
   * (the triggers allow deleting nothing else). Segments end on a 256-entry boundary and at a signed size.
   */
  async archive(actor: Actor): Promise<ArchiveResult | null> {
    requireAuditManage(actor);
    await this.audit.flush();
    const months = await this.audit.retentionMonths();
    const now = this.audit.system().at;
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
    const start = await this.start();
    const firstKept = await this.audit.repo.firstSeqAtOrAfter(cutoff.toISOString());
    const head = await this.audit.repo.head();
    const limit = Math.min(firstKept === null ? Number(head.tree_size) : firstKept - 1, Number(head.checkpoint_size));
    const toSeq = Math.floor(limit / ARCHIVE_ALIGN) * ARCHIVE_ALIGN;
    if (toSeq <= start.size) return null;

    // Recompute the segment from its rows: it must chain on from the previous state before it is archived.
    const frontier = Frontier.parse(start.size, start.frontier);
    let prev = start.lastHash;
    let after = start.size;
    while (after < toSeq) {
      const rows = await this.audit.repo.entriesUpTo(after, toSeq, PAGE);
      if (rows.length === 0) break;
      for (const row of rows) {
        const e = rowToEntry(row);
        const leaf = leafHash(canonicalEntry(e));
        if (e.seq !== after + 1 || e.prev !== prev || leaf.toString('hex') !== e.hash) {
          throw new AppError('SEPAR_ERR_CONFLICT', 'Audit log does not verify', {
            detail: `Entry ${e.seq} does not verify; run \`separ audit verify\`. Nothing was archived.`,
          });
        }
        frontier.append(leaf);
        prev = e.hash;
        after = e.seq;
      }
    }
    if (after !== toSeq) {
      throw new AppError('SEPAR_ERR_CONFLICT', 'Audit log is incomplete', {
        detail: `Entries up to ${toSeq} are not all present; run \`separ audit verify\`. Nothing was archived.`,
      });
    }
    const root = frontier.root();
    await this.audit.log.signPast(toSeq, root);
    const dir = join(this.archiveDir, `segment-${pad(start.size + 1)}-${pad(toSeq)}`);
    const checkpoints = (await this.audit.repo.checkpoints()).filter(
      (c) => Number(c.tree_size) > start.size && Number(c.tree_size) <= toSeq,
    );
    const bundle = await writeBundle(this.audit.repo, dir, {
      origin: this.audit.origin,
      verifierKeys: await this.verifierKeys(),
      start,
      toSeq,
      checkpoints,
      createdAt: now,
      kind: 'archive',
    });
    // Signed with the log's key: verifiers accept only an announcement its holder wrote (checkpoint.ts).
    const statement = archiveStatement(
      this.audit.origin,
      start.size + 1,
      toSeq,
      root.toString('base64'),
      bundle.entriesSha256,
    );
    await this.audit.durable({
      ...actorInput(actor),
      at: now,
      action: 'audit.archive',
      outcome: 'success',
      target: null,
      detail: {
        fromSeq: start.size + 1,
        toSeq,
        dir,
        entries: bundle.entries,
        entriesSha256: bundle.entriesSha256,
        rootHash: root.toString('base64'),
        retentionMonths: months,
        ...this.audit.signStatement(statement),
      },
    });
    await this.audit.repo.recordArchive({
      to_seq: toSeq,
      from_seq: start.size + 1,
      last_hash: prev,
      frontier: frontier.serialize(),
      root_hash: root.toString('base64'),
      file: dir,
      file_sha256: bundle.entriesSha256,
      created_at: now,
    });
    return {
      fromSeq: start.size + 1,
      toSeq,
      dir,
      entries: bundle.entries,
      rootHash: root.toString('base64'),
      entriesSha256: bundle.entriesSha256,
    };
  }
}

const pad = (n: number): string => String(n).padStart(12, '0');

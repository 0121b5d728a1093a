import { createHash } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditCheckpointsTable } from '../../db/index.js';
import type { AuditRepository } from './audit.repository.js';
import { canonicalEntry } from './canonical.js';
import { rowToEntry } from './audit-log.js';

/**
 * The export (and archive segment) layout, read by `tools/verify-audit.mjs` with nothing but node:crypto:
 *
 *   manifest.json      format, origin, verifier keys, where the segment starts (tree size, last hash, frontier)
 *   entries.jsonl      {"seq":N,"hash":"<hex leaf hash>","entry":"<canonical entry text — the bytes hashed>"}
 *   checkpoints.jsonl  {"treeSize":N,"note":"<C2SP signed checkpoint note>"}
 *   audit-key.pub      the verifier key(s), one per line (name+keyid+base64)
 *   README.txt         how to verify
 */
export const BUNDLE_FORMAT = 'separ-audit-export/1';

export interface BundleStart {
  size: number;
  lastHash: string;
  /** JSON array (hex or null per level), as stored. */
  frontier: string;
}

export interface BundleResult {
  dir: string;
  entries: number;
  firstSeq: number | null;
  lastSeq: number;
  checkpoints: number;
  entriesSha256: string;
}

const PAGE = 5000;

const README = `Separ audit log export
======================

Verify it without trusting Separ (Node.js 20+, no other dependency):

  node verify-audit.mjs <this directory> --key <the log's key, obtained apart from this export>

verify-audit.mjs is tools/verify-audit.mjs in the Separ source. Pin the key you got elsewhere — the key your Separ
instance published (GET /api/v1/audit/checkpoints/latest) or an earlier export's audit-key.pub — not the
audit-key.pub in this directory: whoever could change these entries could change that file too. Compare the two.

Each line of entries.jsonl holds an entry's canonical bytes ("entry"); its RFC 6962 leaf hash is
SHA-256(0x00 || entry). Each entry names the hash of the one before ("prev"). checkpoints.jsonl holds C2SP
signed checkpoints (Ed25519) of the Merkle tree over all entries.
`;

export async function writeBundle(
  repo: AuditRepository,
  dir: string,
  opts: {
    origin: string;
    verifierKeys: readonly string[];
    start: BundleStart;
    /** Last sequence number to include (default: everything). */
    toSeq?: number;
    checkpoints: readonly AuditCheckpointsTable[];
    createdAt: string;
    kind: 'export' | 'archive';
  },
): Promise<BundleResult> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const sha = createHash('sha256');
  const fh = await open(join(dir, 'entries.jsonl'), 'w', 0o600);
  let after = opts.start.size;
  let count = 0;
  let firstSeq: number | null = null;
  let lastSeq = opts.start.size;
  try {
    for (;;) {
      const rows =
        opts.toSeq === undefined ? await repo.entries(after, PAGE) : await repo.entriesUpTo(after, opts.toSeq, PAGE);
      if (rows.length === 0) break;
      let text = '';
      for (const row of rows) {
        const e = rowToEntry(row);
        text += `${JSON.stringify({ seq: e.seq, hash: e.hash, entry: canonicalEntry(e) })}\n`;
        firstSeq ??= e.seq;
        lastSeq = e.seq;
        count++;
      }
      sha.update(text);
      await fh.write(text);
      after = Number(rows[rows.length - 1]?.seq ?? after);
      if (rows.length < PAGE) break;
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  const cps = opts.checkpoints.filter((c) => Number(c.tree_size) <= lastSeq || opts.toSeq === undefined);
  await writeFile(
    join(dir, 'checkpoints.jsonl'),
    cps.map((c) => `${JSON.stringify({ treeSize: Number(c.tree_size), note: c.note })}\n`).join(''),
    { mode: 0o600 },
  );
  await writeFile(join(dir, 'audit-key.pub'), opts.verifierKeys.map((k) => `${k}\n`).join(''), { mode: 0o644 });
  const manifest = {
    format: BUNDLE_FORMAT,
    kind: opts.kind,
    origin: opts.origin,
    verifierKeys: opts.verifierKeys,
    createdAt: opts.createdAt,
    start: {
      size: opts.start.size,
      lastHash: opts.start.lastHash,
      frontier: JSON.parse(opts.start.frontier) as unknown,
    },
    entries: count,
    firstSeq,
    lastSeq,
    entriesSha256: sha.digest('hex'),
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await writeFile(join(dir, 'README.txt'), README, { mode: 0o644 });
  return { dir, entries: count, firstSeq, lastSeq, checkpoints: cps.length, entriesSha256: manifest.entriesSha256 };
}

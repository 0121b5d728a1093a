#!/usr/bin/env node
// Separ audit log verifier — standalone: Node.js 20+ and node:crypto, nothing from Separ.
//
//   node verify-audit.mjs EXPORT_DIR [MORE_DIRS…] [--key KEYFILE|VKEY] [--trusted CHECKPOINT_FILE] [--json]
//       Verify an export (`separ audit export --out DIR`), or archive segments followed by an export, in order:
//       every entry's leaf hash, the hash chain, the RFC 6962 Merkle tree, every signed checkpoint (C2SP
//       signed note, Ed25519) and truncation. Names the first bad entry.
//   node verify-audit.mjs --proof PROOF.json [--key …]
//       Verify an inclusion proof (GET /api/v1/audit/events/:id/proof).
//   node verify-audit.mjs --consistency CONSISTENCY.json [--key …]
//       Verify a consistency proof between two checkpoints (GET /api/v1/audit/consistency).
//
// Pin the log's key with --key (a file of verifier keys, one per line, or the key itself:
// name+keyid+base64). Without it the key inside the export is used, and that is only as good as the export.
// Exit code: 0 verified, 1 verification failed, 2 usage or input error.

import * as nodeCrypto from 'node:crypto';
import { createHash, createPublicKey, verify as edVerify } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const GENESIS = '0'.repeat(64);

// ---- RFC 6962 hashing ----------------------------------------------------------------------------------
const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const leafHash = (data) => sha256(Buffer.from([0]), data);
// One-shot hashing where this Node.js has it (20.12+): the leaf of an entry's text, as hex.
const oneShot = typeof nodeCrypto.hash === 'function' ? nodeCrypto.hash : null;
const leafHex = (text) =>
  oneShot ? oneShot('sha256', `\u0000${text}`, 'hex') : leafHash(Buffer.from(text, 'utf8')).toString('hex');
// Every canonical entry starts {"v":1,"seq":N, and ends ,"prev":"<hex>"} (fixed key order, no whitespace).
const ENTRY_SHAPE = /^\{"v":1,"seq":(0|[1-9][0-9]{0,15}),.*,"prev":"([0-9a-f]{64})"\}$/s;
const nodeHash = (l, r) => sha256(Buffer.from([1]), l, r);
const EMPTY_ROOT = sha256();

class Frontier {
  constructor(size, nodes) {
    this.size = size;
    this.nodes = nodes;
  }
  static from(size, hexNodes) {
    const nodes = hexNodes.map((h) => (h === null ? null : Buffer.from(h, 'hex')));
    let n = 0;
    nodes.forEach((x, level) => {
      if (x) n += 2 ** level;
    });
    if (n !== size) throw new Error(`start frontier does not describe a tree of ${size} leaves`);
    return new Frontier(size, nodes);
  }
  append(leaf) {
    let node = leaf;
    let level = 0;
    while (this.nodes[level]) {
      node = nodeHash(this.nodes[level], node);
      this.nodes[level] = null;
      level++;
    }
    this.nodes[level] = node;
    this.size++;
  }
  root() {
    let acc = null;
    for (const n of this.nodes) if (n) acc = acc ? nodeHash(n, acc) : n;
    return acc ?? EMPTY_ROOT;
  }
}

const isPow2 = (n) => n > 0 && Number.isInteger(Math.log2(n));

// RFC 9162 §2.1.3.2
function verifyInclusion(index, size, leaf, proof, root) {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else r = nodeHash(r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

// RFC 9162 §2.1.4.2
function verifyConsistency(first, second, firstRoot, secondRoot, proof) {
  if (first > second || first < 0) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPow2(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else sr = nodeHash(sr, c);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

// ---- C2SP signed notes / checkpoints ----------------------------------------------------------------------
const keyIdOf = (name, pub) => sha256(Buffer.from(name), Buffer.from([0x0a, 0x01]), pub).subarray(0, 4);

function parseVerifierKey(text) {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text.trim());
  if (!m) throw new Error(`not a verifier key: ${text.trim().slice(0, 80)}`);
  const raw = Buffer.from(m[3], 'base64');
  if (raw.length !== 33 || raw[0] !== 0x01) throw new Error('verifier key is not Ed25519');
  const pub = raw.subarray(1);
  const id = keyIdOf(m[1], pub);
  if (id.toString('hex') !== m[2]) throw new Error('verifier key id does not match the key');
  const object = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url') }, format: 'jwk' });
  return { name: m[1], keyId: id, object, text: text.trim() };
}

function parseNote(note) {
  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note');
  const body = note.slice(0, split + 1);
  const [origin, size, root] = body.slice(0, -1).split('\n');
  if (!origin || !/^(0|[1-9][0-9]{0,15})$/.test(size ?? '')) throw new Error('bad checkpoint body');
  const rootHash = Buffer.from(root ?? '', 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root) throw new Error('bad checkpoint root hash');
  const sigs = note
    .slice(split + 2, -1)
    .split('\n')
    .map((line) => {
      const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      if (!m) throw new Error('bad signature line');
      const raw = Buffer.from(m[2], 'base64');
      return { name: m[1], keyId: raw.subarray(0, 4), sig: raw.subarray(4) };
    });
  return { origin, size: Number(size), root: rootHash, body, sigs };
}

const signedBy = (parsed, keys) =>
  keys.find((k) =>
    parsed.sigs.some(
      (s) =>
        s.name === k.name &&
        s.keyId.equals(k.keyId) &&
        s.sig.length === 64 &&
        edVerify(null, Buffer.from(parsed.body), k.object, s.sig),
    ),
  );

// ---- arguments ----------------------------------------------------------------------------------------
function usage(msg) {
  process.stderr.write(`verify-audit: ${msg}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
const opts = { dirs: [], key: null, trusted: null, proof: null, consistency: null, json: false };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const next = () => args[++i] ?? usage(`${a} needs a value`);
  if (a === '--key') opts.key = next();
  else if (a === '--trusted') opts.trusted = next();
  else if (a === '--proof') opts.proof = next();
  else if (a === '--consistency') opts.consistency = next();
  else if (a === '--json') opts.json = true;
  else if (a === '--help' || a === '-h') {
    process.stdout.write(
      readFileSync(new URL(import.meta.url), 'utf8')
        .split('\n')
        .slice(1, 19)
        .join('\n') + '\n',
    );
    process.exit(0);
  } else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else opts.dirs.push(a);
}

function pinnedKeys() {
  if (opts.key === null) return null;
  const text = existsSync(opts.key) ? readFileSync(opts.key, 'utf8') : opts.key;
  try {
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map(parseVerifierKey);
  } catch {
    return usage(`--key ${opts.key} is neither a readable key file nor a verifier key`);
  }
}

const warnings = [];
function keysFor(fallback) {
  const pinned = pinnedKeys();
  if (pinned) return pinned;
  warnings.push('no --key given: trusting the key that came with the data; pin it with --key');
  return fallback.map(parseVerifierKey);
}

function finish(result) {
  if (opts.json) process.stdout.write(`${JSON.stringify({ ...result, warnings })}\n`);
  else {
    process.stdout.write(`${result.ok ? 'OK' : 'FAILED'}: ${result.summary}\n`);
    for (const w of warnings) process.stdout.write(`warning: ${w}\n`);
  }
  process.exit(result.ok ? 0 : 1);
}

// ---- inclusion and consistency proofs ------------------------------------------------------------------
function checkNote(noteText, keys, what) {
  const parsed = parseNote(noteText);
  const key = signedBy(parsed, keys);
  if (!key) throw new Error(`${what} is not signed by the log key`);
  if (parsed.origin !== key.name) throw new Error(`${what} names origin ${parsed.origin}, not ${key.name}`);
  return parsed;
}

if (opts.proof !== null) {
  try {
    const p = JSON.parse(readFileSync(opts.proof, 'utf8'));
    const keys = keysFor([p.verifierKey]);
    const cp = checkNote(p.checkpoint, keys, 'the checkpoint');
    if (cp.size !== p.treeSize || cp.root.toString('base64') !== p.rootHash)
      throw new Error('proof does not match its checkpoint');
    const leaf = leafHash(Buffer.from(p.entry, 'utf8'));
    if (leaf.toString('hex') !== p.leafHash) throw new Error('the entry does not hash to the stated leaf hash');
    const entry = JSON.parse(p.entry);
    if (entry.seq !== p.id || p.leafIndex !== p.id - 1) throw new Error('the entry is not the one the proof is for');
    const ok = verifyInclusion(
      p.leafIndex,
      cp.size,
      leaf,
      p.proof.map((h) => Buffer.from(h, 'base64')),
      cp.root,
    );
    finish({
      ok,
      summary: ok
        ? `entry ${p.id} is included in the signed tree of ${cp.size} entries (${cp.origin})`
        : `entry ${p.id} is NOT proven to be in the signed tree of ${cp.size} entries`,
    });
  } catch (err) {
    finish({ ok: false, summary: err.message });
  }
}

if (opts.consistency !== null) {
  try {
    const p = JSON.parse(readFileSync(opts.consistency, 'utf8'));
    const keys = keysFor([p.verifierKey]);
    const a = checkNote(p.fromCheckpoint, keys, 'the older checkpoint');
    const b = checkNote(p.toCheckpoint, keys, 'the newer checkpoint');
    if (a.size !== p.fromSize || b.size !== p.toSize) throw new Error('proof sizes do not match the checkpoints');
    const ok = verifyConsistency(
      a.size,
      b.size,
      a.root,
      b.root,
      p.proof.map((h) => Buffer.from(h, 'base64')),
    );
    finish({
      ok,
      summary: ok
        ? `the tree of ${b.size} entries extends the tree of ${a.size} (append-only)`
        : `the tree of ${b.size} entries does NOT extend the tree of ${a.size}`,
    });
  } catch (err) {
    finish({ ok: false, summary: err.message });
  }
}

// ---- exports and archive segments ----------------------------------------------------------------------
if (opts.dirs.length === 0) usage('give an export directory, --proof FILE or --consistency FILE (see --help)');

const problems = [];
const report = (seq, message) => problems.push({ seq, message });

async function* lines(file) {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) if (line !== '') yield line;
}

// Checkpoints are signed at least every 1,000 entries whatever the configuration (SEPAR_AUDIT_CHECKPOINT_ENTRIES
// ≤ 1000): a longer stretch without one means signed checkpoints were removed, so that a rewrite could be signed anew.
const MAX_CHECKPOINT_ENTRIES = 1000;
// An export that starts after entry S > 0 does so because entries 1–S were archived; the archiving appended an
// `audit.archive` entry announcing exactly that segment, which the export holds. Without it the start was forged
// (an archive record inserted to hide entries).
// The announcement is signed with the log's key over the segment it archived (Separ's checkpoint.ts,
// archiveStatement): an entry appended by someone with row access would carry no valid signature.
const announces = (entryText, start, startRoot, keys) => {
  if (!entryText.includes('"action":"audit.archive"')) return false;
  try {
    const d = JSON.parse(entryText).detail;
    const root = startRoot.toString('base64');
    if (d?.toSeq !== start.size || d?.rootHash !== root || typeof d.signature !== 'string') return false;
    const key = keys.find((k) => k.keyId.toString('hex') === d.keyId);
    if (!key) return false;
    const statement = Buffer.from(
      `separ-audit-archive/1\n${key.name}\n${d.fromSeq}\n${d.toSeq}\n${root}\n${d.entriesSha256}\n`,
      'utf8',
    );
    const sig = Buffer.from(d.signature, 'base64');
    return sig.length === 64 && edVerify(null, statement, key.object, sig);
  } catch {
    return false;
  }
};

let carry = null; // state at the end of the previous directory
let trusted = null; // the trusted checkpoint, checked in whichever directory holds its size
let trustedRead = false;
let total = 0;
let firstSeq = null;
let lastSeq = 0;
let root = EMPTY_ROOT;
let origin = '';
let stop = false;

for (const dir of opts.dirs) {
  if (stop) break;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) usage(`${dir} is not a directory`);
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    usage(`${dir}/manifest.json is missing or not JSON`);
  }
  if (manifest.format !== 'separ-audit-export/1')
    usage(`${dir} is not a Separ audit export (format ${manifest.format})`);
  const keys = keysFor(manifest.verifierKeys ?? []);
  origin = manifest.origin;

  const start = manifest.start ?? { size: 0, lastHash: GENESIS, frontier: [] };
  let frontier;
  try {
    frontier = Frontier.from(start.size, start.frontier);
  } catch (err) {
    report(start.size + 1, err.message);
    break;
  }
  let prev = start.lastHash;
  if (carry) {
    if (carry.size !== start.size || carry.prev !== start.lastHash || !carry.root.equals(frontier.root())) {
      report(start.size + 1, `${dir} does not continue where the previous segment ended (entry ${carry.size})`);
      break;
    }
  } else if (start.size > 0) {
    warnings.push(
      `entries 1–${start.size} are not in this export (archived); verify those segments first to cover them`,
    );
  }
  // Only the first directory's start needs announcing; later ones continue the previous directory (checked above).
  const mustAnnounce = !carry && start.size > 0 && manifest.kind !== 'archive';
  const startRoot = frontier.root();
  let announced = false;

  const signed = new Map();
  for await (const line of lines(join(dir, 'checkpoints.jsonl'))) {
    let size = null;
    try {
      const c = JSON.parse(line);
      size = c.treeSize;
      const parsed = parseNote(c.note);
      const key = signedBy(parsed, keys);
      if (!key || parsed.origin !== key.name) {
        report(size, `the checkpoint for tree size ${size} has no valid signature (forged or edited)`);
        continue;
      }
      if (parsed.size !== size) {
        report(size, `the checkpoint row for tree size ${size} does not match its signed note`);
        continue;
      }
      signed.set(parsed.size, parsed.root);
    } catch (err) {
      report(size, `the checkpoint for tree size ${size} is malformed: ${err.message}`);
    }
  }

  if (opts.trusted && !trustedRead) {
    trustedRead = true;
    try {
      const parsed = parseNote(readFileSync(opts.trusted, 'utf8'));
      if (!signedBy(parsed, keys)) report(null, 'the trusted checkpoint is not signed by this log’s key');
      else trusted = { size: parsed.size, root: parsed.root };
    } catch (err) {
      report(null, `the trusted checkpoint is unreadable: ${err.message}`);
    }
    // What the caller trusts must be checked, or the answer is not the one asked for.
    if (trusted && trusted.size < start.size)
      report(
        null,
        `the trusted checkpoint (tree size ${trusted.size}) predates this export, which starts after entry ${start.size}: give the archived segments that hold it first`,
      );
    if (trusted && trusted.size === start.size && !trusted.root.equals(frontier.root()))
      report(start.size, `the log does not extend the trusted checkpoint at tree size ${trusted.size} (rewritten)`);
  }

  let expected = start.size + 1;
  let lastGood = start.size;
  let lastSigned = start.size;
  let stretchReported = false;
  for await (const line of lines(join(dir, 'entries.jsonl'))) {
    let rec;
    let shape = null;
    try {
      rec = JSON.parse(line);
      shape = typeof rec.entry === 'string' ? ENTRY_SHAPE.exec(rec.entry) : null;
    } catch {
      shape = null;
    }
    if (!shape) {
      report(expected, `entry ${expected} is not a well-formed canonical entry`);
      stop = true;
      break;
    }
    const seq = Number(shape[1]);
    if (rec.seq !== seq) {
      report(expected, `entry ${expected} does not carry its own sequence number`);
      stop = true;
      break;
    }
    if (seq !== expected) {
      report(
        expected,
        seq > expected
          ? seq - 1 === expected
            ? `entry ${expected} is missing (deleted)`
            : `entries ${expected}–${seq - 1} are missing (deleted)`
          : `entry ${seq} is out of order`,
      );
      stop = true;
      break;
    }
    firstSeq ??= seq;
    const hex = leafHex(rec.entry);
    if (hex !== rec.hash) {
      report(seq, `entry ${seq} was altered: its content does not match its recorded hash`);
      stop = true;
      break;
    }
    if (shape[2] !== prev) {
      report(
        seq,
        `entry ${seq} does not follow entry ${seq - 1}: the hash chain is broken (entries reordered, inserted or rewritten)`,
      );
      stop = true;
      break;
    }
    const leaf = Buffer.from(hex, 'hex');
    frontier.append(leaf);
    const cp = signed.get(seq);
    if (cp) {
      if (!cp.equals(frontier.root())) {
        report(
          lastGood + 1,
          `entries ${lastGood + 1}–${seq} do not match the checkpoint signed at tree size ${seq} (rewritten)`,
        );
        stop = true;
        break;
      }
      lastGood = seq;
      lastSigned = seq;
      stretchReported = false;
    } else if (seq - lastSigned > MAX_CHECKPOINT_ENTRIES && !stretchReported) {
      report(
        lastSigned + 1,
        `no signed checkpoint covers entries ${lastSigned + 1}–${seq}: one is signed at least every ${MAX_CHECKPOINT_ENTRIES} entries, so checkpoints were removed`,
      );
      stretchReported = true;
    }
    if (mustAnnounce && !announced) announced = announces(rec.entry, start, startRoot, keys);
    if (trusted && trusted.size === seq && !trusted.root.equals(frontier.root())) {
      // The rewrite lies after the last checkpoint that still matched: that is where to look.
      report(
        lastGood + 1,
        `entries ${lastGood + 1}–${seq} do not match the trusted checkpoint at tree size ${trusted.size}: the log does not extend it (rewritten)`,
      );
      stop = true;
      break;
    }
    prev = hex;
    expected++;
    total++;
  }
  lastSeq = expected - 1;
  root = frontier.root();
  if (!stop) {
    const beyond = [...signed.keys()].filter((s) => s > lastSeq).sort((a, b) => a - b)[0];
    const isLast = dir === opts.dirs[opts.dirs.length - 1];
    if (beyond !== undefined && isLast) {
      report(
        lastSeq + 1,
        `the log was truncated: a checkpoint was signed at tree size ${beyond} but the log ends at ${lastSeq}`,
      );
    }
    if (trusted && trusted.size > lastSeq && isLast) {
      report(
        lastSeq + 1,
        `the log was truncated: the trusted checkpoint has ${trusted.size} entries, the log ${lastSeq}`,
      );
    }
    const signedSize = [...signed.keys()].filter((s) => s <= lastSeq).reduce((m, s) => Math.max(m, s), 0);
    if (isLast && lastSeq > signedSize)
      warnings.push(`${lastSeq - signedSize} newest entries are not covered by a signed checkpoint`);
    if (manifest.kind === 'archive' && !signed.has(lastSeq))
      report(lastSeq, `archive segment ${dir} does not end in a signed checkpoint`);
    if (mustAnnounce && !announced)
      report(
        start.size,
        `${dir} starts after entry ${start.size}, but no signed audit.archive entry announces that archive (forged start: entries 1–${start.size} may have been removed)`,
      );
    if (mustAnnounce && !signed.get(start.size)?.equals(startRoot))
      report(start.size, `${dir} starts after entry ${start.size}, where no checkpoint was signed (forged start)`);
  }
  carry = { size: lastSeq, prev, root };
}

problems.sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
const first = problems[0];
finish({
  ok: problems.length === 0,
  entries: total,
  firstSeq,
  lastSeq,
  rootHash: root.toString('hex'),
  origin,
  firstBad: first ?? null,
  problems,
  summary: first
    ? `audit log verification failed${first.seq !== null ? ` at entry ${first.seq}` : ''}: ${first.message}`
    : `${total} entries (${firstSeq ?? '-'}–${lastSeq}) verified against signed checkpoints of ${origin}; root ${root.toString('hex')}`,
});

import { createHash, hash } from 'node:crypto';
// The leaf module, not the crypto index: the audit append thread (ADR 0012) loads this file, and the index brings
// the whole crypto service with it (~0.5 s and ~40 MB per thread).
import { sha256Short } from '../crypto/digest.js';

/**
 * RFC 6962 / RFC 9162 Merkle tree hashing: leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right),
 * the empty tree hashes to SHA-256(""). Trees grow append-only; a Frontier holds the right edge (one
 * perfect subtree per set bit of the size), which is all an appender needs to compute the next root.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
/** One-shot hashing (crypto.hash) is the hot path of appends and verification; this buffer is reused. */
const scratch = Buffer.alloc(65);
scratch[0] = 0x01;

/** SHA-256(0x00 ‖ data); for text, the UTF-8 bytes (U+0000 encodes as the single byte 0x00). */
export const leafHash = (data: Buffer | string): Buffer =>
  typeof data === 'string'
    ? hash('sha256', `\u0000${data}`, 'buffer')
    : hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');

/** The leaf hash of text, as hex (the fastest form to compare with a stored hash). */
export const leafHashHex = (text: string): string => hash('sha256', `\u0000${text}`, 'hex');

/**
 * SHA-256(0x01 ‖ left ‖ right) — roughly one per entry appended or verified — by the short-input digest (half
 * node:crypto's per-call cost for 65 bytes). Leaves, hundreds of bytes, stay with node:crypto.
 */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  // A shorter hash (say, from a damaged stored frontier) would leave the previous call's bytes in the scratch.
  if (left.length !== 32 || right.length !== 32) throw new Error('audit tree: a node hash is not 32 bytes');
  left.copy(scratch, 1);
  right.copy(scratch, 33);
  return sha256Short(scratch);
}

export const EMPTY_ROOT = createHash('sha256').digest();

/** Perfect subtrees at levels that are multiples of this are stored, so a proof never reads more than 2^8 hashes. */
export const STORED_LEVEL_STEP = 8;

export interface CompletedNode {
  level: number;
  index: number;
  hash: Buffer;
}

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export const isPowerOfTwo = (n: number): boolean => n > 0 && Number.isInteger(Math.log2(n));

export class Frontier {
  private constructor(
    private treeSize: number,
    /** nodes[level]: the perfect subtree of 2^level leaves on the right edge, when that bit of the size is set. */
    private readonly nodes: (Buffer | null)[],
  ) {}

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  /** From the stored form: a JSON array of hex (or null) per level. */
  static parse(size: number, json: string): Frontier {
    const raw = JSON.parse(json) as (string | null)[];
    const nodes = raw.map((h) => (h === null ? null : Buffer.from(h, 'hex')));
    let expected = 0;
    nodes.forEach((n, level) => {
      if (n) expected += 2 ** level;
    });
    if (expected !== size) throw new Error(`audit frontier does not describe a tree of ${size} leaves`);
    return new Frontier(size, nodes);
  }

  get size(): number {
    return this.treeSize;
  }

  serialize(): string {
    return JSON.stringify(this.nodes.map((n) => (n ? n.toString('hex') : null)));
  }

  clone(): Frontier {
    return new Frontier(this.treeSize, [...this.nodes]);
  }

  /** Append a leaf hash; reports the perfect subtrees it completed at stored levels (8, 16, …). */
  append(leaf: Buffer, onStored?: (node: CompletedNode) => void): void {
    const leafIndex = this.treeSize;
    let node = leaf;
    let level = 0;
    for (;;) {
      const left = this.nodes[level];
      if (!left) break;
      node = nodeHash(left, node);
      this.nodes[level] = null;
      level++;
      if (onStored && level % STORED_LEVEL_STEP === 0) {
        onStored({ level, index: Math.floor(leafIndex / 2 ** level), hash: node });
      }
    }
    this.nodes[level] = node;
    this.treeSize++;
  }

  root(): Buffer {
    let acc: Buffer | null = null;
    for (const n of this.nodes) {
      if (!n) continue;
      acc = acc ? nodeHash(n, acc) : n;
    }
    return acc ?? EMPTY_ROOT;
  }
}

/** Hash of the leaves [start, end): provided by whoever holds them (database, export, memory). */
export type RangeHasher = (start: number, end: number) => Promise<Buffer>;

/** MTH(D[start:end]) for any range, splitting at the largest power of two (RFC 6962 §2.1). */
export async function subtreeHash(start: number, end: number, perfect: RangeHasher): Promise<Buffer> {
  const n = end - start;
  if (n <= 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && start % n === 0) return perfect(start, end);
  const k = splitPoint(n);
  return nodeHash(await subtreeHash(start, start + k, perfect), await subtreeHash(start + k, end, perfect));
}

/** RFC 6962 §2.1.1 audit path of leaf m in the tree of the first n leaves, leaf-level sibling first. */
export async function inclusionProof(m: number, n: number, perfect: RangeHasher): Promise<Buffer[]> {
  if (m < 0 || m >= n) throw new RangeError(`leaf ${m} is not in a tree of ${n}`);
  const path = async (index: number, start: number, end: number): Promise<Buffer[]> => {
    const size = end - start;
    if (size === 1) return [];
    const k = splitPoint(size);
    if (index < k) return [...(await path(index, start, start + k)), await subtreeHash(start + k, end, perfect)];
    return [...(await path(index - k, start + k, end)), await subtreeHash(start, start + k, perfect)];
  };
  return path(m, 0, n);
}

/** RFC 6962 §2.1.2 consistency proof from the tree of m leaves to the tree of n leaves (0 < m ≤ n). */
export async function consistencyProof(m: number, n: number, perfect: RangeHasher): Promise<Buffer[]> {
  if (m <= 0 || m > n) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  const sub = async (mm: number, start: number, end: number, whole: boolean): Promise<Buffer[]> => {
    const size = end - start;
    if (mm === size) return whole ? [] : [await subtreeHash(start, end, perfect)];
    const k = splitPoint(size);
    if (mm <= k) return [...(await sub(mm, start, start + k, whole)), await subtreeHash(start + k, end, perfect)];
    return [...(await sub(mm - k, start + k, end, false)), await subtreeHash(start, start + k, perfect)];
  };
  return sub(m, 0, n, true);
}

/** RFC 9162 §2.1.3.2. */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leaf: Buffer,
  proof: readonly Buffer[],
  root: Buffer,
): boolean {
  if (leafIndex < 0 || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2. */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (first > second || first < 0) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as Buffer;
  let sr = path[0] as Buffer;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(firstRoot) && sr.equals(secondRoot) && sn === 0;
}

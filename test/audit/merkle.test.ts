import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  consistencyProof,
  EMPTY_ROOT,
  Frontier,
  inclusionProof,
  leafHash,
  nodeHash,
  subtreeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/security/audit/merkle.js';
import {
  checkpointBody,
  generateSigner,
  parseCheckpoint,
  parseVerifierKey,
  signCheckpoint,
  verifierKey,
  verifyNote,
} from '../../src/security/audit/checkpoint.js';

/** RFC 6962 MTH written straight from the definition, as the reference. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return createHash('sha256').digest();
  if (leaves.length === 1) return leafHash(leaves[0] as Buffer);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const data = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => Buffer.from(`entry ${i}`));

describe('RFC 6962 Merkle tree', () => {
  it('matches the published test vectors for the empty tree and a tree of leaves', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // Certificate Transparency's reference vectors (go/trillian merkle testonly): leaf "" and 8 leaves.
    expect(leafHash(Buffer.alloc(0)).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    const ctLeaves = [
      '',
      '00',
      '10',
      '2021',
      '3031',
      '40414243',
      '5051525354555657',
      '606162636465666768696a6b6c6d6e6f',
    ].map((h) => Buffer.from(h, 'hex'));
    const f = Frontier.empty();
    for (const l of ctLeaves) f.append(leafHash(l));
    expect(f.root().toString('hex')).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
    // A damaged stored frontier (a short hash) is refused, never hashed with leftovers of the previous node.
    const damaged = Frontier.parse(1, JSON.stringify(['abcd']));
    expect(() => damaged.append(leafHash(Buffer.from('x')))).toThrow(/not 32 bytes/);
  });

  it('frontier roots, stored subtrees and proofs agree with the definition for every size up to 70', async () => {
    const leaves = data(70);
    const hashes = leaves.map((l) => leafHash(l));
    const perfect = async (start: number, end: number): Promise<Buffer> => mth(leaves.slice(start, end));
    const f = Frontier.empty();
    for (let n = 1; n <= leaves.length; n++) {
      f.append(hashes[n - 1] as Buffer);
      const root = mth(leaves.slice(0, n));
      expect(f.root().equals(root)).toBe(true);
      expect((await subtreeHash(0, n, perfect)).equals(root)).toBe(true);
      for (const m of [0, Math.floor(n / 2), n - 1]) {
        const proof = await inclusionProof(m, n, perfect);
        expect(verifyInclusion(m, n, hashes[m] as Buffer, proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash(Buffer.from('other')), proof, root)).toBe(false);
      }
      for (const m of [1, Math.max(1, n - 3), n]) {
        if (m > n) continue;
        const proof = await consistencyProof(m, n, perfect);
        const old = mth(leaves.slice(0, m));
        expect(verifyConsistency(m, n, old, root, proof)).toBe(true);
        if (m < n) expect(verifyConsistency(m, n, leafHash(Buffer.from('x')), root, proof)).toBe(false);
      }
    }
  });

  it('reports completed subtrees at every eighth level and survives serialisation', () => {
    const f = Frontier.empty();
    const stored: string[] = [];
    for (let i = 0; i < 600; i++)
      f.append(leafHash(Buffer.from(String(i))), (n) => stored.push(`${n.level}:${n.index}`));
    expect(stored).toEqual(['8:0', '8:1']);
    const g = Frontier.parse(600, f.serialize());
    g.append(leafHash(Buffer.from('600')));
    f.append(leafHash(Buffer.from('600')));
    expect(g.root().equals(f.root())).toBe(true);
    expect(() => Frontier.parse(599, f.serialize())).toThrow();
  });
});

describe('C2SP checkpoints', () => {
  it('signs, parses and verifies a note; any change breaks it', () => {
    const { signer } = generateSigner('example.test/separ-audit/abcd');
    const root = leafHash(Buffer.from('x'));
    const note = signCheckpoint({ origin: signer.name, treeSize: 42, rootHash: root }, signer);
    expect(note.startsWith(checkpointBody({ origin: signer.name, treeSize: 42, rootHash: root }))).toBe(true);
    expect(note).toMatch(
      /^example\.test\/separ-audit\/abcd\n42\n[A-Za-z0-9+/]{43}=\n\n\u2014 example\.test\/separ-audit\/abcd [A-Za-z0-9+/]+=*\n$/,
    );
    const vkey = parseVerifierKey(verifierKey(signer.name, signer.publicKey));
    expect(verifyNote(parseCheckpoint(note), vkey)).toBe(true);
    expect(verifyNote(parseCheckpoint(note.replace('\n42\n', '\n43\n')), vkey)).toBe(false);
    const other = generateSigner(signer.name).signer;
    expect(verifyNote(parseCheckpoint(note), parseVerifierKey(verifierKey(other.name, other.publicKey)))).toBe(false);
    expect(() => parseCheckpoint('garbage')).toThrow();
  });
});

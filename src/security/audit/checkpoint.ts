import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/**
 * Signed checkpoints in the C2SP formats (c2sp.org/tlog-checkpoint, c2sp.org/signed-note):
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key id ‖ Ed25519 signature)>\n
 *
 * The signature covers the body (the first three lines with their newlines). The key id is the first four
 * bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key); 0x01 names Ed25519. The verifier key is
 * published as `<name>+<hex key id>+<base64(0x01 ‖ public key)>` (the Go `note` vkey form).
 */

const ED25519_ALG = 0x01;
const SIG_PREFIX = '\u2014 ';

export interface Checkpoint {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
}

export interface SignerKey {
  name: string;
  publicKey: Buffer;
  keyId: Buffer;
  privateKey: KeyObject;
}

export function keyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, ED25519_ALG]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function checkpointBody(c: Checkpoint): string {
  return `${c.origin}\n${c.treeSize}\n${c.rootHash.toString('base64')}\n`;
}

export function signCheckpoint(c: Checkpoint, key: SignerKey): string {
  const body = checkpointBody(c);
  const sig = sign(null, Buffer.from(body), key.privateKey);
  return `${body}\n${SIG_PREFIX}${key.name} ${Buffer.concat([key.keyId, sig]).toString('base64')}\n`;
}

export function verifierKey(name: string, publicKey: Buffer): string {
  return `${name}+${keyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519_ALG]), publicKey]).toString('base64')}`;
}

export interface ParsedVerifierKey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
}

export function parseVerifierKey(vkey: string): ParsedVerifierKey {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey.trim());
  if (!m?.[1] || !m[2] || !m[3]) throw new Error('not a verifier key (name+keyid+base64)');
  const raw = Buffer.from(m[3], 'base64');
  if (raw.length !== 33 || raw[0] !== ED25519_ALG) throw new Error('verifier key is not an Ed25519 key');
  const publicKey = raw.subarray(1);
  const id = keyId(m[1], publicKey);
  if (id.toString('hex') !== m[2]) throw new Error('verifier key id does not match its key');
  return { name: m[1], keyId: id, publicKey };
}

export interface ParsedNote {
  checkpoint: Checkpoint;
  body: string;
  signatures: { name: string; keyId: Buffer; signature: Buffer }[];
}

/** Parse a checkpoint note (signatures not checked). Throws on anything malformed. */
export function parseCheckpoint(note: string): ParsedNote {
  const split = note.indexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note');
  const body = note.slice(0, split + 1);
  const lines = body.slice(0, -1).split('\n');
  const [origin, size, root] = lines;
  if (lines.length < 3 || !origin || !size || !root) throw new Error('checkpoint body needs origin, size and root');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size)) throw new Error('checkpoint tree size is not a decimal number');
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root)
    throw new Error('checkpoint root is not base64 SHA-256');
  const signatures: ParsedNote['signatures'] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m?.[1] || !m[2]) throw new Error('malformed signature line');
    const raw = Buffer.from(m[2], 'base64');
    if (raw.length < 5) throw new Error('signature too short');
    signatures.push({ name: m[1], keyId: raw.subarray(0, 4), signature: raw.subarray(4) });
  }
  return { checkpoint: { origin, treeSize: Number(size), rootHash }, body, signatures };
}

/** True when one signature line is by this key and verifies. */
export function verifyNote(parsed: ParsedNote, key: ParsedVerifierKey): boolean {
  const pub = publicKeyObject(key.publicKey);
  return parsed.signatures.some(
    (s) =>
      s.name === key.name &&
      s.keyId.equals(key.keyId) &&
      s.signature.length === 64 &&
      verify(null, Buffer.from(parsed.body), pub, s.signature),
  );
}

export function publicKeyObject(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export function generateSigner(name: string): { signer: SignerKey; pkcs8: Buffer } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  const raw = Buffer.from(String(jwk.x), 'base64url');
  return {
    signer: { name, publicKey: raw, keyId: keyId(name, raw), privateKey },
    pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }),
  };
}

export function signerFrom(name: string, publicKey: Buffer, pkcs8: Buffer): SignerKey {
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const derived = Buffer.from(String(createPublicKey(privateKey).export({ format: 'jwk' }).x), 'base64url');
  if (!derived.equals(publicKey)) throw new Error('audit signing key does not match its public key');
  return { name, publicKey, keyId: keyId(name, publicKey), privateKey };
}

/** Sign arbitrary bytes (archive manifests) with the log key. */
export const signBytes = (key: SignerKey, data: Buffer): Buffer => sign(null, data, key.privateKey);

/**
 * What an archive's announcement (`audit.archive`) signs with the log's key: the segment moved out of the database.
 * Only a holder of the key can write one a verifier accepts — an `audit.archive` entry appended by someone with row
 * access proves nothing, since the next checkpoint would sign it as part of the log.
 */
export function archiveStatement(
  origin: string,
  fromSeq: number,
  toSeq: number,
  rootHash: string,
  entriesSha256: string,
): Buffer {
  return Buffer.from(`separ-audit-archive/1\n${origin}\n${fromSeq}\n${toSeq}\n${rootHash}\n${entriesSha256}\n`, 'utf8');
}

/** Is `signature` (base64) this key's over `statement`? */
export function verifyStatement(statement: Buffer, signature: unknown, key: ParsedVerifierKey): boolean {
  if (typeof signature !== 'string') return false;
  const sig = Buffer.from(signature, 'base64');
  return sig.length === 64 && verify(null, statement, publicKeyObject(key.publicKey), sig);
}

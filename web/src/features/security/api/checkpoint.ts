import { api, unwrap } from '../../../lib/api/client';

/**
 * The audit log's latest signed checkpoint (C2SP signed note), verified in the browser: the Ed25519 signature over
 * the body must be by the log's verifier key. Compare the key id shown with the one you pinned when the log was
 * set up — a server that swapped its key would still sign "valid" checkpoints with the new one.
 */
export interface CheckpointStatus {
  verified: boolean;
  treeSize: number;
  keyId: string;
  /** Why it did not verify (for the tooltip); empty when verified. */
  problem: string;
}

const b64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const hex = (b: Uint8Array<ArrayBuffer>): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

export async function verifyLatestCheckpoint(): Promise<CheckpointStatus> {
  const cp = await unwrap(api.GET('/api/v1/audit/checkpoints/latest'));
  const fail = (problem: string): CheckpointStatus => ({ verified: false, treeSize: cp.treeSize, keyId: '', problem });
  const vkey = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(cp.verifierKey.trim());
  if (!vkey?.[1] || !vkey[2] || !vkey[3]) return fail('verifier key unreadable');
  const [, name, keyId, keyB64] = vkey;
  const keyBytes = b64(keyB64);
  if (keyBytes.length !== 33 || keyBytes[0] !== 1) return fail('verifier key is not Ed25519');
  const split = cp.checkpoint.indexOf('\n\n');
  if (split < 0) return fail('not a signed note');
  const body = cp.checkpoint.slice(0, split + 1);
  const [origin, size] = body.split('\n');
  if (origin !== cp.origin || Number(size) !== cp.treeSize) return fail('checkpoint does not match its fields');
  const sigLine = cp.checkpoint
    .slice(split + 2)
    .split('\n')
    .map((l) => /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(l))
    .find((m) => m?.[1] === name);
  if (!sigLine?.[2]) return fail('no signature by the log key');
  const raw = b64(sigLine[2]);
  if (hex(raw.slice(0, 4)) !== keyId || raw.length !== 68) return fail('signature is not by the log key');
  try {
    const key = await crypto.subtle.importKey('raw', keyBytes.slice(1), { name: 'Ed25519' }, false, ['verify']);
    const ok = await crypto.subtle.verify('Ed25519', key, raw.slice(4), new TextEncoder().encode(body));
    return ok ? { verified: true, treeSize: cp.treeSize, keyId, problem: '' } : fail('signature does not verify');
  } catch {
    return fail('this browser cannot check Ed25519 signatures');
  }
}

import { randomBytes } from 'node:crypto';
import type { CryptoService, SecretResealer } from '../crypto/index.js';
import type { AuditRepository } from './audit.repository.js';
import { generateSigner, keyId, signerFrom, verifierKey, type SignerKey } from './checkpoint.js';
import type { AuditKeysTable } from '../../db/index.js';

export const SIGNING_PURPOSE = 'audit-signing';

/**
 * The log's Ed25519 key. Its private half is stored only sealed by the key hierarchy
 * (CryptoService.sealSecret: a key derived from the active KEK, which the root wraps — in the HSM when one
 * is configured), bound to the key id; it is opened once per process and kept as a non-exportable KeyObject.
 * The first instance to start creates it; others (and later processes) open the same one.
 */
export async function loadSigningKey(
  repo: AuditRepository,
  crypto: CryptoService,
  originHost: string,
  now: string,
): Promise<{ signer: SignerKey; vkey: string }> {
  let row = await repo.activeKey();
  if (!row) {
    const name = `${originHost.replace(/[^A-Za-z0-9.-]/g, '-') || 'localhost'}/separ-audit/${randomBytes(4).toString('hex')}`;
    const { signer, pkcs8 } = generateSigner(name);
    const id = signer.keyId.toString('hex');
    const candidate: AuditKeysTable = {
      key_id: id,
      name,
      public_key: signer.publicKey.toString('base64'),
      sealed_private: crypto.sealSecret(SIGNING_PURPOSE, id, pkcs8),
      created_at: now,
      retired_at: null,
    };
    pkcs8.fill(0);
    row = await repo.insertKeyIfNone(candidate, now);
  }
  return open(row, crypto);
}

export function open(row: AuditKeysTable, crypto: CryptoService): { signer: SignerKey; vkey: string } {
  const publicKey = Buffer.from(row.public_key, 'base64');
  if (keyId(row.name, publicKey).toString('hex') !== row.key_id) {
    throw new Error('audit signing key row is inconsistent (key id does not match name and public key)');
  }
  const pkcs8 = crypto.openSecret(SIGNING_PURPOSE, row.key_id, row.sealed_private);
  try {
    return { signer: signerFrom(row.name, publicKey, pkcs8), vkey: verifierKey(row.name, publicKey) };
  } finally {
    pkcs8.fill(0);
  }
}

/** The log's signing keys (retired ones too) re-sealed under the active KEK when a rotation finishes. */
export function signingKeyResealer(repo: AuditRepository, crypto: CryptoService): SecretResealer {
  const stale = async (): Promise<AuditKeysTable[]> =>
    (await repo.keys()).filter((k) => crypto.secretIsStale(k.sealed_private));
  return {
    name: 'audit-signing-keys',
    stale: async () => (await stale()).length,
    reseal: async () => {
      let resealed = 0;
      let unreadable = 0;
      for (const k of await stale()) {
        let pkcs8: Buffer;
        try {
          pkcs8 = crypto.openSecret(SIGNING_PURPOSE, k.key_id, k.sealed_private);
        } catch {
          unreadable++;
          continue;
        }
        try {
          const fresh = crypto.sealSecret(SIGNING_PURPOSE, k.key_id, pkcs8);
          if (await repo.resealKey(k.key_id, k.sealed_private, fresh)) resealed++;
        } finally {
          pkcs8.fill(0);
        }
      }
      return { resealed, unreadable };
    },
  };
}

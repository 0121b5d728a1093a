import type { SecretResealer } from '../../crypto/index.js';
import type { HierarchySecretSealer } from '../hierarchy-secret-sealer.js';
import type { MfaRepository } from './mfa.repository.js';
import { sealPurpose } from './totp.service.js';

const COLUMNS = [
  ['secret_sealed', false],
  ['pending_secret_sealed', true],
] as const;

/**
 * TOTP seeds re-sealed under the active KEK when a rotation finishes (and seeds still sealed by the interim
 * installation-key sealer moved under the hierarchy on the way). A seed enrolled again meanwhile is left alone:
 * the new one was sealed under the active KEK anyway.
 */
export function totpResealer(mfa: MfaRepository, sealer: HierarchySecretSealer): SecretResealer {
  const stale = async (): Promise<{ userId: string; column: (typeof COLUMNS)[number]; sealed: string }[]> =>
    (await mfa.sealedTotp()).flatMap((row) =>
      COLUMNS.flatMap((column) => {
        const sealed = row[column[0]];
        return sealed !== null && sealer.isStale(sealed) ? [{ userId: row.user_id, column, sealed }] : [];
      }),
    );
  return {
    name: 'totp-seeds',
    stale: async () => (await stale()).length,
    reseal: async () => {
      let resealed = 0;
      let unreadable = 0;
      for (const { userId, column, sealed } of await stale()) {
        const purpose = sealPurpose(userId, column[1]);
        let seed: string;
        try {
          seed = await sealer.open(purpose, sealed);
        } catch {
          unreadable++;
          continue;
        }
        if (await mfa.resealTotp(userId, column[0], sealed, await sealer.seal(purpose, seed))) resealed++;
      }
      return { resealed, unreadable };
    },
  };
}

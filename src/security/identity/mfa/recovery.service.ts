import type { Clock } from '../../../platform/clock.js';
import { newId } from '../../../platform/ids.js';
import type { IdentityStore } from '../identity.repository.js';
import { newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT, recoveryCodeHash } from './recovery-codes.js';

export interface RecoveryCodeStats {
  total: number;
  remaining: number;
  createdAt: string | null;
}

/** Ten single-use recovery codes per user, stored hashed; shown once when (re)generated. */
export class RecoveryCodeService {
  constructor(private readonly deps: { store: IdentityStore; clock: Clock }) {}

  /** Replaces the user's codes with ten new ones and returns them (the only time they are visible). */
  async regenerate(userId: string): Promise<string[]> {
    const now = this.deps.clock.now();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.deps.store.transaction((tx) =>
      tx.mfa.replaceRecoveryCodes(
        userId,
        codes.map((c) => ({
          id: newId(now.getTime()),
          user_id: userId,
          code_hash: recoveryCodeHash(userId, normalizeRecoveryCode(c) ?? c),
          created_at: now.toISOString(),
          used_at: null,
        })),
      ),
    );
    return codes;
  }

  /** Uses one code: true when it was the user's and unused (it is used up now). */
  async use(userId: string, input: string): Promise<boolean> {
    const normalized = normalizeRecoveryCode(input);
    if (normalized === null) return false;
    return this.deps.store.repos.mfa.useRecoveryCode(
      userId,
      recoveryCodeHash(userId, normalized),
      this.deps.clock.now().toISOString(),
    );
  }

  stats(userId: string): Promise<RecoveryCodeStats> {
    return this.deps.store.repos.mfa.recoveryCodeStats(userId);
  }
}

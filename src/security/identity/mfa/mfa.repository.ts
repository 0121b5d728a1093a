import type { Kysely } from 'kysely';
import type { Database, MfaTotpTable, RecoveryCodesTable, WebauthnCredentialsTable } from '../../../db/index.js';

export type TotpRow = MfaTotpTable;
export type WebauthnCredentialRow = WebauthnCredentialsTable;
export type RecoveryCodeRow = RecoveryCodesTable;

/** MFA factors: TOTP seeds (sealed), WebAuthn public-key credentials, hashed recovery codes. */
export class MfaRepository {
  constructor(private readonly db: Kysely<Database>) {}

  // TOTP

  findTotp(userId: string): Promise<TotpRow | undefined> {
    return this.db.selectFrom('mfa_totp').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  /** Stores a secret being enrolled; an active secret, if any, stays in force until the new one is confirmed. */
  async setPendingTotp(userId: string, sealed: string, now: string): Promise<void> {
    await this.db
      .insertInto('mfa_totp')
      .values({
        user_id: userId,
        secret_sealed: null,
        pending_secret_sealed: sealed,
        pending_created_at: now,
        last_counter: 0,
        confirmed_at: null,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({ pending_secret_sealed: sealed, pending_created_at: now, updated_at: now }),
      )
      .execute();
  }

  /**
   * Makes the enrolment whose pending secret is still `pendingSealed` the active one (`activeSealed`, the same
   * seed sealed for its new purpose), with the time step its confirmation code used.
   */
  async confirmTotp(
    userId: string,
    pendingSealed: string,
    activeSealed: string,
    counter: number,
    now: string,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('mfa_totp')
      .set({
        secret_sealed: activeSealed,
        pending_secret_sealed: null,
        pending_created_at: null,
        last_counter: counter,
        confirmed_at: now,
        updated_at: now,
      })
      .where('user_id', '=', userId)
      .where('pending_secret_sealed', '=', pendingSealed)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /**
   * Records that time step `counter` was used, only if it is later than any used before: the compare-and-set
   * that makes each code single-use even under concurrent requests.
   */
  async advanceTotpCounter(userId: string, counter: number, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('mfa_totp')
      .set({ last_counter: counter, updated_at: now })
      .where('user_id', '=', userId)
      .where('secret_sealed', 'is not', null)
      .where('last_counter', '<', counter)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  /** Every stored seed, active and pending (a rotation re-seals them under the new KEK). */
  sealedTotp(): Promise<Pick<TotpRow, 'user_id' | 'secret_sealed' | 'pending_secret_sealed'>[]> {
    return this.db.selectFrom('mfa_totp').select(['user_id', 'secret_sealed', 'pending_secret_sealed']).execute();
  }

  /** Replaces one sealed seed by the same seed sealed anew, unless it changed meanwhile (enrolled again). */
  async resealTotp(
    userId: string,
    column: 'secret_sealed' | 'pending_secret_sealed',
    before: string,
    after: string,
  ): Promise<boolean> {
    const r = await this.db
      .updateTable('mfa_totp')
      .set({ [column]: after })
      .where('user_id', '=', userId)
      .where(column, '=', before)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async deleteTotp(userId: string): Promise<number> {
    const r = await this.db.deleteFrom('mfa_totp').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  // WebAuthn

  listCredentials(userId: string): Promise<WebauthnCredentialRow[]> {
    return this.db
      .selectFrom('webauthn_credentials')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  findCredential(id: string): Promise<WebauthnCredentialRow | undefined> {
    return this.db.selectFrom('webauthn_credentials').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertCredential(row: WebauthnCredentialRow): Promise<void> {
    await this.db.insertInto('webauthn_credentials').values(row).execute();
  }

  /** Moves the signature counter forward from `expected` (compare-and-set against concurrent use). */
  async useCredential(id: string, expected: number, counter: number, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('webauthn_credentials')
      .set({ counter, last_used_at: now })
      .where('id', '=', id)
      .where('counter', '=', expected)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async deleteCredential(userId: string, id: string): Promise<number> {
    const r = await this.db
      .deleteFrom('webauthn_credentials')
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async deleteCredentials(userId: string): Promise<number> {
    const r = await this.db.deleteFrom('webauthn_credentials').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  // Recovery codes

  async replaceRecoveryCodes(userId: string, rows: readonly RecoveryCodeRow[]): Promise<void> {
    await this.db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    if (rows.length > 0)
      await this.db
        .insertInto('recovery_codes')
        .values([...rows])
        .execute();
  }

  /** Marks the unused code with this hash used; false when there is none (wrong, or already used). */
  async useRecoveryCode(userId: string, codeHash: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('recovery_codes')
      .set({ used_at: now })
      .where('user_id', '=', userId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return r.numUpdatedRows > 0n;
  }

  async recoveryCodeStats(userId: string): Promise<{ total: number; remaining: number; createdAt: string | null }> {
    const rows = await this.db
      .selectFrom('recovery_codes')
      .select(['used_at', 'created_at'])
      .where('user_id', '=', userId)
      .execute();
    return {
      total: rows.length,
      remaining: rows.filter((r) => r.used_at === null).length,
      createdAt: rows[0]?.created_at ?? null,
    };
  }

  async deleteRecoveryCodes(userId: string): Promise<number> {
    const r = await this.db.deleteFrom('recovery_codes').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

import { sql } from 'kysely';
import type { Db } from '../../db/index.js';
import type { IndexEpochsTable, KeksTable, KeyRotationsTable, SubjectKeysTable } from '../../db/database.js';

/** The key store: wrapped KEKs, wrapped subject DEKs, blind-index epochs and rows, rotation state. */
export class KeyStoreRepository {
  constructor(private readonly db: Db) {}

  /** Whether the key store exists and holds keys (false on a database not yet migrated). */
  async hasKeks(): Promise<boolean> {
    try {
      const r = await this.db.kysely.selectFrom('keks').select('id').limit(1).execute();
      return r.length > 0;
    } catch {
      return false;
    }
  }

  keks(): Promise<KeksTable[]> {
    return this.db.kysely.selectFrom('keks').selectAll().orderBy('version').execute();
  }

  async insertKek(row: KeksTable): Promise<void> {
    await this.db.kysely.insertInto('keks').values(row).execute();
  }

  async setKekStatus(id: string, status: string, at: string | null): Promise<void> {
    await this.db.kysely.updateTable('keks').set({ status, retired_at: at }).where('id', '=', id).execute();
  }

  epochs(): Promise<IndexEpochsTable[]> {
    return this.db.kysely.selectFrom('index_epochs').selectAll().orderBy('epoch').execute();
  }

  async insertEpoch(row: IndexEpochsTable): Promise<void> {
    await this.db.kysely.insertInto('index_epochs').values(row).execute();
  }

  async setEpochStatus(epoch: number, status: string): Promise<void> {
    await this.db.kysely.updateTable('index_epochs').set({ status }).where('epoch', '=', epoch).execute();
  }

  activeDek(subjectType: string, subjectId: string): Promise<SubjectKeysTable | undefined> {
    return this.db.kysely
      .selectFrom('subject_keys')
      .selectAll()
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .where('destroyed_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('dek_id', 'desc')
      .executeTakeFirst();
  }

  dek(dekId: string): Promise<SubjectKeysTable | undefined> {
    return this.db.kysely.selectFrom('subject_keys').selectAll().where('dek_id', '=', dekId).executeTakeFirst();
  }

  async insertDek(row: SubjectKeysTable): Promise<void> {
    await this.db.kysely.insertInto('subject_keys').values(row).execute();
  }

  async rewrapDek(dekId: string, kekId: string, wrapped: string): Promise<void> {
    await this.db.kysely
      .updateTable('subject_keys')
      .set({ kek_id: kekId, wrapped })
      .where('dek_id', '=', dekId)
      .where('destroyed_at', 'is', null)
      .execute();
  }

  /**
   * Crypto-shredding: the wrapped keys are overwritten; every ciphertext under them becomes noise. Repeated until no
   * live key is left: on PostgreSQL an update that waited for a record write holding one of these keys (see
   * RecordRepository.update, `openedWith`) does not see a key that write minted and committed meanwhile.
   */
  async destroySubjectKeys(subjectType: string, subjectId: string, at: string): Promise<string[]> {
    const destroyed: string[] = [];
    for (;;) {
      const rows = await this.db.kysely
        .updateTable('subject_keys')
        .set({ wrapped: null, destroyed_at: at })
        .where('subject_type', '=', subjectType)
        .where('subject_id', '=', subjectId)
        .where('destroyed_at', 'is', null)
        .returning('dek_id')
        .execute();
      if (rows.length === 0) return destroyed;
      destroyed.push(...rows.map((r) => r.dek_id));
    }
  }

  /** DEKs still wrapped by other KEKs than `kekId`, in batches (rotation sweep). */
  deksNotUnder(kekId: string, limit: number): Promise<SubjectKeysTable[]> {
    return this.db.kysely
      .selectFrom('subject_keys')
      .selectAll()
      .where('kek_id', '<>', kekId)
      .where('destroyed_at', 'is', null)
      .orderBy('dek_id')
      .limit(limit)
      .execute();
  }

  async countDeksByKek(): Promise<{ kek_id: string; n: number }[]> {
    const r = await sql<{
      kek_id: string;
      n: number;
    }>`select kek_id, count(*) as n from subject_keys where destroyed_at is null group by kek_id`.execute(
      this.db.kysely,
    );
    return r.rows.map((x) => ({ kek_id: x.kek_id, n: Number(x.n) }));
  }

  async countBlindIndexesByEpoch(): Promise<{ epoch: number; n: number }[]> {
    const r = await sql<{
      epoch: number;
      n: number;
    }>`select epoch, count(*) as n from blind_indexes group by epoch`.execute(this.db.kysely);
    return r.rows.map((x) => ({ epoch: Number(x.epoch), n: Number(x.n) }));
  }

  async deleteEpochIndexes(epoch: number): Promise<void> {
    await this.db.kysely.deleteFrom('blind_indexes').where('epoch', '=', epoch).execute();
  }

  rotations(): Promise<KeyRotationsTable[]> {
    return this.db.kysely.selectFrom('key_rotations').selectAll().orderBy('started_at').execute();
  }

  /**
   * A rotation's start in one transaction: the new KEK (active), the old one retiring, the new index epoch (building)
   * and the running rotation. False, writing nothing, when a rotation is already running. Done step by step, a crash
   * between the steps left two active KEKs and no rotation to resume, and two concurrent starts each began one.
   * PostgreSQL serialises concurrent starts with a table lock; SQLite's write transactions already are serial.
   */
  async beginRotation(
    kek: KeksTable,
    fromKekId: string,
    epoch: IndexEpochsTable,
    rotation: KeyRotationsTable,
  ): Promise<boolean> {
    return this.db.kysely.transaction().execute(async (trx) => {
      if (this.db.dialect === 'postgres') await sql`lock table key_rotations in share row exclusive mode`.execute(trx);
      const running = await trx
        .selectFrom('key_rotations')
        .select('id')
        .where('state', '=', 'running')
        .executeTakeFirst();
      if (running) return false;
      await trx.insertInto('keks').values(kek).execute();
      await trx.updateTable('keks').set({ status: 'retiring', retired_at: null }).where('id', '=', fromKekId).execute();
      await trx.insertInto('index_epochs').values(epoch).execute();
      await trx.insertInto('key_rotations').values(rotation).execute();
      return true;
    });
  }

  async updateRotation(id: string, changes: Partial<KeyRotationsTable>): Promise<void> {
    await this.db.kysely.updateTable('key_rotations').set(changes).where('id', '=', id).execute();
  }
}

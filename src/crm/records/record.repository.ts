import { sql, type RawBuilder, type Transaction } from 'kysely';
import { QueryShapes, REGISTRY_STAMP_LOCK, type Db } from '../../db/index.js';
import type { Database } from '../../db/database.js';
import type { RecordScope } from '../../security/access/index.js';
import type { ObjectDefinition } from './object-definition.js';
import type { ListPlan } from './record-query.js';
import { afterCondition, customValueSql, filterConditions } from './record-filter.repository.js';
import { searchCondition } from './record-search.repository.js';

export type Row = Record<string, unknown>;
type Executor = Db['kysely'] | Transaction<Database>;

const COMMON_COLUMNS = [
  'id',
  'owner_id',
  'tags',
  'custom',
  'version',
  'created_at',
  'updated_at',
  'deleted_at',
  'masks',
];

/** A record's envelope: its sealed values and their key id (the wrapped subject key comes by a join). */
const ENVELOPE_COLUMNS = ['sealed', 'sealed_kid'];

export interface NewDekRow {
  dek_id: string;
  kek_id: string;
  wrapped: string;
  subject_type: string;
  subject_id: string;
  created_at: string;
}

export interface LinkChanges {
  /** A subject key minted for this record, inserted in the same transaction. */
  dek?: NewDekRow;
  /** The record's complete blind-index entries (replace what was there). */
  indexes?: { field: string; entries: { epoch: number; value: number }[] }[];
  tags?: string[];
  dealContacts?: string[];
  related?: { type: string; id: string }[];
}

/**
 * The one repository behind every CRM object. Table and column names come from the object
 * definitions (never from input); every value is a bound parameter; the caller's record scope is
 * part of every query.
 */
export class RecordRepository {
  private readonly shapes: QueryShapes<Database>;
  private readonly selectLists = new Map<string, RawBuilder<unknown>>();

  constructor(private readonly db: Db) {
    this.shapes = new QueryShapes(db.kysely);
  }

  private columns(def: ObjectDefinition): string[] {
    return [...COMMON_COLUMNS, ...ENVELOPE_COLUMNS, ...def.fields.filter((f) => !f.virtual).map((f) => f.column)];
  }

  /**
   * The columns of a record, quoted once per object (they come from its definition); with its envelope and wrapped
   * subject key unless `envelopes` is false — a read for display whose values nothing will decrypt leaves them out
   * (a row without them has no `sealed` property at all, which the record view refuses to show in clear).
   */
  private selectList(def: ObjectDefinition, envelopes = true): RawBuilder<unknown> {
    const key = `${def.table}|${envelopes}`;
    let list = this.selectLists.get(key);
    if (!list) {
      const cols = envelopes ? this.columns(def) : this.columns(def).filter((c) => !ENVELOPE_COLUMNS.includes(c));
      const quoted = cols.map((c) => `"t".${quoteIdent(c)}`);
      list = sql.raw((envelopes ? [...quoted, '"sk"."wrapped" as "dek_wrapped"'] : quoted).join(', '));
      this.selectLists.set(key, list);
    }
    return list;
  }

  /** The record's wrapped subject key travels with the row: no second query to decrypt it. */
  private readonly dekJoin = sql` left join subject_keys sk on sk.dek_id = t.sealed_kid`;

  private from(def: ObjectDefinition, envelopes: boolean): RawBuilder<unknown> {
    return envelopes ? sql`${sql.table(def.table)} t${this.dekJoin}` : sql`${sql.table(def.table)} t`;
  }

  /**
   * The record scope as a condition. `secondary`: another condition (a blind-index match) picks a handful of
   * rows, so on SQLite, which has no statistics to tell, the owner index must not drive the query (it would
   * walk every record of the owner to find them).
   */
  private scopeSql(scope: RecordScope, secondary = false): RawBuilder<unknown> {
    const owner = secondary && this.db.dialect === 'sqlite' ? sql`+t.owner_id` : sql`t.owner_id`;
    switch (scope.kind) {
      case 'all':
        return sql``;
      case 'own':
        return sql` and ${owner} = ${scope.userId}`;
      case 'team':
        return scope.userIds.length === 0 ? sql` and 1 = 0` : sql` and ${owner} in (${sql.join([...scope.userIds])})`;
    }
  }

  async findById(
    def: ObjectDefinition,
    id: string,
    scope: RecordScope,
    includeDeleted = false,
    envelopes = true,
  ): Promise<Row | undefined> {
    const deleted = includeDeleted ? sql`` : sql` and t.deleted_at is null`;
    const shape = `${def.table}|by-id|${includeDeleted}|${envelopes}|${scopeShape(scope)}`;
    const rows = await this.shapes.rows(shape, [id, ...scopeParams(scope)], () =>
      sql<Row>`select ${this.selectList(def, envelopes)} from ${this.from(def, envelopes)} where t.id = ${id}${deleted}${this.scopeSql(scope)}`.compile(
        this.db.kysely,
      ),
    );
    return rows[0];
  }

  /** Of `ids`, those that exist (not deleted) within `scope` — "not found or no access" for the rest. */
  async visibleIds(table: string, ids: readonly string[], scope: RecordScope): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const r = await sql<{
      id: string;
    }>`select t.id from ${sql.table(table)} t where t.id in (${sql.join(ids)}) and t.deleted_at is null${this.scopeSql(scope)}`.execute(
      this.db.kysely,
    );
    return new Set(r.rows.map((x) => x.id));
  }

  async list(def: ObjectDefinition, plan: ListPlan, scope: RecordScope, envelopes = true): Promise<Row[]> {
    const where: RawBuilder<unknown>[] = [plan.deleted ? sql`t.deleted_at is not null` : sql`t.deleted_at is null`];
    const scoped = this.scopeSql(
      scope,
      plan.filters.some((f) => f.kind === 'blind'),
    );
    if (scope.kind !== 'all') where.push(sql`1 = 1${scoped}`);
    const filters = filterConditions(this.db, def, plan.filters);
    for (const f of filters) where.push(f.sql);
    if (plan.searchTokens) {
      const alone = plan.filters.length === 0 && !plan.deleted;
      where.push(await searchCondition(this.db, def, plan.searchTokens, plan.sort, alone));
    }
    const t = plan.sort.target;
    const sortExpr = t.kind === 'column' ? sql.ref(`t.${t.column}`) : customValueSql(this.db, t.key, t.fieldType);
    const desc = plan.sort.direction === 'desc';
    const notNull = t.kind === 'column' && t.notNull;
    const after = plan.after ? afterCondition(sortExpr, desc, notNull, plan.after) : null;
    if (after) where.push(after.sql);
    const dir = desc ? sql`desc` : sql`asc`;
    const order = notNull
      ? sql`${sortExpr} ${dir}, t.id ${dir}`
      : sql`(${sortExpr} is null) asc, ${sortExpr} ${dir}, t.id ${dir}`;
    const query = sql<Row>`select ${this.selectList(def, envelopes)}, ${sortExpr} as sort_value from ${this.from(def, envelopes)} where ${sql.join(where, sql` and `)} order by ${order} limit ${plan.limit + 1}`;
    if (plan.searchTokens !== null || t.kind !== 'column') return (await query.execute(this.db.kysely)).rows;
    // A page without a search, in the order of a column, has one text per shape: compiled once. Its values, in the
    // order the query binds them: scope, filters, cursor, limit.
    const shape = [def.table, 'page', envelopes, plan.deleted, scopeShape(scope), ...filters.map((f) => f.shape)];
    shape.push(t.column, notNull, plan.sort.direction, after?.shape ?? 'first');
    const params = [
      ...scopeParams(scope),
      ...filters.flatMap((f) => f.params),
      ...(after?.params ?? []),
      plan.limit + 1,
    ];
    // Prepared on PostgreSQL only in the few forms every client uses: a page in creation or update order, of all or
    // of one's own records, unfiltered or by one exact lookup. Other combinations are compiled once, not prepared.
    const few =
      scope.kind !== 'team' &&
      (t.column === 'created_at' || t.column === 'updated_at') &&
      (filters.length === 0 || (filters.length === 1 && filters[0]?.shape === 'blind'));
    return this.shapes.rows(shape.join('|'), params, () => query.compile(this.db.kysely), this.db.kysely, few);
  }

  /** Insert a record and its links; false (nothing written) when `registryStamp` is no longer the registry's. */
  async insert(
    def: ObjectDefinition,
    row: Row,
    links: LinkChanges,
    opts: { registryStamp?: string | null } = {},
  ): Promise<boolean> {
    return this.db.kysely.transaction().execute(async (trx) => {
      if (opts.registryStamp !== undefined && !(await this.stampHolds(trx, opts.registryStamp))) return false;
      const cols = Object.keys(row);
      await sql`insert into ${sql.table(def.table)} (${sql.join(cols.map((c) => sql.ref(c)))}) values (${sql.join(
        cols.map((c) => row[c]),
      )})`.execute(trx);
      await this.writeLinks(trx, def, String(row.id), links, true);
      return true;
    });
  }

  /**
   * Is `stamp` still the field registry's? A record stored by a classification the registry no longer has (another
   * instance changed it meanwhile) would land after that change's sweep and undo it. On PostgreSQL the write holds
   * the registry lock shared until it commits (REGISTRY_STAMP_LOCK): a change waits for it, or it sees the change.
   */
  private async stampHolds(trx: Executor, stamp: string | null): Promise<boolean> {
    const r =
      this.db.dialect === 'postgres'
        ? await sql<{
            value: string | null;
          }>`select (select value from settings where key = 'registry_stamp') as value, pg_advisory_xact_lock_shared(${REGISTRY_STAMP_LOCK}) as locked`.execute(
            trx,
          )
        : await sql<{ value: string | null }>`select value from settings where key = 'registry_stamp'`.execute(trx);
    return (r.rows[0]?.value ?? null) === stamp;
  }

  /**
   * Update when the version matches; returns the new version, or null when nothing matched.
   *
   * `registryStamp`: the field registry's stamp the caller decided the record's storage by (which values are
   * sealed, indexed, searchable); the update applies only while it is still the registry's.
   *
   * `openedWith`: the subject key the caller opened the record's sensitive values with. The update applies only while
   * that key is not destroyed: crypto-shredding does not change the record's version, so a write prepared from
   * values read just before the shred would otherwise put them back — re-sealed under a key of its own (a rotation
   * mints one), readable again. The key's row is locked until the commit on PostgreSQL (SQLite's write transaction
   * excludes the shred anyway); a shred that waited on it then finds the key minted here (destroySubjectKeys).
   */
  async update(
    def: ObjectDefinition,
    id: string,
    expectedVersion: number,
    scope: RecordScope,
    changes: Row,
    links: LinkChanges,
    opts: { bumpVersion?: boolean; includeDeleted?: boolean; openedWith?: string; registryStamp?: string | null } = {},
  ): Promise<number | null> {
    return this.db.kysely.transaction().execute(async (trx) => {
      if (opts.registryStamp !== undefined && !(await this.stampHolds(trx, opts.registryStamp))) return null;
      if (opts.openedWith !== undefined) {
        const lock = this.db.dialect === 'postgres' ? sql` for update` : sql``;
        const alive =
          await sql`select 1 as alive from subject_keys where dek_id = ${opts.openedWith} and destroyed_at is null${lock}`.execute(
            trx,
          );
        if (alive.rows.length === 0) return null;
      }
      const sets = Object.entries(changes).map(([c, v]) => sql`${sql.ref(c)} = ${v}`);
      if (opts.bumpVersion !== false) sets.push(sql`version = version + 1`);
      const live = opts.includeDeleted ? sql`` : sql` and t.deleted_at is null`;
      const r = await sql<{
        version: number;
      }>`update ${sql.table(def.table)} as t set ${sql.join(sets)} where t.id = ${id} and t.version = ${expectedVersion}${live}${this.scopeSql(scope)} returning version`.execute(
        trx,
      );
      const updated = r.rows[0];
      if (!updated) return null;
      await this.writeLinks(trx, def, id, links);
      return updated.version;
    });
  }

  async setDeleted(
    def: ObjectDefinition,
    id: string,
    scope: RecordScope,
    deletedAt: string | null,
    updatedAt: string,
    by: string,
    expectedVersion: number | null,
  ): Promise<boolean> {
    const state = deletedAt === null ? sql`t.deleted_at is not null` : sql`t.deleted_at is null`;
    const version = expectedVersion === null ? sql`` : sql` and t.version = ${expectedVersion}`;
    const r = await sql<{
      id: string;
    }>`update ${sql.table(def.table)} as t set deleted_at = ${deletedAt}, updated_at = ${updatedAt}, updated_by = ${by}, version = version + 1 where t.id = ${id} and ${state}${version}${this.scopeSql(scope)} returning id`.execute(
      this.db.kysely,
    );
    return r.rows.length > 0;
  }

  /**
   * Replace the record's link rows with `links`. `fresh`: the record was inserted in this transaction with a new id,
   * so it has none to delete (one statement fewer per kind of link — a round trip each on PostgreSQL).
   */
  private async writeLinks(
    trx: Executor,
    def: ObjectDefinition,
    id: string,
    links: LinkChanges,
    fresh = false,
  ): Promise<void> {
    if (links.dek) {
      await sql`insert into subject_keys (dek_id, subject_type, subject_id, kek_id, wrapped, created_at) values (${links.dek.dek_id}, ${links.dek.subject_type}, ${links.dek.subject_id}, ${links.dek.kek_id}, ${links.dek.wrapped}, ${links.dek.created_at})`.execute(
        trx,
      );
    }
    if (links.indexes) {
      if (!fresh) await sql`delete from blind_indexes where object = ${def.name} and record_id = ${id}`.execute(trx);
      const rows = links.indexes.flatMap((ix) =>
        ix.entries.map((e) => sql`(${def.name}, ${ix.field}, ${e.epoch}, ${e.value}, ${id})`),
      );
      if (rows.length > 0) {
        await sql`insert into blind_indexes (object, field, epoch, value, record_id) values ${sql.join(rows)}`.execute(
          trx,
        );
      }
    }
    if (links.tags) {
      if (!fresh) await sql`delete from record_tags where object = ${def.name} and record_id = ${id}`.execute(trx);
      if (links.tags.length > 0) {
        await sql`insert into record_tags (object, record_id, tag) values ${sql.join(
          links.tags.map((t) => sql`(${def.name}, ${id}, ${t})`),
        )}`.execute(trx);
      }
    }
    if (links.dealContacts) {
      if (!fresh) await sql`delete from deal_contacts where deal_id = ${id}`.execute(trx);
      if (links.dealContacts.length > 0) {
        await sql`insert into deal_contacts (deal_id, contact_id) values ${sql.join(
          links.dealContacts.map((c) => sql`(${id}, ${c})`),
        )}`.execute(trx);
      }
    }
    if (links.related) {
      if (!fresh) await sql`delete from activity_links where activity_id = ${id}`.execute(trx);
      if (links.related.length > 0) {
        await sql`insert into activity_links (activity_id, object, record_id) values ${sql.join(
          links.related.map((r) => sql`(${id}, ${r.type}, ${r.id})`),
        )}`.execute(trx);
      }
    }
  }

  /** Activities linked to any of `targets`, newest first (the timeline of a record). */
  async timeline(
    targets: { object: string; ids: string[] }[],
    scope: RecordScope,
    limit: number,
    after: { value: string; id: string } | null,
    activityColumns: string[],
    /** Order by creation only: for an actor who may not read due or completion dates (the order would tell them). */
    byCreation = false,
  ): Promise<Row[]> {
    const ors = targets
      .filter((t) => t.ids.length > 0)
      .map((t) => sql`(al.object = ${t.object} and al.record_id in (${sql.join(t.ids)}))`);
    if (ors.length === 0) return [];
    const key = byCreation ? sql`t.created_at` : sql`coalesce(t.completed_at, t.due_at, t.created_at)`;
    const own = this.scopeSql(scope);
    const cursor = after ? sql` and (${key}, t.id) < (${after.value}, ${after.id})` : sql``;
    const cols = sql.join(['id', ...activityColumns].map((c) => sql.ref(`t.${c}`)));
    const r =
      await sql<Row>`select ${cols}, sk.wrapped as dek_wrapped, ${key} as sort_value from activities t${this.dekJoin} where t.deleted_at is null${own}${cursor} and exists (select 1 from activity_links al where al.activity_id = t.id and (${sql.join(
        ors,
        sql` or `,
      )})) order by ${key} desc, t.id desc limit ${limit + 1}`.execute(this.db.kysely);
    return r.rows;
  }

  /** Ids of live records of `table` whose `column` equals `value` (e.g. contacts of a company). */
  async idsWhere(table: string, column: string, value: string, scope: RecordScope, max = 1000): Promise<string[]> {
    const r = await sql<{
      id: string;
    }>`select t.id from ${sql.table(table)} t where ${sql.ref(`t.${column}`)} = ${value} and t.deleted_at is null${this.scopeSql(scope)} limit ${max}`.execute(
      this.db.kysely,
    );
    return r.rows.map((x) => x.id);
  }

  /** Does the object have any record at all (deleted ones included)? */
  async hasAny(def: ObjectDefinition): Promise<boolean> {
    const r = await sql<{ one: number }>`select 1 as one from ${sql.table(def.table)} limit 1`.execute(this.db.kysely);
    return r.rows.length > 0;
  }

  /**
   * Merge the object's full-text index into one segment. FTS5 keeps the terms of replaced rows in older segments
   * until it happens to merge them, so after a classification change took a field out of the index its values would
   * still be in the file. Done a step at a time (each its own write transaction, so writes go on in between) until a
   * step changes nothing; the pages it frees are zeroed (secure_delete). PostgreSQL's index has no segments: it
   * drops dead entries as the table is vacuumed.
   */
  async compactSearchIndex(def: ObjectDefinition): Promise<void> {
    if (this.db.dialect !== 'sqlite') return;
    const fts = quoteIdent(`${def.table}_fts`);
    const changes = async (): Promise<number> =>
      Number((await sql<{ n: number }>`select total_changes() as n`.execute(this.db.kysely)).rows[0]?.n ?? 0);
    for (;;) {
      const before = await changes();
      await sql.raw(`insert into ${fts}(${fts}, rank) values ('merge', -256)`).execute(this.db.kysely);
      if ((await changes()) - before < 2) return;
    }
  }

  /** Batch of rows (id, custom and search source columns) for rebuilding the search index. */
  async searchBatch(def: ObjectDefinition, afterSeq: number, size: number, updatedSince?: string): Promise<Row[]> {
    const since = updatedSince ? sql` and t.updated_at >= ${updatedSince}` : sql``;
    const r =
      await sql<Row>`select t.seq, ${this.selectList(def)} from ${sql.table(def.table)} t${this.dekJoin} where t.seq > ${afterSeq}${since} order by t.seq limit ${size}`.execute(
        this.db.kysely,
      );
    return r.rows;
  }

  async setSearchText(def: ObjectDefinition, updates: { id: string; text: string }[]): Promise<void> {
    await this.db.kysely.transaction().execute(async (trx) => {
      for (const u of updates) {
        await sql`update ${sql.table(def.table)} set search_text = ${u.text} where id = ${u.id}`.execute(trx);
      }
    });
  }
}

/** Identifiers from object definitions (never from input), quoted for both dialects. */
function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected column name ${name}`);
  return `"${name}"`;
}

/** What of a record scope decides the SQL text (its kind, and how many owners a team has). */
const scopeShape = (scope: RecordScope): string =>
  scope.kind === 'team' ? `team:${scope.userIds.length}` : scope.kind;

/** A record scope's bound values, in the order scopeSql binds them. */
const scopeParams = (scope: RecordScope): readonly string[] =>
  scope.kind === 'all' ? [] : scope.kind === 'own' ? [scope.userId] : scope.userIds;

import { CompiledQuery, type Kysely } from 'kysely';
import { markPreparable } from './prepared-texts.js';

const DEFAULT_MAX_SHAPES = 256;

/**
 * Hot queries compiled once per shape, then run with new parameters.
 *
 * Building a Kysely query and compiling it costs more than running it on SQLite for the read path's
 * lookups (a record by id, a token by hash, a user's roles). A shape is everything that decides the SQL
 * text — never a value: the caller names it (e.g. `contacts|by-id|own`) and passes the values, in the
 * order they appear, both to the builder and as `params`. The first compilation of a shape checks that the
 * builder really bound exactly those values in that order, so a shape whose text depended on a value, or
 * whose parameters were listed out of order, fails loudly instead of binding the wrong value.
 */
export class QueryShapes<DB> {
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly maxShapes = DEFAULT_MAX_SHAPES,
  ) {}

  /** The query of `shape` with `params` bound (built with `build` the first time only). */
  query<R>(shape: string, params: readonly unknown[], build: () => CompiledQuery<R>, prepare = true): CompiledQuery<R> {
    const text = this.texts.get(shape);
    if (text !== undefined) return CompiledQuery.raw(text, [...params]);
    const compiled = build();
    const bound = compiled.parameters;
    if (bound.length !== params.length || bound.some((p, i) => p !== params[i])) {
      throw new Error(`query shape '${shape}': the builder bound other parameters than the ones given`);
    }
    if (this.texts.size >= this.maxShapes) {
      const oldest = this.texts.keys().next().value;
      if (oldest !== undefined) this.texts.delete(oldest);
    }
    this.texts.set(shape, compiled.sql);
    // On PostgreSQL, a named prepared statement per connection: parsed and planned once, not on every request. Only
    // for shapes whose number is small whatever the requests (every prepared text stays in each connection).
    if (prepare) markPreparable(compiled.sql);
    return compiled;
  }

  /** Run the query of `shape` (on the database, or on a transaction of it). */
  async rows<R>(
    shape: string,
    params: readonly unknown[],
    build: () => CompiledQuery<R>,
    on: Kysely<DB> = this.db,
    prepare = true,
  ): Promise<R[]> {
    return (await on.executeQuery(this.query(shape, params, build, prepare))).rows;
  }
}

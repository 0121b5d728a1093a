import { AppError } from '../../platform/app-error.js';
import { requireObjectAccess, type Actor } from '../../security/access/index.js';
import { RateLimits, type Redis } from '../../security/defense/index.js';
import { csvFile } from './csv.js';
import type { ObjectDefinition } from './object-definition.js';
import type { RecordEvents } from './record-events.js';
import type { ListQuery } from './record-list.js';
import type { ApiRecord } from './record-mapper.js';
import type { RecordReader } from './record-reader.js';

export type ExportFormat = 'csv' | 'ndjson';

/** Records one export may hold: beyond it the caller narrows the query (it is built in memory, then sent). */
export const MAX_EXPORT_ROWS = 20_000;
const PAGE = 200;

/** Exports per user: at most 10 in 10 minutes, whichever objects and instances they go through. */
export type ExportLimits = RateLimits<'export'>;

export function exportLimits(redis: Redis | null, keyPrefix: string): ExportLimits {
  return new RateLimits<'export'>({
    redis,
    keyPrefix,
    rules: { export: { points: 10, seconds: 600, what: 'exports' } },
  });
}

export interface ExportFile {
  body: string;
  contentType: string;
  filename: string;
  rows: number;
}

const LEADING = ['id', 'ownerId'];
const TRAILING = ['tags', 'version', 'createdAt', 'updatedAt', 'deletedAt'];

/**
 * Columns of an export: the object's own fields in their declared order, then custom fields by key — each only if
 * some exported record shows it. A field the actor may not read is absent from every record it is given, so it is
 * never a column: the export shows exactly what the list would.
 */
function columnsOf(def: ObjectDefinition, records: readonly ApiRecord[]): string[] {
  const seen = new Set<string>();
  const custom = new Set<string>();
  for (const r of records) {
    for (const k of Object.keys(r)) seen.add(k);
    const c = r.custom;
    if (c && typeof c === 'object') for (const k of Object.keys(c)) custom.add(k);
  }
  const own = def.fields.map((f) => f.key).filter((k) => seen.has(k) && !LEADING.includes(k) && !TRAILING.includes(k));
  return [...LEADING, ...own, ...[...custom].sort().map((k) => `custom.${k}`), ...TRAILING.filter((k) => seen.has(k))];
}

function cellOf(r: ApiRecord, column: string): unknown {
  if (column.startsWith('custom.')) return (r.custom as Record<string, unknown> | undefined)?.[column.slice(7)];
  return r[column];
}

/**
 * A file of the records the actor may list (the same query, scope, field modes, masks and read evidence as the
 * list, page by page), for an actor whose role grants `export` on the object. The export itself is an event
 * (`record.exported`: format, rows, columns and the query's keys), so the audit trail shows who took what.
 */
export class RecordExporter {
  constructor(
    private readonly def: ObjectDefinition,
    private readonly reader: RecordReader,
    private readonly events: RecordEvents,
    private readonly now: () => Date,
    private readonly limits: ExportLimits | null,
  ) {}

  async export(
    actor: Actor,
    query: Omit<ListQuery, 'limit' | 'cursor'>,
    format: ExportFormat,
    maxRows = MAX_EXPORT_ROWS,
  ): Promise<ExportFile> {
    requireObjectAccess(actor, this.def.name, 'export');
    // Each export reads up to 101 pages: a few per user, shared by every object and (with Redis) every instance.
    await this.limits?.consume('export', actor.userId);
    const records: ApiRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.reader.list(actor, { ...query, limit: PAGE, ...(cursor ? { cursor } : {}) }, 'export');
      records.push(...page.items);
      if (records.length > maxRows) {
        // Refused, and recorded as refused: the pages read so far left their read evidence already.
        this.events.exported(
          actor,
          { format, rows: records.length, columns: [], query: Object.keys(query).sort() },
          'failure',
        );
        throw new AppError('SEPAR_ERR_EXPORT_TOO_LARGE', 'Export too large', {
          detail: `An export holds at most ${maxRows.toLocaleString('en')} records: narrow it with filters, a search or a date range.`,
        });
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    const columns = columnsOf(this.def, records);
    const stamp = this.now().toISOString().slice(0, 10);
    const file: ExportFile =
      format === 'csv'
        ? {
            body: csvFile(
              columns,
              records.map((r) => columns.map((c) => cellOf(r, c))),
            ),
            contentType: 'text/csv; charset=utf-8',
            filename: `${this.def.name}-${stamp}.csv`,
            rows: records.length,
          }
        : {
            body: records.map((r) => `${JSON.stringify(r)}\n`).join(''),
            contentType: 'application/x-ndjson; charset=utf-8',
            filename: `${this.def.name}-${stamp}.ndjson`,
            rows: records.length,
          };
    this.events.exported(actor, { format, rows: records.length, columns, query: Object.keys(query).sort() });
    return file;
  }
}

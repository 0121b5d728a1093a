import type { TSchema } from 'typebox';
import { notFound } from '../../platform/app-error.js';
import {
  forbiddenField,
  queryFieldMode,
  recordScope,
  type Actor,
  type CrmObject,
} from '../../security/access/index.js';
import type { Row, RecordRepository } from '../records/record.repository.js';
import type { CursorCodec } from '../records/cursor.js';
import type { ApiRecord } from '../records/record-mapper.js';
import { recordResponseSchema } from '../records/record-schema.js';
import type { ObjectDefinition } from '../records/object-definition.js';

/**
 * A record's timeline: its activities (for a company, also those of its contacts and deals),
 * newest first by completion, due or creation time. Only activities the actor may read appear.
 */
export class TimelineService {
  readonly itemSchema: TSchema;

  constructor(
    private readonly repo: RecordRepository,
    /** The activities service's own shaping: field modes, masks, decryption and read evidence, as in its list. */
    private readonly present: (actor: Actor, rows: readonly Row[]) => Promise<ApiRecord[]>,
    private readonly cursors: CursorCodec,
    private readonly activities: ObjectDefinition,
    private readonly definitions: Record<CrmObject, ObjectDefinition>,
  ) {
    this.itemSchema = recordResponseSchema(activities);
  }

  async timeline(
    actor: Actor,
    object: CrmObject,
    id: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: ApiRecord[]; nextCursor: string | null }> {
    const scope = recordScope(actor, object, 'read');
    const record = await this.repo.findById(this.definitions[object], id, scope);
    if (!record) throw notFound('Record');
    const activityScope = recordScope(actor, 'activities', 'read');
    // A timeline is a query by link (activities related to this record; for a company, also to its contacts and
    // deals) ordered by due and completion dates: each needs the field it relies on, as the list API would.
    const readable = (o: CrmObject, key: string): boolean => {
      const f = this.definitions[o].fields.find((x) => x.key === key);
      const m = f ? queryFieldMode(actor, o, key, f.classification) : 'read';
      return m === 'read' || m === 'write';
    };
    if (!readable('activities', 'related')) throw forbiddenField('related', 'filter by');
    const byCreation = !readable('activities', 'dueAt') || !readable('activities', 'completedAt');
    const targets: { object: string; ids: string[] }[] = [{ object, ids: [id] }];
    if (object === 'companies') {
      if (readable('contacts', 'companyId')) {
        targets.push({
          object: 'contacts',
          ids: await this.repo.idsWhere('contacts', 'company_id', id, recordScope(actor, 'contacts')),
        });
      }
      if (readable('deals', 'companyId')) {
        targets.push({
          object: 'deals',
          ids: await this.repo.idsWhere('deals', 'company_id', id, recordScope(actor, 'deals')),
        });
      }
    }
    const fingerprint = this.cursors.fingerprint(['timeline', object, id, byCreation ? 'created' : 'activity']);
    const after = cursor ? this.cursors.decode(cursor, { u: actor.userId, f: fingerprint }) : null;
    const columns = [
      'owner_id',
      'tags',
      'custom',
      'version',
      'created_at',
      'updated_at',
      'deleted_at',
      'sealed',
      'sealed_kid',
      'masks',
      ...this.activities.fields.map((f) => f.column),
    ];
    const rows = await this.repo.timeline(
      targets,
      activityScope,
      limit,
      after ? { value: String(after.v), id: after.i } : null,
      columns,
      byCreation,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.present(actor, page),
      nextCursor:
        rows.length > limit && last
          ? this.cursors.encode({ u: actor.userId, f: fingerprint, v: String(last.sort_value), i: String(last.id) })
          : null,
    };
  }
}

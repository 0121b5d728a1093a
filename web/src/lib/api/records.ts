import { api, unwrap } from './client';
import type { paths } from './schema';
import type { CrmObject, CrmRecord, Page, TimelineItem } from './types';

/**
 * The generic CRM record calls (contacts, companies, deals, activities share one engine on the
 * server, and so one set of calls here). Each object still goes through its own typed path.
 */
export type ListParams = Record<string, string | number | boolean | undefined>;
export type RecordBody = Record<string, unknown>;

type CreateBody<P extends keyof paths> = paths[P] extends {
  post: { requestBody: { content: { 'application/json': infer B } } };
}
  ? B
  : never;

const clean = (p: ListParams): ListParams =>
  Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && v !== ''));

export async function listRecords(object: CrmObject, params: ListParams): Promise<Page<CrmRecord>> {
  const q = clean(params);
  switch (object) {
    case 'contacts':
      return unwrap(api.GET('/api/v1/contacts', { params: { query: q } }));
    case 'companies':
      return unwrap(api.GET('/api/v1/companies', { params: { query: q } }));
    case 'deals':
      return unwrap(api.GET('/api/v1/deals', { params: { query: q } }));
    case 'activities':
      return unwrap(api.GET('/api/v1/activities', { params: { query: q } }));
  }
}

export async function getRecord(object: CrmObject, id: string): Promise<CrmRecord> {
  const path = { params: { path: { id } } };
  switch (object) {
    case 'contacts':
      return unwrap(api.GET('/api/v1/contacts/{id}', path));
    case 'companies':
      return unwrap(api.GET('/api/v1/companies/{id}', path));
    case 'deals':
      return unwrap(api.GET('/api/v1/deals/{id}', path));
    case 'activities':
      return unwrap(api.GET('/api/v1/activities/{id}', path));
  }
}

export async function createRecord(object: CrmObject, body: RecordBody): Promise<CrmRecord> {
  switch (object) {
    case 'contacts':
      return unwrap(api.POST('/api/v1/contacts', { body: body }));
    case 'companies':
      return unwrap(api.POST('/api/v1/companies', { body: body as CreateBody<'/api/v1/companies'> }));
    case 'deals':
      return unwrap(api.POST('/api/v1/deals', { body: body as CreateBody<'/api/v1/deals'> }));
    case 'activities':
      return unwrap(api.POST('/api/v1/activities', { body: body as CreateBody<'/api/v1/activities'> }));
  }
}

/** Update with the version read, so a concurrent change is refused (409) instead of overwritten. */
export async function updateRecord(
  object: CrmObject,
  id: string,
  version: number,
  changes: RecordBody,
): Promise<CrmRecord> {
  const path = { path: { id } };
  const body = { ...changes, version };
  switch (object) {
    case 'contacts':
      return unwrap(api.PATCH('/api/v1/contacts/{id}', { params: path, body: body }));
    case 'companies':
      return unwrap(api.PATCH('/api/v1/companies/{id}', { params: path, body: body }));
    case 'deals':
      return unwrap(api.PATCH('/api/v1/deals/{id}', { params: path, body: body }));
    case 'activities':
      return unwrap(api.PATCH('/api/v1/activities/{id}', { params: path, body: body }));
  }
}

export async function deleteRecord(object: CrmObject, id: string): Promise<void> {
  const path = { params: { path: { id } } };
  switch (object) {
    case 'contacts':
      await unwrap(api.DELETE('/api/v1/contacts/{id}', path));
      return;
    case 'companies':
      await unwrap(api.DELETE('/api/v1/companies/{id}', path));
      return;
    case 'deals':
      await unwrap(api.DELETE('/api/v1/deals/{id}', path));
      return;
    case 'activities':
      await unwrap(api.DELETE('/api/v1/activities/{id}', path));
      return;
  }
}

export async function getTimeline(
  object: Exclude<CrmObject, 'activities'>,
  id: string,
  cursor?: string,
): Promise<Page<TimelineItem>> {
  const params = { path: { id }, query: { limit: 50, ...(cursor ? { cursor } : {}) } };
  switch (object) {
    case 'contacts':
      return unwrap(api.GET('/api/v1/contacts/{id}/timeline', { params }));
    case 'companies':
      return unwrap(api.GET('/api/v1/companies/{id}/timeline', { params }));
    case 'deals':
      return unwrap(api.GET('/api/v1/deals/{id}/timeline', { params }));
  }
}

import { api, unwrap } from '../../../lib/api/client';
import type { Classification, CrmObject } from '../../../lib/api/types';

export const listUsers = async () =>
  (await unwrap(api.GET('/api/v1/users', { params: { query: { limit: 200 } } }))).items;
export const listRoles = async () => (await unwrap(api.GET('/api/v1/roles'))).items;

export const createUser = (body: { email: string; name: string; roles: string[]; password?: string }) =>
  unwrap(api.POST('/api/v1/users', { body: { ...body, password: body.password || null } }));

export const updateUser = (
  id: string,
  version: number,
  body: { name?: string; roles?: string[]; status?: 'active' | 'disabled' },
) => unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: { ...body, version } }));

export const updateField = (id: string, version: number, body: { label?: string; classification?: Classification }) =>
  unwrap(api.PATCH('/api/v1/fields/{id}', { params: { path: { id } }, body: { ...body, version } }));

export type CustomFieldType = 'text' | 'number' | 'date' | 'boolean' | 'select' | 'email' | 'phone' | 'url';
export const CUSTOM_FIELD_TYPES: CustomFieldType[] = [
  'text',
  'number',
  'date',
  'boolean',
  'select',
  'email',
  'phone',
  'url',
];

export const createField = (body: {
  object: CrmObject;
  key: string;
  label: string;
  type: CustomFieldType;
  classification: Classification;
  options?: string[];
}) => unwrap(api.POST('/api/v1/fields', { body }));

export const deleteField = (id: string) => unwrap(api.DELETE('/api/v1/fields/{id}', { params: { path: { id } } }));

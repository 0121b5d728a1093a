import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type ListItem<P extends keyof paths> = paths[P] extends { get: { responses: { 200: infer R } } }
  ? Json<R> extends { items: (infer I)[] }
    ? I
    : never
  : never;

export type Contact = ListItem<'/api/v1/contacts'>;
export type Company = ListItem<'/api/v1/companies'>;
export type Deal = ListItem<'/api/v1/deals'>;
export type Activity = ListItem<'/api/v1/activities'>;
export type Pipeline = ListItem<'/api/v1/pipelines'>;
export type Stage = Pipeline['stages'][number];
export type FieldDef = ListItem<'/api/v1/fields'>;
export type User = ListItem<'/api/v1/users'>;
export type Role = ListItem<'/api/v1/roles'>;
export type SessionView = ListItem<'/api/v1/me/sessions'>;
export type TimelineItem = ListItem<'/api/v1/contacts/{id}/timeline'>;
export type Me = Json<paths['/api/v1/me']['get']['responses'][200]>;

export type CrmObject = 'contacts' | 'companies' | 'deals' | 'activities';
export type Classification = FieldDef['classification'];
export type CustomValue = string | number | boolean | null;

/** What every CRM record has, whatever its object. */
export interface CrmRecord {
  id: string;
  version: number;
  ownerId: string;
  tags: string[];
  custom: Record<string, CustomValue>;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Table types for Kysely. Timestamps are ISO-8601 UTC strings on both dialects (PostgreSQL's
 * timestamptz is parsed back to the same form), booleans are 0/1 integers, JSON is text.
 */
import type { Generated } from 'kysely';

type Ts = string;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface UsersTable {
  id: string;
  email: string;
  email_lookup: string;
  name: string;
  password_hash: string | null;
  status: string;
  must_change_password: number;
  last_login_at: Ts | null;
  created_at: Ts;
  updated_at: Ts;
  version: number;
}

export interface RolesTable {
  id: string;
  name: string;
  description: string;
  builtin: number;
  created_at: Ts;
  updated_at: Ts;
}

export interface UserRolesTable {
  user_id: string;
  role_id: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  kind: string;
  csrf_token: string;
  created_at: Ts;
  last_seen_at: Ts;
  absolute_expires_at: Ts;
  ip: string | null;
  user_agent: string | null;
  revoked_at: Ts | null;
  revoke_reason: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  scopes: string;
  created_at: Ts;
  last_used_at: Ts | null;
  expires_at: Ts | null;
  revoked_at: Ts | null;
}

export interface FieldsTable {
  id: string;
  object: string;
  key: string;
  label: string;
  type: string;
  classification: string;
  builtin: number;
  searchable: number;
  required: number;
  options: string;
  position: number;
  created_at: Ts;
  updated_at: Ts;
  version: number;
  deleted_at: Ts | null;
}

interface RecordColumns {
  seq: Generated<number>;
  id: string;
  owner_id: string;
  tags: string;
  custom: string;
  search_text: string;
  version: number;
  created_at: Ts;
  updated_at: Ts;
  created_by: string | null;
  updated_by: string | null;
  deleted_at: Ts | null;
}

export interface CompaniesTable extends RecordColumns {
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  tax_id: string | null;
  iban: string | null;
  address: string | null;
}

export interface ContactsTable extends RecordColumns {
  first_name: string;
  last_name: string;
  email: string | null;
  email_lookup: string | null;
  phone: string | null;
  title: string | null;
  company_id: string | null;
  national_id: string | null;
  birth_date: string | null;
  address: string | null;
  payment_card: string | null;
}

export interface DealsTable extends RecordColumns {
  title: string;
  amount: number;
  currency: string;
  pipeline_id: string;
  stage_id: string;
  close_date: string | null;
  company_id: string | null;
  contact_ids: string;
  stage_changed_at: Ts;
}

export interface ActivitiesTable extends RecordColumns {
  type: string;
  subject: string;
  body: string | null;
  due_at: Ts | null;
  completed_at: Ts | null;
  related: string;
}

export interface PipelinesTable {
  id: string;
  name: string;
  position: number;
  is_default: number;
  version: number;
  created_at: Ts;
  updated_at: Ts;
  deleted_at: Ts | null;
}

export interface PipelineStagesTable {
  id: string;
  pipeline_id: string;
  name: string;
  position: number;
  probability: number;
  kind: string;
  created_at: Ts;
  updated_at: Ts;
}

export interface DealContactsTable {
  deal_id: string;
  contact_id: string;
}

export interface ActivityLinksTable {
  activity_id: string;
  object: string;
  record_id: string;
}

export interface RecordTagsTable {
  object: string;
  record_id: string;
  tag: string;
}

export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  fields: FieldsTable;
  companies: CompaniesTable;
  contacts: ContactsTable;
  deals: DealsTable;
  activities: ActivitiesTable;
  pipelines: PipelinesTable;
  pipeline_stages: PipelineStagesTable;
  deal_contacts: DealContactsTable;
  activity_links: ActivityLinksTable;
  record_tags: RecordTagsTable;
}

export type RecordTableName = 'companies' | 'contacts' | 'deals' | 'activities';

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
  /** When status last changed (0003-auth): an enabled account's idle clock restarts here. */
  status_changed_at: Ts | null;
  /** Why a disabled account is disabled: 'admin' or 'idle' (0003-auth). */
  disabled_reason: string | null;
}

export interface RolesTable {
  id: string;
  name: string;
  description: string;
  builtin: number;
  /** RolePolicy JSON; null for built-in roles that keep their defaults. */
  policy: string | null;
  version: number;
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
  /** When the user last proved who they are in this session (login, MFA, step-up); 0003-auth. */
  authenticated_at: Ts | null;
  /** JSON array of the methods used: pwd, totp, webauthn, recovery, sso (0003-auth). */
  auth_methods: string;
  /** SHA-256 of the signed device cookie's id when the device is known for this user (0003-auth). */
  device_id: string | null;
  /** Wrong second-factor answers in this pending session (0003-auth). */
  mfa_failures: number;
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
  /** Envelope (base64) of the record's restricted/pci values; null when it has none. */
  sealed: string | null;
  sealed_kid: string | null;
  /** Write-time masks of the sealed values (JSON), shown to roles that see masks. */
  masks: string | null;
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

export interface KeksTable {
  id: string;
  version: number;
  root_key_id: string;
  wrapped: string;
  status: string;
  created_at: Ts;
  retired_at: Ts | null;
}

export interface SubjectKeysTable {
  dek_id: string;
  subject_type: string;
  subject_id: string;
  kek_id: string;
  wrapped: string | null;
  created_at: Ts;
  destroyed_at: Ts | null;
}

export interface IndexEpochsTable {
  epoch: number;
  kek_id: string;
  bits: number;
  status: string;
  created_at: Ts;
}

export interface BlindIndexesTable {
  object: string;
  field: string;
  epoch: number;
  value: number;
  record_id: string;
}

export interface KeyRotationsTable {
  id: string;
  state: string;
  from_kek_id: string;
  to_kek_id: string;
  to_epoch: number;
  progress: string;
  started_at: Ts;
  updated_at: Ts;
  finished_at: Ts | null;
}

/* Authentication (0003-auth): MFA factors, one-time links, challenges, known devices, SSO identities. */

export interface MfaTotpTable {
  user_id: string;
  /** The active secret, sealed (SecretSealer); never returned by any API. */
  secret_sealed: string | null;
  /** A secret being enrolled, sealed; replaced by the next enrolment, promoted by confirmation. */
  pending_secret_sealed: string | null;
  pending_created_at: Ts | null;
  /** The highest RFC 6238 time step accepted so far: a code at or below it is a replay. */
  last_counter: number;
  confirmed_at: Ts | null;
  updated_at: Ts;
}

export interface WebauthnCredentialsTable {
  id: string;
  user_id: string;
  public_key: string;
  counter: number;
  transports: string;
  device_type: string | null;
  backed_up: number;
  aaguid: string | null;
  name: string;
  created_at: Ts;
  last_used_at: Ts | null;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: Ts;
  used_at: Ts | null;
}

export interface AuthChallengesTable {
  id: string;
  purpose: string;
  user_id: string | null;
  session_id: string | null;
  challenge: string;
  data: string;
  created_at: Ts;
  expires_at: Ts;
}

export interface AccountTokensTable {
  id: string;
  user_id: string;
  purpose: string;
  token_hash: string;
  created_by: string | null;
  created_at: Ts;
  expires_at: Ts;
  used_at: Ts | null;
}

export interface KnownDevicesTable {
  user_id: string;
  device_hash: string;
  first_seen_at: Ts;
  last_seen_at: Ts;
  ip: string | null;
  user_agent: string | null;
}

export interface KnownNetworksTable {
  user_id: string;
  network: string;
  first_seen_at: Ts;
  last_seen_at: Ts;
}

export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  provisioned: number;
  created_at: Ts;
  last_login_at: Ts | null;
}

/* Audit trail (0004-audit): append-only; see src/security/audit. Times are the exact ISO text that was hashed. */

export interface AuditEntriesTable {
  seq: number;
  at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  /** Canonical JSON of the detail (sensitive values sealed under the subject's key). */
  detail: string;
  /** Leaf hash (hex) of the previous entry: the hash chain. */
  prev_hash: string;
  /** RFC 6962 leaf hash (hex) of this entry's canonical bytes. */
  hash: string;
}

/**
 * "Who accessed this": the 1,024-entry buckets (bucket = floor(seq / 1024)) in which an entry names a record
 * (as target or as a record read). One row per record and bucket, so repeated reads write nothing.
 */
export interface AuditRefsTable {
  ref_id: string;
  bucket: number;
}

/** Complete Merkle subtrees at levels 8, 16, 24 … (hex), so proofs never rehash the whole log. */
export interface AuditTreeNodesTable {
  level: number;
  idx: number;
  hash: string;
}

export interface AuditCheckpointsTable {
  tree_size: number;
  /** base64, as in the note. */
  root_hash: string;
  at: string;
  key_id: string;
  /** The signed note (C2SP checkpoint). */
  note: string;
}

export interface AuditArchivesTable {
  to_seq: number;
  from_seq: number;
  last_hash: string;
  /** JSON array of the Merkle frontier (hex or null per level) at to_seq. */
  frontier: string;
  root_hash: string;
  file: string;
  file_sha256: string;
  created_at: string;
}

export interface AuditKeysTable {
  key_id: string;
  name: string;
  /** Ed25519 public key, base64 (32 bytes). */
  public_key: string;
  /** PKCS#8 private key sealed with CryptoService.sealSecret (key hierarchy; HSM-rooted when configured). */
  sealed_private: string;
  created_at: string;
  retired_at: string | null;
}

/** One row (id 1): where the next append continues. A cache: verification never trusts it. */
export interface AuditHeadTable {
  id: number;
  tree_size: number;
  last_hash: string;
  frontier: string;
  checkpoint_size: number;
  checkpoint_at: string | null;
  updated_at: string;
}

export interface AuditSiemCursorsTable {
  sink: string;
  last_seq: number;
  owner: string | null;
  lease_until: string | null;
  updated_at: string;
}

export interface TeamsTable {
  id: string;
  name: string;
  created_at: Ts;
  updated_at: Ts;
  version: number;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: string;
}

export interface AccessReviewsTable {
  id: string;
  name: string;
  state: string;
  reviewer_id: string | null;
  created_by: string | null;
  due_at: Ts;
  escalate_at: Ts;
  last_reminder_at: Ts | null;
  created_at: Ts;
  closed_at: Ts | null;
  evidence: string | null;
}

export interface AccessReviewItemsTable {
  id: string;
  review_id: string;
  user_id: string;
  snapshot: string;
  decision: string | null;
  decided_by: string | null;
  decided_at: Ts | null;
  comment: string | null;
  escalated_at: Ts | null;
}

export interface UserPreferencesTable {
  user_id: string;
  /** The preferences document as JSON. */
  document: string;
  updated_at: Ts;
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
  keks: KeksTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  access_reviews: AccessReviewsTable;
  access_review_items: AccessReviewItemsTable;
  user_preferences: UserPreferencesTable;
  subject_keys: SubjectKeysTable;
  index_epochs: IndexEpochsTable;
  blind_indexes: BlindIndexesTable;
  key_rotations: KeyRotationsTable;
  mfa_totp: MfaTotpTable;
  webauthn_credentials: WebauthnCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  auth_challenges: AuthChallengesTable;
  account_tokens: AccountTokensTable;
  known_devices: KnownDevicesTable;
  known_networks: KnownNetworksTable;
  user_identities: UserIdentitiesTable;
  audit_entries: AuditEntriesTable;
  audit_refs: AuditRefsTable;
  audit_tree_nodes: AuditTreeNodesTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_archives: AuditArchivesTable;
  audit_keys: AuditKeysTable;
  audit_head: AuditHeadTable;
  audit_siem_cursors: AuditSiemCursorsTable;
}

export type RecordTableName = 'companies' | 'contacts' | 'deals' | 'activities';

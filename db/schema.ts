// The database as the migrations leave it. db/schema.test.ts compares this type's tables and
// columns with the migrated catalogue, so it cannot drift.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Json = ColumnType<unknown, string | undefined, string>

export type Role = 'registrar' | 'assessor' | 'caseworker' | 'archivist' | 'supervisor' | 'sysadmin' | 'secadmin' | 'auditadmin'

export interface RegistriesTable {
  code: string
  name: string
  name_en: Generated<string>
  created_at: CreatedAt
  number_pattern: Generated<string>
  dissolution_number_pattern: Generated<string>
  refusal_number_pattern: Generated<string>
  number_prefix: Generated<string>
  reconsideration_body: Generated<string>
  court: Generated<string>
  archive_number_pattern: Generated<string>
  archive_filing_days: Generated<number>
  archive_upload_max_mb: Generated<number>
  archive_access_days: Generated<number>
  archive_transfer_years: Generated<number>
  archives_bureau: Generated<string>
  followup_escalation_days: Generated<number>
  go_live_on: CivilDate | null
}

export interface UsersTable {
  id: Generated<string>
  registry_code: string
  username: string
  display_name: string
  email: string | null
  password_hash: string
  must_change_password: Generated<boolean>
  active: Generated<boolean>
  failed_attempts: Generated<number>
  locked_until: Date | null
  totp_secret: string | null
  totp_enabled: Generated<boolean>
  locale: Generated<'zh' | 'en'>
  password_changed_at: Generated<Date>
  created_at: CreatedAt
  updated_at: Generated<Date>
  version: Generated<number>
  agency_id: string | null
  /** Seeded by demo mode, with the published demo password (decision 033). */
  demo: Generated<boolean>
  /** The last TOTP time step accepted (bigint as text): a code is never accepted twice. */
  totp_last_step: string | null
  totp_failures: Generated<number>
  totp_blocked_until: Date | null
}

export interface RecoveryCodesTable {
  id: Generated<string>
  user_id: string
  code_hash: string
  created_at: CreatedAt
  used_at: Date | null
}

export interface LoginThrottleTable {
  key: string
  failures: Generated<number>
  blocked_until: Date | null
  updated_at: Generated<Date>
}

export interface UserRolesTable {
  user_id: string
  role: Role
}

export interface RoleGrantsTable {
  id: Generated<string>
  registry_code: string
  user_id: string
  role: Role
  origin: Generated<'proposal' | 'migration' | 'console'>
  proposed_by: string | null
  proposed_at: Generated<Date>
  state: Generated<'pending' | 'approved' | 'refused' | 'withdrawn'>
  decided_by: string | null
  decided_at: Date | null
}

export interface PasswordResetsTable {
  id: Generated<string>
  registry_code: string
  user_id: string
  channel: 'mail' | 'code'
  requested_by: string | null
  requested_at: Generated<Date>
  secret_hash: string | null
  issued_by: string | null
  issued_at: Date | null
  expires_at: Date | null
  attempts: Generated<number>
  state: Generated<'pending' | 'issued' | 'used' | 'cancelled' | 'void'>
  used_at: Date | null
}

export interface SessionsTable {
  id: string
  user_id: string
  created_at: CreatedAt
  last_seen_at: Generated<Date>
  second_factor_done: Generated<boolean>
  revoked_at: Date | null
  revoked_reason: string | null
  ip: string | null
  user_agent: string | null
}

/** Per registry (decision 030). */
export interface SettingsTable {
  registry_code: string
  key: string
  value: Json
  updated_at: Generated<Date>
  updated_by: string | null
}

export interface AuditLogTable {
  id: Generated<string>
  at: Generated<Date>
  registry_code: string | null
  actor_id: string | null
  actor_name: string | null
  action: string
  entity_type: string | null
  entity_id: string | null
  summary: ColumnType<unknown, string | undefined, string>
  reason: string | null
  ip: string | null
  /** Place in its registry's chain and HMAC over content and the previous MAC (decision 029). */
  chain_seq: string | null
  mac: Buffer | null
}

export interface AuditChainHeadsTable {
  chain: string
  seq: ColumnType<string, string | number | undefined, string | number>
  mac: Buffer | null
  updated_at: Generated<Date>
}

export interface AuditChainUnsealedTable {
  from_id: string
  to_id: string
  recorded_at: Generated<Date>
}

export interface AuditChainChecksTable {
  id: Generated<string>
  checked_at: Generated<Date>
  source: 'nightly' | 'command' | 'start'
  ok: boolean
  rows_checked: ColumnType<string, string | number, string | number>
  breaks: ColumnType<unknown, string | undefined, string>
}

export interface MailOutboxTable {
  id: Generated<string>
  message_id: string
  registry_code: string | null
  to_address: string
  subject: string
  body_text: string
  created_at: CreatedAt
}

export interface MailBouncesTable {
  id: Generated<string>
  message_id: string
  registry_code: string | null
  address: string
  response: string
  at: CreatedAt
}

/** registry_code null: the national calendar; otherwise that registry's local days (decision 030). */
export interface CalendarDaysTable {
  registry_code: string | null
  day: ColumnType<string, string, string>
  kind: 'holiday' | 'workday'
  name: Generated<string>
}

export type ApplicationState =
  | 'draft' | 'received' | 'assessment' | 'public_notice' | 'pending_approval'
  | 'registered' | 'refused' | 'withdrawn' | 'dissolved' | 'revoked'
type CivilDate = ColumnType<string, string, string>

export const refusalGrounds = ['adopter_conditions', 'child_not_eligible', 'placing_party', 'consent_missing', 'age_gap', 'assessment_not_recommended', 'documents_false_or_incomplete', 'other'] as const
export type RefusalGround = (typeof refusalGrounds)[number]

export interface ApplicationsTable {
  id: Generated<string>
  registry_code: string
  state: Generated<ApplicationState>
  version: Generated<number>
  relation: 'none' | 'relative' | 'stepchild'
  placing_kind: 'guardian' | 'welfare_institution' | 'birth_parents' | 'birth_parent'
  other_parent_unknown_or_missing: Generated<boolean>
  other_parent_deceased: Generated<boolean>
  deceased_parents_parents: 'unknown' | 'none_living' | 'waived' | 'unable' | null
  consent_of_supporters: boolean | null
  foundling: Generated<boolean>
  received_on: CivilDate | null
  review_due_on: CivilDate | null
  secrecy: Generated<boolean>
  secrecy_requested_by: 'adopter' | 'placing_party' | 'both' | null
  de_facto_since: CivilDate | null
  assessment: Generated<'not_required' | 'pending' | 'recommended' | 'not_recommended'>
  assessment_report_on: CivilDate | null
  assessment_reference: string | null
  registrar_id: string
  created_by: string
  decision: 'register' | 'refuse' | null
  decision_facts: string | null
  decision_basis: string | null
  decision_proposed_by: string | null
  decision_proposed_at: Date | null
  approved_by: string | null
  approved_at: Date | null
  registration_number: string | null
  registration_year: number | null
  registration_seq: number | null
  registered_on: CivilDate | null
  refused_on: CivilDate | null
  refusal_number: string | null
  closed_reason: string | null
  created_at: CreatedAt
  updated_at: Generated<Date>
  refusal_ground: RefusalGround | null
  source: Generated<'system' | 'import'>
  import_batch_id: string | null
  import_row: number | null
  imported_by: string | null
  import_key: string | null
  import_kind: ImportKind | null
  residence_town_id: string | null
  resides_abroad: Generated<boolean>
  /** Recorded in the system before the town became required and no town could be inferred (migration 0021). */
  recorded_before_town_rule: Generated<boolean>
}

/** A town or street (乡镇、街道) of the registry's county (migration 0017). */
export interface TownsTable {
  id: Generated<string>
  registry_code: string
  code: string
  name: string
  kind: 'subdistrict' | 'town' | 'township'
  retired_on: CivilDate | null
  version: Generated<number>
  created_at: CreatedAt
}

export interface PartiesTable {
  id: Generated<string>
  application_id: string
  role: 'adopter' | 'child' | 'placing'
  position: Generated<number>
  name: string
  sex: 'male' | 'female' | null
  birth_date: CivilDate | null
  id_number_enc: string | null
  id_hash: string | null
  hukou_address: string | null
  current_address: string | null
  phone: string | null
  marital_status: 'unmarried' | 'married' | 'divorced' | 'widowed' | null
  children: number | null
  adopted_children: number | null
  overseas_chinese: Generated<boolean>
  findings_enc: string | null
  situation: 'orphan' | 'parents_not_found' | 'parents_in_difficulty' | 'parents_lack_capacity' | 'other' | null
  in_welfare_institution: boolean | null
  disabled: boolean | null
  consents: boolean | null
  name_after_adoption: string | null
  institution_name: string | null
}

export interface ApplicationDocumentsTable {
  application_id: string
  code: string
  provided_at: Date | null
  provided_by: string | null
  verified_at: Date | null
  verified_by: string | null
  note: string | null
}

export interface ClockPausesTable {
  id: Generated<string>
  application_id: string
  kind: 'assessment' | 'public_notice'
  started_on: CivilDate
  ended_on: CivilDate | null
}

export interface PublicNoticesTable {
  id: Generated<string>
  application_id: string
  published_on: CivilDate
  medium: 'newspaper' | 'website'
  outlet: string
  reference: string
  notice_text: string
  photo_blob_id: string
  photo_content_type: 'image/jpeg' | 'image/png'
  recorded_by: string
  recorded_at: Generated<Date>
}

export interface ApplicationEventsTable {
  id: Generated<string>
  application_id: string
  at: Generated<Date>
  actor_id: string | null
  kind: string
  from_state: string | null
  to_state: string | null
  note: string | null
}

export interface NumberCountersTable {
  registry_code: string
  kind: 'adoption' | 'dissolution' | 'refusal'
  year: number
  last_value: Generated<number>
}

export interface CertificatesTable {
  id: Generated<string>
  application_id: string
  kind: 'adoption' | 'dissolution'
  number: string
  serial: string | null
  issued_on: CivilDate
  issued_by: string
  status: Generated<'valid' | 'void' | 'returned' | 'confiscated' | 'superseded'>
  status_reason: string | null
  replaces_id: string | null
  created_at: CreatedAt
}

export interface DissolutionsTable {
  application_id: string
  agreement_on: CivilDate
  child_consents: boolean | null
  certificate_returned: boolean
  number: string
  dissolved_on: CivilDate
  note: string | null
  registered_by: string
}

export interface RevocationsTable {
  application_id: string
  revoked_on: CivilDate
  reason: string
  certificate_confiscated: boolean
  not_recovered_note: string | null
  revoked_by: string
}

export interface AssessmentAgenciesTable {
  id: Generated<string>
  registry_code: string
  legal_name: string
  credit_code: string
  business_scope: string
  contract_from: CivilDate
  contract_to: CivilDate
  dpa_signed_on: CivilDate | null
  active: Generated<boolean>
  created_at: CreatedAt
}

export interface AssessmentInstrumentsTable {
  id: Generated<string>
  registry_code: string
  version: number
  definition: ColumnType<unknown, string, string>
  published_at: Generated<Date>
  published_by: string | null
}

export type AssessmentState = 'open' | 'signing' | 'signed' | 'cancelled'

export interface AssessmentsTable {
  id: Generated<string>
  registry_code: string
  application_id: string
  instrument_id: string
  mode: 'in_house' | 'agency'
  agency_id: string | null
  state: Generated<AssessmentState>
  notice_on: CivilDate | null
  consent_on: CivilDate | null
  due_on: CivilDate | null
  integration_from: CivilDate | null
  integration_to: CivilDate | null
  commissioned_by: string
  commissioned_on: CivilDate
  version: Generated<number>
  /** Why a cancelled assessment was cancelled (migration 0026); null unless cancelled. */
  cancel_reason: AssessmentCancelReason | null
  cancelled_at: Date | null
  cancelled_by: string | null
}
export type AssessmentCancelReason = 'adopters_changed' | 'case_changed' | 'unrecorded'

export interface AssessmentMembersTable {
  assessment_id: string
  user_id: string
  declared_at: Date | null
  conflict: boolean | null
  conflict_note: string | null
  removed_at: Date | null
}

export type ActivityKind = 'interview' | 'document_review' | 'information_check' | 'home_visit' | 'field_visit' | 'integration_observation' | 'preparation'

export interface AssessmentActivitiesTable {
  id: Generated<string>
  assessment_id: string
  kind: ActivityKind
  on: CivilDate
  place: string
  present: ColumnType<string[], string[], string[]>
  topic: string | null
  notes_enc: string
  created_by: string
  created_at: CreatedAt
}

export interface AssessmentScoresTable {
  assessment_id: string
  dimension: string
  score: number | null
  vetoes: ColumnType<string[], string[] | undefined, string[]>
  findings_enc: string
  updated_by: string
  updated_at: Generated<Date>
}

export interface AssessmentAlertsTable {
  id: Generated<string>
  assessment_id: string
  code: string
  police: boolean
  note_enc: string
  raised_by: string
  raised_at: Generated<Date>
  acknowledged_by: string | null
  acknowledged_at: Date | null
}

export interface AssessmentReportsTable {
  id: Generated<string>
  assessment_id: string
  version: number
  number: string
  conclusion: 'recommended' | 'not_recommended'
  total: number | null
  facts_enc: string
  report_on: CivilDate
  reason: string | null
  created_by: string
  created_at: CreatedAt
  finalized_at: Date | null
  superseded_at: Date | null
}

export interface AssessmentSignaturesTable {
  report_id: string
  user_id: string
  signed_at: Generated<Date>
}

export interface BlobsTable {
  id: Generated<string>
  sha256: string
  size: number
  created_at: CreatedAt
  claimed_at: Timestamp | null // null while staged: streamed in, not yet kept by any record
}

export interface BlobChunksTable {
  blob_id: string
  seq: number
  content_enc: Buffer // one AES-GCM message per chunk
}

export interface AssessmentAttachmentsTable {
  id: Generated<string>
  activity_id: string
  blob_id: string
  filename: string
  content_type: string
  size: number
  uploaded_by: string
  uploaded_at: Generated<Date>
}

export type ArchiveType = 'establishment' | 'refusal' | 'dissolution' | 'revocation'

export interface ArchiveCountersTable {
  registry_code: string
  year: number
  type: string
  last_value: Generated<number>
}

export interface ArchiveFilesTable {
  id: Generated<string>
  registry_code: string
  application_id: string
  type: ArchiveType
  year: number
  seq: number
  archive_number: string
  title: string
  state: Generated<'open' | 'filed' | 'transferred'>
  confidential: Generated<boolean>
  retention: Generated<string>
  location: string | null
  due_on: CivilDate
  opened_at: Generated<Date>
  filed_at: Date | null
  filed_by: string | null
  version: Generated<number>
}

export interface ArchiveDocumentsTable {
  id: Generated<string>
  file_id: string
  category: string
  title: string
  author: string
  doc_date: CivilDate
  pages: number
  source: 'generated' | 'scan'
  blob_id: string
  sha256: string
  content_type: string
  size: number
  added_by: string
  added_at: Generated<Date>
  added_reason: string | null
  checked_at: Date | null
  check_ok: boolean | null
}

export interface ArchiveIntegrityRunsTable {
  id: Generated<string>
  registry_code: string | null
  started_at: Generated<Date>
  finished_at: Date | null
  documents: Generated<number>
  bytes: ColumnType<string, string | number | undefined, string | number>
  mismatches: Generated<number>
}

export interface ArchiveAccessRequestsTable {
  id: Generated<string>
  file_id: string
  requester_kind: 'party' | 'court' | 'police' | 'other'
  requester_name: string
  requester_unit: string | null
  id_checked: Generated<boolean>
  letter_reference: string | null
  letter_blob_id: string | null
  purpose: string
  staff_id: string
  created_by: string
  created_at: Generated<Date>
  state: Generated<'pending' | 'approved' | 'refused' | 'withdrawn'>
  decided_by: string | null
  decided_at: Date | null
  decision_reason: string | null
  valid_until: Date | null
  reveal_birth_family: Generated<boolean>
  version: Generated<number>
}

export interface ArchiveAccessLogTable {
  id: Generated<string>
  request_id: string | null
  file_id: string
  document_id: string | null
  user_id: string
  action: 'view' | 'download' | 'read'
  at: Generated<Date>
  ip: string | null
  /** Why the archivist read the document (custody reads; required for a secrecy file). */
  reason: string | null
}

export interface ArchiveTransfersTable {
  id: Generated<string>
  registry_code: string
  number: string
  state: Generated<'proposed' | 'confirmed'>
  proposed_by: string
  proposed_at: Generated<Date>
  confirmed_by: string | null
  confirmed_on: CivilDate | null
}

export interface ArchiveTransferItemsTable {
  transfer_id: string
  file_id: string
  held_back: Generated<boolean>
  hold_reason: string | null
  hold_approved_by: string | null
}

// Post-adoption follow-up (migration 0007).
export interface FollowupPoliciesTable {
  id: Generated<string>
  registry_code: string
  version: number
  rules: ColumnType<unknown, string, string>
  note: Generated<string>
  created_by: string | null
  created_at: CreatedAt
}

export interface IntercountryAdoptionsTable {
  id: Generated<string>
  registry_code: string
  registration_number: string
  registered_on: CivilDate
  approved_on: CivilDate
  child_name: string
  child_birth_date: CivilDate
  adopters: string
  country: string
  agency: string
  agency_email: string | null
  source: Generated<'manual' | 'import'>
  created_by: string | null
  created_at: CreatedAt
}

export type FollowupTaskKind = 'visit' | 'post_placement_report'
export type FollowupTaskStatus = 'open' | 'done' | 'cancelled'

export interface FollowupTasksTable {
  id: Generated<string>
  registry_code: string
  application_id: string | null
  intercountry_id: string | null
  kind: FollowupTaskKind
  sequence: number
  policy_version: number | null
  due_on: CivilDate
  window_from: CivilDate
  window_to: CivilDate
  caseworker_id: string | null
  status: Generated<FollowupTaskStatus>
  cancel_reason: string | null
  closed_at: Timestamp | null
  version: Generated<number>
  created_at: CreatedAt
  /** Copies for sorting, kept by triggers (migration 0022): the case's registration number, the caseworker's name ('' when none). */
  case_number: Generated<string>
  caseworker_name: Generated<string>
}

export interface PostPlacementReceiptsTable {
  id: Generated<string>
  task_id: string
  received_on: CivilDate
  blob_id: string
  content_type: string
  sha256: string
  outcome: Generated<'received' | 'accepted' | 'returned'>
  returned_reason: string | null
  recorded_by: string
  recorded_at: CreatedAt
  decided_by: string | null
  decided_at: Timestamp | null
}

export type ConcernLevel = 'none' | 'minor' | 'moderate' | 'serious'
export type SupportNeed = 'school' | 'medical' | 'financial' | 'psychological'

export interface VisitReportsTable {
  id: Generated<string>
  task_id: string
  version: Generated<number>
  status: Generated<'draft' | 'submitted' | 'reviewed'>
  visited_on: CivilDate
  outside_window_reason: string | null
  met_enc: string
  daily_care_enc: string
  health_enc: string
  schooling_enc: string
  bonding_enc: string
  support_needs: ColumnType<SupportNeed[], SupportNeed[] | undefined, SupportNeed[]>
  referral_enc: string | null
  concern_level: ConcernLevel
  concern_details_enc: string | null
  reported_to: string | null
  reported_at: Timestamp | null
  correction_reason: string | null
  created_by: string
  created_at: CreatedAt
  updated_at: Generated<Date>
  signed_by: string | null
  signed_at: Timestamp | null
  reviewed_by: string | null
  reviewed_at: Timestamp | null
  review_note: string | null
  row_version: Generated<number>
  alerted_at: Timestamp | null
}

export interface VisitReportPhotosTable {
  id: Generated<string>
  report_id: string
  blob_id: string
  content_type: string
  sha256: string
  size: number
  caption: Generated<string>
  created_at: CreatedAt
}

export interface FollowupNoticesTable {
  task_id: string
  kind: 'window_open' | 'due' | 'overdue' | 'escalated'
  recipient_id: string
  swept_on: CivilDate
  created_at: CreatedAt
}

export interface FollowupDeliveriesTable {
  task_id: string
  kind: FollowupNoticesTable['kind']
  recipient_id: string
  swept_on: CivilDate
  mailed_at: Timestamp | null
  message_id: string | null
}

export interface StaffHandoversTable {
  id: Generated<string>
  from_user_id: string
  reason: string
  moved: ColumnType<unknown, string, string>
  handed_over_by: string
  created_at: CreatedAt
}

// Ledger exports (migration 0012).
export interface LedgerExportsTable {
  id: Generated<string>
  registry_code: string
  requested_by: string
  ledger: string
  filter: ColumnType<unknown, string, string>
  format: 'xlsx' | 'csv'
  locale: 'zh' | 'en'
  state: Generated<'queued' | 'running' | 'done' | 'failed'>
  rows_total: number | null
  rows_done: Generated<number>
  blob_id: string | null
  error: string | null
  created_at: CreatedAt
  finished_at: Timestamp | null
}

export type RootSeekingState = 'received' | 'accepted' | 'declined' | 'visited' | 'closed' | 'withdrawn'

export interface RootseekingRequestsTable {
  id: Generated<string>
  registry_code: string
  reference: string
  channel: 'online' | 'mail' | 'email'
  state: Generated<RootSeekingState>
  applicant_name: string
  nationality: string
  residence_country: string
  email: string
  language: 'en' | 'zh'
  time_zone: string
  adoptee_name_then: string
  adoptee_name_now: string
  adoptee_birth_date: CivilDate
  registration_number: string
  registration_date: CivilDate
  institution: string
  wished_from: CivilDate
  wished_to: CivilDate
  wished_places: string
  message: string | null
  received_on: CivilDate
  reply_due_on: CivilDate
  application_id: string | null
  verified_by: string | null
  verified_at: Date | null
  verification_note: string | null
  paper_archive_reference: string | null
  decided_by: string | null
  decided_at: Date | null
  replied_on: CivilDate | null
  decline_reasons: string | null
  email_bounced_at: Date | null
  closed_at: Date | null
  created_by: string | null
  created_at: CreatedAt
  version: Generated<number>
}

export interface RootseekingVisitorsTable {
  id: Generated<string>
  request_id: string
  position: number
  name: string
  relation: string
  nationality: string
  birth_date: CivilDate
  passport_number_enc: string
  passport_hash: string
  passport_expiry: CivilDate
}

export interface RootseekingDocumentsTable {
  id: Generated<string>
  request_id: string
  kind: 'application_form' | 'adoption_certificate' | 'passport' | 'other'
  visitor_id: string | null
  blob_id: string
  filename: string
  content_type: string
  size: number
  uploaded_by: string | null
  uploaded_at: Generated<Date>
}

export interface RootseekingReceptionsTable {
  request_id: string
  caseworker_id: string
  state: Generated<'planned' | 'recorded'>
  visit_on: CivilDate
  starts_at: string
  ends_at: string
  places: string
  receiving_staff: string
  interpreter: string
  institution_contact: string
  may_show: string
  no_fee: boolean
  planned_by: string
  planned_at: Generated<Date>
  attendees: string | null
  places_visited: string | null
  shown: string | null
  follow_up: string | null
  visited_on: CivilDate | null
  recorded_by: string | null
  recorded_at: Date | null
  version: Generated<number>
}

export interface RootseekingDisclosuresTable {
  id: Generated<string>
  request_id: string
  disclose: boolean
  basis: string
  decided_by: string
  decided_at: Generated<Date>
  /** Who asked for secrecy was unknown (an imported record): the paper file was checked. */
  paper_file_checked: Generated<boolean>
  paper_file_reference: string | null
}

export interface RootseekingEscalationsTable {
  request_id: string
  day: CivilDate
  sent_at: Generated<Date>
}

export interface PublicRateLimitHitsTable {
  id: Generated<string>
  bucket: string
  key: string
  at: Generated<Date>
}

export type ImportKind = 'ordinary' | 'relative' | 'stepchild' | 'intercountry'

export interface ImportMappingsTable {
  id: Generated<string>
  registry_code: string
  layout: string
  headers: string[]
  mapping: Record<string, string>
  updated_by: string
  updated_at: Generated<Date>
}

export type ImportBatchState = 'mapping' | 'checking' | 'checked' | 'approval_requested' | 'approved' | 'importing' | 'imported' | 'failed'

export interface ImportBatchesTable {
  id: Generated<string>
  registry_code: string
  blob_id: string
  filename: string
  sha256: string
  size: string | number
  format: 'xlsx' | 'csv'
  encoding: string | null
  headers: string[]
  layout: string
  mapping: Record<string, string> | null
  past_visits: Generated<'skip' | 'not_done'>
  state: Generated<ImportBatchState>
  total_rows: Generated<number>
  processed_rows: Generated<number>
  valid_rows: Generated<number>
  invalid_rows: Generated<number>
  duplicate_rows: Generated<number>
  existing_rows: Generated<number>
  created_rows: Generated<number>
  failure: string | null
  failure_row: number | null
  checked_at: Date | null
  imported_at: Date | null
  created_by: string
  imported_by: string | null
  created_at: CreatedAt
  version: Generated<number>
  check_run: Generated<number>
  approval_requested_by: string | null
  approval_requested_at: Date | null
  approval_requested_run: number | null
  approved_by: string | null
  approved_at: Date | null
  approved_run: number | null
  approval_refused_by: string | null
  approval_refused_at: Date | null
  approval_refusal_reason: string | null
}

export type ImportRowStatus = 'valid' | 'invalid' | 'duplicate' | 'existing' | 'created'

export interface ImportRowsTable {
  batch_id: string
  row_number: number
  status: ImportRowStatus
  registration_number: string | null
  kind: string | null
  messages: Generated<unknown>
  application_id: string | null
}

/** Keys the dry run has met in a batch's file (keyed hashes), decision 012. */
export interface ImportSeenTable {
  batch_id: string
  kind: 'n' | 'k' | 'a' | 'd' | 'c'
  key: string
  row_number: number
}

export type CorrectionField =
  | 'registrationNumber' | 'registeredOn' | 'archiveNumber'
  | 'adopter1Name' | 'adopter1BirthDate' | 'adopter1IdNumber'
  | 'adopter2Name' | 'adopter2BirthDate' | 'adopter2IdNumber'
  | 'childName' | 'childBirthDate' | 'childIdNumber' | 'childNameAfter'
  | 'placingName'
  | 'residenceTown' // migration 0021: values are the town's code or 'abroad'

/** A correction of an imported registration: one field, old and new value, reason, who, when. */
export interface ApplicationCorrectionsTable {
  id: Generated<string>
  application_id: string
  field: CorrectionField
  old_value: string | null
  new_value: string | null
  encrypted: Generated<boolean>
  reason: string
  corrected_by: string
  corrected_at: Generated<Date>
  proposal_id: string | null
  approved_by: string | null
}

export type ReissueKind = 'lost' | 'damaged' | 'corrected'

export interface CertificateReissuesTable {
  id: Generated<string>
  application_id: string
  certificate_id: string
  kind: ReissueKind
  reason: string
  state: Generated<'requested' | 'approved' | 'refused' | 'issued'>
  requested_by: string
  requested_at: Generated<Date>
  decided_by: string | null
  decided_at: Date | null
  decision_note: string | null
  new_certificate_id: string | null
  issued_by: string | null
  issued_at: Date | null
  version: Generated<number>
}

export interface CorrectionProposalsTable {
  id: Generated<string>
  application_id: string
  fields: string[]
  payload_enc: string
  reason: string
  state: Generated<'proposed' | 'approved' | 'refused'>
  proposed_by: string
  proposed_at: Generated<Date>
  decided_by: string | null
  decided_at: Date | null
  decision_note: string | null
  version: Generated<number>
}

/** The background re-encryption to format v2 (decision 030): one row. */
export interface FieldEncryptionStateTable {
  id: Generated<boolean>
  cursors: ColumnType<Record<string, unknown>, string | undefined, string>
  converted: Generated<string>
  failed: ColumnType<unknown[], string | undefined, string>
  started_at: Timestamp | null
  done_at: Timestamp | null
}

export interface Database {
  towns: TownsTable
  import_seen: ImportSeenTable
  application_corrections: ApplicationCorrectionsTable
  certificate_reissues: CertificateReissuesTable
  correction_proposals: CorrectionProposalsTable
  ledger_exports: LedgerExportsTable
  import_mappings: ImportMappingsTable
  import_batches: ImportBatchesTable
  import_rows: ImportRowsTable
  followup_policies: FollowupPoliciesTable
  intercountry_adoptions: IntercountryAdoptionsTable
  followup_tasks: FollowupTasksTable
  post_placement_receipts: PostPlacementReceiptsTable
  visit_reports: VisitReportsTable
  visit_report_photos: VisitReportPhotosTable
  followup_notices: FollowupNoticesTable
  followup_deliveries: FollowupDeliveriesTable
  staff_handovers: StaffHandoversTable
  rootseeking_requests: RootseekingRequestsTable
  rootseeking_visitors: RootseekingVisitorsTable
  rootseeking_documents: RootseekingDocumentsTable
  rootseeking_receptions: RootseekingReceptionsTable
  rootseeking_disclosures: RootseekingDisclosuresTable
  rootseeking_escalations: RootseekingEscalationsTable
  public_rate_limit_hits: PublicRateLimitHitsTable
  archive_access_requests: ArchiveAccessRequestsTable
  archive_access_log: ArchiveAccessLogTable
  archive_transfers: ArchiveTransfersTable
  archive_transfer_items: ArchiveTransferItemsTable
  archive_counters: ArchiveCountersTable
  archive_files: ArchiveFilesTable
  archive_documents: ArchiveDocumentsTable
  archive_integrity_runs: ArchiveIntegrityRunsTable
  blobs: BlobsTable
  blob_chunks: BlobChunksTable
  assessment_attachments: AssessmentAttachmentsTable
  assessment_agencies: AssessmentAgenciesTable
  assessment_instruments: AssessmentInstrumentsTable
  assessments: AssessmentsTable
  assessment_members: AssessmentMembersTable
  assessment_activities: AssessmentActivitiesTable
  assessment_scores: AssessmentScoresTable
  assessment_alerts: AssessmentAlertsTable
  assessment_reports: AssessmentReportsTable
  assessment_signatures: AssessmentSignaturesTable
  applications: ApplicationsTable
  parties: PartiesTable
  application_documents: ApplicationDocumentsTable
  clock_pauses: ClockPausesTable
  public_notices: PublicNoticesTable
  application_events: ApplicationEventsTable
  number_counters: NumberCountersTable
  certificates: CertificatesTable
  dissolutions: DissolutionsTable
  revocations: RevocationsTable
  registries: RegistriesTable
  users: UsersTable
  user_roles: UserRolesTable
  role_grants: RoleGrantsTable
  password_resets: PasswordResetsTable
  sessions: SessionsTable
  recovery_codes: RecoveryCodesTable
  login_throttle: LoginThrottleTable
  settings: SettingsTable
  audit_log: AuditLogTable
  audit_chain_heads: AuditChainHeadsTable
  audit_chain_unsealed: AuditChainUnsealedTable
  audit_chain_checks: AuditChainChecksTable
  mail_outbox: MailOutboxTable
  mail_bounces: MailBouncesTable
  calendar_days: CalendarDaysTable
  field_encryption_state: FieldEncryptionStateTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type AuditRow = Selectable<AuditLogTable>

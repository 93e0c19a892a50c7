// The Database type stays true to the migrated schema: the column lists below are checked against
// the type at compile time (tsc) and against PostgreSQL's catalogue at run time.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { sql } from 'kysely'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import type { Database } from '#db/schema.ts'

type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Columns = { [T in keyof Database]: (keyof Database[T] & string)[] }

const columns = {
  registries: ['code', 'name', 'name_en', 'created_at', 'number_pattern', 'dissolution_number_pattern', 'refusal_number_pattern', 'number_prefix', 'reconsideration_body', 'court', 'archive_number_pattern', 'archive_filing_days', 'archive_upload_max_mb', 'archive_access_days', 'archive_transfer_years', 'archives_bureau', 'followup_escalation_days', 'go_live_on'],
  applications: ['id', 'registry_code', 'state', 'version', 'relation', 'placing_kind', 'other_parent_unknown_or_missing', 'other_parent_deceased', 'deceased_parents_parents', 'consent_of_supporters', 'foundling', 'received_on', 'review_due_on', 'secrecy', 'secrecy_requested_by', 'de_facto_since', 'assessment', 'assessment_report_on', 'assessment_reference', 'registrar_id', 'created_by', 'decision', 'decision_facts', 'decision_basis', 'decision_proposed_by', 'decision_proposed_at', 'approved_by', 'approved_at', 'registration_number', 'registration_year', 'registration_seq', 'registered_on', 'refused_on', 'refusal_number', 'closed_reason', 'created_at', 'updated_at', 'refusal_ground', 'source', 'import_batch_id', 'import_row', 'imported_by', 'import_key', 'import_kind', 'residence_town_id', 'resides_abroad', 'recorded_before_town_rule'],
  parties: ['id', 'application_id', 'role', 'position', 'name', 'sex', 'birth_date', 'id_number_enc', 'id_hash', 'hukou_address', 'current_address', 'phone', 'marital_status', 'children', 'adopted_children', 'overseas_chinese', 'findings_enc', 'situation', 'in_welfare_institution', 'disabled', 'consents', 'name_after_adoption', 'institution_name'],
  application_documents: ['application_id', 'code', 'provided_at', 'provided_by', 'verified_at', 'verified_by', 'note'],
  clock_pauses: ['id', 'application_id', 'kind', 'started_on', 'ended_on'],
  public_notices: ['id', 'application_id', 'published_on', 'medium', 'outlet', 'reference', 'notice_text', 'photo_blob_id', 'photo_content_type', 'recorded_by', 'recorded_at'],
  application_events: ['id', 'application_id', 'at', 'actor_id', 'kind', 'from_state', 'to_state', 'note'],
  number_counters: ['registry_code', 'kind', 'year', 'last_value'],
  certificates: ['id', 'application_id', 'kind', 'number', 'serial', 'issued_on', 'issued_by', 'status', 'status_reason', 'replaces_id', 'created_at'],
  dissolutions: ['application_id', 'agreement_on', 'child_consents', 'certificate_returned', 'number', 'dissolved_on', 'note', 'registered_by'],
  revocations: ['application_id', 'revoked_on', 'reason', 'certificate_confiscated', 'not_recovered_note', 'revoked_by'],
  users: ['id', 'registry_code', 'username', 'display_name', 'email', 'password_hash', 'must_change_password', 'active', 'failed_attempts', 'locked_until', 'totp_secret', 'totp_enabled', 'locale', 'password_changed_at', 'created_at', 'updated_at', 'version', 'agency_id', 'totp_last_step', 'totp_failures', 'totp_blocked_until', 'demo'],
  assessment_agencies: ['id', 'registry_code', 'legal_name', 'credit_code', 'business_scope', 'contract_from', 'contract_to', 'dpa_signed_on', 'active', 'created_at'],
  assessment_instruments: ['id', 'registry_code', 'version', 'definition', 'published_at', 'published_by'],
  assessments: ['id', 'registry_code', 'application_id', 'instrument_id', 'mode', 'agency_id', 'state', 'notice_on', 'consent_on', 'due_on', 'integration_from', 'integration_to', 'commissioned_by', 'commissioned_on', 'version', 'cancel_reason', 'cancelled_at', 'cancelled_by'],
  assessment_members: ['assessment_id', 'user_id', 'declared_at', 'conflict', 'conflict_note', 'removed_at'],
  assessment_activities: ['id', 'assessment_id', 'kind', 'on', 'place', 'present', 'topic', 'notes_enc', 'created_by', 'created_at'],
  assessment_scores: ['assessment_id', 'dimension', 'score', 'vetoes', 'findings_enc', 'updated_by', 'updated_at'],
  assessment_alerts: ['id', 'assessment_id', 'code', 'police', 'note_enc', 'raised_by', 'raised_at', 'acknowledged_by', 'acknowledged_at'],
  assessment_reports: ['id', 'assessment_id', 'version', 'number', 'conclusion', 'total', 'facts_enc', 'report_on', 'reason', 'created_by', 'created_at', 'finalized_at', 'superseded_at'],
  assessment_signatures: ['report_id', 'user_id', 'signed_at'],
  blobs: ['id', 'sha256', 'size', 'created_at', 'claimed_at'],
  blob_chunks: ['blob_id', 'seq', 'content_enc'],
  archive_counters: ['registry_code', 'year', 'type', 'last_value'],
  archive_files: ['id', 'registry_code', 'application_id', 'type', 'year', 'seq', 'archive_number', 'title', 'state', 'confidential', 'retention', 'location', 'due_on', 'opened_at', 'filed_at', 'filed_by', 'version'],
  archive_documents: ['id', 'file_id', 'category', 'title', 'author', 'doc_date', 'pages', 'source', 'blob_id', 'sha256', 'content_type', 'size', 'added_by', 'added_at', 'added_reason', 'checked_at', 'check_ok'],
  archive_integrity_runs: ['id', 'registry_code', 'started_at', 'finished_at', 'documents', 'bytes', 'mismatches'],
  archive_access_requests: ['id', 'file_id', 'requester_kind', 'requester_name', 'requester_unit', 'id_checked', 'letter_reference', 'letter_blob_id', 'purpose', 'staff_id', 'created_by', 'created_at', 'state', 'decided_by', 'decided_at', 'decision_reason', 'valid_until', 'reveal_birth_family', 'version'],
  archive_access_log: ['id', 'request_id', 'file_id', 'document_id', 'user_id', 'action', 'at', 'ip', 'reason'],
  archive_transfers: ['id', 'registry_code', 'number', 'state', 'proposed_by', 'proposed_at', 'confirmed_by', 'confirmed_on'],
  archive_transfer_items: ['transfer_id', 'file_id', 'held_back', 'hold_reason', 'hold_approved_by'],
  assessment_attachments: ['id', 'activity_id', 'blob_id', 'filename', 'content_type', 'size', 'uploaded_by', 'uploaded_at'],
  user_roles: ['user_id', 'role'],
  role_grants: ['id', 'registry_code', 'user_id', 'role', 'origin', 'proposed_by', 'proposed_at', 'state', 'decided_by', 'decided_at'],
  password_resets: ['id', 'registry_code', 'user_id', 'channel', 'requested_by', 'requested_at', 'secret_hash', 'issued_by', 'issued_at', 'expires_at', 'attempts', 'state', 'used_at'],
  sessions: ['id', 'user_id', 'created_at', 'last_seen_at', 'second_factor_done', 'revoked_at', 'revoked_reason', 'ip', 'user_agent'],
  settings: ['key', 'value', 'updated_at', 'updated_by', 'registry_code'],
  recovery_codes: ['id', 'user_id', 'code_hash', 'created_at', 'used_at'],
  login_throttle: ['key', 'failures', 'blocked_until', 'updated_at'],
  audit_log: ['id', 'at', 'registry_code', 'actor_id', 'actor_name', 'action', 'entity_type', 'entity_id', 'summary', 'reason', 'ip', 'chain_seq', 'mac'],
  audit_chain_heads: ['chain', 'seq', 'mac', 'updated_at'],
  audit_chain_unsealed: ['from_id', 'to_id', 'recorded_at'],
  audit_chain_checks: ['id', 'checked_at', 'source', 'ok', 'rows_checked', 'breaks'],
  mail_outbox: ['id', 'message_id', 'registry_code', 'to_address', 'subject', 'body_text', 'created_at'],
  mail_bounces: ['id', 'message_id', 'registry_code', 'address', 'response', 'at'],
  calendar_days: ['day', 'kind', 'name', 'registry_code'],
  field_encryption_state: ['id', 'cursors', 'converted', 'failed', 'started_at', 'done_at'],
  followup_policies: ['id', 'registry_code', 'version', 'rules', 'note', 'created_by', 'created_at'],
  intercountry_adoptions: ['id', 'registry_code', 'registration_number', 'registered_on', 'approved_on', 'child_name', 'child_birth_date', 'adopters', 'country', 'agency', 'agency_email', 'source', 'created_by', 'created_at'],
  followup_tasks: ['id', 'registry_code', 'application_id', 'intercountry_id', 'kind', 'sequence', 'policy_version', 'due_on', 'window_from', 'window_to', 'caseworker_id', 'status', 'cancel_reason', 'closed_at', 'version', 'created_at', 'case_number', 'caseworker_name'],
  post_placement_receipts: ['id', 'task_id', 'received_on', 'blob_id', 'content_type', 'sha256', 'outcome', 'returned_reason', 'recorded_by', 'recorded_at', 'decided_by', 'decided_at'],
  visit_reports: ['id', 'task_id', 'version', 'status', 'visited_on', 'outside_window_reason', 'met_enc', 'daily_care_enc', 'health_enc', 'schooling_enc', 'bonding_enc', 'support_needs', 'referral_enc', 'concern_level', 'concern_details_enc', 'reported_to', 'reported_at', 'correction_reason', 'created_by', 'created_at', 'updated_at', 'signed_by', 'signed_at', 'reviewed_by', 'reviewed_at', 'review_note', 'row_version', 'alerted_at'],
  visit_report_photos: ['id', 'report_id', 'blob_id', 'content_type', 'sha256', 'size', 'caption', 'created_at'],
  followup_notices: ['task_id', 'kind', 'recipient_id', 'swept_on', 'created_at'],
  followup_deliveries: ['task_id', 'kind', 'recipient_id', 'swept_on', 'mailed_at', 'message_id'],
  staff_handovers: ['id', 'from_user_id', 'reason', 'moved', 'handed_over_by', 'created_at'],
  ledger_exports: ['id', 'registry_code', 'requested_by', 'ledger', 'filter', 'format', 'locale', 'state', 'rows_total', 'rows_done', 'blob_id', 'error', 'created_at', 'finished_at'],
  rootseeking_requests: ['id', 'registry_code', 'reference', 'channel', 'state', 'applicant_name', 'nationality', 'residence_country', 'email', 'language', 'time_zone', 'adoptee_name_then', 'adoptee_name_now', 'adoptee_birth_date', 'registration_number', 'registration_date', 'institution', 'wished_from', 'wished_to', 'wished_places', 'message', 'received_on', 'reply_due_on', 'application_id', 'verified_by', 'verified_at', 'verification_note', 'paper_archive_reference', 'decided_by', 'decided_at', 'replied_on', 'decline_reasons', 'email_bounced_at', 'closed_at', 'created_by', 'created_at', 'version'],
  rootseeking_visitors: ['id', 'request_id', 'position', 'name', 'relation', 'nationality', 'birth_date', 'passport_number_enc', 'passport_hash', 'passport_expiry'],
  rootseeking_documents: ['id', 'request_id', 'kind', 'visitor_id', 'blob_id', 'filename', 'content_type', 'size', 'uploaded_by', 'uploaded_at'],
  rootseeking_receptions: ['request_id', 'caseworker_id', 'state', 'visit_on', 'starts_at', 'ends_at', 'places', 'receiving_staff', 'interpreter', 'institution_contact', 'may_show', 'no_fee', 'planned_by', 'planned_at', 'attendees', 'places_visited', 'shown', 'follow_up', 'visited_on', 'recorded_by', 'recorded_at', 'version'],
  rootseeking_disclosures: ['id', 'request_id', 'disclose', 'basis', 'decided_by', 'decided_at', 'paper_file_checked', 'paper_file_reference'],
  rootseeking_escalations: ['request_id', 'day', 'sent_at'],
  public_rate_limit_hits: ['id', 'bucket', 'key', 'at'],
  import_mappings: ['id', 'registry_code', 'layout', 'headers', 'mapping', 'updated_by', 'updated_at'],
  import_batches: ['id', 'registry_code', 'blob_id', 'filename', 'sha256', 'size', 'format', 'encoding', 'headers', 'layout', 'mapping', 'past_visits', 'state', 'total_rows', 'processed_rows', 'valid_rows', 'invalid_rows', 'duplicate_rows', 'existing_rows', 'created_rows', 'failure', 'failure_row', 'checked_at', 'imported_at', 'created_by', 'imported_by', 'created_at', 'version', 'check_run', 'approval_requested_by', 'approval_requested_at', 'approval_requested_run', 'approved_by', 'approved_at', 'approved_run', 'approval_refused_by', 'approval_refused_at', 'approval_refusal_reason'],
  import_rows: ['batch_id', 'row_number', 'status', 'registration_number', 'kind', 'messages', 'application_id'],
  towns: ['id', 'registry_code', 'code', 'name', 'kind', 'retired_on', 'version', 'created_at'],
  import_seen: ['batch_id', 'kind', 'key', 'row_number'],
  application_corrections: ['id', 'application_id', 'field', 'old_value', 'new_value', 'encrypted', 'reason', 'corrected_by', 'corrected_at', 'proposal_id', 'approved_by'],
  certificate_reissues: ['id', 'application_id', 'certificate_id', 'kind', 'reason', 'state', 'requested_by', 'requested_at', 'decided_by', 'decided_at', 'decision_note', 'new_certificate_id', 'issued_by', 'issued_at', 'version'],
  correction_proposals: ['id', 'application_id', 'fields', 'payload_enc', 'reason', 'state', 'proposed_by', 'proposed_at', 'decided_by', 'decided_at', 'decision_note', 'version'],
} satisfies Columns

// Every column of the type is listed (and nothing else): a compile error otherwise.
type Listed = { [T in keyof typeof columns]: (typeof columns)[T][number] }
const complete: { [T in keyof Database]: Exactly<Listed[T], keyof Database[T]> } = {
  assessment_agencies: true, assessment_instruments: true, assessments: true, assessment_members: true, assessment_activities: true,
  assessment_scores: true, assessment_alerts: true, assessment_reports: true, assessment_signatures: true, blobs: true, blob_chunks: true, assessment_attachments: true,
  archive_counters: true, archive_files: true, archive_documents: true, archive_integrity_runs: true,
  archive_access_requests: true, archive_access_log: true, archive_transfers: true, archive_transfer_items: true,
  applications: true, parties: true, application_documents: true, clock_pauses: true, public_notices: true, application_events: true,
  number_counters: true, certificates: true, dissolutions: true, revocations: true,
  registries: true, users: true, user_roles: true, role_grants: true, password_resets: true, sessions: true, settings: true, audit_log: true, audit_chain_heads: true, audit_chain_unsealed: true, audit_chain_checks: true, mail_outbox: true, mail_bounces: true, calendar_days: true, field_encryption_state: true,
  followup_policies: true, intercountry_adoptions: true, followup_tasks: true, post_placement_receipts: true, visit_reports: true,
  visit_report_photos: true, followup_notices: true, followup_deliveries: true, staff_handovers: true, ledger_exports: true,
  rootseeking_requests: true, rootseeking_visitors: true, rootseeking_documents: true, rootseeking_receptions: true,
  rootseeking_disclosures: true, rootseeking_escalations: true, public_rate_limit_hits: true,
  import_mappings: true, import_batches: true, import_rows: true, import_seen: true, application_corrections: true, certificate_reissues: true, correction_proposals: true,
  towns: true,
  recovery_codes: true, login_throttle: true,
}

let t: TestDatabase
beforeAll(async () => { t = await testDatabase() })
afterAll(async () => { await t.destroy() })

test('every table and column of the Database type exists, and no other', async () => {
  expect(Object.values(complete).every(Boolean)).toBe(true)
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and table_name not like 'kysely_%'
    order by table_name, ordinal_position`.execute(t.db)
  const actual: Record<string, string[]> = {}
  for (const r of rows) (actual[r.table_name] ??= []).push(r.column_name)
  const listed = Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, [...v].sort()]))
  const found = Object.fromEntries(Object.entries(actual).map(([k, v]) => [k, [...v].sort()]))
  expect(found).toEqual(listed)
})

test('the official 2026 calendar is loaded, with the adjusted working days', async () => {
  const rows = await t.db.selectFrom('calendar_days').selectAll().where('day', 'in', ['2026-10-01', '2026-10-10', '2026-02-14']).orderBy('day').execute()
  expect(rows.map((r) => [r.day, r.kind])).toEqual([
    ['2026-02-14', 'workday'],
    ['2026-10-01', 'holiday'],
    ['2026-10-10', 'workday'],
  ])
})

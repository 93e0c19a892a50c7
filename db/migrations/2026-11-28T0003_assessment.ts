// Capability assessment (收养评估): entrusted agencies, versioned instruments, assessments with
// their team, activities, scores, alerts, and signed report versions.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assessment_agencies')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('legal_name', 'text', (c) => c.notNull())
    .addColumn('credit_code', 'text', (c) => c.notNull().check(sql`credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`))
    .addColumn('business_scope', 'text', (c) => c.notNull())
    .addColumn('contract_from', 'date', (c) => c.notNull())
    .addColumn('contract_to', 'date', (c) => c.notNull())
    .addColumn('dpa_signed_on', 'date') // PIPL art. 21 data processing agreement on file
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('assessment_agencies_credit_unique', ['registry_code', 'credit_code'])
    .addCheckConstraint('assessment_agencies_contract_order', sql`contract_to >= contract_from`)
    .execute()

  // An agency's assessors are staff accounts tied to the agency: they see only entrusted cases.
  await db.schema.alterTable('users').addColumn('agency_id', 'bigint', (c) => c.references('assessment_agencies.id')).execute()

  await db.schema
    .createTable('assessment_instruments')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_by', 'bigint', (c) => c.references('users.id'))
    .addUniqueConstraint('assessment_instruments_version_unique', ['registry_code', 'version'])
    .execute()

  await db.schema
    .createTable('assessments')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id'))
    .addColumn('instrument_id', 'bigint', (c) => c.notNull().references('assessment_instruments.id'))
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('in_house', 'agency')`))
    .addColumn('agency_id', 'bigint', (c) => c.references('assessment_agencies.id'))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open').check(sql`state in ('open', 'signing', 'signed', 'cancelled')`))
    .addColumn('notice_on', 'date')
    .addColumn('consent_on', 'date')
    .addColumn('due_on', 'date')
    .addColumn('integration_from', 'date')
    .addColumn('integration_to', 'date')
    .addColumn('commissioned_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('commissioned_on', 'date', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('assessments_agency_mode', sql`(mode = 'agency') = (agency_id is not null)`)
    .addCheckConstraint('assessments_consent_after_notice', sql`consent_on is null or (notice_on is not null and consent_on >= notice_on)`)
    .addCheckConstraint('assessments_integration_30_days', sql`integration_to is null or (integration_from is not null and integration_to - integration_from >= 30)`)
    .execute()
  // One live assessment per application; a cancelled one may be replaced.
  await sql`create unique index assessments_one_live on assessments (application_id) where state <> 'cancelled'`.execute(db)
  await db.schema.createIndex('assessments_registry_due_idx').on('assessments').columns(['registry_code', 'due_on']).execute()

  await db.schema
    .createTable('assessment_members')
    .addColumn('assessment_id', 'bigint', (c) => c.notNull().references('assessments.id').onDelete('cascade'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('declared_at', 'timestamptz')
    .addColumn('conflict', 'boolean')
    .addColumn('conflict_note', 'text')
    .addColumn('removed_at', 'timestamptz')
    .addPrimaryKeyConstraint('assessment_members_pk', ['assessment_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('assessment_activities')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('assessment_id', 'bigint', (c) => c.notNull().references('assessments.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('interview', 'document_review', 'information_check', 'home_visit', 'field_visit', 'integration_observation', 'preparation')`),
    )
    .addColumn('on', 'date', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('present', sql`bigint[]`, (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('notes_enc', 'text', (c) => c.notNull()) // may hold health and family findings: encrypted
    .addColumn('created_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // Attachments (photos, audio notes, scans) behind the storage interface: in PostgreSQL by
  // default, encrypted; object storage later for a province that outgrows one database.
  await db.schema
    .createTable('blobs')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content_enc', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema
    .createTable('assessment_attachments')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('activity_id', 'bigint', (c) => c.notNull().references('assessment_activities.id').onDelete('cascade'))
    .addColumn('blob_id', 'bigint', (c) => c.notNull().references('blobs.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('assessment_activities_idx').on('assessment_activities').columns(['assessment_id', 'on']).execute()

  await db.schema
    .createTable('assessment_scores')
    .addColumn('assessment_id', 'bigint', (c) => c.notNull().references('assessments.id').onDelete('cascade'))
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('score', 'integer')
    .addColumn('vetoes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('findings_enc', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('assessment_scores_pk', ['assessment_id', 'dimension'])
    .execute()

  await db.schema
    .createTable('assessment_alerts')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('assessment_id', 'bigint', (c) => c.notNull().references('assessments.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('police', 'boolean', (c) => c.notNull())
    .addColumn('note_enc', 'text', (c) => c.notNull())
    .addColumn('raised_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('raised_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('acknowledged_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('acknowledged_at', 'timestamptz')
    .execute()

  await db.schema
    .createTable('assessment_reports')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('assessment_id', 'bigint', (c) => c.notNull().references('assessments.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('conclusion', 'text', (c) => c.notNull().check(sql`conclusion in ('recommended', 'not_recommended')`))
    .addColumn('total', 'integer')
    .addColumn('facts_enc', 'text', (c) => c.notNull())
    .addColumn('report_on', 'date', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finalized_at', 'timestamptz')
    .addColumn('superseded_at', 'timestamptz')
    .addUniqueConstraint('assessment_reports_version_unique', ['assessment_id', 'version'])
    .addCheckConstraint('assessment_reports_correction_reason', sql`version = 1 or reason is not null`)
    .execute()
  // A signed report is read-only: only marking it superseded by a correction is allowed.
  await sql`
    create function assessment_report_read_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        raise exception 'assessment reports are never deleted' using errcode = 'insufficient_privilege';
      end if;
      if old.finalized_at is not null and (
        new.conclusion, new.total, new.facts_enc, new.report_on, new.number, new.version, new.finalized_at
      ) is distinct from (
        old.conclusion, old.total, old.facts_enc, old.report_on, old.number, old.version, old.finalized_at
      ) then
        raise exception 'a signed assessment report is read-only; correct it with a new version' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end $$`.execute(db)
  await sql`create trigger assessment_reports_read_only before update on assessment_reports for each row execute function assessment_report_read_only()`.execute(db)
  await sql`create trigger assessment_reports_no_delete before delete on assessment_reports for each row execute function assessment_report_read_only()`.execute(db)

  await db.schema
    .createTable('assessment_signatures')
    .addColumn('report_id', 'bigint', (c) => c.notNull().references('assessment_reports.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('signed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('assessment_signatures_pk', ['report_id', 'user_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['assessment_attachments', 'blobs', 'assessment_signatures', 'assessment_reports', 'assessment_alerts', 'assessment_scores', 'assessment_activities', 'assessment_members', 'assessments', 'assessment_instruments']) {
    await db.schema.dropTable(table).ifExists().cascade().execute()
  }
  await db.schema.alterTable('users').dropColumn('agency_id').execute()
  await db.schema.dropTable('assessment_agencies').ifExists().execute()
  await sql`drop function if exists assessment_report_read_only()`.execute(db)
}

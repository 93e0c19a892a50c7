// Root-seeking return visits (寻根回访): requests from families abroad (recorded by staff or
// submitted on the public page), their visitors and documents, the reply within 10 working days,
// the reception plan and record, the supervisor's birth-family disclosure decisions, the daily
// sweep's escalations, and the public page's rate limit (held here so several processes share it).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rootseeking_requests')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('reference', 'text', (c) => c.notNull().unique().check(sql`reference ~ '^[A-Z2-7]{12}$'`))
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('online', 'mail', 'email')`))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('received').check(sql`state in ('received', 'accepted', 'declined', 'visited', 'closed', 'withdrawn')`))
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('nationality', 'text', (c) => c.notNull())
    .addColumn('residence_country', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('en', 'zh')`))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('adoptee_name_then', 'text', (c) => c.notNull())
    .addColumn('adoptee_name_now', 'text', (c) => c.notNull())
    .addColumn('adoptee_birth_date', 'date', (c) => c.notNull())
    .addColumn('registration_number', 'text', (c) => c.notNull())
    .addColumn('registration_date', 'date', (c) => c.notNull())
    .addColumn('institution', 'text', (c) => c.notNull())
    .addColumn('wished_from', 'date', (c) => c.notNull())
    .addColumn('wished_to', 'date', (c) => c.notNull())
    .addColumn('wished_places', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('received_on', 'date', (c) => c.notNull())
    .addColumn('reply_due_on', 'date', (c) => c.notNull())
    .addColumn('application_id', 'bigint', (c) => c.references('applications.id'))
    .addColumn('verified_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('verified_at', 'timestamptz')
    .addColumn('verification_note', 'text')
    // Adoptions from before the electronic registry are verified against the paper archive.
    .addColumn('paper_archive_reference', 'text')
    .addColumn('decided_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('replied_on', 'date')
    .addColumn('decline_reasons', 'text')
    .addColumn('email_bounced_at', 'timestamptz')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('rootseeking_wished_order', sql`wished_to >= wished_from`)
    .addCheckConstraint('rootseeking_due_after_receipt', sql`reply_due_on >= received_on`)
    .addCheckConstraint('rootseeking_accepted_verified', sql`state not in ('accepted', 'visited', 'closed') or ((application_id is not null or paper_archive_reference is not null) and verified_at is not null and decided_at is not null)`)
    .addCheckConstraint('rootseeking_declined_reasons', sql`state <> 'declined' or (decline_reasons is not null and decided_at is not null)`)
    .execute()
  await db.schema.createIndex('rootseeking_requests_registry_idx').on('rootseeking_requests').columns(['registry_code', 'state', 'reply_due_on']).execute()

  await db.schema
    .createTable('rootseeking_visitors')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'bigint', (c) => c.notNull().references('rootseeking_requests.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('nationality', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'date', (c) => c.notNull())
    .addColumn('passport_number_enc', 'text', (c) => c.notNull())
    .addColumn('passport_hash', 'text', (c) => c.notNull())
    .addColumn('passport_expiry', 'date', (c) => c.notNull())
    .addUniqueConstraint('rootseeking_visitors_position', ['request_id', 'position'])
    .addUniqueConstraint('rootseeking_visitors_passport', ['request_id', 'passport_hash'])
    .execute()

  await db.schema
    .createTable('rootseeking_documents')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'bigint', (c) => c.notNull().references('rootseeking_requests.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('application_form', 'adoption_certificate', 'passport', 'other')`))
    .addColumn('visitor_id', 'bigint', (c) => c.references('rootseeking_visitors.id'))
    .addColumn('blob_id', 'bigint', (c) => c.notNull().references('blobs.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('rootseeking_documents_passport_visitor', sql`kind <> 'passport' or visitor_id is not null`)
    .execute()

  // The reception: a caseworker's task. Free of charge: no_fee must be true (no fee, no solicited donation).
  await db.schema
    .createTable('rootseeking_receptions')
    .addColumn('request_id', 'bigint', (c) => c.primaryKey().references('rootseeking_requests.id'))
    .addColumn('caseworker_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('planned').check(sql`state in ('planned', 'recorded')`))
    .addColumn('visit_on', 'date', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull().check(sql`starts_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`))
    .addColumn('ends_at', 'text', (c) => c.notNull().check(sql`ends_at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'`))
    .addColumn('places', 'text', (c) => c.notNull())
    .addColumn('receiving_staff', 'text', (c) => c.notNull())
    .addColumn('interpreter', 'text', (c) => c.notNull())
    .addColumn('institution_contact', 'text', (c) => c.notNull())
    .addColumn('may_show', 'text', (c) => c.notNull())
    .addColumn('no_fee', 'boolean', (c) => c.notNull().check(sql`no_fee`))
    .addColumn('planned_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('planned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attendees', 'text')
    .addColumn('places_visited', 'text')
    .addColumn('shown', 'text')
    .addColumn('follow_up', 'text')
    .addColumn('visited_on', 'date')
    .addColumn('recorded_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('rootseeking_reception_times', sql`ends_at > starts_at`)
    .addCheckConstraint('rootseeking_reception_recorded', sql`state <> 'recorded' or (recorded_at is not null and recorded_by is not null and attendees is not null and visited_on is not null)`)
    .execute()
  await db.schema.createIndex('rootseeking_receptions_caseworker_idx').on('rootseeking_receptions').columns(['caseworker_id', 'state']).execute()

  // Whether anything of the original file's birth-family details may be disclosed to the family:
  // a supervisor's decision with its basis; the latest decision stands. Append-only.
  await db.schema
    .createTable('rootseeking_disclosures')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('request_id', 'bigint', (c) => c.notNull().references('rootseeking_requests.id'))
    .addColumn('disclose', 'boolean', (c) => c.notNull())
    .addColumn('basis', 'text', (c) => c.notNull().check(sql`length(trim(basis)) > 0`))
    .addColumn('decided_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await sql`
    create function rootseeking_disclosures_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'rootseeking_disclosures is append-only' using errcode = 'insufficient_privilege';
    end $$`.execute(db)
  await sql`create trigger rootseeking_disclosures_no_change before update or delete on rootseeking_disclosures for each row execute function rootseeking_disclosures_append_only()`.execute(db)

  // One escalation per late request per day (the daily sweep's idempotence).
  await db.schema
    .createTable('rootseeking_escalations')
    .addColumn('request_id', 'bigint', (c) => c.notNull().references('rootseeking_requests.id'))
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('rootseeking_escalations_pk', ['request_id', 'day'])
    .execute()

  // Hits per key (an address) and window for the public pages: in the database, so every app
  // process counts the same hits.
  await db.schema
    .createTable('public_rate_limits')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('public_rate_limits_pk', ['bucket', 'key', 'window_start'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['public_rate_limits', 'rootseeking_escalations', 'rootseeking_disclosures', 'rootseeking_receptions', 'rootseeking_documents', 'rootseeking_visitors', 'rootseeking_requests']) {
    await db.schema.dropTable(table).ifExists().cascade().execute()
  }
  await sql`drop function if exists rootseeking_disclosures_append_only()`.execute(db)
}

// Post-adoption follow-up (domain.md "Post-adoption follow-up"): the versioned visit policy, the
// tasks a registration creates (domestic visits) or an earlier intercountry adoption expects
// (post-placement reports from the foreign agency), the caseworkers' visit reports with their
// photos and the mandatory-report gate, the record of reminders already sent (so a sweep run twice
// sends nothing twice) and the staff hand-overs.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  // A policy is configuration with versions: a new version applies to new registrations; the
  // tasks keep the version they were planned under. rules: see app/followup/policy.ts (PolicyRules).
  await db.schema
    .createTable('followup_policies')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
    .addColumn('rules', 'jsonb', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('followup_policies_version_unique', ['registry_code', 'version'])
    .execute()

  // Earlier intercountry adoptions (recorded by hand or imported): their post-placement reports.
  await db.schema
    .createTable('intercountry_adoptions')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('registration_number', 'text', (c) => c.notNull())
    .addColumn('registered_on', 'date', (c) => c.notNull())
    .addColumn('approved_on', 'date', (c) => c.notNull()) // decides the schedule (before / since 2015)
    .addColumn('child_name', 'text', (c) => c.notNull())
    .addColumn('child_birth_date', 'date', (c) => c.notNull())
    .addColumn('adopters', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('agency', 'text', (c) => c.notNull())
    .addColumn('agency_email', 'text')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual').check(sql`source in ('manual', 'import')`))
    .addColumn('created_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('intercountry_adoptions_number_unique', ['registry_code', 'registration_number'])
    .addCheckConstraint('intercountry_adoptions_dates', sql`approved_on <= registered_on`)
    .execute()

  await db.schema
    .createTable('followup_tasks')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('registry_code', 'text', (c) => c.notNull().references('registries.code'))
    .addColumn('application_id', 'bigint', (c) => c.references('applications.id'))
    .addColumn('intercountry_id', 'bigint', (c) => c.references('intercountry_adoptions.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('visit', 'post_placement_report')`))
    .addColumn('sequence', 'smallint', (c) => c.notNull().check(sql`sequence > 0`))
    .addColumn('policy_version', 'integer') // null: the built-in default, or the statutory report schedule
    .addColumn('due_on', 'date', (c) => c.notNull())
    .addColumn('window_from', 'date', (c) => c.notNull())
    .addColumn('window_to', 'date', (c) => c.notNull())
    .addColumn('caseworker_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'done', 'cancelled')`))
    .addColumn('cancel_reason', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('followup_tasks_subject', sql`num_nonnulls(application_id, intercountry_id) = 1`)
    .addCheckConstraint('followup_tasks_kind_subject', sql`(kind = 'visit') = (application_id is not null)`)
    .addCheckConstraint('followup_tasks_window', sql`window_from <= due_on and due_on <= window_to`)
    .addCheckConstraint('followup_tasks_cancelled', sql`(status = 'cancelled') = (cancel_reason is not null)`)
    .addCheckConstraint('followup_tasks_closed', sql`(status = 'open') = (closed_at is null)`)
    .execute()
  await sql`create unique index followup_tasks_application_seq on followup_tasks (application_id, kind, sequence) where application_id is not null`.execute(db)
  await sql`create unique index followup_tasks_intercountry_seq on followup_tasks (intercountry_id, kind, sequence) where intercountry_id is not null`.execute(db)
  // The caseworker's list and the daily sweep read open tasks by date; closed ones are history.
  await sql`create index followup_tasks_open_by_caseworker on followup_tasks (caseworker_id, due_on) where status = 'open'`.execute(db)
  await sql`create index followup_tasks_open_by_window on followup_tasks (window_from, due_on) where status = 'open'`.execute(db)

  // Post-placement reports received from the foreign agency (one row per receipt; a report
  // returned for correction is followed by the corrected one).
  await db.schema
    .createTable('post_placement_receipts')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('task_id', 'bigint', (c) => c.notNull().references('followup_tasks.id'))
    .addColumn('received_on', 'date', (c) => c.notNull())
    .addColumn('blob_id', 'bigint', (c) => c.notNull().references('blobs.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().defaultTo('received').check(sql`outcome in ('received', 'accepted', 'returned')`))
    .addColumn('returned_reason', 'text')
    .addColumn('recorded_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('post_placement_receipts_returned', sql`(outcome = 'returned') = (returned_reason is not null)`)
    .execute()

  // The visit report. Free text about the child is sensitive (health, care): encrypted (_enc).
  // Signed by the caseworker on submission, reviewed by a supervisor; read-only once reviewed
  // (trigger below); a correction is a new version of the same task's report.
  await db.schema
    .createTable('visit_reports')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('task_id', 'bigint', (c) => c.notNull().references('followup_tasks.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft').check(sql`status in ('draft', 'submitted', 'reviewed')`))
    .addColumn('visited_on', 'date', (c) => c.notNull())
    .addColumn('outside_window_reason', 'text')
    .addColumn('met_enc', 'text', (c) => c.notNull())
    .addColumn('daily_care_enc', 'text', (c) => c.notNull())
    .addColumn('health_enc', 'text', (c) => c.notNull())
    .addColumn('schooling_enc', 'text', (c) => c.notNull())
    .addColumn('bonding_enc', 'text', (c) => c.notNull())
    .addColumn('support_needs', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('referral_enc', 'text')
    .addColumn('concern_level', 'text', (c) => c.notNull().check(sql`concern_level in ('none', 'minor', 'moderate', 'serious')`))
    .addColumn('concern_details_enc', 'text')
    .addColumn('reported_to', 'text') // mandatory report: the authority (police, civil affairs, education…)
    .addColumn('reported_at', 'timestamptz')
    .addColumn('correction_reason', 'text')
    .addColumn('created_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('signed_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('signed_at', 'timestamptz')
    .addColumn('reviewed_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('review_note', 'text')
    .addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('visit_reports_task_version', ['task_id', 'version'])
    .addCheckConstraint('visit_reports_support', sql`support_needs <@ array['school', 'medical', 'financial', 'psychological']::text[]`)
    .addCheckConstraint('visit_reports_referral', sql`cardinality(support_needs) = 0 or referral_enc is not null`)
    .addCheckConstraint('visit_reports_concern', sql`concern_level = 'none' or concern_details_enc is not null`)
    // The mandatory-report gate: a serious concern cannot leave the draft without to whom and when.
    .addCheckConstraint('visit_reports_mandatory_report', sql`concern_level <> 'serious' or status = 'draft' or (reported_to is not null and reported_at is not null)`)
    .addCheckConstraint('visit_reports_signed', sql`status = 'draft' or (signed_by is not null and signed_at is not null)`)
    .addCheckConstraint('visit_reports_reviewed', sql`(status = 'reviewed') = (reviewed_by is not null and reviewed_at is not null)`)
    .addCheckConstraint('visit_reports_correction', sql`version = 1 or correction_reason is not null`)
    .execute()
  await sql`
    create function visit_report_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.status <> 'draft' then raise exception 'a submitted visit report cannot be deleted' using errcode = 'check_violation'; end if;
        return old;
      end if;
      if old.status = 'reviewed' then
        raise exception 'a reviewed visit report is read-only; record a correction' using errcode = 'check_violation';
      end if;
      return new;
    end $$`.execute(db)
  await sql`create trigger visit_reports_guard before update or delete on visit_reports for each row execute function visit_report_guard()`.execute(db)

  await db.schema
    .createTable('visit_report_photos')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('report_id', 'bigint', (c) => c.notNull().references('visit_reports.id'))
    .addColumn('blob_id', 'bigint', (c) => c.notNull().references('blobs.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('caption', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  // What the daily sweep already announced: one row per task and notice kind. The sweep inserts
  // these in the transaction that enqueues the digests, so a second run finds nothing new.
  await db.schema
    .createTable('followup_notices')
    .addColumn('task_id', 'bigint', (c) => c.notNull().references('followup_tasks.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('window_open', 'due', 'overdue', 'escalated')`))
    .addColumn('recipient_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('swept_on', 'date', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('followup_notices_pk', ['task_id', 'kind'])
    .execute()

  await db.schema
    .createTable('staff_handovers')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('from_user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('moved', 'jsonb', (c) => c.notNull()) // { kind: { toUserId: count } }
    .addColumn('handed_over_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .alterTable('registries')
    .addColumn('followup_escalation_days', 'integer', (c) => c.notNull().defaultTo(14).check(sql`followup_escalation_days between 1 and 365`))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registries').dropColumn('followup_escalation_days').execute()
  for (const table of ['staff_handovers', 'followup_notices', 'visit_report_photos', 'visit_reports', 'post_placement_receipts', 'followup_tasks', 'intercountry_adoptions', 'followup_policies']) {
    await db.schema.dropTable(table).ifExists().execute()
  }
  await sql`drop function if exists visit_report_guard()`.execute(db)
}

// Four eyes on every registration, including imported ones (decision 027). A registration has legal
// force only through two persons (Measures for the Registration of Adoptions, art. 7: the registry
// examines and registers; the bureau's 审批 is its second person). The historical import, the
// certificate printed on the preprinted blank and the correction of identity fields each become a
// request of one person and a decision of another, enforced here as well as in the code:
// - import_batches: the dry run's number (`check_run`), who asked for approval of which run, who
//   approved it (never the uploader nor the asker) and for which run; 'approval_requested' and
//   'approved' states between 'checked' and 'importing'.
// - registries.go_live_on: the day the registry started registering in the system; an imported
//   registration must be dated before it (none is imported while it is unset).
// - certificate_reissues: 补发 (lost) / 换发 (damaged, corrected) requested, approved or refused by
//   another person, then issued on a new blank (its serial); the replaced certificate 'superseded'.
// - correction_proposals: a correction of identity fields of an imported registration waits here
//   (values encrypted) until another person approves or refuses it.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registries').addColumn('go_live_on', 'date').execute()

  await sql`alter table import_batches drop constraint import_batches_state_check`.execute(db)
  await sql`alter table import_batches add constraint import_batches_state_check
    check (state in ('mapping', 'checking', 'checked', 'approval_requested', 'approved', 'importing', 'imported', 'failed'))`.execute(db)
  await db.schema.alterTable('import_batches')
    .addColumn('check_run', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('approval_requested_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('approval_requested_at', 'timestamptz')
    .addColumn('approval_requested_run', 'integer')
    .addColumn('approved_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('approved_at', 'timestamptz')
    .addColumn('approved_run', 'integer')
    .addColumn('approval_refused_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('approval_refused_at', 'timestamptz')
    .addColumn('approval_refusal_reason', 'text')
    .execute()
  // The approver is a second person: neither the uploader nor the one who asked.
  await sql`alter table import_batches add constraint import_batches_second_person
    check (approved_by is null or (approved_by <> created_by and approved_by <> approval_requested_by))`.execute(db)
  await sql`alter table import_batches add constraint import_batches_refuser_second_person
    check (approval_refused_by is null or (approval_refused_by <> created_by and approval_refused_by <> approval_requested_by))`.execute(db)
  // Asked for and approved: of the current dry run. Batches imported before this rule keep their
  // history (NOT VALID: checked for every row written from now on).
  await sql`alter table import_batches add constraint import_batches_approval_of_run check (
    (state not in ('approval_requested', 'approved', 'importing') or (approval_requested_by is not null and approval_requested_run = check_run))
    and (state not in ('approved', 'importing') or (approved_by is not null and approved_run = check_run))) not valid`.execute(db)

  await sql`alter table certificates drop constraint certificates_status_check`.execute(db)
  await sql`alter table certificates add constraint certificates_status_check check (status in ('valid', 'void', 'returned', 'confiscated', 'superseded'))`.execute(db)

  await db.schema
    .createTable('certificate_reissues')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id'))
    .addColumn('certificate_id', 'bigint', (c) => c.notNull().references('certificates.id'))
    // 补发: lost; 换发: damaged, or corrected (Civil Code errors are corrected by reissuing).
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('lost', 'damaged', 'corrected')`))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`length(btrim(reason)) between 2 and 500`))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('requested').check(sql`state in ('requested', 'approved', 'refused', 'issued')`))
    .addColumn('requested_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_note', 'text')
    .addColumn('new_certificate_id', 'bigint', (c) => c.unique().references('certificates.id'))
    .addColumn('issued_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('issued_at', 'timestamptz')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('certificate_reissues_second_person', sql`decided_by is null or decided_by <> requested_by`)
    .addCheckConstraint('certificate_reissues_decided', sql`(state = 'requested') = (decided_by is null)`)
    .addCheckConstraint('certificate_reissues_issued', sql`(state = 'issued') = (new_certificate_id is not null and issued_by is not null)`)
    .execute()
  await sql`create unique index certificate_reissues_one_open on certificate_reissues (application_id) where state in ('requested', 'approved')`.execute(db)

  await db.schema
    .createTable('correction_proposals')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('application_id', 'bigint', (c) => c.notNull().references('applications.id'))
    .addColumn('fields', sql`text[]`, (c) => c.notNull())
    // The values before and after, the town: JSON encrypted with the field cipher (ID numbers).
    .addColumn('payload_enc', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`length(btrim(reason)) between 2 and 500`))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('proposed').check(sql`state in ('proposed', 'approved', 'refused')`))
    .addColumn('proposed_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('proposed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('decided_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decision_note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('correction_proposals_second_person', sql`decided_by is null or decided_by <> proposed_by`)
    .addCheckConstraint('correction_proposals_decided', sql`(state = 'proposed') = (decided_by is null)`)
    .execute()
  await sql`create unique index correction_proposals_one_open on correction_proposals (application_id) where state = 'proposed'`.execute(db)
  await db.schema.alterTable('application_corrections')
    .addColumn('proposal_id', 'bigint', (c) => c.references('correction_proposals.id'))
    .addColumn('approved_by', 'bigint', (c) => c.references('users.id'))
    .execute()
  await sql`alter table application_corrections add constraint application_corrections_second_person check (approved_by is null or approved_by <> corrected_by)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('application_corrections').dropConstraint('application_corrections_second_person').execute()
  await db.schema.alterTable('application_corrections').dropColumn('proposal_id').dropColumn('approved_by').execute()
  await db.schema.dropTable('correction_proposals').execute()
  await db.schema.dropTable('certificate_reissues').execute()
  await sql`update certificates set status = 'void' where status = 'superseded'`.execute(db)
  await sql`alter table certificates drop constraint certificates_status_check`.execute(db)
  await sql`alter table certificates add constraint certificates_status_check check (status in ('valid', 'void', 'returned', 'confiscated'))`.execute(db)
  for (const c of ['import_batches_approval_of_run', 'import_batches_refuser_second_person', 'import_batches_second_person']) {
    await sql`alter table import_batches drop constraint ${sql.raw(c)}`.execute(db)
  }
  await sql`update import_batches set state = 'checked' where state in ('approval_requested', 'approved')`.execute(db)
  await db.schema.alterTable('import_batches')
    .dropColumn('check_run').dropColumn('approval_requested_by').dropColumn('approval_requested_at').dropColumn('approval_requested_run')
    .dropColumn('approved_by').dropColumn('approved_at').dropColumn('approved_run')
    .dropColumn('approval_refused_by').dropColumn('approval_refused_at').dropColumn('approval_refusal_reason')
    .execute()
  await sql`alter table import_batches drop constraint import_batches_state_check`.execute(db)
  await sql`alter table import_batches add constraint import_batches_state_check check (state in ('mapping', 'checking', 'checked', 'importing', 'imported', 'failed'))`.execute(db)
  await db.schema.alterTable('registries').dropColumn('go_live_on').execute()
}

// An assessment is cancelled when what it assessed changed (audit gap 7): other adopters, or a case
// whose relation or placing party changed (the requirement is decided again: a step-parent adoption
// needs none, art. 1103). A cancelled assessment says why, when and by whom; the check keeps the
// reason and the state together.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('assessments')
    .addColumn('cancel_reason', 'text', (c) => c.check(sql`cancel_reason in ('adopters_changed', 'case_changed', 'unrecorded')`))
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('cancelled_by', 'bigint', (c) => c.references('users.id'))
    .execute()
  // Nothing cancelled an assessment before this migration; should a row say so anyway, its reason
  // is unknown rather than invented.
  await sql`update assessments set cancel_reason = 'unrecorded' where state = 'cancelled'`.execute(db)
  await sql`alter table assessments add constraint assessments_cancel_reason check ((state = 'cancelled') = (cancel_reason is not null))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table assessments drop constraint assessments_cancel_reason`.execute(db)
  await db.schema.alterTable('assessments').dropColumn('cancel_reason').dropColumn('cancelled_at').dropColumn('cancelled_by').execute()
}

// Follow-up, more columns: when a serious concern alerted the supervisors (so a draft saved twice
// alerts once), and who decided on a received post-placement report.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('visit_reports').addColumn('alerted_at', 'timestamptz').execute()
  await db.schema.alterTable('post_placement_receipts')
    .addColumn('decided_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('decided_at', 'timestamptz')
    .execute()
  await sql`alter table post_placement_receipts add constraint post_placement_receipts_decided
    check ((outcome = 'received') = (decided_by is null and decided_at is null))`.execute(db)
  // The supervisors' review queue and the dashboard read submitted reports.
  await sql`create index visit_reports_awaiting_review on visit_reports (task_id) where status = 'submitted'`.execute(db)
  await sql`create index post_placement_receipts_task on post_placement_receipts (task_id, id)`.execute(db)
  await sql`create index visit_reports_task on visit_reports (task_id, version)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists visit_reports_task`.execute(db)
  await sql`drop index if exists post_placement_receipts_task`.execute(db)
  await sql`drop index if exists visit_reports_awaiting_review`.execute(db)
  await db.schema.alterTable('post_placement_receipts').dropConstraint('post_placement_receipts_decided').execute()
  await db.schema.alterTable('post_placement_receipts').dropColumn('decided_by').dropColumn('decided_at').execute()
  await db.schema.alterTable('visit_reports').dropColumn('alerted_at').execute()
}

// The daily follow-up sweep's deliveries (docs/decisions/011-followup-sweep.md). followup_notices
// (migration 0007) says once per task and kind that a reminder is due; a notice addressed to the
// supervisors (an unassigned task, an escalation) reaches every active supervisor of the registry,
// so who gets it, and whether their digest has taken it yet, is one row per recipient here. The
// digest job marks its rows in the transaction that enqueues the e-mail: a retried digest finds
// nothing left and sends nothing twice.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('followup_deliveries')
    .addColumn('task_id', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('swept_on', 'date', (c) => c.notNull())
    .addColumn('mailed_at', 'timestamptz')
    .addColumn('message_id', 'text') // null with mailed_at set: the recipient had no address or had left
    .addPrimaryKeyConstraint('followup_deliveries_pk', ['task_id', 'kind', 'recipient_id'])
    .addForeignKeyConstraint('followup_deliveries_notice', ['task_id', 'kind'], 'followup_notices', ['task_id', 'kind'])
    .addCheckConstraint('followup_deliveries_mailed', sql`message_id is null or mailed_at is not null`)
    .execute()
  await sql`create index followup_deliveries_pending on followup_deliveries (recipient_id) where mailed_at is null`.execute(db)
  // The hand-over counts and moves a user's draft visit reports.
  await sql`create index visit_reports_drafts_by_author on visit_reports (created_by) where status = 'draft'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists visit_reports_drafts_by_author`.execute(db)
  await db.schema.dropTable('followup_deliveries').ifExists().execute()
}

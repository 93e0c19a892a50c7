// The ground of a refusal as one of a fixed list (besides the facts and the legal basis in words),
// so that refusals can be counted by reason in the statistics and the yearly monitoring report.
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('applications')
    .addColumn('refusal_ground', 'text', (c) => c.check(sql`refusal_ground in ('adopter_conditions', 'child_not_eligible', 'placing_party', 'consent_missing', 'age_gap', 'assessment_not_recommended', 'documents_false_or_incomplete', 'other')`))
    .execute()
  // Refusals decided before the list existed count as "other".
  await sql`update applications set refusal_ground = 'other' where decision = 'refuse'`.execute(db)
  await sql`alter table applications add constraint applications_refusal_ground check (decision is distinct from 'refuse' or refusal_ground is not null)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('applications').dropConstraint('applications_refusal_ground').execute()
  await db.schema.alterTable('applications').dropColumn('refusal_ground').execute()
}

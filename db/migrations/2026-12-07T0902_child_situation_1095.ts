// Civil Code art. 1095: a minor whose birth parents both lack full civil capacity and may seriously
// harm the minor may be placed by the guardian. The child's situation records it, with the evidence
// in the checklist (parents_incapacity_proof).
import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table parties drop constraint if exists parties_situation_check`.execute(db)
  await sql`alter table parties add constraint parties_situation_check check (situation in ('orphan', 'parents_not_found', 'parents_in_difficulty', 'parents_lack_capacity', 'other'))`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table parties drop constraint if exists parties_situation_check`.execute(db)
  await sql`alter table parties add constraint parties_situation_check check (situation in ('orphan', 'parents_not_found', 'parents_in_difficulty', 'other'))`.execute(db)
}

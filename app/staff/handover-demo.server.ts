// Demo mode: the second demo caseworker (caseworker2) holds part of the demo registrations' open
// follow-up work, so the supervisor's hand-over page (/staff/handover) and the morning digests have
// something to show. Runs after the follow-up demo (which gives `caseworker` its own visits) and
// takes only tasks nobody holds, from every other registration: the rest stay unassigned for the
// supervisor's assignment page. Once only: while caseworker2 holds nothing.
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from '#db/schema.ts'

export async function seedHandoverDemo(db: Kysely<Database>, registryCode: string): Promise<number> {
  const holder = await db.selectFrom('users').select('id').where('registry_code', '=', registryCode).where('username', '=', 'caseworker2').executeTakeFirst()
  if (!holder) return 0
  const held = await db.selectFrom('followup_tasks').select('id').where('caseworker_id', '=', holder.id).limit(1).execute()
  if (held.length > 0) return 0
  // Registration by registration: every open task of one adoption goes to the same caseworker.
  const result = await sql`
    update followup_tasks t set caseworker_id = ${holder.id}, version = version + 1
    where t.registry_code = ${registryCode} and t.status = 'open' and t.caseworker_id is null and t.application_id is not null
      and t.application_id % 2 = 0
      and not exists (select 1 from followup_tasks o where o.application_id = t.application_id and o.caseworker_id is not null)`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

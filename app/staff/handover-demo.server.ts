// Demo mode: the demo caseworkers hold the demo registrations' open follow-up work, so the
// supervisor's hand-over page (/staff/handover) and the morning digests have something to show.
// Only while nobody holds any task (a fresh demo); the demo cases' tasks are planned unassigned.
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import type { Database } from '#db/schema.ts'

export async function seedHandoverDemo(db: Kysely<Database>, registryCode: string): Promise<number> {
  const holders = await db.selectFrom('users').select('id').where('registry_code', '=', registryCode)
    .where('username', 'in', ['caseworker', 'caseworker2']).orderBy('username').execute()
  if (holders.length === 0) return 0
  const assigned = await db.selectFrom('followup_tasks').select('id').where('registry_code', '=', registryCode)
    .where('caseworker_id', 'is not', null).limit(1).execute()
  if (assigned.length > 0) return 0
  // Registration by registration, in turn: every task of one adoption goes to the same caseworker.
  const result = await sql`
    update followup_tasks t set caseworker_id = (${sql.val(holders.map((h) => h.id))}::bigint[])[1 + (t.application_id % ${holders.length})], version = version + 1
    where t.registry_code = ${registryCode} and t.status = 'open' and t.caseworker_id is null and t.application_id is not null`.execute(db)
  return Number(result.numAffectedRows ?? 0)
}

// The home page's root-seeking lines: replies due and late, and the caseworker's own receptions.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { Viewer } from '#app/registration/applications.server.ts'

export async function rootseekingDashboard(db: Kysely<Database>, viewer: Viewer, today: string) {
  const row = await db.selectFrom('rootseeking_requests')
    .select([sql<number>`count(*) filter (where state = 'received')::int`.as('open'), sql<number>`count(*) filter (where state = 'received' and reply_due_on < ${today})::int`.as('late')])
    .where('registry_code', '=', viewer.registryCode).executeTakeFirstOrThrow()
  const mine = await db.selectFrom('rootseeking_receptions as p').innerJoin('rootseeking_requests as r', 'r.id', 'p.request_id')
    .select(sql<number>`count(*)::int`.as('n')).where('p.caseworker_id', '=', viewer.id).where('p.state', '=', 'planned').where('r.state', '=', 'accepted').executeTakeFirstOrThrow()
  return { open: row.open, late: row.late, mine: mine.n }
}

// For the staff hand-over (another capability builds the page): a departing caseworker's open
// root-seeking receptions — planned, not yet recorded — and moving them to a colleague.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'

type Db = Kysely<Database> | Transaction<Database>

function openReceptions(db: Db, userId: string) {
  return db.selectFrom('rootseeking_receptions as p').innerJoin('rootseeking_requests as r', 'r.id', 'p.request_id')
    .where('p.caseworker_id', '=', userId).where('p.state', '=', 'planned').where('r.state', '=', 'accepted')
}

export async function countOpenRootSeekingWork(db: Db, userId: string): Promise<number> {
  const row = await openReceptions(db, userId).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
  return row.n
}

/** Moves the open receptions; returns how many. Runs in the caller's transaction (which audits the hand-over). */
export async function moveOpenRootSeekingWork(trx: Db, fromUserId: string, toUserId: string): Promise<number> {
  if (fromUserId === toUserId) return 0
  const result = await trx.updateTable('rootseeking_receptions')
    .set({ caseworker_id: toUserId, version: sql`version + 1` as never })
    .where('caseworker_id', '=', fromUserId).where('state', '=', 'planned')
    .where('request_id', 'in', (eb) => eb.selectFrom('rootseeking_requests').select('id').where('state', '=', 'accepted'))
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

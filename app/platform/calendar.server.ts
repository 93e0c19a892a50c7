// The holiday calendar (days off and adjusted working days) for deadline arithmetic.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'

export type WorkCalendar = { holidays: ReadonlySet<string>; workdays: ReadonlySet<string> }

export async function workCalendar(db: Kysely<Database>): Promise<WorkCalendar> {
  const rows = await db.selectFrom('calendar_days').select(['day', 'kind']).execute()
  return {
    holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.day)),
    workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.day)),
  }
}

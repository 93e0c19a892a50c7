// The holiday calendar (days off and adjusted working days) for deadline arithmetic: the national
// calendar (the State Council's notice, registry_code null) with the registry's own local days on
// top (decision 030). A local day replaces the national entry for the same date.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'

export type WorkCalendar = { holidays: ReadonlySet<string>; workdays: ReadonlySet<string> }

/** The days that count for a registry: national, then its local days over them. */
export async function calendarDaysFor(db: Kysely<Database>, registryCode: string): Promise<{ day: string; kind: 'holiday' | 'workday' }[]> {
  const rows = await db.selectFrom('calendar_days').select(['day', 'kind'])
    .where((eb) => eb.or([eb('registry_code', 'is', null), eb('registry_code', '=', registryCode)]))
    .orderBy('day').orderBy(sql`registry_code is not null`).execute()
  const byDay = new Map<string, 'holiday' | 'workday'>()
  for (const r of rows) byDay.set(r.day, r.kind) // the local row comes last and wins
  return [...byDay].map(([day, kind]) => ({ day, kind }))
}

export async function workCalendar(db: Kysely<Database>, registryCode: string): Promise<WorkCalendar> {
  const rows = await calendarDaysFor(db, registryCode)
  return {
    holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.day)),
    workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.day)),
  }
}

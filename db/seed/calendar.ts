// The official holiday calendars the product ships (State Council notices), loaded idempotently
// at start so "working day" deadlines know the days off and the adjusted working days (调休).
import { type Kysely } from 'kysely'
import calendar2026 from './holidays-cn-2026.json' with { type: 'json' }

type CalendarFile = { holidays: { name: string; dates: string[] }[]; workdays: string[] }
const calendars: CalendarFile[] = [calendar2026]

export async function loadCalendar(db: Kysely<any>) {
  const rows = calendars.flatMap((c) => [
    ...c.holidays.flatMap((h) => h.dates.map((day) => ({ day, kind: 'holiday', name: h.name }))),
    ...c.workdays.map((day) => ({ day, kind: 'workday', name: '调休上班' })),
  ])
  if (rows.length === 0) return
  await db
    .insertInto('calendar_days')
    .values(rows)
    .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ kind: eb.ref('excluded.kind'), name: eb.ref('excluded.name') })))
    .execute()
}

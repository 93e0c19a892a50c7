// The official holiday calendars the product ships (State Council notices), loaded at start so
// "working day" deadlines know the days off and the adjusted working days (调休). A year is loaded
// only while the table has none of its dates: once there, the administrator maintains it
// (/admin/calendar) and a restart does not undo their changes.
import { type Kysely } from 'kysely'
import calendar2026 from './holidays-cn-2026.json' with { type: 'json' }

type CalendarFile = { year: number; holidays: { name: string; dates: string[] }[]; workdays: string[] }
const calendars: CalendarFile[] = [calendar2026]

export async function loadCalendar(db: Kysely<any>) {
  for (const c of calendars) {
    const present = await db.selectFrom('calendar_days').select('day').where('registry_code', 'is', null).where('day', '>=', `${c.year}-01-01`).where('day', '<=', `${c.year}-12-31`).limit(1).executeTakeFirst()
    if (present) continue
    const rows = [
      ...c.holidays.flatMap((h) => h.dates.map((day) => ({ day, kind: 'holiday', name: h.name }))),
      ...c.workdays.map((day) => ({ day, kind: 'workday', name: '调休上班' })),
    ]
    if (rows.length === 0) continue
    await db.insertInto('calendar_days').values(rows).onConflict((oc) => oc.column('day').where('registry_code', 'is', null).doNothing()).execute()
  }
}

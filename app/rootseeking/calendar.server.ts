// The holiday calendar as the pure working-day function wants it, and the 10-working-day reply.
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { addWorkingDays, workingDaysBetween } from '#app/platform/working-days.ts'
import { calendarDaysFor } from '#app/platform/calendar.server.ts'

type Db = Kysely<Database> | Transaction<Database>
export type CalendarLists = { holidays: string[]; workdays: string[] }

/** Working days the bureau has to reply to a root-seeking request (domain.md). */
export const REPLY_WORKING_DAYS = 10

/** The registry's working-day calendar: national days and its local days (decision 030). */
export async function calendarLists(db: Db, registryCode: string): Promise<CalendarLists> {
  const rows = await calendarDaysFor(db, registryCode)
  return { holidays: rows.filter((r) => r.kind === 'holiday').map((r) => r.day), workdays: rows.filter((r) => r.kind === 'workday').map((r) => r.day) }
}

export function replyDueOn(receivedOn: string, calendar: CalendarLists): string {
  return addWorkingDays(receivedOn, REPLY_WORKING_DAYS, calendar)
}

/** Days left as the list shows them: working days to the due date, negative calendar days when late. */
export function replyClock(dueOn: string, today: string, calendar: CalendarLists): { late: boolean; workingDaysLeft: number } {
  if (today > dueOn) return { late: true, workingDaysLeft: -workingDaysBetween(dueOn, today, calendar) }
  return { late: false, workingDaysLeft: workingDaysBetween(today, dueOn, calendar) }
}

// The stored review due date (applications.review_due_on): derived state, recomputed by this one
// function after every step that moves the clock (decisions.server.ts, and an edit that cancels an
// assessment: applications.server.ts).
import type { Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { workCalendar } from '#app/platform/calendar.server.ts'
import { openStates } from './workflow.ts'
import { reviewClock } from './deadlines.ts'

/** Recomputes the stored review due date from receipt, pauses and the calendar (deadlines.ts). */
export async function refreshDueDate(trx: Transaction<Database>, id: string) {
  const app = await trx.selectFrom('applications').select(['state', 'received_on', 'registry_code']).where('id', '=', id).executeTakeFirstOrThrow()
  let due: string | null = null
  if (openStates.includes(app.state) && app.received_on) {
    const pauses = await trx.selectFrom('clock_pauses').select(['started_on as startedOn', 'ended_on as endedOn']).where('application_id', '=', id).execute()
    const clock = reviewClock(app.received_on, pauses, app.received_on, await workCalendar(trx, app.registry_code))
    due = clock.status === 'running' ? clock.dueOn : null
  }
  await trx.updateTable('applications').set({ review_due_on: due }).where('id', '=', id).execute()
}

// Who may see and do what with a follow-up task: everyone with followup.read in the task's
// registry may read it; the assigned caseworker files its report; a supervisor assigns and reviews.
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { ForbiddenError, NotFoundError } from '#app/platform/http.server.ts'
import { can } from '#app/platform/permissions.ts'
import type { Viewer } from '#app/registration/applications.server.ts'

export type Db = Kysely<Database> | Transaction<Database>

export const validId = (id: string) => /^\d{1,18}$/.test(id)

export async function taskRow(db: Db, viewer: Viewer, id: string, lock = false) {
  if (!validId(id)) throw new NotFoundError('task')
  let q = db.selectFrom('followup_tasks').selectAll().where('id', '=', id).where('registry_code', '=', viewer.registryCode)
  if (lock) q = q.forUpdate()
  const task = await q.executeTakeFirst()
  if (!task) throw new NotFoundError('task')
  return task
}

/** The caseworker who files the report: the one assigned, holding followup.write. */
export function mayFile(viewer: Viewer, task: { caseworker_id: string | null }) {
  return can(viewer.roles, 'followup.write') && task.caseworker_id === viewer.id
}

export function requireFiler(viewer: Viewer, task: { caseworker_id: string | null }) {
  if (!mayFile(viewer, task)) throw new ForbiddenError()
}

export function requireSupervisor(viewer: Viewer) {
  if (!can(viewer.roles, 'followup.supervise')) throw new ForbiddenError()
}

/** Monday and Sunday of the week of `today` (YYYY-MM-DD). */
export function weekOf(today: string): { from: string; to: string } {
  const d = new Date(`${today}T00:00:00Z`)
  const dow = (d.getUTCDay() + 6) % 7 // Monday 0
  const from = new Date(d.getTime() - dow * 86_400_000).toISOString().slice(0, 10)
  const to = new Date(d.getTime() + (6 - dow) * 86_400_000).toISOString().slice(0, 10)
  return { from, to }
}

/** The first and last day of a month given as YYYY-MM. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number)
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` }
}

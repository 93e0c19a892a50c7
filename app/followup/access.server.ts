// Who may see and do what with a follow-up task (docs/decisions/023-followup-task-access.md).
// Reading — the task, its reports, photos, visit record and the family's details — is decided in
// one place, `readableTask`, used by every read:
//   - a supervisor (followup.supervise) reads every task of the registry;
//   - the caseworker assigned to the task reads it (a hand-over moves the task, and so the access);
//   - anyone else reads it only if they may read the case it belongs to: a domestic task's
//     application through the registration's own secrecy check (visibleApplications), an
//     intercountry task's adoption under readableIntercountry (decision 028).
// Any other task is "not found" (404, not 403: its existence is not confirmed).
// The assigned caseworker files its report; a supervisor assigns and reviews.
import type { ExpressionBuilder, Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { ForbiddenError, NotFoundError } from '#app/platform/http.server.ts'
import { can } from '#app/platform/permissions.ts'
import { visibleApplications, type Viewer } from '#app/registration/applications.server.ts'
import { audit } from '#app/platform/audit.server.ts'

export type Db = Kysely<Database> | Transaction<Database>

export const validId = (id: string) => /^\d{1,18}$/.test(id)

/**
 * The access rule as a condition on `followup_tasks as t` (registry included): the one place that
 * decides who may read a task. Join it into every query that reads a task or what hangs from it.
 */
export function readableTask(db: Db, viewer: Viewer) {
  return (eb: ExpressionBuilder<Database & { t: Database['followup_tasks'] }, 't'>) => {
    const inRegistry = eb('t.registry_code', '=', viewer.registryCode)
    if (can(viewer.roles, 'followup.supervise')) return inRegistry
    if (!can(viewer.roles, 'followup.read')) return eb.and([inRegistry, eb.lit(false)])
    return eb.and([
      inRegistry,
      eb.or([
        eb('t.caseworker_id', '=', viewer.id),
        eb('t.application_id', 'in', visibleApplications(db, viewer).select('applications.id')),
        eb('t.intercountry_id', 'in', db.selectFrom('intercountry_adoptions as i').select('i.id').where(readableIntercountry(db, viewer))),
      ]),
    ])
  }
}

/**
 * Who may read an intercountry adoption and its post-placement reports (the child's and the
 * foreign adopters' names, the agency's reports on the child): a condition on
 * `intercountry_adoptions as i` (decision 028). A supervisor reads every one of the registry;
 * otherwise, with followup.read, the one who recorded or imported it and a caseworker assigned one
 * of its report tasks. Everyone else: not found.
 */
export function readableIntercountry(db: Db, viewer: Viewer) {
  return (eb: ExpressionBuilder<Database & { i: Database['intercountry_adoptions'] }, 'i'>) => {
    const inRegistry = eb('i.registry_code', '=', viewer.registryCode)
    if (can(viewer.roles, 'followup.supervise')) return inRegistry
    if (!can(viewer.roles, 'followup.read')) return eb.and([inRegistry, eb.lit(false)])
    return eb.and([
      inRegistry,
      eb.or([
        eb('i.created_by', '=', viewer.id),
        eb.exists(eb.selectFrom('followup_tasks as ti').select('ti.id').whereRef('ti.intercountry_id', '=', 'i.id').where('ti.caseworker_id', '=', viewer.id)),
      ]),
    ])
  }
}

/** One task the viewer may read (see readableTask), or NotFoundError. */
export async function taskRow(db: Db, viewer: Viewer, id: string, lock = false) {
  if (!validId(id)) throw new NotFoundError('task')
  let q = db.selectFrom('followup_tasks as t').selectAll('t').where('t.id', '=', id).where(readableTask(db, viewer))
  if (lock) q = q.forUpdate()
  const task = await q.executeTakeFirst()
  if (!task) {
    await refused(db, viewer, id)
    throw new NotFoundError('task')
  }
  return task
}

/**
 * Records a refused read of a task of the viewer's registry that exists (a wrong or foreign id is
 * only "not found"). Inside a transaction that then fails, the row goes with it.
 */
export async function refused(db: Db, viewer: Viewer, taskId: string, summary: Record<string, unknown> = {}): Promise<void> {
  const exists = await db.selectFrom('followup_tasks').select('id').where('id', '=', taskId).where('registry_code', '=', viewer.registryCode).executeTakeFirst()
  if (exists) await audit(db, { actor: viewer, action: 'followup.access_refused', entityType: 'followup_task', entityId: taskId, summary })
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

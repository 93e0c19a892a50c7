// Assignment: every task has one responsible caseworker (null: not yet assigned). A supervisor
// assigns and reassigns, one by one or many at once; the receiver must be an active caseworker of
// the same registry, and every task must still be at the version the supervisor saw — otherwise
// nothing is saved.
import { sql, type Kysely } from 'kysely'
import type { Database, FollowupTaskKind } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import { ConflictError, ProcedureError } from '#app/platform/http.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { monthRange, requireSupervisor, validId, type Db } from './access.server.ts'
import { parseSortParams, type SortParams } from '#app/ledgers/sorting.ts'
import { cursorOf, inPinyin, sortedBy, type SortSpec } from '#app/ledgers/sorting.server.ts'

export type TaskFilter = {
  caseworker?: string // a user id, or 'none' for unassigned
  month?: string // YYYY-MM of the due date
  status?: 'open' | 'overdue' | 'done' | 'cancelled'
  kind?: FollowupTaskKind
  town?: string // the adopters' town of residence: a town id, 'abroad' (also intercountry cases) or 'none'
} & SortParams // key-set paging: after = "<sort value>|id", by default "due_on|id"

/** The task list's sortable columns; its own order is the due date, soonest first. */
export const taskSort: SortSpec<'due' | 'case' | 'caseworker'> = {
  key: sql`t.id`,
  columns: { due: { kind: 'date', first: 'asc' }, case: { kind: 'text', first: 'asc' }, caseworker: { kind: 'name', first: 'asc' } },
  // The case's number and the caseworker's name are the task's own copies (kept by triggers,
  // migration 0022), so that an index on the task gives each order.
  expressions: {
    due: sql`t.due_on`,
    case: sql`t.case_number`, // the application's or intercountry adoption's registration number
    caseworker: sql`t.caseworker_name`, // '' when unassigned: first
  },
  default: { column: 'due', dir: 'asc' },
}

export const PAGE_SIZE = 50

/** The supervisor's task list as a query: filtered, in due-date order (the page pages it, an export streams it). */
export function tasksQuery(db: Db, viewer: Viewer, filter: TaskFilter, today: string) {
  requireSupervisor(viewer)
  let q = db.selectFrom('followup_tasks as t')
    .leftJoin('applications as a', 'a.id', 't.application_id')
    .leftJoin('intercountry_adoptions as ic', 'ic.id', 't.intercountry_id')
    .leftJoin('users as u', 'u.id', 't.caseworker_id')
    .select(['t.id', 't.kind', 't.sequence', 't.due_on as dueOn', 't.window_from as windowFrom', 't.window_to as windowTo', 't.status', 't.cancel_reason as cancelReason',
      't.version', 't.caseworker_id as caseworkerId', 'u.display_name as caseworkerName', 't.application_id as applicationId',
      sql<string | null>`coalesce(a.registration_number, ic.registration_number)`.as('registrationNumber'),
      sql<string | null>`(select name from towns where towns.id = a.residence_town_id)`.as('town')])
    .where('t.registry_code', '=', viewer.registryCode)
  if (filter.caseworker === 'none') q = q.where('t.caseworker_id', 'is', null)
  else if (filter.caseworker && validId(filter.caseworker)) q = q.where('t.caseworker_id', '=', filter.caseworker)
  if (filter.month && /^\d{4}-(0[1-9]|1[0-2])$/.test(filter.month)) {
    const r = monthRange(filter.month)
    q = q.where('t.due_on', '>=', r.from).where('t.due_on', '<=', r.to)
  }
  const status = filter.status ?? 'open'
  if (status === 'overdue') q = q.where('t.status', '=', 'open').where('t.window_to', '<', today)
  else q = q.where('t.status', '=', status)
  if (filter.kind) q = q.where('t.kind', '=', filter.kind)
  if (filter.town === 'abroad') q = q.where((eb) => eb.or([eb('a.resides_abroad', '=', true), eb('t.intercountry_id', 'is not', null)]))
  else if (filter.town === 'none') q = q.where('a.residence_town_id', 'is', null).where('a.resides_abroad', '=', false)
  else if (filter.town && validId(filter.town)) q = q.where('a.residence_town_id', '=', filter.town)
  return sortedBy(q, taskSort, filter)
}

export async function listTasks(db: Db, viewer: Viewer, filter: TaskFilter, today: string) {
  const rows = await tasksQuery(db, viewer, filter, today).limit(PAGE_SIZE + 1).execute()
  const page = rows.slice(0, PAGE_SIZE)
  const next = rows.length > PAGE_SIZE ? cursorOf(taskSort, filter, page.at(-1)!) : null
  return { rows: page.map((r) => ({ ...r, overdue: r.status === 'open' && r.windowTo < today })), next }
}

/** The list's filter as a clerk posts it for an export: each bad value named, none guessed. */
export function parseTaskFilter(raw: Record<string, unknown>): { filter: TaskFilter; errors: Record<string, 'ledger.filter.notInList' | undefined> } {
  const filter: TaskFilter = {}
  const errors: Record<string, 'ledger.filter.notInList' | undefined> = {}
  const text = (k: string) => (typeof raw[k] === 'string' && raw[k] !== '' ? (raw[k] as string) : undefined)
  const caseworker = text('caseworker')
  if (caseworker) { if (caseworker === 'none' || validId(caseworker)) filter.caseworker = caseworker; else errors.caseworker = 'ledger.filter.notInList' }
  const month = text('month')
  if (month) { if (/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) filter.month = month; else errors.month = 'ledger.filter.notInList' }
  const status = text('status')
  if (status) { if (['open', 'overdue', 'done', 'cancelled'].includes(status)) filter.status = status as TaskFilter['status']; else errors.status = 'ledger.filter.notInList' }
  const kind = text('kind')
  if (kind) { if (kind === 'visit' || kind === 'post_placement_report') filter.kind = kind; else errors.kind = 'ledger.filter.notInList' }
  const town = text('town')
  if (town) { if (town === 'abroad' || town === 'none' || validId(town)) filter.town = town; else errors.town = 'ledger.filter.notInList' }
  const sorting = parseSortParams(taskSort, raw)
  Object.assign(filter, sorting.params)
  Object.assign(errors, sorting.errors)
  return { filter, errors }
}

/** Active caseworkers of the registry, by name (the choices of the assignment form). */
export async function caseworkers(db: Db, registryCode: string) {
  return db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.display_name as name']).where('u.registry_code', '=', registryCode).where('u.active', '=', true)
    .where('r.role', '=', 'caseworker').orderBy(inPinyin('u.display_name')).execute()
}

/** Assigns the tasks (each with the version seen) to a caseworker, or unassigns them (null). */
export async function assignTasks(db: Kysely<Database>, viewer: Viewer, tasks: { id: string; version: number }[], caseworkerId: string | null) {
  requireSupervisor(viewer)
  if (tasks.length === 0) throw new ProcedureError('followup.assign.noneSelected')
  if (tasks.some((t) => !validId(t.id))) throw new ProcedureError('followup.assign.noneSelected')
  return db.transaction().execute(async (trx) => {
    if (caseworkerId !== null) {
      const ok = validId(caseworkerId) && await trx.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select('u.id')
        .where('u.id', '=', caseworkerId).where('u.registry_code', '=', viewer.registryCode).where('u.active', '=', true).where('r.role', '=', 'caseworker')
        .executeTakeFirst()
      if (!ok) throw new ProcedureError('followup.assign.notCaseworker')
    }
    const ids = [...new Set(tasks.map((t) => t.id))]
    const current = await trx.selectFrom('followup_tasks').select(['id', 'version', 'status', 'caseworker_id'])
      .where('id', 'in', ids).where('registry_code', '=', viewer.registryCode).orderBy('id').forUpdate().execute()
    if (current.length !== ids.length) throw new ConflictError()
    const seen = new Map(tasks.map((t) => [t.id, t.version]))
    for (const c of current) {
      if (seen.get(c.id) !== c.version) throw new ConflictError()
      if (c.status !== 'open') throw new ProcedureError('followup.assign.closed', { id: c.id })
    }
    await trx.updateTable('followup_tasks').set({ caseworker_id: caseworkerId, version: sql`version + 1` as never }).where('id', 'in', ids).execute()
    await audit(trx, {
      actor: viewer, action: 'followup.assigned', entityType: 'followup_task', entityId: ids.length === 1 ? ids[0] : undefined,
      summary: { tasks: ids, to: caseworkerId, from: [...new Set(current.map((c) => c.caseworker_id))] },
    })
    return ids.length
  })
}

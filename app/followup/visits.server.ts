// "My visits": a caseworker's open tasks — overdue (window closed), due this week, upcoming — or a
// month's calendar, with the family's address and phone and the previous visit's notes. Reads go
// through the partial index followup_tasks_open_by_caseworker (caseworker_id, due_on) where open,
// each section limited, so a caseworker with thousands of open tasks still gets a page at once
// (bench/followup measures it). Reading the families' contacts is audited.
import { sql } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { Kysely } from 'kysely'
import { audit } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { monthRange, weekOf, type Db } from './access.server.ts'

export type MyVisitsOptions = { view?: 'list' | 'calendar'; month?: string; limit?: number }

export type VisitCard = {
  id: string
  kind: 'visit' | 'post_placement_report'
  sequence: number
  dueOn: string
  windowFrom: string
  windowTo: string
  version: number
  registrationNumber: string | null
  child: string
  adopters: string
  address: string | null
  phone: string | null
  country: string | null
  previous: { visitedOn: string; concernLevel: string; dailyCare: string; bonding: string } | null
}

type TaskRow = { id: string; kind: 'visit' | 'post_placement_report'; sequence: number; due_on: string; window_from: string; window_to: string; version: number; application_id: string | null; intercountry_id: string | null }

const taskColumns = ['t.id', 't.kind', 't.sequence', 't.due_on', 't.window_from', 't.window_to', 't.version', 't.application_id', 't.intercountry_id'] as const

export async function myVisits(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, today: string, options: MyVisitsOptions = {}) {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500)
  const week = weekOf(today)
  const open = () => db.selectFrom('followup_tasks as t').where('t.caseworker_id', '=', viewer.id).where('t.status', '=', 'open')
    .where('t.registry_code', '=', viewer.registryCode)
  const countsQuery = open().select([
    sql<string>`count(*) filter (where t.window_to < ${today})`.as('overdue'),
    sql<string>`count(*) filter (where t.window_to >= ${today} and t.due_on <= ${week.to})`.as('thisWeek'),
    sql<string>`count(*) filter (where t.due_on > ${week.to})`.as('upcoming'),
  ]).executeTakeFirstOrThrow()

  if (options.view === 'calendar') {
    const month = options.month && /^\d{4}-(0[1-9]|1[0-2])$/.test(options.month) ? options.month : today.slice(0, 7)
    const range = monthRange(month)
    const [counts, rows] = await Promise.all([
      countsQuery,
      open().select(taskColumns).where('t.due_on', '>=', range.from).where('t.due_on', '<=', range.to).orderBy('t.due_on').orderBy('t.id').limit(500).execute(),
    ])
    const cards = await hydrate(db, cipher, viewer, rows)
    return { view: 'calendar' as const, month, range, today, week, counts: countsOf(counts), overdue: [], thisWeek: [], upcoming: [], calendar: cards }
  }

  const [counts, overdue, thisWeek, upcoming] = await Promise.all([
    countsQuery,
    open().select(taskColumns).where('t.due_on', '<', today).where('t.window_to', '<', today).orderBy('t.due_on').orderBy('t.id').limit(limit).execute(),
    open().select(taskColumns).where('t.due_on', '<=', week.to).where('t.window_to', '>=', today).orderBy('t.due_on').orderBy('t.id').limit(limit).execute(),
    open().select(taskColumns).where('t.due_on', '>', week.to).orderBy('t.due_on').orderBy('t.id').limit(Math.min(limit, 20)).execute(),
  ])
  const cards = await hydrate(db, cipher, viewer, [...overdue, ...thisWeek, ...upcoming])
  const byId = new Map(cards.map((c) => [c.id, c]))
  const pick = (rows: TaskRow[]) => rows.map((r) => byId.get(r.id)!)
  return { view: 'list' as const, month: today.slice(0, 7), range: null, today, week, counts: countsOf(counts), overdue: pick(overdue), thisWeek: pick(thisWeek), upcoming: pick(upcoming), calendar: [] as VisitCard[] }
}

const countsOf = (c: { overdue: string; thisWeek: string; upcoming: string }) => ({ overdue: Number(c.overdue), thisWeek: Number(c.thisWeek), upcoming: Number(c.upcoming) })

/** Adds the family (names, address, phone) and the previous visit's notes to task rows; audited. */
async function hydrate(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, rows: TaskRow[]): Promise<VisitCard[]> {
  if (rows.length === 0) return []
  const appIds = [...new Set(rows.flatMap((r) => (r.application_id ? [r.application_id] : [])))]
  const icIds = [...new Set(rows.flatMap((r) => (r.intercountry_id ? [r.intercountry_id] : [])))]
  const [apps, parties, previous, intercountry] = await Promise.all([
    appIds.length ? db.selectFrom('applications').select(['id', 'registration_number']).where('id', 'in', appIds).execute() : [],
    appIds.length ? db.selectFrom('parties').select(['application_id', 'role', 'position', 'name', 'name_after_adoption', 'current_address', 'hukou_address', 'phone'])
      .where('application_id', 'in', appIds).where('role', 'in', ['adopter', 'child']).orderBy('application_id').orderBy('position').execute() : [],
    appIds.length ? db.selectFrom('visit_reports as r').innerJoin('followup_tasks as pt', 'pt.id', 'r.task_id')
      .distinctOn('pt.application_id')
      .select(['pt.application_id', 'r.id', 'r.visited_on', 'r.concern_level', 'r.daily_care_enc', 'r.bonding_enc'])
      .where('pt.application_id', 'in', appIds).where('r.status', '<>', 'draft')
      .orderBy('pt.application_id').orderBy('r.visited_on', 'desc').orderBy('r.version', 'desc').execute() : [],
    icIds.length ? db.selectFrom('intercountry_adoptions').select(['id', 'registration_number', 'child_name', 'adopters', 'country']).where('id', 'in', icIds).execute() : [],
  ])
  const number = new Map(apps.map((a) => [a.id, a.registration_number]))
  const prev = new Map(previous.map((p) => [p.application_id!, {
    visitedOn: p.visited_on, concernLevel: p.concern_level, dailyCare: cipher.decrypt(p.daily_care_enc, { table: 'visit_reports', column: 'daily_care_enc', row: p.id }), bonding: cipher.decrypt(p.bonding_enc, { table: 'visit_reports', column: 'bonding_enc', row: p.id }),
  }]))
  const ic = new Map(intercountry.map((i) => [i.id, i]))
  if (appIds.length) {
    await audit(db, { actor: viewer, action: 'followup.contacts_viewed', entityType: 'application', summary: { applications: appIds.slice(0, 200), count: appIds.length } })
  }
  return rows.map((r) => {
    const base = { id: r.id, kind: r.kind, sequence: r.sequence, dueOn: r.due_on, windowFrom: r.window_from, windowTo: r.window_to, version: r.version }
    if (r.intercountry_id) {
      const i = ic.get(r.intercountry_id)!
      return { ...base, registrationNumber: i.registration_number, child: i.child_name, adopters: i.adopters, address: null, phone: null, country: i.country, previous: null }
    }
    const own = parties.filter((p) => p.application_id === r.application_id)
    const adopters = own.filter((p) => p.role === 'adopter')
    const child = own.find((p) => p.role === 'child')
    const home = adopters.find((p) => p.current_address) ?? adopters[0]
    return {
      ...base,
      registrationNumber: number.get(r.application_id!) ?? null,
      child: child ? child.name_after_adoption || child.name : '',
      adopters: adopters.map((a) => a.name).join('、'),
      address: home ? home.current_address || home.hukou_address : null,
      phone: adopters.map((a) => a.phone).filter(Boolean).join(' / ') || null,
      country: null,
      previous: prev.get(r.application_id!) ?? null,
    }
  })
}

/** What the home page shows: for a caseworker their counts, for a supervisor the alerts and queues. */
export async function followupDashboard(db: Db, viewer: Viewer, today: string, supervisor: boolean, caseworker: boolean) {
  const [mine, serious, awaitingReview, unassigned, workload] = await Promise.all([
    caseworker ? db.selectFrom('followup_tasks').where('caseworker_id', '=', viewer.id).where('status', '=', 'open').where('registry_code', '=', viewer.registryCode)
      .select([sql<string>`count(*) filter (where window_to < ${today})`.as('overdue'), sql<string>`count(*) filter (where window_to >= ${today} and due_on <= ${weekOf(today).to})`.as('thisWeek')])
      .executeTakeFirstOrThrow() : null,
    // A serious concern stays on the supervisors' home page until its report is reviewed.
    supervisor ? db.selectFrom('visit_reports as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id')
      .select(['r.id', 'r.task_id as taskId', 'r.created_at as raisedAt', 'r.status', 'r.reported_to as reportedTo'])
      .where('t.registry_code', '=', viewer.registryCode).where('r.concern_level', '=', 'serious').where('r.status', '<>', 'reviewed')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('visit_reports as later').select('later.id').whereRef('later.task_id', '=', 'r.task_id').whereRef('later.version', '>', 'r.version'))))
      .orderBy('r.id').limit(20).execute() : [],
    supervisor ? db.selectFrom('visit_reports as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id')
      .select((eb) => eb.fn.countAll<string>().as('n')).where('t.registry_code', '=', viewer.registryCode).where('r.status', '=', 'submitted').executeTakeFirstOrThrow() : null,
    supervisor ? db.selectFrom('followup_tasks').select((eb) => eb.fn.countAll<string>().as('n')).where('registry_code', '=', viewer.registryCode)
      .where('status', '=', 'open').where('caseworker_id', 'is', null).where('window_from', '<=', sql<string>`(${today}::date + 60)`).executeTakeFirstOrThrow() : null,
    // The team's workload: every active caseworker's open and overdue tasks (none included).
    supervisor ? db.selectFrom('users as u').innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
      .leftJoin('followup_tasks as t', (j) => j.onRef('t.caseworker_id', '=', 'u.id').on('t.status', '=', 'open'))
      .select(['u.id', 'u.display_name as name', sql<string>`count(t.id)`.as('open'), sql<string>`count(t.id) filter (where t.window_to < ${today})`.as('overdue')])
      .where('u.registry_code', '=', viewer.registryCode).where('u.active', '=', true).where('ur.role', '=', 'caseworker')
      .groupBy(['u.id', 'u.display_name']).orderBy('u.display_name').execute() : [],
  ])
  return {
    mine: mine ? { overdue: Number(mine.overdue), thisWeek: Number(mine.thisWeek) } : null,
    serious,
    awaitingReview: awaitingReview ? Number(awaitingReview.n) : 0,
    unassignedSoon: unassigned ? Number(unassigned.n) : 0,
    workload: workload.map((w) => ({ id: w.id, name: w.name, open: Number(w.open), overdue: Number(w.overdue) })),
  }
}

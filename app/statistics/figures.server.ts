// The year's figures for the statistics page and the yearly monitoring report (年度监测分析):
// each one SQL aggregate over the registry's records, so a figure on the page, in the PDF and in
// the spreadsheet is the same number. Years are calendar years of the decision date (Asia/Shanghai
// dates are stored as dates).
import { sql, type Kysely } from 'kysely'
import { refusalGrounds, type Database, type RefusalGround } from '#db/schema.ts'

export const caseKinds = ['none', 'relative', 'stepchild'] as const
export type CaseKind = (typeof caseKinds)[number]

export type YearFigures = {
  year: number
  registrationsByMonth: Array<Record<CaseKind, number>> // index 0 = January
  registrations: Record<CaseKind, number> & { total: number }
  refusalsByGround: Record<RefusalGround, number> & { total: number }
  dissolutions: number
  revocations: number
  assessments: { recommended: number; notRecommended: number }
  visits: { done: number; withinWindow: number }
}

const zeroKinds = (): Record<CaseKind, number> => ({ none: 0, relative: 0, stepchild: 0 })

export async function yearFigures(db: Kysely<Database>, registryCode: string, year: number): Promise<YearFigures> {
  const from = `${year}-01-01`
  const to = `${year}-12-31`
  const [registrations, refusals, ended, assessments, visits] = await Promise.all([
    db.selectFrom('applications')
      .select(['relation', sql<number>`extract(month from registered_on)::int`.as('month'), (eb) => eb.fn.countAll<string>().as('n')])
      .where('registry_code', '=', registryCode).where('registered_on', '>=', from).where('registered_on', '<=', to)
      .groupBy(['relation', sql`extract(month from registered_on)`]).execute(),
    db.selectFrom('applications').select(['refusal_ground', (eb) => eb.fn.countAll<string>().as('n')])
      .where('registry_code', '=', registryCode).where('refused_on', '>=', from).where('refused_on', '<=', to).groupBy('refusal_ground').execute(),
    sql<{ dissolutions: string; revocations: string }>`
      select
        (select count(*) from dissolutions d join applications x on x.id = d.application_id where x.registry_code = ${registryCode} and d.dissolved_on between ${from} and ${to}) as dissolutions,
        (select count(*) from revocations r join applications x on x.id = r.application_id where x.registry_code = ${registryCode} and r.revoked_on between ${from} and ${to}) as revocations
    `.execute(db).then((r) => r.rows[0]),
    // The report that stands (not superseded by a correction), finalised, dated in the year.
    db.selectFrom('assessment_reports as r').innerJoin('assessments as s', 's.id', 'r.assessment_id')
      .select(['r.conclusion', (eb) => eb.fn.countAll<string>().as('n')])
      .where('s.registry_code', '=', registryCode).where('r.finalized_at', 'is not', null).where('r.superseded_at', 'is', null)
      .where('r.report_on', '>=', from).where('r.report_on', '<=', to).groupBy('r.conclusion').execute(),
    // Visits done in the year (the first version of the submitted report: a correction is the same
    // visit), and of those, the ones made within their window.
    db.selectFrom('followup_tasks as t')
      .innerJoin('visit_reports as v', (j) => j.onRef('v.task_id', '=', 't.id').on('v.version', '=', 1))
      .select([
        (eb) => eb.fn.countAll<string>().as('done'),
        sql<string>`count(*) filter (where v.visited_on between t.window_from and t.window_to)`.as('within'),
      ])
      .where('t.registry_code', '=', registryCode).where('t.kind', '=', 'visit').where('v.status', '!=', 'draft')
      .where('v.visited_on', '>=', from).where('v.visited_on', '<=', to).executeTakeFirstOrThrow(),
  ])
  const byMonth = Array.from({ length: 12 }, zeroKinds)
  const totals = zeroKinds()
  for (const row of registrations) {
    byMonth[row.month - 1][row.relation as CaseKind] += Number(row.n)
    totals[row.relation as CaseKind] += Number(row.n)
  }
  const grounds = Object.fromEntries(refusalGrounds.map((g) => [g, 0])) as Record<RefusalGround, number>
  for (const row of refusals) grounds[(row.refusal_ground ?? 'other') as RefusalGround] += Number(row.n)
  return {
    year,
    registrationsByMonth: byMonth,
    registrations: { ...totals, total: totals.none + totals.relative + totals.stepchild },
    refusalsByGround: { ...grounds, total: Object.values(grounds).reduce((a, b) => a + b, 0) },
    dissolutions: Number(ended?.dissolutions ?? 0),
    revocations: Number(ended?.revocations ?? 0),
    assessments: {
      recommended: Number(assessments.find((a) => a.conclusion === 'recommended')?.n ?? 0),
      notRecommended: Number(assessments.find((a) => a.conclusion === 'not_recommended')?.n ?? 0),
    },
    visits: { done: Number(visits.done), withinWindow: Number(visits.within) },
  }
}

/** Open visits past their window today, per responsible caseworker (unassigned ones under null). */
export async function overdueVisitsByCaseworker(db: Kysely<Database>, registryCode: string, today: string) {
  const rows = await db.selectFrom('followup_tasks as t').leftJoin('users as u', 'u.id', 't.caseworker_id')
    .select(['u.display_name as name', (eb) => eb.fn.countAll<string>().as('n')])
    .where('t.registry_code', '=', registryCode).where('t.status', '=', 'open').where('t.window_to', '<', today)
    .groupBy('u.display_name').orderBy(sql`count(*)`, 'desc').execute()
  return rows.map((r) => ({ name: r.name, count: Number(r.n) }))
}

/** Where the adopters live: a town of the registry's list, abroad, or not recorded (e.g. an imported registration). */
export type TownPlace = 'town' | 'abroad' | 'none'
export type TownRow = {
  place: TownPlace
  townId: string | null
  code: string | null
  name: string | null
  retired: boolean
  /** Registrations in the year and in the year before. */
  current: number
  previous: number
  /** Follow-up visits due in the year still open today, and of those the ones past their window. */
  visitsOpen: number
  visitsOverdue: number
}

/**
 * Registrations of the year and of the year before per town of residence, in the list's (code)
 * order: every town in use, a retired one only if it has a number; then abroad and not recorded,
 * always, so the rows add up to the year's registrations (the same rule as yearFigures: registered
 * in the year, whatever happened since). With them, the visits due in the year still open today.
 */
export async function figuresByTown(db: Kysely<Database>, registryCode: string, year: number, today: string): Promise<TownRow[]> {
  const place = sql<TownPlace>`case when a.resides_abroad then 'abroad' when a.residence_town_id is null then 'none' else 'town' end`
  const [towns, registrations, visits] = await Promise.all([
    db.selectFrom('towns').select(['id', 'code', 'name', 'retired_on']).where('registry_code', '=', registryCode).orderBy('code').execute(),
    db.selectFrom('applications as a')
      .select([place.as('place'), 'a.residence_town_id as town',
        sql<string>`count(*) filter (where a.registered_on >= ${`${year}-01-01`})`.as('current'),
        sql<string>`count(*) filter (where a.registered_on < ${`${year}-01-01`})`.as('previous')])
      .where('a.registry_code', '=', registryCode).where('a.registered_on', '>=', `${year - 1}-01-01`).where('a.registered_on', '<=', `${year}-12-31`)
      .groupBy([sql`1`, 'a.residence_town_id']).execute(),
    db.selectFrom('followup_tasks as t').innerJoin('applications as a', 'a.id', 't.application_id')
      .select([place.as('place'), 'a.residence_town_id as town', (eb) => eb.fn.countAll<string>().as('open'),
        sql<string>`count(*) filter (where t.window_to < ${today})`.as('overdue')])
      .where('t.registry_code', '=', registryCode).where('t.kind', '=', 'visit').where('t.status', '=', 'open')
      .where('t.due_on', '>=', `${year}-01-01`).where('t.due_on', '<=', `${year}-12-31`)
      .groupBy([sql`1`, 'a.residence_town_id']).execute(),
  ])
  const key = (p: TownPlace, town: string | null) => (p === 'town' ? `town:${town}` : p)
  const rows = new Map<string, TownRow>()
  const blank = (p: TownPlace, t?: (typeof towns)[number]): TownRow => ({
    place: p, townId: t?.id ?? null, code: t?.code ?? null, name: t?.name ?? null, retired: Boolean(t?.retired_on), current: 0, previous: 0, visitsOpen: 0, visitsOverdue: 0,
  })
  for (const t of towns) rows.set(key('town', t.id), blank('town', t))
  rows.set('abroad', blank('abroad'))
  rows.set('none', blank('none'))
  for (const r of registrations) {
    const row = rows.get(key(r.place, r.town))!
    row.current += Number(r.current)
    row.previous += Number(r.previous)
  }
  for (const v of visits) {
    const row = rows.get(key(v.place, v.town))!
    row.visitsOpen += Number(v.open)
    row.visitsOverdue += Number(v.overdue)
  }
  return [...rows.values()].filter((r) => r.place !== 'town' || !r.retired || r.current || r.previous || r.visitsOpen)
}

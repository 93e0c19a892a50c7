// What the statistics page, the monitoring report PDF and its spreadsheet show: the chosen year
// and the year before, and today's overdue visits.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { figuresByTown, overdueVisitsByCaseworker, yearFigures } from './figures.server.ts'
import { visitStatistics } from '#app/rootseeking/reception.server.ts'

export const FIRST_YEAR = 2000

/** The year asked for, if it is one of the choices (FIRST_YEAR … this year); else this year, with an error. */
export function parseYear(value: string | null, today: string): { year: number; error: boolean } {
  const current = Number(today.slice(0, 4))
  if (value === null || value === '') return { year: current, error: false }
  const year = /^\d{4}$/.test(value) ? Number(value) : NaN
  return year >= FIRST_YEAR && year <= current ? { year, error: false } : { year: current, error: true }
}

export async function statisticsOf(db: Kysely<Database>, registryCode: string, year: number, today: string) {
  const [current, previous, overdue, rootSeeking, byTown] = await Promise.all([
    yearFigures(db, registryCode, year),
    yearFigures(db, registryCode, year - 1),
    overdueVisitsByCaseworker(db, registryCode, today),
    visitStatistics(db, registryCode),
    figuresByTown(db, registryCode, year, today),
  ])
  // Root-seeking visits received in the year, per country of residence (app/rootseeking).
  const rootSeekingByCountry = rootSeeking.filter((r) => r.year === year).map((r) => ({ country: r.country, visits: r.visits }))
  return { current, previous, overdue, rootSeekingByCountry, byTown }
}
export type Statistics = Awaited<ReturnType<typeof statisticsOf>>

/** The rows of the comparison table, shared by the page, the PDF and the spreadsheet. */
export function summaryRows(s: Statistics): Array<{ key: string; current: number | null; previous: number | null; percent?: boolean }> {
  const share = (f: Statistics['current']) => (f.visits.done ? Math.round((f.visits.withinWindow / f.visits.done) * 1000) / 10 : null)
  return [
    { key: 'stats.registrations', current: s.current.registrations.total, previous: s.previous.registrations.total },
    { key: 'stats.kind.none', current: s.current.registrations.none, previous: s.previous.registrations.none },
    { key: 'stats.kind.relative', current: s.current.registrations.relative, previous: s.previous.registrations.relative },
    { key: 'stats.kind.stepchild', current: s.current.registrations.stepchild, previous: s.previous.registrations.stepchild },
    { key: 'stats.refusals', current: s.current.refusalsByGround.total, previous: s.previous.refusalsByGround.total },
    { key: 'stats.dissolutions', current: s.current.dissolutions, previous: s.previous.dissolutions },
    { key: 'stats.revocations', current: s.current.revocations, previous: s.previous.revocations },
    { key: 'stats.assessRecommended', current: s.current.assessments.recommended, previous: s.previous.assessments.recommended },
    { key: 'stats.assessNotRecommended', current: s.current.assessments.notRecommended, previous: s.previous.assessments.notRecommended },
    { key: 'stats.visitsDone', current: s.current.visits.done, previous: s.previous.visits.done },
    { key: 'stats.visitsWithin', current: s.current.visits.withinWindow, previous: s.previous.visits.withinWindow },
    { key: 'stats.visitsShare', current: share(s.current), previous: share(s.previous), percent: true },
  ]
}

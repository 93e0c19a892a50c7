// The administrator's maintenance of the holiday calendar (calendar_days): days off and adjusted
// working days (调休), entered each year from the State Council's notice, one by one or as a year's
// JSON file in the shipped format (db/seed/holidays-cn-2026.json). The calendar must reach at least
// 60 days ahead, or working-day deadlines near its end would silently treat holidays as workdays.
// Two scopes (decision 030): the national calendar (the State Council's notice, registry_code null),
// kept once per deployment by whoever holds deployment.manage, and each registry's local days (a
// local day off, a local adjusted working day), kept by that registry's administrator. The caller
// decides the scope from the session, never from the form.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from './audit.server.ts'
import { ProcedureError } from './http.server.ts'

export const CALENDAR_HORIZON_DAYS = 60

const DAY_MS = 86_400_000
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((v) => new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v, 'no such date')
const weekday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay()
const isWeekend = (iso: string) => weekday(iso) === 0 || weekday(iso) === 6
export const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)

/** national, or the local days of one registry. */
export type CalendarScope = { national: true } | { national: false; registryCode: string }
export const nationalScope: CalendarScope = { national: true }
export const localScope = (registryCode: string): CalendarScope => ({ national: false, registryCode })

const inScope = (scope: CalendarScope) => (eb: ExpressionBuilder<Database, 'calendar_days'>) =>
  scope.national ? eb('registry_code', 'is', null) : eb('registry_code', '=', scope.registryCode)
const scopeId = (scope: CalendarScope) => (scope.national ? 'national' : scope.registryCode)

/** The national days of a year and the registry's local days, each marked with its scope. */
export async function calendarYear(db: Kysely<Database>, registryCode: string, year: number) {
  const rows = await db.selectFrom('calendar_days').select(['day', 'kind', 'name', 'registry_code'])
    .where((eb) => eb.or([eb('registry_code', 'is', null), eb('registry_code', '=', registryCode)]))
    .where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).orderBy('day').orderBy(sql`registry_code is not null`).execute()
  return rows.map(({ registry_code, ...r }) => ({ ...r, local: registry_code !== null }))
}

export async function calendarYears(db: Kysely<Database>): Promise<number[]> {
  const rows = await sql<{ year: number }>`select distinct extract(year from day)::int as year from calendar_days where registry_code is null order by year`.execute(db)
  return rows.rows.map((r) => r.year)
}

/**
 * How far the calendar reaches: to the end of the last year entered (a year is entered whole, from
 * one notice). short when that is less than 60 days after today.
 */
export async function calendarCoverage(db: Kysely<Database>, today: string): Promise<{ until: string | null; short: boolean }> {
  const row = await db.selectFrom('calendar_days').select(sql<string | null>`max(day)::text`.as('last')).where('registry_code', 'is', null).executeTakeFirst()
  const until = row?.last ? `${row.last.slice(0, 4)}-12-31` : null
  return { until, short: until === null || until < addDays(today, CALENDAR_HORIZON_DAYS) }
}

export async function addCalendarDay(db: Kysely<Database>, actor: Actor, scope: CalendarScope, input: { day: string; kind: 'holiday' | 'workday'; name: string }) {
  if (input.kind === 'workday' && !isWeekend(input.day)) throw new ProcedureError('calendar.error.workdayWeekday')
  await db.transaction().execute(async (trx) => {
    // The partial unique indexes (one national row, one local row per registry and day) decide a race.
    const inserted = await trx.insertInto('calendar_days')
      .values({ registry_code: scope.national ? null : scope.registryCode, day: input.day, kind: input.kind, name: input.name })
      .onConflict((oc) => (scope.national ? oc.column('day').where('registry_code', 'is', null) : oc.columns(['registry_code', 'day']).where('registry_code', 'is not', null)).doNothing())
      .returning('day').executeTakeFirst()
    if (!inserted) throw new ProcedureError('calendar.error.exists')
    await audit(trx, { actor, action: 'calendar.day_added', entityType: 'calendar_day', entityId: `${scopeId(scope)}:${input.day}`, summary: { kind: input.kind, name: input.name, scope: scopeId(scope) } })
  })
}

export async function removeCalendarDay(db: Kysely<Database>, actor: Actor, scope: CalendarScope, day: string) {
  await db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('calendar_days').where('day', '=', day).where(inScope(scope)).returning(['kind', 'name']).executeTakeFirst()
    if (!removed) throw new ProcedureError('calendar.error.notFound')
    await audit(trx, { actor, action: 'calendar.day_removed', entityType: 'calendar_day', entityId: `${scopeId(scope)}:${day}`, summary: { ...removed, scope: scopeId(scope) } })
  })
}

const calendarFile = z.object({
  year: z.number().int().min(2000).max(2100),
  holidays: z.array(z.object({ name: z.string().trim().min(1).max(40), dates: z.array(isoDay).min(1) })),
  workdays: z.array(isoDay),
})
export type CalendarFile = z.infer<typeof calendarFile>

/** Checks a year's file: dates within the year, adjusted working days on weekends, no day twice. */
export function parseCalendarFile(text: string): CalendarFile {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    throw new ProcedureError('calendar.error.json')
  }
  const parsed = calendarFile.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ProcedureError('calendar.error.format', { detail: `${issue.path.join('.') || '—'}: ${issue.message}` })
  }
  const file = parsed.data
  const seen = new Set<string>()
  const all = [...file.holidays.flatMap((h) => h.dates), ...file.workdays]
  for (const day of all) {
    if (!day.startsWith(`${file.year}-`)) throw new ProcedureError('calendar.error.format', { detail: `${day} ∉ ${file.year}` })
    if (seen.has(day)) throw new ProcedureError('calendar.error.format', { detail: `${day} ×2` })
    seen.add(day)
  }
  for (const day of file.workdays) if (!isWeekend(day)) throw new ProcedureError('calendar.error.format', { detail: `workdays: ${day} ≠ Sat/Sun` })
  return file
}

/** Replaces a year's national dates with the file's (the State Council's notice), in one transaction. */
export async function importCalendarYear(db: Kysely<Database>, actor: Actor, text: string) {
  const file = parseCalendarFile(text)
  const rows = [
    ...file.holidays.flatMap((h) => h.dates.map((day) => ({ day, kind: 'holiday' as const, name: h.name }))),
    ...file.workdays.map((day) => ({ day, kind: 'workday' as const, name: '调休上班' })),
  ]
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('calendar_days').where('registry_code', 'is', null).where('day', '>=', `${file.year}-01-01`).where('day', '<=', `${file.year}-12-31`).execute()
    if (rows.length) await trx.insertInto('calendar_days').values(rows).execute()
    await audit(trx, { actor, action: 'calendar.year_imported', entityType: 'calendar_year', entityId: file.year, summary: { holidays: rows.filter((r) => r.kind === 'holiday').length, workdays: file.workdays.length } })
  })
  return { year: file.year, holidays: rows.filter((r) => r.kind === 'holiday').length, workdays: file.workdays.length }
}

// The register of filed visit reports (回访记录台账): every submitted or reviewed report (each
// version a row) of the registry, by visit period, caseworker, concern level, reviewed or not and
// the mandatory-report flag and the adopters' town of residence; newest first or sorted by the
// visit date, concern level, caseworker or case, paged by key (the sort value and the id).
// Supervisors only, as the review queue.
// It lists levels and flags, never the report's text (health, concerns: decision 018).
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { checkAgainst, choice, dateField, idChoice, parseSortedFilter, townChoice, type ParsedFilter } from '#app/ledgers/filter-fields.ts'
import type { SortParams } from '#app/ledgers/sorting.ts'
import { cursorOf, inPinyin, sortedBy, type SortSpec, positionIn } from '#app/ledgers/sorting.server.ts'
import { checkTownFilter, townIs, townNameOf } from '#app/ledgers/town-filter.server.ts'
import { requireSupervisor } from './access.server.ts'
import { CONCERN_LEVELS } from './report-rules.ts'

export const REPORTS_PAGE_SIZE = 50

const fields = {
  from: dateField,
  to: dateField,
  caseworker: idChoice,
  concern: choice(CONCERN_LEVELS),
  reviewed: choice(['yes', 'no'] as const),
  mandatory: choice(['yes', 'no'] as const),
  town: townChoice,
}
export type VisitReportFilter = ParsedFilter<typeof fields> & SortParams

/** The register's sortable columns; its own order is the newest report first (by id). */
export const visitReportSort: SortSpec<'id' | 'visited' | 'concern' | 'caseworker' | 'case'> = {
  key: sql`r.id`,
  columns: {
    id: { kind: 'int', key: true, first: 'desc' },
    visited: { kind: 'date', first: 'desc' },
    concern: { kind: 'int', first: 'desc' }, // the gravest first
    caseworker: { kind: 'name', first: 'asc' },
    case: { kind: 'text', first: 'asc' },
  },
  expressions: {
    id: sql`r.id`,
    visited: sql`r.visited_on`,
    concern: positionIn(CONCERN_LEVELS, sql`r.concern_level`),
    caseworker: sql`coalesce(s.display_name, '')`,
    case: sql`coalesce(a.registration_number, '')`,
  },
  default: { column: 'id', dir: 'desc' },
}

export const parseVisitReportFilter = (raw: URLSearchParams | Record<string, unknown>) => parseSortedFilter(raw, fields, [['from', 'to']], visitReportSort)

/** The filtered register as a query in its order; `after` continues after that row (cursorOf). */
export function visitReportsQuery(db: Kysely<Database>, viewer: Viewer, filter: VisitReportFilter, _today: string) {
  requireSupervisor(viewer)
  let query = db.selectFrom('visit_reports as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id')
    .leftJoin('applications as a', 'a.id', 't.application_id')
    .leftJoin('users as s', 's.id', 'r.signed_by').leftJoin('users as v', 'v.id', 'r.reviewed_by')
    .select(['r.id', 'r.task_id as taskId', 'r.version', 'r.status', 'r.visited_on as visitedOn', 'r.concern_level as concernLevel',
      'r.reported_to as reportedTo', 'r.reported_at as reportedAt', 'r.signed_at as signedAt', 'r.reviewed_at as reviewedAt',
      's.display_name as caseworkerName', 'v.display_name as reviewerName', 'a.registration_number as registrationNumber', 't.sequence',
      't.window_from as windowFrom', 't.window_to as windowTo', townNameOf('a').as('town'), 'a.resides_abroad as residesAbroad'])
    .where('t.registry_code', '=', viewer.registryCode).where('r.status', 'in', ['submitted', 'reviewed'])
  if (filter.from) query = query.where('r.visited_on', '>=', filter.from)
  if (filter.to) query = query.where('r.visited_on', '<=', filter.to)
  if (filter.caseworker) query = query.where('r.signed_by', '=', filter.caseworker)
  if (filter.concern) query = query.where('r.concern_level', '=', filter.concern)
  if (filter.reviewed) query = query.where('r.status', '=', filter.reviewed === 'yes' ? 'reviewed' : 'submitted')
  if (filter.mandatory) query = query.where('r.reported_to', filter.mandatory === 'yes' ? 'is not' : 'is', null)
  if (filter.town) query = query.where(townIs('a', filter.town, 't.intercountry_id'))
  return sortedBy(query, visitReportSort, filter)
}

/** The authority a mandatory report went to, as a catalogue key ("other:…" is another authority, named in the report). */
export const authorityKey = (reportedTo: string | null) =>
  reportedTo === null ? null : `followup.authority.${reportedTo.startsWith('other:') ? 'other' : reportedTo}`

/** Caseworkers who signed a report in the registry (the filter's choices; former staff included). */
export async function reportSigners(db: Kysely<Database>, registryCode: string) {
  return db.selectFrom('visit_reports as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id').innerJoin('users as u', 'u.id', 'r.signed_by')
    .select(['u.id', inPinyin('u.display_name').as('name')]).distinct().where('t.registry_code', '=', registryCode).orderBy('name').execute()
}

export async function visitReportLedger(db: Kysely<Database>, viewer: Viewer, raw: URLSearchParams, today: string) {
  const { filter, errors } = parseVisitReportFilter(raw)
  const caseworkers = await reportSigners(db, viewer.registryCode)
  checkAgainst(filter, errors, 'caseworker', caseworkers.map((c) => c.id))
  const towns = await checkTownFilter(db, viewer.registryCode, filter, errors)
  const rows = await visitReportsQuery(db, viewer, filter, today).limit(REPORTS_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, REPORTS_PAGE_SIZE)
  return { rows: page, next: rows.length > REPORTS_PAGE_SIZE ? cursorOf(visitReportSort, filter, page[page.length - 1]) : null, filter, errors, caseworkers, towns }
}

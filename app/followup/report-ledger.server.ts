// The register of filed visit reports (回访记录台账): every submitted or reviewed report (each
// version a row) of the registry, by visit period, caseworker, concern level, reviewed or not and
// the mandatory-report flag; newest first, paged by key. Supervisors only, as the review queue.
// It lists levels and flags, never the report's text (health, concerns: decision 018).
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { afterId, checkAgainst, choice, dateField, idChoice, parseFilterFields, type ParsedFilter } from '#app/ledgers/filter-fields.ts'
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
  after: afterId,
}
export type VisitReportFilter = ParsedFilter<typeof fields>

export const parseVisitReportFilter = (raw: URLSearchParams | Record<string, unknown>) => parseFilterFields(raw, fields, [['from', 'to']])

/** The filtered register as a query, newest first; `after` continues after that id. */
export function visitReportsQuery(db: Kysely<Database>, viewer: Viewer, filter: VisitReportFilter, _today: string) {
  requireSupervisor(viewer)
  let query = db.selectFrom('visit_reports as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id')
    .leftJoin('applications as a', 'a.id', 't.application_id')
    .leftJoin('users as s', 's.id', 'r.signed_by').leftJoin('users as v', 'v.id', 'r.reviewed_by')
    .select(['r.id', 'r.task_id as taskId', 'r.version', 'r.status', 'r.visited_on as visitedOn', 'r.concern_level as concernLevel',
      'r.reported_to as reportedTo', 'r.reported_at as reportedAt', 'r.signed_at as signedAt', 'r.reviewed_at as reviewedAt',
      's.display_name as caseworkerName', 'v.display_name as reviewerName', 'a.registration_number as registrationNumber', 't.sequence',
      't.window_from as windowFrom', 't.window_to as windowTo'])
    .where('t.registry_code', '=', viewer.registryCode).where('r.status', 'in', ['submitted', 'reviewed'])
  if (filter.from) query = query.where('r.visited_on', '>=', filter.from)
  if (filter.to) query = query.where('r.visited_on', '<=', filter.to)
  if (filter.caseworker) query = query.where('r.signed_by', '=', filter.caseworker)
  if (filter.concern) query = query.where('r.concern_level', '=', filter.concern)
  if (filter.reviewed) query = query.where('r.status', '=', filter.reviewed === 'yes' ? 'reviewed' : 'submitted')
  if (filter.mandatory) query = query.where('r.reported_to', filter.mandatory === 'yes' ? 'is not' : 'is', null)
  if (filter.after) query = query.where('r.id', '<', filter.after)
  return query.orderBy('r.id', 'desc')
}

/** The authority a mandatory report went to, as a catalogue key ("other:…" is another authority, named in the report). */
export const authorityKey = (reportedTo: string | null) =>
  reportedTo === null ? null : `followup.authority.${reportedTo.startsWith('other:') ? 'other' : reportedTo}`

/** Caseworkers who signed a report in the registry (the filter's choices; former staff included). */
export async function reportSigners(db: Kysely<Database>, registryCode: string) {
  return db.selectFrom('visit_reports as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id').innerJoin('users as u', 'u.id', 'r.signed_by')
    .select(['u.id', 'u.display_name as name']).distinct().where('t.registry_code', '=', registryCode).orderBy('u.display_name').execute()
}

export async function visitReportLedger(db: Kysely<Database>, viewer: Viewer, raw: URLSearchParams, today: string) {
  const { filter, errors } = parseVisitReportFilter(raw)
  const caseworkers = await reportSigners(db, viewer.registryCode)
  checkAgainst(filter, errors, 'caseworker', caseworkers.map((c) => c.id))
  const rows = await visitReportsQuery(db, viewer, filter, today).limit(REPORTS_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, REPORTS_PAGE_SIZE)
  return { rows: page, next: rows.length > REPORTS_PAGE_SIZE ? page[page.length - 1].id : null, filter, errors, caseworkers }
}

// The register of assessments (评估台账): every assessment the viewer may see, filtered by state,
// conclusion, assessor or agency, the commissioned or completed period, the days left and the
// adopters' town of residence; newest first or sorted by a column (the commissioned or completed
// date, the days left, the state), paged by key (the sort value and the id). One query for the page
// and the export.
import { sql } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { Kysely } from 'kysely'
import { addDays } from '#app/registration/deadlines.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { checkAgainst, choice, dateField, idChoice, parseSortedFilter, townChoice, type ParsedFilter } from '#app/ledgers/filter-fields.ts'
import type { SortParams } from '#app/ledgers/sorting.ts'
import { cursorOf, sortedBy, type SortSpec, positionIn } from '#app/ledgers/sorting.server.ts'
import { checkTownFilter, townIs, townNameOf } from '#app/ledgers/town-filter.server.ts'
import { visibleAssessments, type AssessorViewer } from './assessments.server.ts'
import { z } from 'zod'

export const ASSESSMENT_STATES = ['open', 'signing', 'signed', 'cancelled'] as const
export const CONCLUSIONS = ['recommended', 'not_recommended'] as const
export const DUE_SOON_DAYS = 7
export const ASSESSMENTS_PAGE_SIZE = 50

const fields = {
  state: choice(ASSESSMENT_STATES),
  conclusion: choice(CONCLUSIONS),
  assessor: idChoice,
  agency: z.union([z.literal('in_house'), idChoice], { error: 'ledger.filter.notInList' }),
  basis: choice(['commissioned', 'completed'] as const),
  from: dateField,
  to: dateField,
  due: choice(['soon', 'late'] as const),
  town: townChoice,
}
export type AssessmentFilter = ParsedFilter<typeof fields> & SortParams

/** The register's sortable columns; its own order is the newest first (by id). */
export const assessmentSort: SortSpec<'id' | 'state' | 'commissioned' | 'completed' | 'daysLeft'> = {
  key: sql`assessments.id`,
  columns: {
    id: { kind: 'int', key: true, first: 'desc' },
    state: { kind: 'int', first: 'asc' },
    commissioned: { kind: 'date', first: 'desc' },
    completed: { kind: 'date', first: 'desc' },
    daysLeft: { kind: 'date', first: 'asc' },
  },
  expressions: {
    id: sql`assessments.id`,
    state: positionIn(ASSESSMENT_STATES, sql`assessments.state`),
    commissioned: sql`assessments.commissioned_on`,
    // Without a report in force: after the others when the latest come first.
    completed: sql`coalesce(rep.report_on, '-infinity'::date)`,
    // The days left are the due date of a running assessment; the others (no days left) come last.
    daysLeft: sql`case when assessments.state in ('open', 'signing') and assessments.due_on is not null then assessments.due_on else 'infinity'::date end`,
  },
  default: { column: 'id', dir: 'desc' },
}

export function parseAssessmentFilter(raw: URLSearchParams | Record<string, unknown>) {
  const values = raw instanceof URLSearchParams ? Object.fromEntries(raw) : { ...raw }
  // The home page's link "late assessments" (?late=1) is the days-left filter.
  if (values.late === '1' && !values.due) values.due = 'late'
  return parseSortedFilter(values, fields, [['from', 'to']], assessmentSort)
}

/** The filtered register as a query in its order; `after` continues after that row (cursorOf). */
export function assessmentsQuery(db: Kysely<Database>, viewer: AssessorViewer, filter: AssessmentFilter, today: string) {
  let query = visibleAssessments(db, viewer)
    .leftJoin('assessment_agencies as ag', 'ag.id', 'assessments.agency_id')
    // The report in force: signed by the whole team and not replaced by a correction (at most one).
    .leftJoin('assessment_reports as rep', (join) => join.onRef('rep.assessment_id', '=', 'assessments.id').on('rep.finalized_at', 'is not', null).on('rep.superseded_at', 'is', null))
    .leftJoin('applications as app', 'app.id', 'assessments.application_id')
    .select([
      'assessments.id', 'assessments.application_id as applicationId', 'assessments.state', 'assessments.mode', 'ag.legal_name as agency',
      'assessments.commissioned_on as commissionedOn', 'assessments.consent_on as consentOn', 'assessments.due_on as dueOn',
      'rep.conclusion', 'rep.number as reportNumber', 'rep.report_on as reportOn', 'rep.total', 'app.registration_number as registrationNumber',
      townNameOf('app').as('town'), 'app.resides_abroad as residesAbroad',
      sql<string | null>`(select string_agg(name, '、' order by position) from parties where application_id = assessments.application_id and role = 'adopter')`.as('adopters'),
      sql<string | null>`(select string_agg(u.display_name, '、' order by u.display_name) from assessment_members m join users u on u.id = m.user_id where m.assessment_id = assessments.id and m.removed_at is null)`.as('team'),
    ])
  if (filter.state) query = query.where('assessments.state', '=', filter.state)
  if (filter.conclusion) query = query.where('rep.conclusion', '=', filter.conclusion)
  if (filter.assessor) {
    const assessor = filter.assessor
    query = query.where(({ exists, selectFrom }) => exists(selectFrom('assessment_members as fm').select('fm.user_id')
      .whereRef('fm.assessment_id', '=', 'assessments.id').where('fm.user_id', '=', assessor).where('fm.removed_at', 'is', null)))
  }
  if (filter.agency === 'in_house') query = query.where('assessments.mode', '=', 'in_house')
  else if (filter.agency) query = query.where('assessments.agency_id', '=', filter.agency)
  const dated = filter.basis === 'completed' ? 'rep.report_on' : 'assessments.commissioned_on'
  if (filter.from) query = query.where(dated, '>=', filter.from)
  if (filter.to) query = query.where(dated, '<=', filter.to)
  if (filter.due) {
    query = query.where('assessments.state', 'in', ['open', 'signing'])
    query = filter.due === 'late'
      ? query.where('assessments.due_on', '<', today)
      : query.where('assessments.due_on', '>=', today).where('assessments.due_on', '<=', addDays(today, DUE_SOON_DAYS))
  }
  if (filter.town) query = query.where(townIs('app', filter.town))
  return sortedBy(query, assessmentSort, filter)
}

/** Days from today to the due date of an assessment still running (negative: late); null otherwise. */
export function daysLeft(row: { state: string; dueOn: string | null }, today: string): number | null {
  if (!row.dueOn || (row.state !== 'open' && row.state !== 'signing')) return null
  return Math.round((Date.parse(`${row.dueOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
}

/** The viewer with their agency (an agency's assessors see only its work). */
export async function withAgency(db: Kysely<Database>, viewer: Viewer): Promise<AssessorViewer> {
  const row = await db.selectFrom('users').select('agency_id').where('id', '=', viewer.id).executeTakeFirst()
  return { ...viewer, agencyId: row?.agency_id ?? null }
}

/** The choices of the page's filters: the registry's assessors and agencies. */
export async function assessmentFilterChoices(db: Kysely<Database>, registryCode: string) {
  const [assessors, agencies] = await Promise.all([
    db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select(['u.id', 'u.display_name as name'])
      .where('u.registry_code', '=', registryCode).where('r.role', '=', 'assessor').orderBy('u.display_name').execute(),
    db.selectFrom('assessment_agencies').select(['id', 'legal_name as name']).where('registry_code', '=', registryCode).orderBy('legal_name').execute(),
  ])
  return { assessors, agencies }
}

/** The page: a page of the register, and the choices its filters offer (a value not among them is named and dropped). */
export async function assessmentLedger(db: Kysely<Database>, viewer: AssessorViewer, raw: URLSearchParams, today: string) {
  const { filter, errors } = parseAssessmentFilter(raw)
  const choices = await assessmentFilterChoices(db, viewer.registryCode)
  checkAgainst(filter, errors, 'assessor', choices.assessors.map((a) => a.id))
  if (filter.agency !== 'in_house') checkAgainst(filter, errors, 'agency', choices.agencies.map((a) => a.id))
  const towns = await checkTownFilter(db, viewer.registryCode, filter, errors)
  const rows = await assessmentsQuery(db, viewer, filter, today).limit(ASSESSMENTS_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, ASSESSMENTS_PAGE_SIZE)
  return {
    rows: page.map((r) => ({ ...r, daysLeft: daysLeft(r, today) })),
    next: rows.length > ASSESSMENTS_PAGE_SIZE ? cursorOf(assessmentSort, filter, page[page.length - 1]) : null,
    filter, errors, choices, towns,
  }
}

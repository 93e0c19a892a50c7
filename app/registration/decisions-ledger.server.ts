// The register of decisions ending a case other than a registration (不予登记、解除、撤销登记台账):
// refusals with their ground and notice number, dissolutions with their certificate number,
// revocations with their reason; by kind, refusal ground, the decision's period (or year) and the
// registrar and the adopters' town of residence; newest case first or sorted by the decision's
// date, kind or document number, paged by key (the sort value and the id). An application ends in at most one of these (only
// a registered adoption is dissolved or revoked, once), so the application's id is the key.
import { sql, type Kysely } from 'kysely'
import { refusalGrounds, type Database } from '#db/schema.ts'
import { checkAgainst, choice, dateField, idChoice, parseSortedFilter, townChoice, type ParsedFilter } from '#app/ledgers/filter-fields.ts'
import type { SortParams } from '#app/ledgers/sorting.ts'
import { cursorOf, sortedBy, type SortSpec, positionIn } from '#app/ledgers/sorting.server.ts'
import { checkTownFilter, townIs, townNameOf } from '#app/ledgers/town-filter.server.ts'
import { visibleApplications, type Viewer } from './applications.server.ts'
import { registrarsOf } from './ledger.server.ts'
import { z } from 'zod'

export const DECISION_KINDS = ['refused', 'dissolved', 'revoked'] as const
export type DecisionKind = (typeof DECISION_KINDS)[number]
export const DECISIONS_PAGE_SIZE = 50

const fields = {
  kind: choice(DECISION_KINDS),
  ground: choice(refusalGrounds),
  year: z.coerce.number({ error: 'ledger.filter.notInList' }).int('ledger.filter.notInList').min(1990, 'ledger.filter.notInList').max(2100, 'ledger.filter.notInList'),
  from: dateField,
  to: dateField,
  registrar: idChoice,
  town: townChoice,
}
export type DecisionFilter = ParsedFilter<typeof fields> & SortParams

/** The day of the decision: the refusal's, the dissolution's registration, the revocation's. */
const decidedOn = sql<string | null>`case applications.state
  when 'refused' then applications.refused_on when 'dissolved' then d.dissolved_on when 'revoked' then v.revoked_on end`

/** The register's sortable columns; its own order is the newest case first (by id). */
export const decisionSort: SortSpec<'id' | 'decided' | 'kind' | 'number'> = {
  key: sql`applications.id`,
  columns: {
    id: { kind: 'int', key: true, first: 'desc' },
    decided: { kind: 'date', first: 'desc' },
    kind: { kind: 'int', first: 'asc' },
    number: { kind: 'text', first: 'asc' },
  },
  expressions: {
    id: sql`applications.id`,
    decided: sql`coalesce(${decidedOn}, '-infinity'::date)`,
    kind: positionIn(DECISION_KINDS, sql`applications.state`),
    // The document the decision issued (decisionNumber below).
    number: sql`coalesce(case applications.state when 'refused' then applications.refusal_number
      when 'dissolved' then d.number when 'revoked' then applications.registration_number end, '')`,
  },
  default: { column: 'id', dir: 'desc' },
}

export const parseDecisionFilter = (raw: URLSearchParams | Record<string, unknown>) => parseSortedFilter(raw, fields, [['from', 'to']], decisionSort)

/** The filtered register as a query in its order; `after` continues after that row (cursorOf). */
export function decisionsQuery(db: Kysely<Database>, viewer: Viewer, filter: DecisionFilter, _today: string) {
  let query = visibleApplications(db, viewer)
    .leftJoin('dissolutions as d', 'd.application_id', 'applications.id')
    .leftJoin('revocations as v', 'v.application_id', 'applications.id')
    .leftJoin('users as r', 'r.id', 'applications.registrar_id')
    .leftJoin('users as decider', (join) => join.on(sql<boolean>`decider.id = case applications.state
      when 'refused' then applications.approved_by when 'dissolved' then d.registered_by when 'revoked' then v.revoked_by end`))
    .select([
      'applications.id', sql<DecisionKind>`applications.state`.as('kind'), decidedOn.as('decidedOn'), 'applications.relation',
      'applications.refusal_number as refusalNumber', 'applications.refusal_ground as ground', 'd.number as dissolutionNumber',
      'applications.registration_number as registrationNumber', 'applications.registered_on as registeredOn', 'v.reason as revocationReason',
      'd.certificate_returned as certificateReturned', 'v.certificate_confiscated as certificateConfiscated', 'applications.secrecy',
      'r.display_name as registrarName', 'decider.display_name as decidedBy',
      sql<string | null>`(select string_agg(name, '、' order by position) from parties where application_id = applications.id and role = 'adopter')`.as('adopters'),
      sql<string | null>`(select name from parties where application_id = applications.id and role = 'child' limit 1)`.as('child'),
      townNameOf('applications').as('town'), 'applications.resides_abroad as residesAbroad',
    ])
    .where('applications.state', 'in', filter.kind ? [filter.kind] : [...DECISION_KINDS])
  if (filter.ground) query = query.where('applications.state', '=', 'refused').where('applications.refusal_ground', '=', filter.ground)
  if (filter.year) query = query.where(decidedOn, '>=', `${filter.year}-01-01`).where(decidedOn, '<=', `${filter.year}-12-31`)
  if (filter.from) query = query.where(decidedOn, '>=', filter.from)
  if (filter.to) query = query.where(decidedOn, '<=', filter.to)
  if (filter.registrar) query = query.where('applications.registrar_id', '=', filter.registrar)
  if (filter.town) query = query.where(townIs('applications', filter.town))
  return sortedBy(query, decisionSort, filter)
}

/** The number of the document the decision issued: the refusal notice, the dissolution certificate, the revoked registration. */
export const decisionNumber = (r: { kind: DecisionKind; refusalNumber: string | null; dissolutionNumber: string | null; registrationNumber: string | null }) =>
  r.kind === 'refused' ? r.refusalNumber : r.kind === 'dissolved' ? r.dissolutionNumber : r.registrationNumber

export async function decisionLedger(db: Kysely<Database>, viewer: Viewer, raw: URLSearchParams, today: string) {
  const { filter, errors } = parseDecisionFilter(raw)
  const registrars = await registrarsOf(db, viewer.registryCode)
  checkAgainst(filter, errors, 'registrar', registrars.map((r) => r.id))
  const towns = await checkTownFilter(db, viewer.registryCode, filter, errors)
  const rows = await decisionsQuery(db, viewer, filter, today).limit(DECISIONS_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, DECISIONS_PAGE_SIZE)
  return { rows: page.map((r) => ({ ...r, number: decisionNumber(r) })), next: rows.length > DECISIONS_PAGE_SIZE ? cursorOf(decisionSort, filter, page[page.length - 1]) : null, filter, errors, registrars, towns }
}

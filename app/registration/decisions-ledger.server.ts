// The register of decisions ending a case other than a registration (不予登记、解除、撤销登记台账):
// refusals with their ground and notice number, dissolutions with their certificate number,
// revocations with their reason; by kind, refusal ground, the decision's period (or year) and the
// registrar; newest case first, paged by key. An application ends in at most one of these (only
// a registered adoption is dissolved or revoked, once), so the application's id is the key.
import { sql, type Kysely } from 'kysely'
import { refusalGrounds, type Database } from '#db/schema.ts'
import { afterId, checkAgainst, choice, dateField, idChoice, parseFilterFields, type ParsedFilter } from '#app/ledgers/filter-fields.ts'
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
  after: afterId,
}
export type DecisionFilter = ParsedFilter<typeof fields>

export const parseDecisionFilter = (raw: URLSearchParams | Record<string, unknown>) => parseFilterFields(raw, fields, [['from', 'to']])

/** The day of the decision: the refusal's, the dissolution's registration, the revocation's. */
const decidedOn = sql<string | null>`case applications.state
  when 'refused' then applications.refused_on when 'dissolved' then d.dissolved_on when 'revoked' then v.revoked_on end`

/** The filtered register as a query, newest first; `after` continues after that application id. */
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
    ])
    .where('applications.state', 'in', filter.kind ? [filter.kind] : [...DECISION_KINDS])
  if (filter.ground) query = query.where('applications.state', '=', 'refused').where('applications.refusal_ground', '=', filter.ground)
  if (filter.year) query = query.where(decidedOn, '>=', `${filter.year}-01-01`).where(decidedOn, '<=', `${filter.year}-12-31`)
  if (filter.from) query = query.where(decidedOn, '>=', filter.from)
  if (filter.to) query = query.where(decidedOn, '<=', filter.to)
  if (filter.registrar) query = query.where('applications.registrar_id', '=', filter.registrar)
  if (filter.after) query = query.where('applications.id', '<', filter.after)
  return query.orderBy('applications.id', 'desc')
}

/** The number of the document the decision issued: the refusal notice, the dissolution certificate, the revoked registration. */
export const decisionNumber = (r: { kind: DecisionKind; refusalNumber: string | null; dissolutionNumber: string | null; registrationNumber: string | null }) =>
  r.kind === 'refused' ? r.refusalNumber : r.kind === 'dissolved' ? r.dissolutionNumber : r.registrationNumber

export async function decisionLedger(db: Kysely<Database>, viewer: Viewer, raw: URLSearchParams, today: string) {
  const { filter, errors } = parseDecisionFilter(raw)
  const registrars = await registrarsOf(db, viewer.registryCode)
  checkAgainst(filter, errors, 'registrar', registrars.map((r) => r.id))
  const rows = await decisionsQuery(db, viewer, filter, today).limit(DECISIONS_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, DECISIONS_PAGE_SIZE)
  return { rows: page.map((r) => ({ ...r, number: decisionNumber(r) })), next: rows.length > DECISIONS_PAGE_SIZE ? page[page.length - 1].id : null, filter, errors, registrars }
}

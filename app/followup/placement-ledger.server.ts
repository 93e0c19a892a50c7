// The register of post-placement reports of intercountry adoptions (安置后报告台账): one row per
// expected report, its state as the intercountry page shows it (accepted, received, returned,
// overdue, expected, cancelled: computed in SQL from the task and its latest receipt, so it can be
// filtered), by receiving country and due period; newest first, paged by key (the task's id).
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { afterId, checkAgainst, choice, dateField, parseFilterFields, type ParsedFilter } from '#app/ledgers/filter-fields.ts'

export const PLACEMENT_STATES = ['expected', 'received', 'returned', 'accepted', 'overdue', 'cancelled'] as const
export const PLACEMENT_PAGE_SIZE = 50

const fields = {
  state: choice(PLACEMENT_STATES),
  country: z.string().trim().min(1).max(60, 'ledger.filter.tooLong'),
  from: dateField,
  to: dateField,
  after: afterId,
}
export type PlacementFilter = ParsedFilter<typeof fields>

export const parsePlacementFilter = (raw: URLSearchParams | Record<string, unknown>) => parseFilterFields(raw, fields, [['from', 'to']])

/** The filtered register as a query, newest first; `after` continues after that task id. */
export function placementReportsQuery(db: Kysely<Database>, viewer: Viewer, filter: PlacementFilter, today: string) {
  const latest = sql<string | null>`(select pr.outcome from post_placement_receipts pr where pr.task_id = t.id order by pr.id desc limit 1)`
  const state = sql<(typeof PLACEMENT_STATES)[number]>`case
    when t.status = 'done' then 'accepted' when t.status = 'cancelled' then 'cancelled'
    when ${latest} = 'received' then 'received' when ${latest} = 'returned' then 'returned'
    when t.window_to < ${today}::date then 'overdue' else 'expected' end`
  let query = db.selectFrom('followup_tasks as t').innerJoin('intercountry_adoptions as ic', 'ic.id', 't.intercountry_id')
    .leftJoin('users as u', 'u.id', 't.caseworker_id')
    .select(['t.id', 'ic.id as adoptionId', 'ic.registration_number as registrationNumber', 'ic.registered_on as registeredOn', 'ic.child_name as childName',
      'ic.adopters', 'ic.country', 'ic.agency', 't.sequence', 't.due_on as dueOn', 't.window_from as windowFrom', 't.window_to as windowTo',
      'u.display_name as caseworkerName', state.as('state'),
      sql<string | null>`(select max(pr.received_on) from post_placement_receipts pr where pr.task_id = t.id)`.as('receivedOn')])
    .where('t.registry_code', '=', viewer.registryCode).where('t.kind', '=', 'post_placement_report')
  if (filter.state) query = query.where(state, '=', filter.state)
  if (filter.country) query = query.where('ic.country', '=', filter.country)
  if (filter.from) query = query.where('t.due_on', '>=', filter.from)
  if (filter.to) query = query.where('t.due_on', '<=', filter.to)
  if (filter.after) query = query.where('t.id', '<', filter.after)
  return query.orderBy('t.id', 'desc')
}

/** The receiving countries of the registry's intercountry adoptions (the filter's choices). */
export async function placementCountries(db: Kysely<Database>, registryCode: string) {
  return (await db.selectFrom('intercountry_adoptions').select('country').distinct().where('registry_code', '=', registryCode).orderBy('country').execute()).map((r) => r.country)
}

export async function placementLedger(db: Kysely<Database>, viewer: Viewer, raw: URLSearchParams, today: string) {
  const { filter, errors } = parsePlacementFilter(raw)
  const countries = await placementCountries(db, viewer.registryCode)
  checkAgainst(filter, errors, 'country', countries)
  const rows = await placementReportsQuery(db, viewer, filter, today).limit(PLACEMENT_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, PLACEMENT_PAGE_SIZE)
  return { rows: page, next: rows.length > PLACEMENT_PAGE_SIZE ? page[page.length - 1].id : null, filter, errors, countries }
}

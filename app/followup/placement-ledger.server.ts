// The register of post-placement reports of intercountry adoptions (安置后报告台账): one row per
// expected report, its state as the intercountry page shows it (accepted, received, returned,
// overdue, expected, cancelled: computed in SQL from the task and its latest receipt, so it can be
// filtered), by receiving country and due period; newest first or sorted by the due date, country,
// state, registration number or the day last received, paged by key (the sort value and the task's id).
import { readableIntercountry } from './access.server.ts'
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { checkAgainst, choice, dateField, parseSortedFilter, type ParsedFilter } from '#app/ledgers/filter-fields.ts'
import type { SortOptions, SortParams } from '#app/ledgers/sorting.ts'
import { cursorOf, inPinyin, sortedBy, type SortSpec, positionIn } from '#app/ledgers/sorting.server.ts'

export const PLACEMENT_STATES = ['expected', 'received', 'returned', 'accepted', 'overdue', 'cancelled'] as const
export const PLACEMENT_PAGE_SIZE = 50

const fields = {
  state: choice(PLACEMENT_STATES),
  country: z.string().trim().min(1).max(60, 'ledger.filter.tooLong'),
  from: dateField,
  to: dateField,
}
export type PlacementFilter = ParsedFilter<typeof fields> & SortParams

type PlacementColumn = 'id' | 'due' | 'country' | 'state' | 'number' | 'received'
/** The register's sortable columns; its own order is the newest task first (by id). */
export const placementSort: SortOptions<PlacementColumn> = {
  columns: {
    id: { kind: 'int', key: true, first: 'desc' },
    due: { kind: 'date', first: 'asc' },
    country: { kind: 'name', first: 'asc' }, // as entered (the same in both languages)
    state: { kind: 'int', first: 'asc' },
    number: { kind: 'text', first: 'asc' },
    received: { kind: 'date', first: 'desc' },
  },
  default: { column: 'id', dir: 'desc' },
}

/** The state of a report as of `today`: the intercountry page's rule. */
function stateAsOf(today: string) {
  const latest = sql<string | null>`(select pr.outcome from post_placement_receipts pr where pr.task_id = t.id order by pr.id desc limit 1)`
  return sql<(typeof PLACEMENT_STATES)[number]>`case
    when t.status = 'done' then 'accepted' when t.status = 'cancelled' then 'cancelled'
    when ${latest} = 'received' then 'received' when ${latest} = 'returned' then 'returned'
    when t.window_to < ${today}::date then 'overdue' else 'expected' end`
}
const lastReceived = sql<string | null>`(select max(pr.received_on) from post_placement_receipts pr where pr.task_id = t.id)`

/** The sort's SQL (the state is computed as of `today`). */
function placementSortSpec(today: string): SortSpec<PlacementColumn> {
  return {
    ...placementSort,
    key: sql`t.id`,
    expressions: {
      id: sql`t.id`,
      due: sql`t.due_on`,
      country: sql`ic.country`,
      state: positionIn(PLACEMENT_STATES, stateAsOf(today)),
      number: sql`ic.registration_number`,
      received: sql`coalesce(${lastReceived}, '-infinity'::date)`, // nothing received: after the others when the latest come first
    },
  }
}

export const parsePlacementFilter = (raw: URLSearchParams | Record<string, unknown>) => parseSortedFilter(raw, fields, [['from', 'to']], placementSort)

/** The filtered register as a query in its order; `after` continues after that row (cursorOf). */
export function placementReportsQuery(db: Kysely<Database>, viewer: Viewer, filter: PlacementFilter, today: string) {
  const state = stateAsOf(today)
  let query = db.selectFrom('followup_tasks as t').innerJoin('intercountry_adoptions as ic', 'ic.id', 't.intercountry_id')
    .leftJoin('users as u', 'u.id', 't.caseworker_id')
    .select(['t.id', 'ic.id as adoptionId', 'ic.registration_number as registrationNumber', 'ic.registered_on as registeredOn', 'ic.child_name as childName',
      'ic.adopters', 'ic.country', 'ic.agency', 't.sequence', 't.due_on as dueOn', 't.window_from as windowFrom', 't.window_to as windowTo',
      'u.display_name as caseworkerName', state.as('state'),
      lastReceived.as('receivedOn')])
    .where('t.registry_code', '=', viewer.registryCode).where('t.kind', '=', 'post_placement_report')
    // Only the adoptions the viewer may read (decision 028).
    .where('ic.id', 'in', db.selectFrom('intercountry_adoptions as i').select('i.id').where(readableIntercountry(db, viewer)))
  if (filter.state) query = query.where(state, '=', filter.state)
  if (filter.country) query = query.where('ic.country', '=', filter.country)
  if (filter.from) query = query.where('t.due_on', '>=', filter.from)
  if (filter.to) query = query.where('t.due_on', '<=', filter.to)
  return sortedBy(query, placementSortSpec(today), filter)
}

/** The receiving countries of the registry's intercountry adoptions (the filter's choices). */
export async function placementCountries(db: Kysely<Database>, registryCode: string) {
  return (await db.selectFrom('intercountry_adoptions').select(inPinyin('country').as('country')).distinct().where('registry_code', '=', registryCode).orderBy('country').execute()).map((r) => r.country)
}

export async function placementLedger(db: Kysely<Database>, viewer: Viewer, raw: URLSearchParams, today: string) {
  const { filter, errors } = parsePlacementFilter(raw)
  const countries = await placementCountries(db, viewer.registryCode)
  checkAgainst(filter, errors, 'country', countries)
  const rows = await placementReportsQuery(db, viewer, filter, today).limit(PLACEMENT_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, PLACEMENT_PAGE_SIZE)
  return { rows: page, next: rows.length > PLACEMENT_PAGE_SIZE ? cursorOf(placementSort, filter, page[page.length - 1]) : null, filter, errors, countries }
}

// The register of root-seeking requests (寻根回访台账): by state, country of residence, the
// period the request was received in, the staff member receiving the family and late replies;
// newest first or sorted by the day received, the reply's due date, country, state or visit date,
// paged by key (the sort value and the id). No passport number, e-mail or message is part of it.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { checkAgainst, choice, dateField, idChoice, parseSortedFilter, type ParsedFilter } from '#app/ledgers/filter-fields.ts'
import type { SortParams } from '#app/ledgers/sorting.ts'
import { cursorOf, inPinyin, sortedBy, type SortSpec, positionIn } from '#app/ledgers/sorting.server.ts'
import { z } from 'zod'
import { calendarLists, replyClock } from './calendar.server.ts'
import { bouncedSince } from './requests.server.ts'

export const ROOTSEEKING_STATES = ['received', 'accepted', 'declined', 'visited', 'closed', 'withdrawn'] as const
export const ROOTSEEKING_PAGE_SIZE = 50

const fields = {
  state: choice(ROOTSEEKING_STATES),
  country: z.string().trim().min(1).max(60, 'ledger.filter.tooLong'),
  from: dateField,
  to: dateField,
  caseworker: idChoice,
  due: choice(['late'] as const),
}
export type RootseekingFilter = ParsedFilter<typeof fields> & SortParams

/** The register's sortable columns; its own order is the newest request first (by id). */
export const rootseekingSort: SortSpec<'id' | 'received' | 'due' | 'country' | 'state' | 'visit'> = {
  key: sql`r.id`,
  columns: {
    id: { kind: 'int', key: true, first: 'desc' },
    received: { kind: 'date', first: 'desc' },
    due: { kind: 'date', first: 'asc' },
    country: { kind: 'name', first: 'asc' }, // as entered (the same in both languages)
    state: { kind: 'int', first: 'asc' },
    visit: { kind: 'date', first: 'asc' },
  },
  expressions: {
    id: sql`r.id`,
    received: sql`r.received_on`,
    due: sql`r.reply_due_on`,
    country: sql`r.residence_country`,
    state: positionIn(ROOTSEEKING_STATES, sql`r.state`),
    visit: sql`coalesce(p.visit_on, 'infinity'::date)`, // no visit planned: after the others when the soonest come first
  },
  default: { column: 'id', dir: 'desc' },
}

/** The filter; the home page's links (?show=late, ?show=mine) are the late-reply and own-reception filters. */
export function parseRootseekingFilter(raw: URLSearchParams | Record<string, unknown>, viewer?: Viewer) {
  const values = raw instanceof URLSearchParams ? Object.fromEntries(raw) : { ...raw }
  if (values.show === 'late' && !values.due) values.due = 'late'
  if (values.show === 'mine' && viewer && !values.caseworker) values.caseworker = viewer.id
  return parseSortedFilter(values, fields, [['from', 'to']], rootseekingSort)
}

/** The filtered register as a query in its order; `after` continues after that row (cursorOf). */
export function rootseekingQuery(db: Kysely<Database>, viewer: Viewer, filter: RootseekingFilter, today: string) {
  let query = db.selectFrom('rootseeking_requests as r').leftJoin('rootseeking_receptions as p', 'p.request_id', 'r.id').leftJoin('users as c', 'c.id', 'p.caseworker_id')
    .select(['r.id', 'r.reference', 'r.channel', 'r.state', 'r.applicant_name as applicantName', 'r.nationality', 'r.residence_country as country',
      'r.adoptee_name_now as adopteeName', 'r.adoptee_name_then as adopteeNameThen', 'r.registration_number as registrationNumber', 'r.registration_date as registrationDate',
      'r.institution', 'r.received_on as receivedOn', 'r.reply_due_on as replyDueOn', 'r.replied_on as repliedOn', bouncedSince('r').as('emailBouncedAt'),
      'p.visit_on as visitOn', 'p.visited_on as visitedOn', 'c.display_name as caseworkerName',
      (eb) => eb.selectFrom('rootseeking_visitors as v').select((v) => v.fn.countAll<string>().as('n')).whereRef('v.request_id', '=', 'r.id').as('visitors')])
    .where('r.registry_code', '=', viewer.registryCode)
  if (filter.state) query = query.where('r.state', '=', filter.state)
  if (filter.country) query = query.where('r.residence_country', '=', filter.country)
  if (filter.from) query = query.where('r.received_on', '>=', filter.from)
  if (filter.to) query = query.where('r.received_on', '<=', filter.to)
  if (filter.caseworker) query = query.where('p.caseworker_id', '=', filter.caseworker)
  if (filter.due === 'late') query = query.where('r.state', '=', 'received').where('r.reply_due_on', '<', today)
  return sortedBy(query, rootseekingSort, filter)
}

/** The filters' choices: the countries families wrote from, the staff who received them. */
export async function rootseekingFilterChoices(db: Kysely<Database>, registryCode: string) {
  const [countries, caseworkers] = await Promise.all([
    db.selectFrom('rootseeking_requests').select(inPinyin('residence_country').as('country')).distinct().where('registry_code', '=', registryCode).orderBy('country').execute(),
    db.selectFrom('rootseeking_receptions as p').innerJoin('rootseeking_requests as r', 'r.id', 'p.request_id').innerJoin('users as u', 'u.id', 'p.caseworker_id')
      .select(['u.id', inPinyin('u.display_name').as('name')]).distinct().where('r.registry_code', '=', registryCode).orderBy('name').execute(),
  ])
  return { countries: countries.map((c) => c.country), caseworkers }
}

export async function rootseekingLedger(db: Kysely<Database>, viewer: Viewer, raw: URLSearchParams, today: string) {
  const { filter, errors } = parseRootseekingFilter(raw, viewer)
  const choices = await rootseekingFilterChoices(db, viewer.registryCode)
  checkAgainst(filter, errors, 'country', choices.countries)
  // One's own receptions are a choice even before the first one.
  if (filter.caseworker !== viewer.id) checkAgainst(filter, errors, 'caseworker', choices.caseworkers.map((c) => c.id))
  const rows = await rootseekingQuery(db, viewer, filter, today).limit(ROOTSEEKING_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, ROOTSEEKING_PAGE_SIZE)
  const calendar = await calendarLists(db, viewer.registryCode)
  return {
    rows: page.map((r) => ({ ...r, clock: r.state === 'received' ? replyClock(r.replyDueOn, today, calendar) : null })),
    next: rows.length > ROOTSEEKING_PAGE_SIZE ? cursorOf(rootseekingSort, filter, page[page.length - 1]) : null,
    filter, errors, choices,
  }
}

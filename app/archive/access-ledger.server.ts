// The register of archive access requests (档案利用登记): by state (an approval whose term has
// run out counts as expired), requester kind, approver, staff member and the period the request
// was made in; newest first or sorted by the day requested or decided, the state, the file's number
// or the requester; paged by key (the sort value and the id). Staff without the archive's management or approval
// rights see only the requests naming them, as on the page. One query for the page and the export.
import { readableRequest } from './access.server.ts'
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { can } from '#app/platform/permissions.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { checkAgainst, choice, dateField, idChoice, parseSortedFilter, type ParsedFilter } from '#app/ledgers/filter-fields.ts'
import type { SortParams } from '#app/ledgers/sorting.ts'
import { cursorOf, inPinyin, sortedBy, type SortSpec, positionIn } from '#app/ledgers/sorting.server.ts'

export const ACCESS_STATES = ['pending', 'approved', 'expired', 'refused', 'withdrawn'] as const
export const REQUESTER_KINDS = ['party', 'court', 'police', 'other'] as const
export const ACCESS_PAGE_SIZE = 50

const fields = {
  state: choice(ACCESS_STATES),
  kind: choice(REQUESTER_KINDS),
  approver: idChoice,
  staff: idChoice,
  from: dateField,
  to: dateField,
}
export type AccessFilter = ParsedFilter<typeof fields> & SortParams

/** The day a request was made, in Asia/Shanghai. */
const requestedOn = sql<string>`(r.created_at at time zone 'Asia/Shanghai')::date`
/** The state as the register shows it (an approval past its term is expired). */
const shownStateSql = sql<string>`case when r.state = 'approved' and r.valid_until is not null and r.valid_until < now() then 'expired' else r.state::text end`

/** The register's sortable columns; its own order is the newest request first (by id). */
export const accessSort: SortSpec<'id' | 'requested' | 'decided' | 'state' | 'number' | 'requester'> = {
  key: sql`r.id`,
  columns: {
    id: { kind: 'int', key: true, first: 'desc' },
    requested: { kind: 'date', first: 'desc' },
    decided: { kind: 'date', first: 'desc' },
    state: { kind: 'int', first: 'asc' },
    number: { kind: 'text', first: 'asc' },
    requester: { kind: 'name', first: 'asc' },
  },
  expressions: {
    id: sql`r.id`,
    requested: requestedOn,
    // Not yet decided: after the others when the latest come first.
    decided: sql`coalesce((r.decided_at at time zone 'Asia/Shanghai')::date, '-infinity'::date)`,
    state: positionIn(ACCESS_STATES, shownStateSql),
    number: sql`f.archive_number`,
    requester: sql`coalesce(r.requester_name, '')`,
  },
  default: { column: 'id', dir: 'desc' },
}

export const parseAccessFilter = (raw: URLSearchParams | Record<string, unknown>) => parseSortedFilter(raw, fields, [['from', 'to']], accessSort)

/** The filtered register as a query in its order; `after` continues after that row (cursorOf). */
export function accessRequestsQuery(db: Kysely<Database>, viewer: Viewer, filter: AccessFilter, _today: string) {
  let query = db.selectFrom('archive_access_requests as r').innerJoin('archive_files as f', 'f.id', 'r.file_id')
    .leftJoin('users as s', 's.id', 'r.staff_id').leftJoin('users as d', 'd.id', 'r.decided_by')
    .select(['r.id', 'r.state', 'r.requester_kind as kind', 'r.requester_name as requester', 'r.requester_unit as unit', 'r.purpose', 'r.letter_reference as letterReference',
      'r.created_at as createdAt', 'r.decided_at as decidedAt', 'r.valid_until as validUntil', 'r.reveal_birth_family as revealBirthFamily',
      'f.id as fileId', 'f.archive_number as archiveNumber', 'f.confidential', 's.display_name as staffName', 'd.display_name as approverName',
      sql<boolean>`r.state = 'approved' and r.valid_until is not null and r.valid_until < now()`.as('expired')])
    // The request page's own rule (decision 028): the register lists what its pages would show.
    .where(readableRequest(viewer))
  if (filter.state === 'expired') query = query.where('r.state', '=', 'approved').where('r.valid_until', '<', sql<Date>`now()`)
  else if (filter.state === 'approved') query = query.where('r.state', '=', 'approved').where((eb) => eb.or([eb('r.valid_until', 'is', null), eb('r.valid_until', '>=', sql<Date>`now()`)]))
  else if (filter.state) query = query.where('r.state', '=', filter.state)
  if (filter.kind) query = query.where('r.requester_kind', '=', filter.kind)
  if (filter.approver) query = query.where('r.decided_by', '=', filter.approver)
  if (filter.staff) query = query.where('r.staff_id', '=', filter.staff)
  if (filter.from) query = query.where(requestedOn, '>=', filter.from)
  if (filter.to) query = query.where(requestedOn, '<=', filter.to)
  return sortedBy(query, accessSort, filter)
}

/** The state as the register shows it: an approval past its term is expired. */
export const shownState = (r: { state: string; expired: boolean }) => (r.expired ? 'expired' : r.state) as (typeof ACCESS_STATES)[number]

/** The staff members and approvers named in the registry's requests (the filters' choices). */
export async function accessFilterChoices(db: Kysely<Database>, registryCode: string) {
  const named = (column: 'r.staff_id' | 'r.decided_by') => db.selectFrom('archive_access_requests as r').innerJoin('archive_files as f', 'f.id', 'r.file_id')
    .innerJoin('users as u', 'u.id', column).select(['u.id', inPinyin('u.display_name').as('name')]).distinct()
    .where('f.registry_code', '=', registryCode).orderBy('name').execute()
  const [staff, approvers] = await Promise.all([named('r.staff_id'), named('r.decided_by')])
  return { staff, approvers }
}

export async function accessLedger(db: Kysely<Database>, viewer: Viewer, raw: URLSearchParams, today: string) {
  const { filter, errors } = parseAccessFilter(raw)
  const choices = await accessFilterChoices(db, viewer.registryCode)
  checkAgainst(filter, errors, 'staff', choices.staff.map((s) => s.id))
  checkAgainst(filter, errors, 'approver', choices.approvers.map((s) => s.id))
  const rows = await accessRequestsQuery(db, viewer, filter, today).limit(ACCESS_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, ACCESS_PAGE_SIZE)
  return { rows: page.map((r) => ({ ...r, shown: shownState(r) })), next: rows.length > ACCESS_PAGE_SIZE ? cursorOf(accessSort, filter, page[page.length - 1]) : null, filter, errors, choices }
}

// The registrar's ledger of applications and registrations: filters, search by a person's name,
// a citizen ID number (exact, through the keyed hash: the column is never decrypted to search) or a
// registration number, paged by key: newest first (the id), or by a sortable column and the id.
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import type { ApplicationState, Database } from '#db/schema.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { parseCitizenId } from '#app/platform/citizen-id.ts'
import { idNumberHashes, visibleApplications, type Viewer } from './applications.server.ts'
import { addDays } from './deadlines.ts'
import { states } from './workflow.ts'
import { isoDate } from './schemas.ts'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { parseSortParams, type SortParams } from '#app/ledgers/sorting.ts'
import { cursorOf, sortedBy, type SortSpec, positionIn } from '#app/ledgers/sorting.server.ts'

export const LEDGER_PAGE_SIZE = 50
export const DUE_SOON_DAYS = 7

const idParam = z.string().regex(/^\d{1,18}$/, 'ledger.filter.notInList')
/** Each filter field on its own: one bad value is reported next to its field, the others still apply. */
const filterFields = {
  state: z.enum(states as [ApplicationState, ...ApplicationState[]], { error: 'ledger.filter.notInList' }),
  year: z.coerce.number({ error: 'ledger.filter.notInList' }).int('ledger.filter.notInList').min(1990, 'ledger.filter.notInList').max(2100, 'ledger.filter.notInList'),
  from: isoDate,
  to: isoDate,
  registrar: idParam,
  due: z.enum(['soon', 'late'], { error: 'ledger.filter.notInList' }),
  q: z.string().trim().max(60, 'ledger.filter.tooLong'),
  // The adopters' town of residence (app/residence): a town's id, 'abroad' or 'none' (not recorded).
  town: z.string().regex(/^(\d{1,18}|abroad|none)$/, 'ledger.filter.notInList'),
}
export type LedgerFilter = { [K in keyof typeof filterFields]?: z.infer<(typeof filterFields)[K]> } & SortParams
export type FilterErrors = Partial<Record<keyof LedgerFilter, MessageKey>>

/** The ledger's sortable columns; its own order is the newest first (by id). */
export const applicationSort: SortSpec<'id' | 'received' | 'number' | 'registered' | 'state' | 'due'> = {
  key: sql`applications.id`,
  columns: {
    id: { kind: 'int', key: true, first: 'desc' },
    received: { kind: 'date', first: 'desc' },
    number: { kind: 'text', first: 'desc' },
    registered: { kind: 'date', first: 'desc' },
    state: { kind: 'int', first: 'asc' },
    due: { kind: 'date', first: 'asc' },
  },
  expressions: {
    id: sql`applications.id`,
    // Not yet received / registered: after the others when the newest come first.
    received: sql`coalesce(applications.received_on, '-infinity'::date)`,
    number: sql`coalesce(applications.registration_number, '')`,
    registered: sql`coalesce(applications.registered_on, '-infinity'::date)`,
    // The procedure's order, not the alphabet's.
    state: positionIn(states, sql`applications.state`),
    // No review clock running (closed, paused, draft): after every due case when the soonest come first.
    due: sql`coalesce(applications.review_due_on, 'infinity'::date)`,
  },
  default: { column: 'id', dir: 'desc' },
}

export function parseLedgerFilter(params: URLSearchParams | Record<string, unknown>): { filter: LedgerFilter; errors: FilterErrors } {
  const raw: Record<string, unknown> = params instanceof URLSearchParams ? Object.fromEntries(params) : params
  const filter: Record<string, unknown> = {}
  const errors: FilterErrors = {}
  for (const [key, schema] of Object.entries(filterFields) as Array<[keyof LedgerFilter, z.ZodType]>) {
    const value = raw[key]
    if (value === undefined || value === null || value === '') continue
    const parsed = schema.safeParse(value)
    if (parsed.success) filter[key] = parsed.data
    else errors[key] = parsed.error.issues[0].message as MessageKey
  }
  const sorting = parseSortParams(applicationSort, raw)
  Object.assign(filter, sorting.params)
  Object.assign(errors, sorting.errors)
  if (typeof filter.from === 'string' && typeof filter.to === 'string' && filter.to < filter.from) {
    errors.to = 'ledger.filter.periodReversed'
    delete filter.to
  }
  return { filter: filter as LedgerFilter, errors }
}

/** The day a case is dated by in a period filter: its decision, else its receipt, else its recording. */
const caseDate = sql<string>`coalesce(applications.registered_on, applications.refused_on, applications.received_on, applications.created_at::date)`

/** The filtered ledger as a query (the page takes a page of it, an export streams it by key). */
export function applicationsQuery(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, filter: LedgerFilter, today: string) {
  let query = visibleApplications(db, viewer)
    .leftJoin('users as r', 'r.id', 'applications.registrar_id')
    .select([
      'applications.id', 'applications.state', 'applications.relation', 'applications.received_on as receivedOn',
      'applications.review_due_on as dueOn', 'applications.registration_number as registrationNumber',
      'applications.registered_on as registeredOn', 'applications.refused_on as refusedOn', 'applications.secrecy', 'applications.de_facto_since as deFactoSince',
      'applications.decision', 'r.display_name as registrarName',
      sql<string | null>`(select string_agg(name, '、' order by position) from parties where application_id = applications.id and role = 'adopter')`.as('adopters'),
      sql<string | null>`(select name from parties where application_id = applications.id and role = 'child' limit 1)`.as('child'),
      sql<string | null>`(select name from towns where towns.id = applications.residence_town_id)`.as('town'), 'applications.resides_abroad as residesAbroad',
    ])
  if (filter.state) query = query.where('applications.state', '=', filter.state)
  if (filter.year) {
    query = query.where((eb) => eb.or([
      eb('applications.registration_year', '=', filter.year!),
      eb.and([eb('applications.registration_year', 'is', null), eb(sql`extract(year from coalesce(applications.received_on, applications.created_at::date))`, '=', filter.year!)]),
    ]))
  }
  if (filter.from) query = query.where(caseDate, '>=', filter.from)
  if (filter.to) query = query.where(caseDate, '<=', filter.to)
  if (filter.registrar) query = query.where('applications.registrar_id', '=', filter.registrar)
  if (filter.town === 'abroad') query = query.where('applications.resides_abroad', '=', true)
  else if (filter.town === 'none') query = query.where('applications.residence_town_id', 'is', null).where('applications.resides_abroad', '=', false)
  else if (filter.town) query = query.where('applications.residence_town_id', '=', filter.town)
  if (filter.due === 'late') query = query.where('applications.review_due_on', '<', today)
  if (filter.due === 'soon') query = query.where('applications.review_due_on', '>=', today).where('applications.review_due_on', '<=', addDays(today, DUE_SOON_DAYS))
  const q = filter.q
  if (q) {
    const asId = parseCitizenId(q)
    if (asId.ok || /^\d{17}[\dXx]$/.test(q)) {
      const hashes = idNumberHashes(cipher, q)
      query = query.where(({ exists, selectFrom }) => exists(selectFrom('parties').select('parties.id').whereRef('parties.application_id', '=', 'applications.id').where('parties.id_hash', 'in', hashes)))
    } else {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      // Candidates by the character-pair indexes (migration 0016), the exact rule by ilike; a union
      // of the two lookups, not an OR per application row (which would read every registration).
      const grams = sql<string[]>`search_query_grams(${q})`
      query = query.where('applications.id', 'in', (eb) => eb.selectFrom('parties').select('parties.application_id as id')
        .where(sql<string[]>`search_grams(parties.name)`, '@>', grams).where('parties.name', 'ilike', like)
        .union(eb.selectFrom('applications as numbered').select('numbered.id')
          .where(sql<string[]>`search_grams(numbered.registration_number)`, '@>', grams).where('numbered.registration_number', 'ilike', like)))
    }
  }
  return sortedBy(query, applicationSort, filter)
}

export async function listApplications(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, filter: LedgerFilter, today: string) {
  const rows = await applicationsQuery(db, cipher, viewer, filter, today).limit(LEDGER_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, LEDGER_PAGE_SIZE)
  return { rows: page, next: rows.length > LEDGER_PAGE_SIZE ? cursorOf(applicationSort, filter, page[page.length - 1]) : null }
}

/** Registrars of the viewer's registry, for the ledger's filter. */
export async function registrarsOf(db: Kysely<Database>, registryCode: string) {
  return db.selectFrom('users as u').innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .select(['u.id', 'u.display_name as name']).where('u.registry_code', '=', registryCode).where('ur.role', '=', 'registrar')
    .orderBy('u.display_name').execute()
}

/** Counts for the registrar's home: open cases due within a week, and late ones. */
export async function dueCounts(db: Kysely<Database>, viewer: Viewer, today: string) {
  const row = await visibleApplications(db, viewer)
    .select([
      sql<string>`count(*) filter (where review_due_on < ${today})`.as('late'),
      sql<string>`count(*) filter (where review_due_on >= ${today} and review_due_on <= ${addDays(today, DUE_SOON_DAYS)})`.as('soon'),
      sql<string>`count(*) filter (where state = 'pending_approval')`.as('awaitingApproval'),
    ])
    .executeTakeFirstOrThrow()
  return { late: Number(row.late), soon: Number(row.soon), awaitingApproval: Number(row.awaitingApproval) }
}

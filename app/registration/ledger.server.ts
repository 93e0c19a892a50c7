// The registrar's ledger of applications and registrations: filters, search by a person's name,
// a citizen ID number (exact, through the keyed hash: the column is never decrypted to search) or a
// registration number, paged by key (the id), newest first.
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import type { ApplicationState, Database } from '#db/schema.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { parseCitizenId } from '#app/platform/citizen-id.ts'
import { idNumberHash, visibleApplications, type Viewer } from './applications.server.ts'
import { addDays } from './deadlines.ts'
import { states } from './workflow.ts'

export const LEDGER_PAGE_SIZE = 50
export const DUE_SOON_DAYS = 7

export const ledgerFilterSchema = z.object({
  state: z.enum(states as [ApplicationState, ...ApplicationState[]]).optional().catch(undefined),
  year: z.coerce.number().int().min(1990).max(2100).optional().catch(undefined),
  registrar: z.string().regex(/^\d{1,18}$/).optional().catch(undefined),
  due: z.enum(['soon', 'late']).optional().catch(undefined),
  q: z.string().trim().max(60).optional().catch(undefined),
  after: z.string().regex(/^\d{1,18}$/).optional().catch(undefined),
})
export type LedgerFilter = z.infer<typeof ledgerFilterSchema>

export function parseLedgerFilter(params: URLSearchParams): LedgerFilter {
  const raw = Object.fromEntries([...params].filter(([, v]) => v !== ''))
  const parsed = ledgerFilterSchema.safeParse(raw)
  return parsed.success ? parsed.data : ({} as LedgerFilter)
}

export async function listApplications(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, filter: LedgerFilter, today: string) {
  let query = visibleApplications(db, viewer)
    .leftJoin('users as r', 'r.id', 'applications.registrar_id')
    .select([
      'applications.id', 'applications.state', 'applications.relation', 'applications.received_on as receivedOn',
      'applications.review_due_on as dueOn', 'applications.registration_number as registrationNumber',
      'applications.registered_on as registeredOn', 'applications.secrecy', 'applications.de_facto_since as deFactoSince',
      'applications.decision', 'r.display_name as registrarName',
      sql<string | null>`(select string_agg(name, '、' order by position) from parties where application_id = applications.id and role = 'adopter')`.as('adopters'),
      sql<string | null>`(select name from parties where application_id = applications.id and role = 'child' limit 1)`.as('child'),
    ])
  if (filter.state) query = query.where('applications.state', '=', filter.state)
  if (filter.year) {
    query = query.where((eb) => eb.or([
      eb('applications.registration_year', '=', filter.year!),
      eb.and([eb('applications.registration_year', 'is', null), eb(sql`extract(year from coalesce(applications.received_on, applications.created_at::date))`, '=', filter.year!)]),
    ]))
  }
  if (filter.registrar) query = query.where('applications.registrar_id', '=', filter.registrar)
  if (filter.due === 'late') query = query.where('applications.review_due_on', '<', today)
  if (filter.due === 'soon') query = query.where('applications.review_due_on', '>=', today).where('applications.review_due_on', '<=', addDays(today, DUE_SOON_DAYS))
  const q = filter.q
  if (q) {
    const asId = parseCitizenId(q)
    if (asId.ok || /^\d{17}[\dXx]$/.test(q)) {
      const hash = idNumberHash(cipher, q)
      query = query.where(({ exists, selectFrom }) => exists(selectFrom('parties').select('parties.id').whereRef('parties.application_id', '=', 'applications.id').where('parties.id_hash', '=', hash)))
    } else {
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      query = query.where((eb) => eb.or([
        eb('applications.registration_number', 'ilike', like),
        eb.exists(eb.selectFrom('parties').select('parties.id').whereRef('parties.application_id', '=', 'applications.id').where('parties.name', 'ilike', like)),
      ]))
    }
  }
  if (filter.after) query = query.where('applications.id', '<', filter.after)
  const rows = await query.orderBy('applications.id', 'desc').limit(LEDGER_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, LEDGER_PAGE_SIZE)
  return { rows: page, next: rows.length > LEDGER_PAGE_SIZE ? page[page.length - 1].id : null }
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

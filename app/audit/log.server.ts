// Browsing the audit log: one registry's rows, newest first, filtered, paged by key (the id).
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const optionalText = z.string().trim().max(100).optional().transform((v) => v || undefined)

export const auditFilterSchema = z.object({
  actor: optionalText,
  action: optionalText,
  entity: optionalText,
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
  before: z.string().regex(/^\d{1,18}$/).optional().catch(undefined),
})
export type AuditFilter = z.infer<typeof auditFilterSchema>

export function parseAuditFilter(params: URLSearchParams): AuditFilter {
  const raw = Object.fromEntries([...params].filter(([, v]) => v !== ''))
  const parsed = auditFilterSchema.safeParse(raw)
  return parsed.success ? parsed.data : ({} as AuditFilter)
}

export const AUDIT_PAGE_SIZE = 50

export async function listAudit(db: Kysely<Database>, registryCode: string, filter: AuditFilter) {
  let query = db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_name as actorName', 'action', 'entity_type as entityType', 'entity_id as entityId', 'summary', 'reason', 'ip'])
    .where('registry_code', '=', registryCode)
  if (filter.actor) query = query.where('actor_name', '=', filter.actor)
  if (filter.action) query = query.where('action', 'like', `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  if (filter.entity) {
    const [type, id] = filter.entity.split(':')
    query = query.where('entity_type', '=', type)
    if (id) query = query.where('entity_id', '=', id)
  }
  // Dates are civil dates in Asia/Shanghai.
  if (filter.from) query = query.where('at', '>=', sql<Date>`(${filter.from}::date)::timestamp at time zone 'Asia/Shanghai'`)
  if (filter.to) query = query.where('at', '<', sql<Date>`(${filter.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`)
  if (filter.before) query = query.where('id', '<', filter.before)
  const rows = await query.orderBy('id', 'desc').limit(AUDIT_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, AUDIT_PAGE_SIZE)
  return { rows: page, nextBefore: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1].id : null }
}

export async function auditActions(db: Kysely<Database>, registryCode: string): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().where('registry_code', '=', registryCode).orderBy('action').execute()
  return rows.map((r) => r.action)
}

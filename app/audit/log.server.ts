// Browsing the audit log: one registry's rows, newest first, filtered, paged by key (the id).
import { sql, type Kysely } from 'kysely'
import { z } from 'zod'
import type { Database } from '#db/schema.ts'

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const optionalText = z.string().trim().max(100).optional().transform((v) => v || undefined)

export const auditFilterSchema = z.object({
  actor: optionalText,
  action: optionalText,
  entityType: z.string().regex(/^[a-z_]{1,40}$/).optional().catch(undefined),
  entityId: z.string().trim().regex(/^[\w-]{1,40}$/).optional().catch(undefined),
  from: isoDate.optional().catch(undefined),
  to: isoDate.optional().catch(undefined),
  before: z.string().regex(/^\d{1,18}$/).optional().catch(undefined),
  kind: z.enum(['security']).optional().catch(undefined),
})
export type AuditFilter = z.infer<typeof auditFilterSchema>

export function parseAuditFilter(params: URLSearchParams): AuditFilter {
  const raw: Record<string, string> = Object.fromEntries([...params].filter(([, v]) => v !== ''))
  // The old form's typed `entity=user:12` still works (bookmarks, links in notes).
  if (raw.entity && !raw.entityType) {
    const [type, id] = raw.entity.split(':')
    raw.entityType = type.trim()
    if (id?.trim() && !raw.entityId) raw.entityId = id.trim()
  }
  delete raw.entity
  const parsed = auditFilterSchema.safeParse(raw)
  return parsed.success ? parsed.data : ({} as AuditFilter)
}

export const AUDIT_PAGE_SIZE = 50

/**
 * Security events: attempts on accounts that the audit administrator watches for (GB/T 22239-2019
 * 8.1.4.3 a: audit covers important security events), including sign-ins under names that exist
 * nowhere.
 */
export const SECURITY_ACTIONS = ['auth.login_failed', 'auth.login_throttled', 'auth.login_refused_locked', 'auth.locked', 'auth.totp_failed'] as const

export async function listAudit(db: Kysely<Database>, registryCode: string, filter: AuditFilter) {
  let query = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.actor_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.actor_name as actorName', 'users.display_name as actorDisplayName', 'audit_log.action',
      'audit_log.entity_type as entityType', 'audit_log.entity_id as entityId', 'audit_log.summary', 'audit_log.reason', 'audit_log.ip'])
    .where('audit_log.registry_code', '=', registryCode)
  // The login name recorded at the time, or the person's name now.
  if (filter.actor) { const actor = filter.actor; query = query.where((eb) => eb.or([eb('audit_log.actor_name', '=', actor), eb('users.display_name', '=', actor)])) }
  if (filter.action) query = query.where('audit_log.action', 'like', `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  if (filter.kind === 'security') query = query.where('audit_log.action', 'in', [...SECURITY_ACTIONS])
  if (filter.entityType) query = query.where('audit_log.entity_type', '=', filter.entityType)
  if (filter.entityId) query = query.where('audit_log.entity_id', '=', filter.entityId)
  // Dates are civil dates in Asia/Shanghai.
  if (filter.from) query = query.where('audit_log.at', '>=', sql<Date>`(${filter.from}::date)::timestamp at time zone 'Asia/Shanghai'`)
  if (filter.to) query = query.where('audit_log.at', '<', sql<Date>`(${filter.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`)
  if (filter.before) query = query.where('audit_log.id', '<', filter.before)
  const rows = await query.orderBy('audit_log.id', 'desc').limit(AUDIT_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, AUDIT_PAGE_SIZE)
  return { rows: page, nextBefore: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1].id : null }
}

export async function auditActions(db: Kysely<Database>, registryCode: string): Promise<string[]> {
  const rows = await db.selectFrom('audit_log').select('action').distinct().where('registry_code', '=', registryCode).orderBy('action').execute()
  return rows.map((r) => r.action)
}

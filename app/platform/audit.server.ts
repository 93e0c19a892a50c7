// The audit trail. audit() writes its row with the same transaction handle as the change it
// records, so the row exists exactly when the change does. The table refuses UPDATE and DELETE, the
// app's database role may not even ask, and each row is chained to the one before it by an HMAC
// (decision 029).
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { appendAudit, type NewAuditRow } from './audit-chain.server.ts'

export type Actor = { id: string; username: string; registryCode: string } | null

export type AuditEntry = {
  actor: Actor
  action: string
  registryCode?: string | null
  entityType?: string
  entityId?: string | number
  summary?: Record<string, unknown>
  reason?: string
  ip?: string | null
}

export async function audit(trx: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void> {
  await appendAudit(trx, [auditRow(entry)])
}

/** Many rows at once (an import's thousands of registrations), chained in the given order. */
export async function auditMany(trx: Kysely<Database> | Transaction<Database>, entries: AuditEntry[]): Promise<void> {
  await appendAudit(trx, entries.map(auditRow))
}

function auditRow(entry: AuditEntry): NewAuditRow {
  return {
    registry_code: entry.registryCode ?? entry.actor?.registryCode ?? null,
    actor_id: entry.actor?.id ?? null,
    actor_name: entry.actor?.username ?? null,
    action: entry.action,
    entity_type: entry.entityType ?? null,
    entity_id: entry.entityId === undefined ? null : String(entry.entityId),
    summary: JSON.stringify(entry.summary ?? {}),
    reason: entry.reason ?? null,
    ip: entry.ip ?? null,
  }
}

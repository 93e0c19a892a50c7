// The audit log as a CSV file for the audit administrator (audit.export, decision 026): the rows
// the page's filter selects, in the reader's language, newest first, up to AUDIT_EXPORT_MAX rows.
// The export is itself audited.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import { formatDateTime, translate, type Locale } from '#app/platform/i18n/index.ts'
import type { Role } from '#app/platform/permissions.ts'
import { listAudit, type AuditFilter } from './log.server.ts'
import { presentAuditRows } from './present.server.ts'

export const AUDIT_EXPORT_MAX = 20_000

const cell = (value: string) => (/[",\n\r]/.test(value) || /^[=+\-@]/.test(value) ? `"${(/^[=+\-@]/.test(value) ? `'${value}` : value).replace(/"/g, '""')}"` : value)

export async function exportAuditCsv(db: Kysely<Database>, actor: NonNullable<Actor>, roles: readonly Role[], locale: Locale, filter: AuditFilter): Promise<{ csv: string; rows: number }> {
  const lines = [['audit.col.at', 'audit.col.actor', 'audit.col.action', 'audit.col.entity', 'audit.col.summary', 'audit.col.reason', 'audit.col.ip'].map((k) => cell(translate(locale, k))).join(',')]
  let before = filter.before
  let count = 0
  while (count < AUDIT_EXPORT_MAX) {
    const page = await listAudit(db, actor.registryCode, { ...filter, before })
    for (const r of presentAuditRows(locale, roles, page.rows)) {
      const label = translate(locale, `audit.action.${r.action}`)
      lines.push([
        formatDateTime(locale, r.at), r.actor.hint ? `${r.actor.name} (${r.actor.hint})` : r.actor.name, label.startsWith('audit.action.') ? r.action : label,
        r.entity?.label ?? '', r.summary.map((e) => `${e.label}: ${e.value}`).join('; '), r.reason ?? '', r.ip ?? '',
      ].map((v) => cell(String(v))).join(','))
      count++
    }
    if (!page.nextBefore) break
    before = page.nextBefore
  }
  await audit(db, { actor, action: 'audit.exported', summary: { rows: count } })
  return { csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: count }
}

// The audit log in the clerk's language. A row stores what the code wrote (entity type and id, a
// JSON summary with the code's own key names and values); this module turns it into labels and
// formatted values in the reader's language, and a link to the record when the reader may open it.
// It never changes what is stored: the log is append-only, and an unknown key or value is shown as
// written rather than hidden.
import { catalogs, formatDate, formatDateTime, translate, type Locale } from '#app/platform/i18n/index.ts'
import { can, type Role } from '#app/platform/permissions.ts'
import { mayViewTransfers } from '#app/archive/transfers.server.ts'

/** Every entity type the code writes (audit-summary.test.ts checks this list against the code). */
export const ENTITY_TYPES = [
  'application', 'assessment', 'archive_file', 'archive_transfer', 'archive_integrity_run', 'followup_task', 'intercountry_adoption',
  'followup_policy', 'rootseeking_request', 'user', 'agency', 'instrument', 'import_batch', 'import_mapping', 'ledger_export',
  'statistics', 'registry', 'setting', 'town', 'calendar_day', 'calendar_year', 'archive_access_request', 'register',
] as const

type LinkRule = { path: (id: string) => string; may: (roles: readonly Role[]) => boolean; needsId?: boolean }
const ID = /^\d{1,18}$/

// Where a record can be opened, and who may open it (the same permission the page itself asks).
// Settings kept on one page (towns, calendar, policies, instruments) link to that page.
const LINKS: Partial<Record<string, LinkRule>> = {
  application: { path: (id) => `/applications/${id}`, may: (r) => can(r, 'case.read'), needsId: true },
  assessment: { path: (id) => `/assessments/${id}`, may: (r) => can(r, 'assessment.read'), needsId: true },
  archive_file: { path: (id) => `/archive/${id}`, may: (r) => can(r, 'archive.manage'), needsId: true },
  archive_transfer: { path: (id) => `/archive/transfers/${id}`, may: (r) => mayViewTransfers(r), needsId: true },
  followup_task: { path: (id) => `/followup/tasks/${id}`, may: (r) => can(r, 'followup.read'), needsId: true },
  intercountry_adoption: { path: (id) => `/followup/intercountry/${id}`, may: (r) => can(r, 'followup.read'), needsId: true },
  rootseeking_request: { path: (id) => `/rootseeking/${id}`, may: (r) => can(r, 'rootseeking.read'), needsId: true },
  archive_access_request: { path: (id) => `/archive/requests/${id}`, may: (r) => can(r, 'archive.read'), needsId: true },
  import_batch: { path: (id) => `/admin/import/${id}`, may: (r) => can(r, 'import.run'), needsId: true },
  user: { path: (id) => `/admin/users/${id}`, may: (r) => can(r, 'users.manage'), needsId: true },
  agency: { path: (id) => `/admin/agencies/${id}`, may: (r) => can(r, 'settings.manage'), needsId: true },
  instrument: { path: () => '/admin/instruments', may: (r) => can(r, 'settings.manage') },
  import_mapping: { path: () => '/admin/import/mappings', may: (r) => can(r, 'import.mappings') },
  followup_policy: { path: () => '/admin/followup-policy', may: (r) => can(r, 'settings.manage') },
  registry: { path: () => '/admin/registry', may: (r) => can(r, 'settings.manage') },
  setting: { path: () => '/admin/security', may: (r) => can(r, 'security.manage') },
  town: { path: () => '/admin/towns', may: (r) => can(r, 'settings.manage') },
  calendar_day: { path: () => '/admin/calendar', may: (r) => can(r, 'settings.manage') },
  calendar_year: { path: () => '/admin/calendar', may: (r) => can(r, 'settings.manage') },
}

export type PresentedEntity = { label: string; href: string | null } | null

export function presentEntity(locale: Locale, roles: readonly Role[], type: string | null, id: string | null): PresentedEntity {
  if (!type) return null
  const typeLabel = label(locale, `audit.entity.${type}`, type)
  const text = id ? translate(locale, 'audit.entity.number', { type: typeLabel, id }) : typeLabel
  const rule = LINKS[type]
  const usable = rule && rule.may(roles) && (!rule.needsId || (id !== null && ID.test(id)))
  return { label: text, href: usable ? rule.path(id ?? '') : null }
}

/** The person's name now (from users), with the login name recorded at the time as a hint. */
export function presentActor(locale: Locale, recordedName: string | null, displayName: string | null) {
  if (!recordedName && !displayName) return { name: translate(locale, 'audit.actor.system'), hint: null }
  const name = displayName ?? recordedName ?? ''
  return { name, hint: recordedName && recordedName !== name ? translate(locale, 'audit.actor.recordedAs', { name: recordedName }) : null }
}

export type SummaryEntry = { key: string; label: string; value: string }

// Codes shown through the catalogues that already name them. The action's own area is tried first
// (`rootseeking.state.closed` for a root-seeking action), then these, then the code as written.
const CODE_PREFIXES: Record<string, readonly string[]> = {
  roles: ['role.'], added: ['role.'], removed: ['role.'],
  state: ['state.', 'transfer.state.', 'import.state.'], from: ['state.'], to: ['state.'],
  kind: ['calendar.kind.', 'assessment.kind.', 'towns.kind.', 'import.kind.', 'access.kind.', 'rootseeking.doc.'],
  type: ['archive.type.'], secrecy: ['secrecyBy.'], relation: ['relation.'], conclusion: ['step.report.conclusion.'],
  category: ['archive.category.'], retention: ['archive.retention.'], concern: ['followup.concern.'],
  channel: ['rootseeking.channel.'], mode: ['assessment.mode.'], why: ['audit.why.'], fields: ['import.field.'],
  ledger: ['export.ledger.'], code: ['checklist.doc.'],
}
const ACTION_CODE_PREFIXES: Record<string, string> = {
  'rootseeking.document_added:kind': 'rootseeking.doc.',
  'archive.access_requested:kind': 'access.kind.',
  'application.imported:kind': 'import.kind.',
}
/** Actions whose summary maps each changed field to [before, after]. */
const CHANGE_ACTIONS = new Set(['registry.settings_changed', 'assessment.agency_updated'])
/** Shown first: the values that tell most about what happened. */
const FIRST = ['why', 'from', 'to', 'state', 'conclusion', 'kind', 'type', 'roles', 'added', 'removed', 'fields', 'relation', 'secrecy', 'username', 'name']
const MAX_ITEMS = 5

export function presentSummary(locale: Locale, action: string, summary: unknown): SummaryEntry[] {
  if (!summary || typeof summary !== 'object' || Array.isArray(summary)) return []
  const area = action.split('.')[0]
  const f = new Formatter(locale, action, area)
  const entries = Object.entries(summary as Record<string, unknown>)
  const rank = ([k, v]: [string, unknown]) => {
    const i = FIRST.indexOf(k)
    return i >= 0 ? i : v !== null && typeof v === 'object' ? 1000 : 100
  }
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i)
    .map(({ e: [key, value] }) => ({
      key,
      label: label(locale, `audit.key.${area}.${key}`, label(locale, `audit.key.${key}`, key)),
      value: CHANGE_ACTIONS.has(action) && Array.isArray(value) && value.length === 2
        ? translate(locale, 'audit.value.change', { from: f.value(key, value[0]), to: f.value(key, value[1]) })
        : f.value(key, value),
    }))
}

class Formatter {
  constructor(private locale: Locale, private action: string, private area: string) {}

  value(key: string, v: unknown, depth = 0): string {
    const { locale } = this
    if (v === null || v === undefined) return '—'
    if (typeof v === 'boolean') return translate(locale, v ? 'common.yes' : 'common.no')
    if (typeof v === 'number') return key === 'size' ? bytes(v) : String(v)
    if (typeof v === 'string') return this.text(key, v)
    if (Array.isArray(v)) {
      if (v.length === 0) return translate(locale, 'audit.value.empty')
      if (key === 'contract' && v.length === 2) return translate(locale, 'audit.value.range', { from: this.value(key, v[0]), to: this.value(key, v[1]) })
      const shown = v.slice(0, MAX_ITEMS).map((item) => this.value(key, item, depth + 1)).join(locale === 'zh' ? '、' : ', ')
      return v.length > MAX_ITEMS ? `${shown} ${translate(locale, 'audit.value.more', { count: v.length })}` : shown
    }
    if (typeof v === 'object' && depth < 2) {
      const parts = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== null && x !== undefined && x !== '')
        .map(([k, x]) => `${label(locale, `audit.key.${k}`, k)}${locale === 'zh' ? '：' : ': '}${this.value(k, x, depth + 1)}`)
      return parts.length ? parts.join(locale === 'zh' ? '；' : '; ') : translate(locale, 'audit.value.empty')
    }
    return JSON.stringify(v)
  }

  private text(key: string, v: string): string {
    const { locale } = this
    if (v === '') return translate(locale, 'audit.value.empty')
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(locale, v)
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v))) return formatDateTime(locale, v)
    if (key === 'format') return v.toUpperCase()
    if (/^[a-z][a-zA-Z_]*$/.test(v)) {
      const candidates = [ACTION_CODE_PREFIXES[`${this.action}:${key}`], `${this.area}.${key}.`, ...(CODE_PREFIXES[key] ?? [])].filter(Boolean)
      for (const prefix of candidates) {
        const found = catalogs[locale][`${prefix}${v}`]
        if (found) return found
      }
    }
    return v
  }
}

function label(locale: Locale, key: string, fallback: string): string {
  return catalogs[locale][key] ?? catalogs.zh[key] ?? fallback
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

type Row = { id: string; at: Date; actorName: string | null; actorDisplayName: string | null; action: string; entityType: string | null; entityId: string | null; summary: unknown; reason: string | null; ip: string | null }

/** The rows of a page of the log, ready to show to this reader. */
export function presentAuditRows(locale: Locale, roles: readonly Role[], rows: Row[]) {
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    action: r.action,
    actor: presentActor(locale, r.actorName, r.actorDisplayName),
    entity: presentEntity(locale, roles, r.entityType, r.entityId),
    summary: presentSummary(locale, r.action, r.summary),
    reason: r.reason,
    ip: r.ip,
  }))
}

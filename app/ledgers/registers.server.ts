// The registers a clerk can list and export (台账). Each register says who may read it, how its
// filter is parsed, how to read its rows in key order (newest first, `after` = the last id seen),
// and its columns for a spreadsheet. The pages keep their own layout; exports share this. A filter
// may carry the page's sort (`sort`, `dir`: sorting.ts); the rows then come in that order and each
// row's cursor is its sort value and id (cursorOf), so an export follows the order it was asked in.
import type { Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import type { Permission } from '#app/platform/permissions.ts'
import { translate, type Locale, type MessageKey } from '#app/platform/i18n/index.ts'
import { maskCitizenId } from '#app/platform/citizen-id.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { applicationSort, applicationsQuery, parseLedgerFilter, type FilterErrors } from '#app/registration/ledger.server.ts'
import { parseTaskFilter, taskSort, tasksQuery } from '#app/followup/assign.server.ts'
import { fileSort, filesQuery, parseFileFilter } from '#app/archive/files.server.ts'
import { cursorOf } from './sorting.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { assessmentsRegister } from './registers/assessments.server.ts'
import { accessRequestsRegister } from './registers/access-requests.server.ts'
import { visitReportsRegister } from './registers/visit-reports.server.ts'
import { placementReportsRegister } from './registers/placement-reports.server.ts'
import { rootseekingRegister } from './registers/rootseeking.server.ts'
import { decisionsRegister } from './registers/decisions.server.ts'

export type CellValue = string | number | Date | null
export type Column = { header: string; type: 'text' | 'date' | 'number'; width: number }
/** A row and the key of the next batch after it (an id, or e.g. "due_on|id" for a date order). */
export type Row = { cursor: string; cells: CellValue[] }

export type Register = {
  key: string
  title: MessageKey
  permission: Permission
  parseFilter(raw: Record<string, unknown>): { filter: Record<string, unknown>; errors: Record<string, MessageKey | undefined> }
  count(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, filter: Record<string, unknown>, today: string): Promise<number>
  /** Up to `limit` rows after the cursor `after` (exclusive), in the register's order. */
  rows(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, filter: Record<string, unknown>, today: string, after: string | null, limit: number, locale: Locale): Promise<Row[]>
  columns(locale: Locale): Column[]
}

/** A date column's value: midnight UTC of the day, so the spreadsheet shows the day itself. */
const day = (iso: string | null) => (iso ? new Date(`${iso}T00:00:00Z`) : null)

const applications: Register = {
  key: 'applications',
  title: 'export.ledger.applications',
  permission: 'case.read',
  parseFilter: (raw) => {
    const { after: _ignored, ...rest } = raw // an export covers the whole filtered list, not one page
    const { filter, errors } = parseLedgerFilter(rest)
    return { filter, errors: errors as FilterErrors }
  },
  async count(db, cipher, viewer, filter, today) {
    const query = applicationsQuery(db, cipher, viewer, filter, today).clearSelect().clearOrderBy().select((eb) => eb.fn.countAll<string>().as('n'))
    return Number((await query.executeTakeFirstOrThrow()).n)
  },
  async rows(db, cipher, viewer, filter, today, after, limit, locale) {
    const rows = await applicationsQuery(db, cipher, viewer, { ...filter, after: after ?? undefined }, today).limit(limit).execute()
    if (!rows.length) return []
    // The first adopter's ID number, decrypted only to be masked (never exported in full).
    const ids = await db.selectFrom('parties').select(['id', 'application_id', 'id_number_enc'])
      .where('application_id', 'in', rows.map((r) => r.id)).where('role', '=', 'adopter').where('position', '=', 1).execute()
    const idOf = new Map(ids.map((p) => [p.application_id, p.id_number_enc ? maskCitizenId(cipher.decrypt(p.id_number_enc, { table: 'parties', column: 'id_number_enc', row: p.id })) : null]))
    const t = (key: string) => translate(locale, key)
    return rows.map((r) => ({
      cursor: cursorOf(applicationSort, filter, r),
      cells: [
        Number(r.id), t(`state.${r.state}`), t(`relation.${r.relation}`), r.adopters, idOf.get(r.id) ?? null, r.child,
        day(r.receivedOn), r.registrationNumber, day(r.registeredOn), day(r.refusedOn), r.registrarName, t(r.secrecy ? 'export.yes' : 'export.no'),
        r.town ?? (r.residesAbroad ? t('towns.residence.abroadShown') : null),
      ],
    }))
  },
  columns: (locale) => {
    const t = (key: MessageKey) => translate(locale, key)
    return [
      { header: t('ledger.col.id'), type: 'number', width: 8 },
      { header: t('ledger.col.state'), type: 'text', width: 12 },
      { header: t('ledger.col.kind'), type: 'text', width: 14 },
      { header: t('ledger.col.adopters'), type: 'text', width: 18 },
      { header: t('export.col.idNumber'), type: 'text', width: 22 },
      { header: t('ledger.col.child'), type: 'text', width: 12 },
      { header: t('ledger.col.received'), type: 'date', width: 12 },
      { header: t('ledger.col.number'), type: 'text', width: 26 },
      { header: t('export.col.registeredOn'), type: 'date', width: 12 },
      { header: t('export.col.refusedOn'), type: 'date', width: 12 },
      { header: t('ledger.col.registrar'), type: 'text', width: 12 },
      { header: t('export.col.secrecy'), type: 'text', width: 8 },
      { header: t('towns.residence'), type: 'text', width: 16 },
    ]
  },
}

const followupTasks: Register = {
  key: 'followup_tasks',
  title: 'export.ledger.followup_tasks',
  permission: 'followup.supervise',
  parseFilter: (raw) => {
    const { after: _ignored, ...rest } = raw
    return parseTaskFilter(rest)
  },
  async count(db, _cipher, viewer, filter, today) {
    const query = tasksQuery(db, viewer, filter, today).clearSelect().clearOrderBy().select((eb) => eb.fn.countAll<string>().as('n'))
    return Number((await query.executeTakeFirstOrThrow()).n)
  },
  async rows(db, _cipher, viewer, filter, today, after, limit, locale) {
    const rows = await tasksQuery(db, viewer, { ...filter, after: after ?? undefined }, today).limit(limit).execute()
    const t = (key: string) => translate(locale, key)
    return rows.map((r) => ({
      cursor: cursorOf(taskSort, filter, r),
      cells: [
        Number(r.id), r.registrationNumber, t(`followup.kind.${r.kind}`), r.sequence, day(r.dueOn), day(r.windowFrom), day(r.windowTo),
        t(r.status === 'open' && r.windowTo < today ? 'followup.status.overdue' : `followup.status.${r.status}`), r.caseworkerName ?? t('followup.unassigned'),
        r.town,
      ],
    }))
  },
  columns: (locale) => {
    const t = (key: MessageKey) => translate(locale, key)
    return [
      { header: t('export.col.task'), type: 'number', width: 8 },
      { header: t('ledger.col.number'), type: 'text', width: 28 },
      { header: t('followup.filter.kind'), type: 'text', width: 14 },
      { header: t('export.col.sequence'), type: 'number', width: 8 },
      { header: t('export.col.dueOn'), type: 'date', width: 12 },
      { header: t('export.col.windowFrom'), type: 'date', width: 12 },
      { header: t('export.col.windowTo'), type: 'date', width: 12 },
      { header: t('followup.filter.status'), type: 'text', width: 10 },
      { header: t('followup.caseworker'), type: 'text', width: 12 },
      { header: t('towns.residence'), type: 'text', width: 16 },
    ]
  },
}

const archiveFiles: Register = {
  key: 'archive_files',
  title: 'export.ledger.archive_files',
  permission: 'archive.manage',
  parseFilter: (raw) => {
    const { after: _ignored, ...rest } = raw
    return parseFileFilter(rest)
  },
  async count(db, _cipher, viewer, filter, today) {
    const query = filesQuery(db, viewer, filter, today).clearSelect().clearOrderBy().select((eb) => eb.fn.countAll<string>().as('n'))
    return Number((await query.executeTakeFirstOrThrow()).n)
  },
  async rows(db, _cipher, viewer, filter, today, after, limit, locale) {
    const rows = await filesQuery(db, viewer, { ...filter, after: after ?? undefined }, today).limit(limit).execute()
    const t = (key: string) => translate(locale, key)
    return rows.map((r) => ({
      cursor: cursorOf(fileSort, filter, r),
      cells: [
        r.archiveNumber, r.title, t(`archive.type.${r.type}`), r.year, t(`archive.state.${r.state}`), Number(r.documents),
        r.retention === 'permanent' ? t('archive.retention.permanent') : r.retention, r.location, r.state === 'open' ? day(r.dueOn) : null,
        r.filedAt ? day(todayInShanghai(new Date(r.filedAt))) : null, t(r.confidential ? 'export.yes' : 'export.no'),
      ],
    }))
  },
  columns: (locale) => {
    const t = (key: MessageKey) => translate(locale, key)
    return [
      { header: t('archive.col.number'), type: 'text', width: 26 },
      { header: t('archive.col.title'), type: 'text', width: 40 },
      { header: t('archive.col.type'), type: 'text', width: 16 },
      { header: t('ledger.filter.year'), type: 'number', width: 8 },
      { header: t('archive.col.state'), type: 'text', width: 10 },
      { header: t('archive.col.documents'), type: 'number', width: 8 },
      { header: t('archive.file.retention'), type: 'text', width: 10 },
      { header: t('archive.col.location'), type: 'text', width: 16 },
      { header: t('archive.col.due'), type: 'date', width: 12 },
      { header: t('export.col.filedAt'), type: 'date', width: 12 },
      { header: t('ledger.secrecy'), type: 'text', width: 8 },
    ]
  },
}

export const registers: Record<string, Register> = {
  applications, followup_tasks: followupTasks, archive_files: archiveFiles,
  assessments: assessmentsRegister, access_requests: accessRequestsRegister, visit_reports: visitReportsRegister,
  placement_reports: placementReportsRegister, rootseeking: rootseekingRegister, decisions: decisionsRegister,
}

export function registerOf(key: string): Register | null {
  return Object.hasOwn(registers, key) ? registers[key] : null
}

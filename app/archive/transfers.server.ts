// Transfer (移交) of archive files to the county archives bureau (domain.md "Archives"; issue 5,
// "Transfer"): files filed at least `archive_transfer_years` years ago (10 for a county) are proposed
// in a numbered batch; a supervisor may hold a confidential file back with a recorded reason while
// the batch is still proposed; the archivist confirms it, which marks every other file transferred
// (still listed and searchable, but closed to new documents) and is final. The transfer list
// (移交清单) is printed from the batch.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import { ConflictError, ForbiddenError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { can, type Role } from '#app/platform/permissions.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { loadDocuments, missingGlyphsOf } from '#app/platform/documents.server.ts'
import type { TransferListData } from '#documents/transfer-list.ts'
import { refuseOutsideRegistry } from '#app/platform/record-access.server.ts'

type Db = Kysely<Database> | Transaction<Database>

const ID = /^\d{1,18}$/

/** Who may open the transfer pages: the archivists, and the supervisors who approve holds. */
export function mayViewTransfers(roles: readonly Role[]): boolean {
  return can(roles, 'archive.manage') || roles.includes('supervisor')
}

function needManage(viewer: Viewer) {
  if (!can(viewer.roles, 'archive.manage')) throw new ForbiddenError()
}

/** 移〔2026〕1号: the batch's number, counted per registry and year. */
export function transferNumber(year: number, n: number): string {
  return `移〔${year}〕${n}号`
}

async function settingsOf(db: Db, registryCode: string) {
  return db.selectFrom('registries').select(['name', 'archive_transfer_years', 'archives_bureau']).where('code', '=', registryCode).executeTakeFirstOrThrow()
}

/** The bureau named in the registry's settings, or the catalogue's generic 县档案馆 when none is set. */
function bureauOf(archivesBureau: string): string {
  return archivesBureau.trim() || translate('zh', 'transfer.defaultBureau')
}

/**
 * Filed files of the registry old enough to go, and not already going: a file in a held-back item
 * stays a candidate, so that it can go with a later batch once the reason for holding it lapses.
 */
function candidateQuery(db: Db, registryCode: string, lastYear: number) {
  return db.selectFrom('archive_files as f')
    .where('f.registry_code', '=', registryCode)
    .where('f.state', '=', 'filed')
    .where('f.year', '<=', lastYear)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('archive_transfer_items as i').select('i.file_id').whereRef('i.file_id', '=', 'f.id').where('i.held_back', '=', false))))
}

export async function transferCandidates(db: Db, viewer: Viewer, today: string) {
  const registry = await settingsOf(db, viewer.registryCode)
  const lastYear = Number(today.slice(0, 4)) - registry.archive_transfer_years
  const files = await candidateQuery(db, viewer.registryCode, lastYear)
    .select(['f.id', 'f.archive_number as archiveNumber', 'f.title', 'f.type', 'f.year', 'f.retention', 'f.confidential', 'f.location',
      sql<number>`(select count(*)::int from archive_documents d where d.file_id = f.id)`.as('documents'),
      sql<number>`(select coalesce(sum(d.pages), 0)::int from archive_documents d where d.file_id = f.id)`.as('pages')])
    .orderBy('f.year').orderBy('f.archive_number').limit(500).execute()
  return { files, years: registry.archive_transfer_years, lastYear }
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string }
  return e.code === '23505' && e.constraint === constraint
}

/** Proposes a batch of candidate files; returns its id. */
export async function proposeTransfer(db: Kysely<Database>, viewer: Viewer, fileIds: readonly string[], today: string): Promise<string> {
  needManage(viewer)
  const ids = [...new Set(fileIds)]
  if (ids.length === 0) throw new ProcedureError('transfer.chooseFiles')
  if (!ids.every((id) => ID.test(id))) throw new ProcedureError('transfer.notEligible')
  const year = Number(today.slice(0, 4))
  // Two archivists proposing at once both count the same number; the unique constraint refuses
  // the second, which then runs again and takes the next one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const registry = await settingsOf(trx, viewer.registryCode)
        // Locking the files first makes a concurrent proposal of the same file wait, and then see
        // this batch's items when it checks eligibility below.
        await trx.selectFrom('archive_files').select('id').where('id', 'in', ids).where('registry_code', '=', viewer.registryCode).orderBy('id').forUpdate().execute()
        const eligible = await candidateQuery(trx, viewer.registryCode, year - registry.archive_transfer_years).select('f.id').where('f.id', 'in', ids).execute()
        if (eligible.length !== ids.length) throw new ProcedureError('transfer.notEligible')
        const { n } = await trx.selectFrom('archive_transfers').select((eb) => eb.fn.countAll<string>().as('n'))
          .where('registry_code', '=', viewer.registryCode).where('number', 'like', `移〔${year}〕%`).executeTakeFirstOrThrow()
        const number = transferNumber(year, Number(n) + 1)
        const { id } = await trx.insertInto('archive_transfers').values({ registry_code: viewer.registryCode, number, proposed_by: viewer.id }).returning('id').executeTakeFirstOrThrow()
        await trx.insertInto('archive_transfer_items').values(ids.map((fileId) => ({ transfer_id: id, file_id: fileId }))).execute()
        await audit(trx, { actor: viewer, action: 'archive.transfer_proposed', entityType: 'archive_transfer', entityId: id, summary: { number, files: ids } })
        return id
      })
    } catch (error) {
      if (isUniqueViolation(error, 'archive_transfers_number_unique') && attempt < 5) continue
      // The file went into another batch between the lock and the insert (cannot happen with the
      // lock above, but the index is the last word).
      if (isUniqueViolation(error, 'archive_transfer_items_once')) throw new ProcedureError('transfer.notEligible')
      throw error
    }
  }
}

async function lockTransfer(trx: Transaction<Database>, viewer: Viewer, transferId: string) {
  if (!ID.test(transferId)) throw new NotFoundError('archive transfer')
  const transfer = await trx.selectFrom('archive_transfers').selectAll().where('id', '=', transferId).where('registry_code', '=', viewer.registryCode).forUpdate().executeTakeFirst()
  if (!transfer) throw new NotFoundError('archive transfer')
  return transfer
}

/**
 * The batch's version for the confirm form: holds are the only change a proposed batch takes and
 * they cannot be undone, so their count tells whether the batch changed since the page was loaded.
 */
async function versionOf(db: Db, transferId: string): Promise<number> {
  const { n } = await db.selectFrom('archive_transfer_items').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('transfer_id', '=', transferId).where('held_back', '=', true).executeTakeFirstOrThrow()
  return Number(n) + 1
}

/** A supervisor's approval to keep a confidential file back from a proposed batch. */
export async function holdBack(db: Kysely<Database>, viewer: Viewer, transferId: string, fileId: string, reason: string): Promise<void> {
  if (!viewer.roles.includes('supervisor')) throw new ProcedureError('transfer.hold.supervisorOnly')
  const why = reason.trim()
  if (!why) throw new ProcedureError('transfer.hold.reasonRequired')
  await db.transaction().execute(async (trx) => {
    const transfer = await lockTransfer(trx, viewer, transferId)
    if (transfer.state !== 'proposed') throw new ProcedureError('transfer.final')
    if (!ID.test(fileId)) throw new NotFoundError('archive transfer item')
    const item = await trx.selectFrom('archive_transfer_items as i').innerJoin('archive_files as f', 'f.id', 'i.file_id')
      .select(['i.held_back', 'f.confidential', 'f.archive_number']).where('i.transfer_id', '=', transferId).where('i.file_id', '=', fileId).executeTakeFirst()
    if (!item) throw new NotFoundError('archive transfer item')
    if (!item.confidential) throw new ProcedureError('transfer.hold.notConfidential')
    if (item.held_back) throw new ProcedureError('transfer.hold.already')
    await trx.updateTable('archive_transfer_items').set({ held_back: true, hold_reason: why, hold_approved_by: viewer.id })
      .where('transfer_id', '=', transferId).where('file_id', '=', fileId).execute()
    await audit(trx, { actor: viewer, action: 'archive.transfer_held_back', entityType: 'archive_transfer', entityId: transferId, summary: { number: transfer.number, file: fileId, archiveNumber: item.archive_number }, reason: why })
  })
}

/** The archivist's confirmation: every file not held back is transferred. Final. */
export async function confirmTransfer(db: Kysely<Database>, viewer: Viewer, transferId: string, version: number | undefined, today: string): Promise<void> {
  needManage(viewer)
  await db.transaction().execute(async (trx) => {
    const transfer = await lockTransfer(trx, viewer, transferId)
    if (transfer.state !== 'proposed') throw new ProcedureError('transfer.final')
    if (version !== undefined && version !== await versionOf(trx, transferId)) throw new ConflictError()
    const going = (await trx.selectFrom('archive_transfer_items').select('file_id').where('transfer_id', '=', transferId).where('held_back', '=', false).execute()).map((i) => i.file_id)
    if (going.length === 0) throw new ProcedureError('transfer.empty')
    const moved = await trx.updateTable('archive_files').set({ state: 'transferred', version: sql`version + 1` } as never)
      .where('id', 'in', going).where('registry_code', '=', viewer.registryCode).where('state', '=', 'filed').executeTakeFirst()
    // Files only move forward (open → filed → transferred) and sit in one live batch at a time, so
    // this holds; were it not to, nothing is half-transferred.
    if (Number(moved.numUpdatedRows) !== going.length) throw new ProcedureError('transfer.notEligible')
    await trx.updateTable('archive_transfers').set({ state: 'confirmed', confirmed_by: viewer.id, confirmed_on: today }).where('id', '=', transferId).execute()
    await audit(trx, { actor: viewer, action: 'archive.transfer_confirmed', entityType: 'archive_transfer', entityId: transferId, summary: { number: transfer.number, files: going, confirmedOn: today } })
  })
}

export async function listTransfers(db: Db, viewer: Viewer) {
  return db.selectFrom('archive_transfers as t').leftJoin('users as u', 'u.id', 't.proposed_by')
    .select(['t.id', 't.number', 't.state', 't.proposed_at as proposedAt', 't.confirmed_on as confirmedOn', 'u.display_name as proposedBy',
      sql<number>`(select count(*)::int from archive_transfer_items i where i.transfer_id = t.id and not i.held_back)`.as('files'),
      sql<number>`(select count(*)::int from archive_transfer_items i where i.transfer_id = t.id and i.held_back)`.as('heldBack')])
    .where('t.registry_code', '=', viewer.registryCode)
    .orderBy('t.id', 'desc').limit(200).execute()
}

/** One batch with its files, for the batch page and the transfer list. */
export async function loadTransfer(db: Db, viewer: Viewer, transferId: string) {
  if (!ID.test(transferId)) throw new NotFoundError('archive transfer')
  const transfer = await db.selectFrom('archive_transfers as t').leftJoin('users as p', 'p.id', 't.proposed_by').leftJoin('users as c', 'c.id', 't.confirmed_by')
    .selectAll('t').select(['p.display_name as proposedByName', 'c.display_name as confirmedByName'])
    .where('t.id', '=', transferId).where('t.registry_code', '=', viewer.registryCode).executeTakeFirst()
  // Open to who may view the registry's transfers; another registry's is refused (decision 028).
  if (!transfer) return refuseOutsideRegistry(db, viewer, 'archive_transfer', 'archive_transfers', transferId)
  const items = await db.selectFrom('archive_transfer_items as i').innerJoin('archive_files as f', 'f.id', 'i.file_id').leftJoin('users as a', 'a.id', 'i.hold_approved_by')
    .select(['f.id', 'f.archive_number as archiveNumber', 'f.title', 'f.type', 'f.year', 'f.retention', 'f.confidential', 'f.state',
      'i.held_back as heldBack', 'i.hold_reason as holdReason', 'a.display_name as holdApprovedBy',
      sql<number>`(select count(*)::int from archive_documents d where d.file_id = f.id)`.as('documents'),
      sql<number>`(select coalesce(sum(d.pages), 0)::int from archive_documents d where d.file_id = f.id)`.as('pages')])
    .where('i.transfer_id', '=', transferId)
    .orderBy('f.year').orderBy('f.archive_number').execute()
  const registry = await settingsOf(db, viewer.registryCode)
  return { transfer, items, version: await versionOf(db, transferId), fromUnit: registry.name, toUnit: bureauOf(registry.archives_bureau) }
}

/**
 * The transfer list (移交清单) of a batch: the files going (held-back ones are named in the
 * remarks, not listed), dated the confirmation day, or the day printed while still proposed.
 * Printing is audited.
 */
export async function transferListPdf(db: Kysely<Database>, viewer: Viewer, transferId: string, options: { today?: string; ip?: string | null } = {}): Promise<{ bytes: Uint8Array; number: string }> {
  const { transfer, items, fromUnit, toUnit } = await loadTransfer(db, viewer, transferId)
  const going = items.filter((i) => !i.heldBack)
  if (going.length === 0) throw new ProcedureError('transfer.empty')
  const held = items.filter((i) => i.heldBack)
  const data: TransferListData = {
    fromUnit,
    toUnit,
    batchNumber: transfer.number,
    date: transfer.confirmed_on ?? options.today ?? todayInShanghai(),
    files: going.map((f) => ({
      archiveNumber: f.archiveNumber,
      title: f.title,
      year: f.year,
      retention: f.retention === 'permanent' ? translate('zh', 'archive.retention.permanent') : f.retention,
      documents: Number(f.documents),
      pages: Number(f.pages),
      note: f.confidential ? translate('zh', 'transfer.note.confidential') : undefined,
    })),
    remarks: held.length ? translate('zh', 'transfer.remarks.heldBack', { numbers: held.map((h) => h.archiveNumber).join('、') }) : undefined,
    handedOverBy: transfer.confirmedByName ?? undefined,
  }
  let bytes: Uint8Array
  try {
    bytes = await (await loadDocuments()).renderTransferList(data)
  } catch (error) {
    const missing = await missingGlyphsOf(error)
    if (missing) throw new ProcedureError('registration.missingGlyph', { chars: missing.join(' ') })
    throw error
  }
  await audit(db, { actor: viewer, action: 'archive.transfer_list_printed', entityType: 'archive_transfer', entityId: transfer.id, summary: { number: transfer.number, state: transfer.state }, ip: options.ip ?? null })
  return { bytes, number: transfer.number }
}

// Archive files (立卷、归档、保管): one file per concluded case, opened by a job the deciding
// transaction enqueued, numbered from a yearly counter per registration type, holding the
// documents the system generated (certificate copy, refusal notice, dissolution certificate,
// assessment report) and the scans the archivist adds; filed (closed) once the required documents
// are in; never losing a document, and checking every stored byte against its hash.
import { createHash, type Hash } from 'node:crypto'
import pg from 'pg'
import { binary, copyBinaryRows, type WithPgClient } from '#db/copy-binary.ts'
import { sql, type Kysely, type Transaction } from 'kysely'
import { loadPdfLib } from '#app/platform/documents.server.ts'
import type { ArchiveType, Database } from '#db/schema.ts'
import { inTransaction } from '#db/connection.ts'
import { audit, type Actor } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ConflictError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { enqueueEmail } from '#app/platform/mail.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { chunkPlace, postgresBlobStore, sniffAttachmentType } from '#app/platform/storage.server.ts'
import type { StagedUpload } from '#app/platform/uploads.server.ts'
import { loadApplication, type Viewer } from '#app/registration/applications.server.ts'
import { certificatePdf, dissolutionCertificatePdf, refusalNoticePdf } from '#app/registration/documents.server.ts'
import { addDays } from '#app/registration/deadlines.ts'
import { categoryOrder, contents, READ_REASON_MAX, formatArchiveNumber, missingCategories, pageRanges } from './contents.ts'
import { loadAssessment } from '#app/assessment/assessments.server.ts'
import { assessmentReportPdf } from '#app/assessment/report.server.ts'
import { mailRecipients } from '#app/staff/users.server.ts'
import { parseSortParams, type SortParams } from '#app/ledgers/sorting.ts'
import { cursorOf, sortedBy, type SortSpec, positionIn } from '#app/ledgers/sorting.server.ts'
import { refuseOutsideRegistry } from '#app/platform/record-access.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export const ARCHIVE_TYPES: readonly ArchiveType[] = ['establishment', 'refusal', 'dissolution', 'revocation']
const ACCEPTED = new Set(['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'])

/** The system acting for the archive: registration's visibility, no person. */
function systemViewer(registryCode: string, actorId: string): Viewer {
  return { id: actorId, username: 'system', registryCode, roles: ['supervisor'] }
}

async function pdfPages(bytes: Uint8Array): Promise<number> {
  const { PDFDocument } = await loadPdfLib()
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false })
    return doc.getPageCount()
  } catch {
    // A truncated or damaged upload: refused rather than archived unreadable.
    throw new ProcedureError('archive.upload.damaged')
  }
}

type DocumentMeta = { category: string; title: string; author: string; docDate: string; source: 'generated' | 'scan'; addedBy: string; reason?: string | null }

async function storeDocument(trx: Transaction<Database>, cipher: FieldCipher, fileId: string, doc: DocumentMeta & { bytes: Uint8Array; contentType: string }) {
  const pages = doc.contentType === 'application/pdf' ? await pdfPages(doc.bytes) : 1
  const blobId = await postgresBlobStore(cipher).put(trx, doc.bytes)
  return insertDocument(trx, fileId, doc, { blobId, sha256: createHash('sha256').update(doc.bytes).digest('hex'), size: doc.bytes.byteLength, contentType: doc.contentType, pages })
}

async function insertDocument(
  trx: Transaction<Database>,
  fileId: string,
  doc: DocumentMeta,
  stored: { blobId: string; sha256: string; size: number; contentType: string; pages: number },
) {
  const { id } = await trx.insertInto('archive_documents').values({
    file_id: fileId, category: doc.category, title: doc.title, author: doc.author, doc_date: doc.docDate, pages: stored.pages, source: doc.source,
    blob_id: stored.blobId, sha256: stored.sha256, content_type: stored.contentType, size: stored.size, added_by: doc.addedBy, added_reason: doc.reason ?? null,
  }).returning('id').executeTakeFirstOrThrow()
  return id
}

/** PDFs up to this size are opened whole to count and check their pages; larger ones are not held in memory. */
const PDF_PARSE_MAX_BYTES = 8 * 1024 * 1024

/** The pages of a streamed upload: counted while it streamed, parsed when small, or as the archivist counted them. */
async function stagedPages(db: Db, cipher: FieldCipher, upload: StagedUpload, entered: number | undefined): Promise<number> {
  if (upload.contentType !== 'application/pdf') return 1
  if (upload.blob.size <= PDF_PARSE_MAX_BYTES) {
    const bytes = await postgresBlobStore(cipher).get(db, upload.blob.id)
    return pdfPages(bytes!)
  }
  const pages = upload.pdfPages ?? entered
  if (!pages) throw new ProcedureError('archive.upload.pagesRequired')
  return pages
}

/**
 * Opens the archive file of a concluded case, idempotently (a retried job finds it open): numbers
 * it, titles it, and files the documents the system generated. `actorId` is whoever decided.
 */
export async function openFile(
  db: Kysely<Database>,
  cipher: FieldCipher,
  // A historical record (app/import) keeps the number its paper file already has, counted in the
  // year it was registered, and gets no generated documents: the paper file holds the originals.
  input: { applicationId: string; type: ArchiveType; actorId: string; archiveNumber?: string | null; historical?: boolean },
  today: string,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('archive_files').select('id').where('application_id', '=', input.applicationId).where('type', '=', input.type).executeTakeFirst()
    if (existing) return existing.id
    const app = await trx.selectFrom('applications').select(['registry_code', 'secrecy', 'registered_on']).where('id', '=', input.applicationId).executeTakeFirstOrThrow()
    const system = systemViewer(app.registry_code, input.actorId)
    const loaded = await loadApplication(trx, cipher, system, input.applicationId)
    const registry = await trx.selectFrom('registries').select(['name', 'archive_number_pattern', 'archive_filing_days']).where('code', '=', app.registry_code).executeTakeFirstOrThrow()
    const kept = input.archiveNumber ? input.archiveNumber : null
    const year = Number((kept && app.registered_on ? app.registered_on : today).slice(0, 4))
    const { last_value: seq } = await trx.insertInto('archive_counters').values({ registry_code: app.registry_code, year, type: input.type, last_value: 1 })
      .onConflict((oc) => oc.columns(['registry_code', 'year', 'type']).doUpdateSet({ last_value: sql`archive_counters.last_value + 1` }))
      .returning('last_value').executeTakeFirstOrThrow()
    const adopters = loaded.parties.filter((p) => p.role === 'adopter').map((p) => p.name).join('、')
    const child = loaded.parties.find((p) => p.role === 'child')?.name ?? ''
    const title = translate('zh', `archive.title.${input.type}`, { adopters, child })
    const { id } = await trx.insertInto('archive_files').values({
      registry_code: app.registry_code, application_id: input.applicationId, type: input.type, year, seq,
      archive_number: kept ?? formatArchiveNumber(registry.archive_number_pattern, { code: app.registry_code, year, type: input.type, seq }),
      title, confidential: app.secrecy, due_on: addDays(today, registry.archive_filing_days),
    }).returning('id').executeTakeFirstOrThrow()

    const generated: Array<{ category: string; render: () => Promise<Uint8Array>; date: string | null }> = []
    if (input.type === 'establishment' && !input.historical) {
      // The assessment's signed report joins the file (when it was made in the system).
      const assessment = await trx.selectFrom('assessments').select('id').where('application_id', '=', input.applicationId).where('state', '=', 'signed').executeTakeFirst()
      if (assessment) {
        const full = await loadAssessment(trx, cipher, { ...system, agencyId: null }, assessment.id)
        const report = full.reports.find((r) => !r.supersededAt)
        generated.push({ category: 'assessment_report', render: () => assessmentReportPdf(full, registry.name), date: report?.reportOn ?? null })
      }
      generated.push({ category: 'certificate_copy', render: () => certificatePdf(trx, loaded, { mode: 'copy' }), date: loaded.app.registered_on })
    }
    if (input.type === 'refusal' && !input.historical) generated.push({ category: 'refusal_notice', render: () => refusalNoticePdf(trx, loaded), date: loaded.app.refused_on })
    if (input.type === 'dissolution' && !input.historical) generated.push({ category: 'dissolution_certificate_copy', render: () => dissolutionCertificatePdf(trx, loaded), date: loaded.dissolution?.dissolved_on ?? null })
    for (const g of generated) {
      await storeDocument(trx, cipher, id, {
        category: g.category, title: translate('zh', `archive.category.${g.category}`), author: registry.name, docDate: g.date ?? today,
        bytes: await g.render(), contentType: 'application/pdf', source: 'generated', addedBy: input.actorId,
      })
    }
    await audit(trx, { actor: null, registryCode: app.registry_code, action: 'archive.opened', entityType: 'archive_file', entityId: id, summary: { application: input.applicationId, type: input.type, ...(input.historical ? { historical: true } : {}) } })
    return id
  })
}

export type DocumentInput = { category: string; title: string; author: string; docDate: string; reason?: string; source?: 'scan' | 'generated' }
  & ({ bytes: Uint8Array } | { staged: StagedUpload; pages?: number })

/**
 * Adds a scan (or a generated document from elsewhere, e.g. the assessment report) to a file:
 * bytes in memory, or an upload the route streamed in (app/platform/uploads.server.ts), which this
 * transaction claims — refused, it stays staged and the route discards it.
 */
export async function addDocument(db: Kysely<Database> | Transaction<Database>, cipher: FieldCipher, actor: Viewer, fileId: string, input: DocumentInput): Promise<string> {
  const upload = 'staged' in input ? input.staged : null
  const contentType = upload ? upload.contentType : sniffAttachmentType((input as { bytes: Uint8Array }).bytes)
  if (!contentType || !ACCEPTED.has(contentType)) throw new ProcedureError('archive.upload.type')
  if (upload && !upload.complete) throw new ProcedureError('archive.upload.damaged')
  const size = upload ? upload.blob.size : (input as { bytes: Uint8Array }).bytes.byteLength
  return inTransaction(db, async (trx) => {
    const file = await trx.selectFrom('archive_files').select(['id', 'state', 'type', 'registry_code']).where('id', '=', fileId).where('registry_code', '=', actor.registryCode).forUpdate().executeTakeFirst()
    if (!file) throw new NotFoundError('archive file')
    const limit = (await trx.selectFrom('registries').select('archive_upload_max_mb').where('code', '=', file.registry_code).executeTakeFirstOrThrow()).archive_upload_max_mb
    if (size > limit * 1024 * 1024) throw new ProcedureError('archive.upload.tooLarge', { mb: limit })
    if (!contents[file.type].some((c) => c.code === input.category)) throw new ProcedureError('archive.upload.category')
    // A filed (closed) file takes documents only with a reason; a transferred one none at all.
    if (file.state === 'transferred') throw new ProcedureError('archive.transferred')
    if (file.state === 'filed' && !input.reason) throw new ProcedureError('archive.reasonRequired')
    const meta = { ...input, source: input.source ?? 'scan', addedBy: actor.id, reason: input.reason ?? null }
    let id: string
    if (upload) {
      const pages = await stagedPages(trx, cipher, upload, 'pages' in input ? input.pages : undefined)
      await postgresBlobStore(cipher).claim(trx, upload.blob.id)
      id = await insertDocument(trx, fileId, meta, { blobId: upload.blob.id, sha256: upload.blob.sha256, size, contentType, pages })
    } else {
      id = await storeDocument(trx, cipher, fileId, { ...meta, bytes: (input as { bytes: Uint8Array }).bytes, contentType })
    }
    await trx.updateTable('archive_files').set({ version: sql`version + 1` } as never).where('id', '=', fileId).execute()
    await audit(trx, { actor, action: 'archive.document_added', entityType: 'archive_file', entityId: fileId, summary: { document: id, category: input.category, size }, reason: input.reason })
    return id
  })
}

/** The largest scan the registry accepts (archive_upload_max_mb, /admin/registry). */
export async function uploadLimitBytes(db: Db, registryCode: string): Promise<number> {
  const row = await db.selectFrom('registries').select('archive_upload_max_mb').where('code', '=', registryCode).executeTakeFirstOrThrow()
  return row.archive_upload_max_mb * 1024 * 1024
}

/** 归档: the file closes once every required document is in; its location is recorded. */
export async function fileIt(db: Kysely<Database>, actor: Viewer, fileId: string, version: number, input: { location: string; retention: string }) {
  await db.transaction().execute(async (trx) => {
    const file = await trx.selectFrom('archive_files').selectAll().where('id', '=', fileId).where('registry_code', '=', actor.registryCode).forUpdate().executeTakeFirst()
    if (!file) throw new NotFoundError('archive file')
    if (file.version !== version) throw new ConflictError()
    if (file.state !== 'open') throw new ProcedureError('archive.alreadyFiled')
    const present = (await trx.selectFrom('archive_documents').select('category').distinct().where('file_id', '=', fileId).execute()).map((d) => d.category)
    const missing = missingCategories(file.type, present)
    if (missing.length) throw new ProcedureError('archive.missing', { count: missing.length })
    await trx.updateTable('archive_files').set({ state: 'filed', filed_at: sql`now()`, filed_by: actor.id, location: input.location, retention: input.retention, version: sql`version + 1` } as never)
      .where('id', '=', fileId).execute()
    await audit(trx, { actor, action: 'archive.filed', entityType: 'archive_file', entityId: fileId, summary: { location: input.location, retention: input.retention } })
  })
}

export const ARCHIVE_STATES = ['open', 'filed', 'transferred'] as const
export type FileFilter = { overdue?: boolean; state?: (typeof ARCHIVE_STATES)[number]; type?: ArchiveType; year?: number; q?: string } & SortParams
export const FILES_PAGE_SIZE = 50

/** The archive register's sortable columns; its own order is the newest file first (by id). */
export const fileSort: SortSpec<'id' | 'number' | 'year' | 'state' | 'due'> = {
  key: sql`f.id`,
  columns: {
    id: { kind: 'int', key: true, first: 'desc' },
    number: { kind: 'text', first: 'asc' },
    year: { kind: 'int', first: 'desc' },
    state: { kind: 'int', first: 'asc' },
    due: { kind: 'date', first: 'asc' },
  },
  expressions: {
    id: sql`f.id`,
    number: sql`f.archive_number`,
    year: sql`f.year`,
    state: positionIn(ARCHIVE_STATES, sql`f.state`),
    due: sql`f.due_on`,
  },
  default: { column: 'id', dir: 'desc' },
}

/** The archivist's list as a query, newest first (the page pages it by id, an export streams it). */
export function filesQuery(db: Db, viewer: Viewer, filter: FileFilter, today: string) {
  let query = db.selectFrom('archive_files as f')
    .select(['f.id', 'f.archive_number as archiveNumber', 'f.title', 'f.type', 'f.state', 'f.year', 'f.due_on as dueOn', 'f.confidential', 'f.location', 'f.retention', 'f.application_id as applicationId',
      'f.filed_at as filedAt', sql<string>`(select count(*) from archive_documents d where d.file_id = f.id)`.as('documents')])
    .where('f.registry_code', '=', viewer.registryCode)
  if (filter.overdue) query = query.where('f.state', '=', 'open').where('f.due_on', '<', today)
  if (filter.state) query = query.where('f.state', '=', filter.state)
  if (filter.type) query = query.where('f.type', '=', filter.type)
  if (filter.year) query = query.where('f.year', '=', filter.year)
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    query = query.where((eb) => eb.or([eb('f.archive_number', 'ilike', like), eb('f.title', 'ilike', like)]))
  }
  return sortedBy(query, fileSort, filter)
}

export async function listFiles(db: Db, viewer: Viewer, filter: FileFilter, today: string) {
  const rows = await filesQuery(db, viewer, filter, today).limit(FILES_PAGE_SIZE + 1).execute()
  const page = rows.slice(0, FILES_PAGE_SIZE)
  return { rows: page, next: rows.length > FILES_PAGE_SIZE ? cursorOf(fileSort, filter, page[page.length - 1]) : null }
}

/** The list's filter from the query string or an export form: each bad value named, none guessed. */
export function parseFileFilter(raw: Record<string, unknown>): { filter: FileFilter; errors: Record<string, 'ledger.filter.notInList' | 'ledger.filter.tooLong' | undefined> } {
  const filter: FileFilter = {}
  const errors: Record<string, 'ledger.filter.notInList' | 'ledger.filter.tooLong' | undefined> = {}
  const text = (k: string) => (typeof raw[k] === 'string' && raw[k] !== '' ? (raw[k] as string).trim() : undefined)
  if (text('overdue') === '1') filter.overdue = true
  const state = text('state')
  if (state) { if ((ARCHIVE_STATES as readonly string[]).includes(state)) filter.state = state as FileFilter['state']; else errors.state = 'ledger.filter.notInList' }
  const type = text('type')
  if (type) { if ((ARCHIVE_TYPES as readonly string[]).includes(type)) filter.type = type as ArchiveType; else errors.type = 'ledger.filter.notInList' }
  const year = text('year')
  if (year) { if (/^\d{4}$/.test(year)) filter.year = Number(year); else errors.year = 'ledger.filter.notInList' }
  const q = text('q')
  if (q) { if (q.length <= 60) filter.q = q; else errors.q = 'ledger.filter.tooLong' }
  const sorting = parseSortParams(fileSort, raw)
  Object.assign(filter, sorting.params)
  Object.assign(errors, sorting.errors)
  return { filter, errors }
}

export async function loadFile(db: Db, viewer: Viewer, fileId: string) {
  if (!/^\d{1,18}$/.test(fileId)) throw new NotFoundError('archive file')
  const file = await db.selectFrom('archive_files as f').leftJoin('users as u', 'u.id', 'f.filed_by').selectAll('f').select('u.display_name as filedByName')
    .where('f.id', '=', fileId).where('f.registry_code', '=', viewer.registryCode).executeTakeFirst()
  // The registry's files are open to its archivists; another registry's is refused (decision 028).
  if (!file) return refuseOutsideRegistry(db, viewer, 'archive_file', 'archive_files', fileId)
  const documents = await db.selectFrom('archive_documents as d').leftJoin('users as u', 'u.id', 'd.added_by')
    .select(['d.id', 'd.category', 'd.title', 'd.author', 'd.doc_date as docDate', 'd.pages', 'd.source', 'd.sha256', 'd.content_type as contentType', 'd.size',
      'd.added_at as addedAt', 'd.added_reason as addedReason', 'd.checked_at as checkedAt', 'd.check_ok as checkOk', 'u.display_name as addedBy'])
    .where('d.file_id', '=', fileId).execute()
  const ordered = [...documents].sort((a, b) => categoryOrder(file.type, a.category) - categoryOrder(file.type, b.category) || Number(a.id) - Number(b.id))
  const present = [...new Set(documents.map((d) => d.category))]
  return { file, documents: pageRanges(ordered), missing: missingCategories(file.type, present), categories: contents[file.type] }
}

/** A document's stored bytes, refused unless they still match the hash recorded at archiving. */
export async function documentBytes(db: Db, cipher: FieldCipher, fileId: string, documentId: string) {
  if (!/^\d{1,18}$/.test(documentId)) throw new NotFoundError('document')
  const doc = await db.selectFrom('archive_documents').selectAll().where('id', '=', documentId).where('file_id', '=', fileId).executeTakeFirst()
  if (!doc) throw new NotFoundError('document')
  let bytes: Buffer | null = null
  try {
    bytes = await postgresBlobStore(cipher).get(db, doc.blob_id)
  } catch {
    bytes = null
  }
  if (!bytes || createHash('sha256').update(bytes).digest('hex') !== doc.sha256) throw new ProcedureError('archive.damaged')
  return { bytes, contentType: doc.content_type, title: doc.title, category: doc.category }
}

/**
 * The archivist's own read of a document (custody, no access request). A secrecy file's document
 * is read only with a reason (domain.md "Archives": secrecy cases restricted further, every access
 * logged); every read goes to the archive access log (with its reason) and to the audit.
 */
export async function readDocument(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, fileId: string, documentId: string, reason: string | null, ip: string | null) {
  const { file } = await loadFile(db, viewer, fileId)
  const why = reason?.trim() || null
  if (file.confidential && !why) throw new ProcedureError('archive.read.reasonRequired')
  if (why && why.length > READ_REASON_MAX) throw new ProcedureError('archive.read.reasonTooLong')
  const doc = await documentBytes(db, cipher, file.id, documentId)
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('archive_access_log').values({ request_id: null, file_id: file.id, document_id: documentId, user_id: viewer.id, action: 'read', reason: why, ip }).execute()
    await audit(trx, { actor: viewer, action: 'archive.document_read', entityType: 'archive_file', entityId: file.id, summary: { document: documentId }, reason: why ?? undefined, ip })
  })
  return { ...doc, archiveNumber: file.archive_number }
}

/**
 * The nightly integrity check: every stored document is read back and its SHA-256 compared with
 * the one recorded at archiving. A mismatch (or an undecryptable blob) is recorded on the document
 * and reported to the registry's archivists by e-mail.
 */
export async function checkIntegrity(db: Kysely<Database>, withClient: WithPgClient, cipher: FieldCipher, options: { registryCode?: string } = {}) {
  const { id: runId } = await db.insertInto('archive_integrity_runs').values({ registry_code: options.registryCode ?? null }).returning('id').executeTakeFirstOrThrow()
  let documents = 0
  let bytes = 0
  const mismatched: Array<{ id: string; fileId: string; registryCode: string }> = []
  // Every stored chunk of every document, in order, streamed as raw bytes (db/copy-binary.ts):
  // one pass, no round trip per document, memory for a chunk at a time.
  const scope = options.registryCode ? `where f.registry_code = ${pg.escapeLiteral(options.registryCode)}` : ''
  const query = `
    select d.id, d.file_id, f.registry_code, d.sha256, c.content_enc, c.blob_id, c.seq
    from archive_documents d join archive_files f on f.id = d.file_id left join blob_chunks c on c.blob_id = d.blob_id
    ${scope} order by d.id, c.seq`
  await withClient(async (client) => {
    type Current = { id: string; fileId: string; registryCode: string; sha256: string; hash: Hash; ok: boolean }
    let current = null as Current | null
    const finish = () => {
      if (!current) return
      documents++
      if (!current.ok || current.hash.digest('hex') !== current.sha256) {
        mismatched.push({ id: current.id, fileId: current.fileId, registryCode: current.registryCode })
      }
    }
    for await (const [id, fileId, registryCode, sha256, content, blobId, seq] of copyBinaryRows(client, query)) {
      const documentId = binary.int8(id!)
      if (current?.id !== documentId) {
        finish()
        current = { id: documentId, fileId: binary.int8(fileId!), registryCode: binary.text(registryCode!), sha256: binary.text(sha256!), hash: createHash('sha256'), ok: content !== null }
      }
      if (!current.ok || !content) continue
      try {
        const plain = cipher.decryptBytes(content, chunkPlace(binary.int8(blobId!), binary.int4(seq!)))
        bytes += plain.byteLength
        current.hash.update(plain)
      } catch {
        current.ok = false // a changed byte fails the chunk's authentication before the hash
      }
    }
    finish()
  })
  // Only a mismatch is written to the document; a clean pass is the run's record (rewriting
  // every row each night would only bloat the table).
  if (mismatched.length) {
    await db.updateTable('archive_documents').set({ checked_at: sql`now()`, check_ok: false } as never).where('id', 'in', mismatched.map((m) => m.id)).execute()
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('archive_integrity_runs').set({ finished_at: sql`now()` as never, documents, bytes, mismatches: mismatched.length }).where('id', '=', runId).execute()
    for (const registryCode of new Set(mismatched.map((m) => m.registryCode))) {
      const archivists = await mailRecipients(trx, registryCode, 'archivist')
      const list = mismatched.filter((m) => m.registryCode === registryCode)
      for (const a of archivists) {
        const locale = a.locale
        await enqueueEmail(trx, {
          registryCode, to: a.email, subject: translate(locale, 'archive.integrity.mail.subject', { count: list.length }),
          text: translate(locale, 'archive.integrity.mail.body', { count: list.length, files: [...new Set(list.map((m) => m.fileId))].join(', ') }),
        })
      }
      await audit(trx, { actor: null, registryCode, action: 'archive.integrity_mismatch', entityType: 'archive_integrity_run', entityId: runId, summary: { documents: list.map((m) => m.id) } })
    }
  })
  return { runId, documents, bytes, mismatches: mismatched.length }
}

export type ArchiveActor = Actor

/** For the home page: files past their filing deadline, and access requests waiting for a decision. */
export async function archiveDashboard(db: Db, viewer: Viewer, today: string) {
  const overdue = await db.selectFrom('archive_files').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('registry_code', '=', viewer.registryCode).where('state', '=', 'open').where('due_on', '<', today).executeTakeFirstOrThrow()
  const pending = await db.selectFrom('archive_access_requests as r').innerJoin('archive_files as f', 'f.id', 'r.file_id')
    .select((eb) => eb.fn.countAll<string>().as('n')).where('f.registry_code', '=', viewer.registryCode).where('r.state', '=', 'pending').executeTakeFirstOrThrow()
  return { overdue: Number(overdue.n), pendingRequests: Number(pending.n) }
}

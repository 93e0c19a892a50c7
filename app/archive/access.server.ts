// Consulting the archive (利用): a request names who asks (a party with ID checked, a court or the
// police with an official letter, or anyone else), why, and the staff member who will consult the
// file; a supervisor approves or refuses with a reason; an approval opens the file to that staff
// member for a limited time. Every view and download is logged, and downloads carry a visible
// watermark naming the requester, the request and the date. For a secrecy file (收养秘密) the
// birth family's documents stay withheld unless the approval says otherwise.
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ConflictError, ForbiddenError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { can } from '#app/platform/permissions.ts'
import { refuseRecord, validRecordId } from '#app/platform/record-access.server.ts'
import { postgresBlobStore, sniffAttachmentType } from '#app/platform/storage.server.ts'
import type { StagedUpload } from '#app/platform/uploads.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { loadDocuments, loadPdfLib } from '#app/platform/documents.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { documentBytes, loadFile } from './files.server.ts'
import { BIRTH_FAMILY_CATEGORIES } from './contents.ts'

type Db = Kysely<Database> | Transaction<Database>

export type AccessRequestInput = {
  kind: 'party' | 'court' | 'police' | 'other'
  name: string
  unit?: string
  idChecked: boolean
  letterReference?: string
  letter?: Uint8Array | StagedUpload // in memory, or streamed in by the route (claimed here)
  purpose: string
  staffId: string
}

export async function requestAccess(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, fileId: string, input: AccessRequestInput): Promise<string> {
  if (input.kind === 'party' && !input.idChecked) throw new ProcedureError('access.idRequired')
  if ((input.kind === 'court' || input.kind === 'police') && !input.letterReference) throw new ProcedureError('access.letterRequired')
  const letter = input.letter
  const letterType = !letter ? null : letter instanceof Uint8Array ? sniffAttachmentType(letter) : letter.contentType
  if (letter && !['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'].includes(letterType ?? '')) throw new ProcedureError('archive.upload.type')
  if (letter && !(letter instanceof Uint8Array) && !letter.complete) throw new ProcedureError('archive.upload.damaged')
  return db.transaction().execute(async (trx) => {
    const { file } = await loadFile(trx, viewer, fileId)
    const staff = await trx.selectFrom('users').select('id').where('id', '=', input.staffId).where('registry_code', '=', viewer.registryCode).where('active', '=', true).executeTakeFirst()
    if (!staff) throw new ProcedureError('access.staffUnknown')
    const store = postgresBlobStore(cipher)
    let letterBlob: string | null = null
    if (letter instanceof Uint8Array) letterBlob = await store.put(trx, letter)
    else if (letter) { await store.claim(trx, letter.blob.id); letterBlob = letter.blob.id }
    const { id } = await trx.insertInto('archive_access_requests').values({
      file_id: file.id, requester_kind: input.kind, requester_name: input.name, requester_unit: input.unit ?? null, id_checked: input.idChecked,
      letter_reference: input.letterReference ?? null, letter_blob_id: letterBlob, purpose: input.purpose, staff_id: input.staffId, created_by: viewer.id,
    }).returning('id').executeTakeFirstOrThrow()
    await audit(trx, { actor: viewer, action: 'archive.access_requested', entityType: 'archive_file', entityId: file.id, summary: { request: id, kind: input.kind } })
    return id
  })
}

export async function decideAccess(
  db: Kysely<Database>,
  viewer: Viewer,
  requestId: string,
  version: number,
  input: { approve: boolean; reason: string; revealBirthFamily: boolean },
) {
  if (!can(viewer.roles, 'archive.approve')) throw new ForbiddenError()
  await db.transaction().execute(async (trx) => {
    const request = await loadRequestRow(trx, viewer, requestId, true)
    if (request.version !== version) throw new ConflictError()
    if (request.state !== 'pending') throw new ProcedureError('access.decided')
    if (request.created_by === viewer.id) throw new ForbiddenError()
    const days = (await trx.selectFrom('registries').select('archive_access_days').where('code', '=', viewer.registryCode).executeTakeFirstOrThrow()).archive_access_days
    await trx.updateTable('archive_access_requests').set({
      state: input.approve ? 'approved' : 'refused', decided_by: viewer.id, decided_at: sql`now()`, decision_reason: input.reason,
      valid_until: input.approve ? sql`now() + make_interval(days => ${days})` : null,
      reveal_birth_family: input.approve && input.revealBirthFamily, version: sql`version + 1`,
    } as never).where('id', '=', requestId).execute()
    await audit(trx, { actor: viewer, action: input.approve ? 'archive.access_approved' : 'archive.access_refused', entityType: 'archive_file', entityId: request.file_id, summary: { request: requestId, revealBirthFamily: input.approve && input.revealBirthFamily }, reason: input.reason })
  })
}

/**
 * Who may read an access request — its page, its slip, the file's title on it (which names the
 * adopters and the child, also of a secrecy file): the one rule, a condition on
 * `archive_access_requests as r` joined to `archive_files as f` (decision 028).
 *   - archivists (archive.manage) and approvers (archive.approve) read every request of the registry:
 *     they keep the archive and decide the requests (and see every secrecy case anyway);
 *   - anyone else reads the requests they recorded or that name them as the staff member consulting.
 */
export function readableRequest(viewer: Viewer) {
  return (eb: ExpressionBuilder<Database & { r: Database['archive_access_requests']; f: Database['archive_files'] }, 'r' | 'f'>) => {
    const inRegistry = eb('f.registry_code', '=', viewer.registryCode)
    if (can(viewer.roles, 'archive.manage') || can(viewer.roles, 'archive.approve')) return inRegistry
    if (!can(viewer.roles, 'archive.read')) return eb.and([inRegistry, eb.lit(false)])
    return eb.and([inRegistry, eb.or([eb('r.staff_id', '=', viewer.id), eb('r.created_by', '=', viewer.id)])])
  }
}

async function loadRequestRow(db: Db, viewer: Viewer, requestId: string, lock = false) {
  if (!validRecordId(requestId)) throw new NotFoundError('request')
  let query = db.selectFrom('archive_access_requests as r').innerJoin('archive_files as f', 'f.id', 'r.file_id')
    .selectAll('r').where('r.id', '=', requestId).where(readableRequest(viewer))
  if (lock) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  if (!row) {
    const exists = await db.selectFrom('archive_access_requests as r').innerJoin('archive_files as f', 'f.id', 'r.file_id').select('r.id')
      .where('r.id', '=', requestId).where('f.registry_code', '=', viewer.registryCode).executeTakeFirst()
    return refuseRecord(db, viewer, 'archive_access_request', requestId, !!exists)
  }
  return row
}

/** The request's page: read under readableRequest, and the read is in the audit log. */
export async function viewRequest(db: Db, viewer: Viewer, requestId: string, ip: string | null) {
  const loaded = await loadRequest(db, viewer, requestId)
  await audit(db, { actor: viewer, action: 'archive.request_viewed', entityType: 'archive_access_request', entityId: loaded.request.id, summary: { file: loaded.file.id }, ip })
  return loaded
}

export async function loadRequest(db: Db, viewer: Viewer, requestId: string) {
  const row = await loadRequestRow(db, viewer, requestId)
  const names = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [row.staff_id, row.created_by, row.decided_by ?? row.created_by]).execute()
  const name = (id: string | null) => names.find((n) => n.id === id)?.display_name ?? ''
  const open = row.state === 'approved' && row.valid_until !== null && row.valid_until.getTime() > Date.now()
  const mine = row.staff_id === viewer.id
  const file = await db.selectFrom('archive_files').select(['id', 'archive_number', 'title', 'confidential']).where('id', '=', row.file_id).executeTakeFirstOrThrow()
  // A secrecy file whose approval keeps the birth family withheld: no document that names them
  // (contents.ts BIRTH_FAMILY_CATEGORIES), and the page and the slip list what was withheld.
  const withholding = file.confidential && !row.reveal_birth_family
  const all = await db.selectFrom('archive_documents').select(['id', 'category', 'title', 'doc_date as docDate', 'pages', 'content_type as contentType'])
    .where('file_id', '=', row.file_id).orderBy('id').execute()
  const isWithheld = (d: { category: string }) => withholding && BIRTH_FAMILY_CATEGORIES.has(d.category)
  // The file's documents, only to the named staff member while the approval runs.
  const documents = open && mine ? all.filter((d) => !isWithheld(d)) : []
  return {
    request: { ...row, staffName: name(row.staff_id), createdByName: name(row.created_by), decidedByName: row.decided_by ? name(row.decided_by) : null },
    file, open, mine, documents,
    withheld: withholding,
    /**
     * What was not served because it names the birth family: per category, with the number of
     * documents (categories, not titles: a scan's title may itself carry a name).
     */
    withheldCategories: row.state === 'approved' ? countByCategory(all.filter(isWithheld)) : [],
    mayDecide: can(viewer.roles, 'archive.approve') && row.state === 'pending' && row.created_by !== viewer.id,
  }
}

function countByCategory(documents: Array<{ category: string }>): Array<{ category: string; count: number }> {
  const counts = new Map<string, number>()
  for (const d of documents) counts.set(d.category, (counts.get(d.category) ?? 0) + 1)
  return [...counts].map(([category, count]) => ({ category, count }))
}

export async function listRequests(db: Db, viewer: Viewer, filter: { state?: 'pending' | 'approved' | 'refused' } = {}) {
  let query = db.selectFrom('archive_access_requests as r').innerJoin('archive_files as f', 'f.id', 'r.file_id').leftJoin('users as s', 's.id', 'r.staff_id')
    .select(['r.id', 'r.state', 'r.requester_kind as kind', 'r.requester_name as requester', 'r.purpose', 'r.created_at as createdAt', 'r.valid_until as validUntil',
      'f.id as fileId', 'f.archive_number as archiveNumber', 'f.confidential', 's.display_name as staffName'])
    .where(readableRequest(viewer))
  if (filter.state) query = query.where('r.state', '=', filter.state)
  return query.orderBy('r.id', 'desc').limit(200).execute()
}

/**
 * A document opened under an approved request: only by the named staff member, only until the
 * approval expires; logged; a PDF (images are wrapped in one) with the requester's watermark.
 */
export async function consultDocument(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, requestId: string, documentId: string, ip: string | null, today: string) {
  const loaded = await loadRequest(db, viewer, requestId)
  if (!loaded.mine) throw new ForbiddenError()
  if (!loaded.open) throw new ProcedureError('access.notOpen')
  if (!loaded.documents.some((d) => d.id === documentId)) throw new NotFoundError('document')
  const doc = await documentBytes(db, cipher, loaded.file.id, documentId)
  let pdf: Uint8Array
  if (doc.contentType === 'application/pdf') pdf = doc.bytes
  else if (doc.contentType === 'image/jpeg' || doc.contentType === 'image/png') pdf = await imageAsPdf(doc.bytes, doc.contentType)
  else throw new ProcedureError('access.formatNotViewable')
  const mark = translate('zh', 'access.watermark', { name: loaded.request.requester_name, staff: loaded.request.staffName, request: requestId, date: today })
  const marked = await (await loadDocuments()).watermarkPdf(pdf, mark, { date: today })
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('archive_access_log').values({ request_id: requestId, file_id: loaded.file.id, document_id: documentId, user_id: viewer.id, action: 'download', ip }).execute()
    await audit(trx, { actor: viewer, action: 'archive.access_download', entityType: 'archive_file', entityId: loaded.file.id, summary: { request: requestId, document: documentId }, ip })
  })
  return { bytes: marked, title: doc.title, archiveNumber: loaded.file.archive_number }
}

/** Logged when the named staff member opens the request's document list. */
export async function logView(db: Kysely<Database>, viewer: Viewer, requestId: string, fileId: string, ip: string | null) {
  await db.insertInto('archive_access_log').values({ request_id: requestId, file_id: fileId, document_id: null, user_id: viewer.id, action: 'view', ip }).execute()
}

async function imageAsPdf(bytes: Uint8Array, contentType: string): Promise<Uint8Array> {
  const { PDFDocument } = await loadPdfLib()
  const doc = await PDFDocument.create()
  const image = contentType === 'image/png' ? await doc.embedPng(bytes) : await doc.embedJpg(bytes)
  // A4, the image fitted within 15 mm margins.
  const [w, h] = [595.28, 841.89]
  const scale = Math.min((w - 85) / image.width, (h - 85) / image.height, 1)
  const page = doc.addPage([w, h])
  page.drawImage(image, { x: (w - image.width * scale) / 2, y: (h - image.height * scale) / 2, width: image.width * scale, height: image.height * scale })
  return doc.save({ useObjectStreams: false })
}

/** The access log report for the yearly compliance audit: per file and period. */
export async function accessLog(db: Db, viewer: Viewer, filter: { fileId?: string; from?: string; to?: string }) {
  let query = db.selectFrom('archive_access_log as l').innerJoin('archive_files as f', 'f.id', 'l.file_id').innerJoin('users as u', 'u.id', 'l.user_id')
    .leftJoin('archive_access_requests as r', 'r.id', 'l.request_id').leftJoin('archive_documents as d', 'd.id', 'l.document_id')
    .select(['l.id', 'l.at', 'l.action', 'l.ip', 'l.reason', 'f.archive_number as archiveNumber', 'u.display_name as userName', 'r.id as requestId', 'r.requester_name as requester', 'd.title as document'])
    .where('f.registry_code', '=', viewer.registryCode)
  if (filter.fileId) query = query.where('l.file_id', '=', filter.fileId)
  if (filter.from) query = query.where('l.at', '>=', sql<Date>`(${filter.from}::date)::timestamp at time zone 'Asia/Shanghai'`)
  if (filter.to) query = query.where('l.at', '<', sql<Date>`(${filter.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`)
  return query.orderBy('l.id', 'desc').limit(1000).execute()
}

// Root-seeking requests (寻根回访): recorded by staff (mail, e-mail) or submitted by the family on the
// public page; verified against the registry; accepted with a reception plan or declined with
// reasons, the family told by e-mail in their language; the reply due within 10 working days.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, RootSeekingState } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ConflictError, ForbiddenError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { enqueueEmail } from '#app/platform/mail.server.ts'
import { can } from '#app/platform/permissions.ts'
import { postgresBlobStore, sniffAttachmentType } from '#app/platform/storage.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { registryName } from '#app/registration/registry.server.ts'
import { calendarLists, replyClock, replyDueOn } from './calendar.server.ts'
import { acceptedMail, declinedMail, receivedMail } from './mail.ts'
import { normalizeReference } from './reference.ts'
import { newReference } from './reference.server.ts'
import type { PlanInput, RequestInput, VisitorInput } from './schemas.ts'
import { birthFamilyDetails, disclosureState, mayDecideDisclosure, mentionsBirthFamily } from './disclosure.server.ts'
import { nextId } from '#app/platform/row-ids.server.ts'
import { refuseOutsideRegistry } from '#app/platform/record-access.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png']
export const DOCUMENT_MAX_BYTES = 4 * 1024 * 1024

export type UploadedDocument = { kind: 'application_form' | 'adoption_certificate' | 'passport' | 'other'; visitorIndex?: number; filename: string; bytes: Uint8Array }

export type Submission = RequestInput & { channel: 'online' | 'mail' | 'email'; documents: UploadedDocument[] }

/** Checks the uploads by content: kind, size, and that every visitor's passport copy is there. */
export function checkDocuments(input: Pick<Submission, 'visitors' | 'documents' | 'channel'>): void {
  for (const doc of input.documents) {
    if (doc.bytes.byteLength > DOCUMENT_MAX_BYTES) throw new ProcedureError('rootseeking.upload.tooLarge', { name: doc.filename, max: DOCUMENT_MAX_BYTES / 1024 / 1024 })
    if (!DOCUMENT_TYPES.includes(sniffAttachmentType(doc.bytes) ?? '')) throw new ProcedureError('rootseeking.upload.type', { name: doc.filename })
  }
  // Families applying online bring every document; staff may record a paper request first and
  // scan its documents afterwards.
  if (input.channel !== 'online') return
  if (!input.documents.some((d) => d.kind === 'application_form')) throw new ProcedureError('rootseeking.upload.missing.application_form')
  if (!input.documents.some((d) => d.kind === 'adoption_certificate')) throw new ProcedureError('rootseeking.upload.missing.adoption_certificate')
  input.visitors.forEach((v, i) => {
    if (!input.documents.some((d) => d.kind === 'passport' && d.visitorIndex === i)) throw new ProcedureError('rootseeking.upload.missing.passport', { name: v.name })
  })
}

export const statusPath = '/visit-request/status'

/**
 * Records a request (from the public page, actor null; or by staff) with its visitors and
 * documents, computes the reply deadline, and enqueues the confirmation with the reference in the
 * family's language. Returns the id and reference.
 */
export async function submitRequest(
  db: Kysely<Database>,
  cipher: FieldCipher,
  actor: Viewer | null,
  registryCode: string,
  input: Submission,
  options: { today: string; now?: Date; publicUrl?: string; ip?: string | null; sendConfirmation?: boolean },
): Promise<{ id: string; reference: string }> {
  checkDocuments(input)
  return db.transaction().execute(async (trx) => {
    const calendar = await calendarLists(trx, registryCode)
    const reference = newReference()
    const dueOn = replyDueOn(options.today, calendar)
    const { id } = await trx.insertInto('rootseeking_requests').values({
      registry_code: registryCode, reference, channel: input.channel,
      applicant_name: input.applicantName, nationality: input.nationality, residence_country: input.residenceCountry,
      email: input.email, language: input.language, time_zone: input.timeZone,
      adoptee_name_then: input.adopteeNameThen, adoptee_name_now: input.adopteeNameNow, adoptee_birth_date: input.adopteeBirthDate,
      registration_number: input.registrationNumber.trim(), registration_date: input.registrationDate, institution: input.institution,
      wished_from: input.wishedFrom, wished_to: input.wishedTo, wished_places: input.wishedPlaces, message: input.message ?? null,
      received_on: options.today, reply_due_on: dueOn, created_by: actor?.id ?? null,
    }).returning('id').executeTakeFirstOrThrow()
    const visitorIds: string[] = []
    for (const [i, v] of input.visitors.entries()) {
      const visitorId = await nextId(trx, 'rootseeking_visitors')
      await trx.insertInto('rootseeking_visitors').values({
        id: visitorId, request_id: id, position: i + 1, name: v.name, relation: v.relation, nationality: v.nationality, birth_date: v.birthDate,
        passport_number_enc: cipher.encrypt(v.passportNumber, { table: 'rootseeking_visitors', column: 'passport_number_enc', row: visitorId }),
        passport_hash: cipher.blindIndex('passport', v.passportNumber), passport_expiry: v.passportExpiry,
      }).execute()
      visitorIds.push(visitorId)
    }
    const store = postgresBlobStore(cipher)
    for (const doc of input.documents) {
      const blob = await store.put(trx, doc.bytes)
      await trx.insertInto('rootseeking_documents').values({
        request_id: id, kind: doc.kind, visitor_id: doc.kind === 'passport' ? visitorIds[doc.visitorIndex ?? -1] ?? null : null,
        blob_id: blob, filename: doc.filename.slice(0, 200), content_type: sniffAttachmentType(doc.bytes) ?? 'application/octet-stream', size: doc.bytes.byteLength, uploaded_by: actor?.id ?? null,
      }).execute()
    }
    await audit(trx, { actor, registryCode, action: 'rootseeking.received', entityType: 'rootseeking_request', entityId: id, summary: { channel: input.channel, visitors: input.visitors.length }, ip: options.ip ?? null })
    const mail = receivedMail({
      locale: input.language, reference, applicantName: input.applicantName, timeZone: input.timeZone,
      registryName: await registryName(trx, registryCode, input.language), statusUrl: `${options.publicUrl ?? ''}${statusPath}`,
      receivedAt: options.now ?? new Date(), replyDueOn: dueOn, echoName: actor !== null,
    })
    // The public form's hourly mail cap reached: the request is recorded and its reference shown on
    // the page; only the confirmation mail is not sent (decision 033).
    if (options.sendConfirmation !== false) await enqueueEmail(trx, { registryCode, to: input.email, subject: mail.subject, text: mail.text })
    return { id, reference }
  })
}

// --- staff views ----------------------------------------------------------------------------------

export type ListFilter = { state?: RootSeekingState; late?: boolean; mine?: boolean }

export async function listRequests(db: Db, viewer: Viewer, today: string, filter: ListFilter = {}) {
  let query = db.selectFrom('rootseeking_requests as r').leftJoin('rootseeking_receptions as p', 'p.request_id', 'r.id').leftJoin('users as c', 'c.id', 'p.caseworker_id')
    .select(['r.id', 'r.reference', 'r.state', 'r.applicant_name as applicantName', 'r.residence_country as country', 'r.adoptee_name_now as adopteeName',
      'r.received_on as receivedOn', 'r.reply_due_on as replyDueOn', 'r.replied_on as repliedOn', 'r.channel', bouncedSince('r').as('emailBouncedAt'),
      'p.visit_on as visitOn', 'p.state as receptionState', 'c.display_name as caseworkerName'])
    .where('r.registry_code', '=', viewer.registryCode)
  if (filter.state) query = query.where('r.state', '=', filter.state)
  if (filter.late) query = query.where('r.state', '=', 'received').where('r.reply_due_on', '<', today)
  if (filter.mine) query = query.where('p.caseworker_id', '=', viewer.id)
  const rows = await query.orderBy('r.id', 'desc').limit(500).execute()
  const calendar = await calendarLists(db, viewer.registryCode)
  return rows.map((r) => ({ ...r, clock: r.state === 'received' ? replyClock(r.replyDueOn, today, calendar) : null }))
}

async function loadRow(db: Db, viewer: Viewer, id: string, lock = false) {
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('request')
  let query = db.selectFrom('rootseeking_requests').selectAll().where('id', '=', id).where('registry_code', '=', viewer.registryCode)
  if (lock) query = query.forUpdate()
  const row = await query.executeTakeFirst()
  // The registry's root-seeking desk reads all its requests; another registry's is refused (decision 028).
  if (!row) return refuseOutsideRegistry(db, viewer, 'rootseeking_request', 'rootseeking_requests', id)
  if (!row.email_bounced_at) {
    // The mail server refused the family's address since the request came in (send_email records it).
    const bounce = await db.selectFrom('mail_bounces').select((eb) => eb.fn.max('at').as('at'))
      .where(sql<boolean>`lower(address) = lower(${row.email})`).where('at', '>=', new Date(`${row.received_on}T00:00:00+08:00`)).executeTakeFirst()
    if (bounce?.at) return { ...row, email_bounced_at: bounce.at as Date }
  }
  return row
}

/** Staff noted the family's e-mail as bouncing, or the mail server refused it since the request came in. */
export function bouncedSince(alias: string) {
  return sql<Date | null>`coalesce(${sql.ref(`${alias}.email_bounced_at`)}, (select max(b.at) from mail_bounces b where lower(b.address) = lower(${sql.ref(`${alias}.email`)}) and b.at >= ${sql.ref(`${alias}.received_on`)}::timestamp at time zone 'Asia/Shanghai'))`
}

/** The registration a request names: found by its number in this registry (read-only). */
export async function findRegistration(db: Db, registryCode: string, registrationNumber: string) {
  const app = await db.selectFrom('applications')
    .select(['id', 'registration_number', 'registered_on', 'state', 'secrecy', 'secrecy_requested_by', 'placing_kind'])
    .where('registry_code', '=', registryCode).where('registration_number', '=', registrationNumber.trim())
    .where('state', 'in', ['registered', 'dissolved'])
    .executeTakeFirst()
  if (!app) return null
  const parties = await db.selectFrom('parties').select(['role', 'name', 'birth_date', 'name_after_adoption', 'institution_name'])
    .where('application_id', '=', app.id).where('role', 'in', ['adopter', 'child']).orderBy('position').execute()
  const child = parties.find((p) => p.role === 'child')
  const archive = await db.selectFrom('archive_files').select(['id', 'archive_number']).where('application_id', '=', app.id).where('type', '=', 'establishment').executeTakeFirst()
  // Adopters and child only: the birth family's details stay behind the disclosure gate.
  return {
    applicationId: app.id, registrationNumber: app.registration_number, registeredOn: app.registered_on, secrecy: app.secrecy,
    secrecyRequestedBy: app.secrecy_requested_by,
    adopters: parties.filter((p) => p.role === 'adopter').map((p) => p.name),
    childName: child?.name ?? null, childNameAfter: child?.name_after_adoption ?? null, childBirthDate: child?.birth_date ?? null,
    institution: child?.institution_name ?? null, archiveNumber: archive?.archive_number ?? null,
  }
}

export type RegistryMatch = NonNullable<Awaited<ReturnType<typeof findRegistration>>>

/** What a secrecy registration shows before a supervisor opens it: that it exists, nothing of whom it names. */
function sealedMatch(found: RegistryMatch) {
  return {
    applicationId: null, registrationNumber: found.registrationNumber, registeredOn: null, secrecy: true as const, secrecyRequestedBy: found.secrecyRequestedBy,
    adopters: [] as string[], childName: null, childNameAfter: null, childBirthDate: null, institution: null, archiveNumber: null, sealed: true,
  }
}

/** What agrees and what does not between the request and the registration. */
export function registryChecks(request: { registration_date: string; adoptee_birth_date: string; institution: string }, found: RegistryMatch) {
  const norm = (s: string | null) => (s ?? '').replace(/\s/g, '')
  return [
    { key: 'registrationDate', ok: found.registeredOn === request.registration_date },
    { key: 'birthDate', ok: found.childBirthDate === request.adoptee_birth_date },
    { key: 'institution', ok: found.institution === null || norm(found.institution) === norm(request.institution) },
  ] as const
}

export async function loadRequest(db: Db, cipher: FieldCipher, viewer: Viewer, id: string, today: string) {
  const row = await loadRow(db, viewer, id)
  const visitors = await db.selectFrom('rootseeking_visitors').selectAll().where('request_id', '=', id).orderBy('position').execute()
  const documents = await db.selectFrom('rootseeking_documents').select(['id', 'kind', 'visitor_id as visitorId', 'filename', 'content_type as contentType', 'size', 'uploaded_at as uploadedAt'])
    .where('request_id', '=', id).orderBy('id').execute()
  const reception = await db.selectFrom('rootseeking_receptions as p').innerJoin('users as c', 'c.id', 'p.caseworker_id').selectAll('p').select('c.display_name as caseworkerName')
    .where('p.request_id', '=', id).executeTakeFirst()
  const found = await findRegistration(db, viewer.registryCode, row.registration_number)
  const checks = found ? registryChecks(row, found) : null
  // A secrecy registration (收养秘密, art. 1110) matched by a number someone typed: the caseworker
  // learns only whether the checks passed; who the adopters and the child are, and the case
  // itself, only a supervisor sees (decision 028). The number came from the request itself.
  const sealed = !!found?.secrecy && !mayDecideDisclosure(viewer)
  const registration = found && sealed ? sealedMatch(found) : found ? { ...found, sealed: false } : null
  const calendar = await calendarLists(db, viewer.registryCode)
  const disclosure = await disclosureState(db, id)
  // The birth family's details from the original file: only after a supervisor decided to disclose.
  const birthFamily = disclosure.current?.disclose && row.application_id ? await birthFamilyDetails(db, cipher, row.application_id) : null
  const names = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [row.verified_by ?? '0', row.decided_by ?? '0', row.created_by ?? '0']).execute()
  const name = (uid: string | null) => names.find((n) => n.id === uid)?.display_name ?? null
  await audit(db, { actor: viewer, action: 'rootseeking.read', entityType: 'rootseeking_request', entityId: id, summary: found ? { application: found.applicationId, ...(found.secrecy ? { secrecy: true, sealed } : {}) } : {} })
  return {
    request: { ...row, verifiedByName: name(row.verified_by), decidedByName: name(row.decided_by), createdByName: name(row.created_by) },
    visitors: visitors.map((v) => ({ id: v.id, position: v.position, name: v.name, relation: v.relation, nationality: v.nationality, birthDate: v.birth_date,
      passportNumber: maskPassport(cipher.decrypt(v.passport_number_enc, { table: 'rootseeking_visitors', column: 'passport_number_enc', row: v.id })), passportExpiry: v.passport_expiry,
      passportCopy: documents.some((d) => d.kind === 'passport' && d.visitorId === v.id) })),
    documents,
    reception: reception ?? null,
    registration,
    checks,
    clock: row.state === 'received' ? replyClock(row.reply_due_on, today, calendar) : null,
    disclosure,
    birthFamily,
  }
}
export type LoadedRequest = Awaited<ReturnType<typeof loadRequest>>

/** Passport numbers on screen: the last four characters. */
export function maskPassport(number: string): string {
  return number.length <= 4 ? '****' : `${'*'.repeat(number.length - 4)}${number.slice(-4)}`
}

export async function documentBytes(db: Db, cipher: FieldCipher, viewer: Viewer, requestId: string, documentId: string) {
  await loadRow(db, viewer, requestId)
  if (!/^\d{1,18}$/.test(documentId)) throw new NotFoundError('document')
  const doc = await db.selectFrom('rootseeking_documents').select(['blob_id', 'filename', 'content_type']).where('id', '=', documentId).where('request_id', '=', requestId).executeTakeFirst()
  if (!doc) throw new NotFoundError('document')
  const bytes = await postgresBlobStore(cipher).get(db, doc.blob_id)
  if (!bytes) throw new NotFoundError('document')
  await audit(db, { actor: viewer, action: 'rootseeking.document_read', entityType: 'rootseeking_request', entityId: requestId, summary: { document: documentId } })
  return { bytes, filename: doc.filename, contentType: doc.content_type }
}

/** Documents added after the request (paper requests are scanned afterwards). */
export async function addDocument(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, requestId: string, doc: UploadedDocument & { visitorId?: string }) {
  if (doc.bytes.byteLength > DOCUMENT_MAX_BYTES) throw new ProcedureError('rootseeking.upload.tooLarge', { name: doc.filename, max: DOCUMENT_MAX_BYTES / 1024 / 1024 })
  if (!DOCUMENT_TYPES.includes(sniffAttachmentType(doc.bytes) ?? '')) throw new ProcedureError('rootseeking.upload.type', { name: doc.filename })
  await db.transaction().execute(async (trx) => {
    const row = await loadRow(trx, viewer, requestId, true)
    if (row.state !== 'received') throw new ProcedureError('rootseeking.state.notOpen')
    if (doc.kind === 'passport') {
      const visitor = await trx.selectFrom('rootseeking_visitors').select('id').where('id', '=', doc.visitorId ?? '0').where('request_id', '=', requestId).executeTakeFirst()
      if (!visitor) throw new ProcedureError('rootseeking.upload.visitor')
    }
    const blob = await postgresBlobStore(cipher).put(trx, doc.bytes)
    await trx.insertInto('rootseeking_documents').values({
      request_id: requestId, kind: doc.kind, visitor_id: doc.kind === 'passport' ? doc.visitorId ?? null : null, blob_id: blob,
      filename: doc.filename.slice(0, 200), content_type: sniffAttachmentType(doc.bytes)!, size: doc.bytes.byteLength, uploaded_by: viewer.id,
    }).execute()
    await audit(trx, { actor: viewer, action: 'rootseeking.document_added', entityType: 'rootseeking_request', entityId: requestId, summary: { kind: doc.kind } })
  })
}

// --- verification and the reply ----------------------------------------------------------------

/**
 * Verification: the adoption exists in the registry (a registered case with this number, its
 * archive file if any), the registration date and the adoptee's date of birth agree, and the staff
 * member confirms the visitors match their passport copies. Every visitor needs a passport copy.
 */
export async function verifyRequest(db: Kysely<Database>, viewer: Viewer, id: string, version: number, input: { visitorsMatch: boolean; note?: string; paperArchive?: string }) {
  if (!can(viewer.roles, 'rootseeking.write')) throw new ForbiddenError()
  await db.transaction().execute(async (trx) => {
    const row = await loadRow(trx, viewer, id, true)
    if (row.version !== version) throw new ConflictError()
    if (row.state !== 'received') throw new ProcedureError('rootseeking.state.notOpen')
    const found = await findRegistration(trx, viewer.registryCode, row.registration_number)
    if (found) {
      const failed = registryChecks(row, found).filter((c) => !c.ok)
      if (failed.length) throw new ProcedureError(`rootseeking.verify.mismatch.${failed[0].key}`)
    } else if (!input.paperArchive?.trim()) {
      // Not in the electronic registry: older adoptions are checked against the paper archive.
      throw new ProcedureError('rootseeking.verify.notFound', { number: row.registration_number })
    }
    const missing = await trx.selectFrom('rootseeking_visitors as v').select('v.name')
      .where('v.request_id', '=', id)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('rootseeking_documents as d').select('d.id').whereRef('d.visitor_id', '=', 'v.id').where('d.kind', '=', 'passport'))))
      .executeTakeFirst()
    if (missing) throw new ProcedureError('rootseeking.upload.missing.passport', { name: missing.name })
    const docs = await trx.selectFrom('rootseeking_documents').select('kind').where('request_id', '=', id).execute()
    for (const kind of ['application_form', 'adoption_certificate'] as const) {
      if (!docs.some((d) => d.kind === kind)) throw new ProcedureError(`rootseeking.upload.missing.${kind}`)
    }
    if (!input.visitorsMatch) throw new ProcedureError('rootseeking.verify.visitorsMatch')
    await trx.updateTable('rootseeking_requests').set({
      application_id: found?.applicationId ?? null, paper_archive_reference: found ? null : input.paperArchive!.trim(),
      verified_by: viewer.id, verified_at: sql`now()` as never, verification_note: input.note ?? null, version: sql`version + 1` as never,
    }).where('id', '=', id).execute()
    await audit(trx, { actor: viewer, action: 'rootseeking.verified', entityType: 'rootseeking_request', entityId: id, summary: found ? { application: found.applicationId } : { paperArchive: input.paperArchive } })
  })
}

/** Accepts a verified request with its reception plan; the family is told, in their language. */
export async function acceptRequest(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string, plan: PlanInput, today: string, publicUrl?: string) {
  if (!can(viewer.roles, 'rootseeking.write')) throw new ForbiddenError()
  await db.transaction().execute(async (trx) => {
    const row = await loadRow(trx, viewer, id, true)
    if (row.version !== plan.version) throw new ConflictError()
    if (row.state !== 'received') throw new ProcedureError('rootseeking.state.notOpen')
    if (!row.verified_at || (!row.application_id && !row.paper_archive_reference)) throw new ProcedureError('rootseeking.accept.notVerified')
    if (plan.visitOn <= today) throw new ProcedureError('rootseeking.date.inPast')
    const caseworker = await trx.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select('u.id')
      .where('u.id', '=', plan.caseworkerId).where('u.registry_code', '=', viewer.registryCode).where('u.active', '=', true).where('r.role', '=', 'caseworker').executeTakeFirst()
    if (!caseworker) throw new ProcedureError('rootseeking.plan.caseworkerUnknown')
    if (row.application_id) await refuseUndisclosed(trx, cipher, id, row.application_id, [plan.places, plan.receivingStaff, plan.interpreter, plan.institutionContact, plan.mayShow])
    await trx.insertInto('rootseeking_receptions').values({
      request_id: id, caseworker_id: plan.caseworkerId, visit_on: plan.visitOn, starts_at: plan.startsAt, ends_at: plan.endsAt, places: plan.places,
      receiving_staff: plan.receivingStaff, interpreter: plan.interpreter, institution_contact: plan.institutionContact, may_show: plan.mayShow, no_fee: plan.noFee, planned_by: viewer.id,
    }).execute()
    await trx.updateTable('rootseeking_requests').set({ state: 'accepted', decided_by: viewer.id, decided_at: sql`now()` as never, replied_on: today, version: sql`version + 1` as never }).where('id', '=', id).execute()
    const visitors = await trx.selectFrom('rootseeking_visitors').select('name').where('request_id', '=', id).orderBy('position').execute()
    const mail = acceptedMail({
      locale: row.language, reference: row.reference, applicantName: row.applicant_name, timeZone: row.time_zone,
      registryName: await registryName(trx, row.registry_code, row.language), statusUrl: `${publicUrl ?? ''}${statusPath}`,
      plan, visitors: visitors.map((v) => v.name),
    })
    await enqueueEmail(trx, { registryCode: row.registry_code, to: row.email, subject: mail.subject, text: mail.text })
    await audit(trx, { actor: viewer, action: 'rootseeking.accepted', entityType: 'rootseeking_request', entityId: id, summary: { visitOn: plan.visitOn, caseworker: plan.caseworkerId } })
  })
}

export async function declineRequest(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string, input: { version: number; reasons: string }, today: string, publicUrl?: string) {
  if (!can(viewer.roles, 'rootseeking.write')) throw new ForbiddenError()
  await db.transaction().execute(async (trx) => {
    const row = await loadRow(trx, viewer, id, true)
    if (row.version !== input.version) throw new ConflictError()
    if (row.state !== 'received') throw new ProcedureError('rootseeking.state.notOpen')
    if (row.application_id) await refuseUndisclosed(trx, cipher, id, row.application_id, [input.reasons])
    await trx.updateTable('rootseeking_requests').set({ state: 'declined', decided_by: viewer.id, decided_at: sql`now()` as never, replied_on: today, decline_reasons: input.reasons, version: sql`version + 1` as never }).where('id', '=', id).execute()
    const mail = declinedMail({
      locale: row.language, reference: row.reference, applicantName: row.applicant_name, timeZone: row.time_zone,
      registryName: await registryName(trx, row.registry_code, row.language), statusUrl: `${publicUrl ?? ''}${statusPath}`, reasons: input.reasons,
    })
    await enqueueEmail(trx, { registryCode: row.registry_code, to: row.email, subject: mail.subject, text: mail.text })
    await audit(trx, { actor: viewer, action: 'rootseeking.declined', entityType: 'rootseeking_request', entityId: id, reason: input.reasons })
  })
}

/** Text going to the family may not carry the birth family's details without a disclosure decision. */
async function refuseUndisclosed(trx: Db, cipher: FieldCipher, requestId: string, applicationId: string, texts: string[]) {
  const state = await disclosureState(trx, requestId)
  if (state.current?.disclose) return
  const details = await birthFamilyDetails(trx, cipher, applicationId)
  if (mentionsBirthFamily(texts, details)) throw new ProcedureError('rootseeking.disclosure.required')
}

/** The family's e-mail bounced: noted on the request so staff reach them another way. */
export async function markBounced(db: Kysely<Database>, viewer: Viewer, id: string) {
  await db.transaction().execute(async (trx) => {
    await loadRow(trx, viewer, id, true)
    await trx.updateTable('rootseeking_requests').set({ email_bounced_at: sql`now()` as never, version: sql`version + 1` as never }).where('id', '=', id).execute()
    await audit(trx, { actor: viewer, action: 'rootseeking.email_bounced', entityType: 'rootseeking_request', entityId: id })
  })
}

// --- the public status ---------------------------------------------------------------------------

/**
 * What the family sees when both keys match: the reference AND the e-mail given with it. Anything
 * else returns null, the same for an unknown reference as for a wrong e-mail, so a guess learns
 * nothing about any other request.
 */
export async function publicStatus(db: Db, referenceInput: string, email: string) {
  const reference = normalizeReference(referenceInput)
  if (!/^[A-Z2-7]{12}$/.test(reference)) return null
  const row = await db.selectFrom('rootseeking_requests as r').leftJoin('rootseeking_receptions as p', 'p.request_id', 'r.id')
    .select(['r.id', 'r.reference', 'r.state', 'r.email', 'r.received_on as receivedOn', 'r.reply_due_on as replyDueOn', 'r.replied_on as repliedOn', 'r.time_zone as timeZone', 'r.language',
      'p.visit_on as visitOn', 'p.starts_at as startsAt', 'p.ends_at as endsAt', 'p.places'])
    .where('r.reference', '=', reference).executeTakeFirst()
  if (!row || row.email.toLowerCase() !== email.trim().toLowerCase()) return null
  const { email: _email, id: _id, ...shown } = row
  return shown
}

// --- a change of visitors ------------------------------------------------------------------------

/**
 * Only the people named and verified may take part: adding or removing a visitor of an unanswered
 * request clears its verification (it must be verified again); once answered, the visitors are
 * fixed and a change is a new request.
 */
export async function addVisitor(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string, version: number, visitor: VisitorInput & { passportCopy?: { filename: string; bytes: Uint8Array } }) {
  if (!can(viewer.roles, 'rootseeking.write')) throw new ForbiddenError()
  if (visitor.passportCopy) checkDocuments({ channel: 'mail', visitors: [], documents: [{ kind: 'other', ...visitor.passportCopy }] })
  await db.transaction().execute(async (trx) => {
    const row = await loadRow(trx, viewer, id, true)
    if (row.version !== version) throw new ConflictError()
    if (row.state !== 'received') throw new ProcedureError('rootseeking.visitors.fixed')
    if (visitor.passportExpiry < row.wished_to) throw new ProcedureError('rootseeking.passport.expires')
    const hash = cipher.blindIndex('passport', visitor.passportNumber)
    const hashes = cipher.blindIndexCandidates('passport', visitor.passportNumber)
    const last = await trx.selectFrom('rootseeking_visitors').select(['position', 'passport_hash']).where('request_id', '=', id).orderBy('position', 'desc').execute()
    if (last.some((v) => hashes.includes(v.passport_hash))) throw new ProcedureError('rootseeking.passport.duplicate')
    const inserted = { id: await nextId(trx, 'rootseeking_visitors') }
    await trx.insertInto('rootseeking_visitors').values({
      id: inserted.id, request_id: id, position: (last[0]?.position ?? 0) + 1, name: visitor.name, relation: visitor.relation, nationality: visitor.nationality, birth_date: visitor.birthDate,
      passport_number_enc: cipher.encrypt(visitor.passportNumber, { table: 'rootseeking_visitors', column: 'passport_number_enc', row: inserted.id }), passport_hash: hash, passport_expiry: visitor.passportExpiry,
    }).execute()
    if (visitor.passportCopy) {
      const blob = await postgresBlobStore(cipher).put(trx, visitor.passportCopy.bytes)
      await trx.insertInto('rootseeking_documents').values({
        request_id: id, kind: 'passport', visitor_id: inserted.id, blob_id: blob, filename: visitor.passportCopy.filename.slice(0, 200),
        content_type: sniffAttachmentType(visitor.passportCopy.bytes)!, size: visitor.passportCopy.bytes.byteLength, uploaded_by: viewer.id,
      }).execute()
    }
    await clearVerification(trx, id)
    await audit(trx, { actor: viewer, action: 'rootseeking.visitor_added', entityType: 'rootseeking_request', entityId: id, summary: { visitor: inserted.id } })
  })
}

export async function removeVisitor(db: Kysely<Database>, viewer: Viewer, id: string, version: number, visitorId: string) {
  if (!can(viewer.roles, 'rootseeking.write')) throw new ForbiddenError()
  await db.transaction().execute(async (trx) => {
    const row = await loadRow(trx, viewer, id, true)
    if (row.version !== version) throw new ConflictError()
    if (row.state !== 'received') throw new ProcedureError('rootseeking.visitors.fixed')
    const visitors = await trx.selectFrom('rootseeking_visitors').select('id').where('request_id', '=', id).execute()
    if (!visitors.some((v) => v.id === visitorId)) throw new NotFoundError('visitor')
    if (visitors.length === 1) throw new ProcedureError('rootseeking.visitors.required')
    // The passport copy stays in the request's documents (nothing is deleted), detached from the visitor.
    await trx.updateTable('rootseeking_documents').set({ kind: 'other', visitor_id: null }).where('visitor_id', '=', visitorId).execute()
    await trx.deleteFrom('rootseeking_visitors').where('id', '=', visitorId).execute()
    await clearVerification(trx, id)
    await audit(trx, { actor: viewer, action: 'rootseeking.visitor_removed', entityType: 'rootseeking_request', entityId: id, summary: { visitor: visitorId } })
  })
}

async function clearVerification(trx: Transaction<Database>, id: string) {
  await trx.updateTable('rootseeking_requests').set({ verified_by: null, verified_at: null, application_id: null, paper_archive_reference: null, verification_note: null, version: sql`version + 1` as never }).where('id', '=', id).execute()
}

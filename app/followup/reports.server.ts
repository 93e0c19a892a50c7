// Visit reports: the caseworker assigned to a visit records it (a draft may be saved and taken up
// again), submits it — which signs it and marks the task done —, and a supervisor reviews it, after
// which it is read-only (trigger visit_report_guard); a correction is a new version with a reason,
// reviewed again. Free text about the child is encrypted; every read is audited. A serious concern
// alerts the registry's supervisors by e-mail in the saving transaction and stays on their home page
// until reviewed; it cannot be submitted without the mandatory report's authority and time.
import { sql, type Kysely } from 'kysely'
import type { Database, SupportNeed } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ConflictError, ForbiddenError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { enqueueEmail } from '#app/platform/mail.server.ts'
import { can } from '#app/platform/permissions.ts'
import { postgresBlobStore, sniffAttachmentType, ATTACHMENT_MAX_BYTES } from '#app/platform/storage.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { mayFile, readableTask, refused, requireFiler, requireSupervisor, taskRow, validId, type Db } from './access.server.ts'
import { authorityOf, MAX_PHOTOS, reportedAtInstant, reportRuleViolations, type ReportFields } from './report-rules.ts'
import { mailRecipients } from '#app/staff/users.server.ts'
import { nextId } from '#app/platform/row-ids.server.ts'

type VisitReportField = 'met_enc' | 'daily_care_enc' | 'health_enc' | 'schooling_enc' | 'bonding_enc' | 'referral_enc' | 'concern_details_enc'

export type ReportInput = ReportFields & { photos?: Uint8Array[] }
export const PHOTO_TYPES = ['image/jpeg', 'image/png']

export type ReportView = {
  id: string
  version: number
  rowVersion: number
  status: 'draft' | 'submitted' | 'reviewed'
  visitedOn: string
  outsideWindowReason: string | null
  met: string
  dailyCare: string
  health: string
  schooling: string
  bonding: string
  supportNeeds: SupportNeed[]
  referral: string | null
  concernLevel: 'none' | 'minor' | 'moderate' | 'serious'
  concernDetails: string | null
  reportedTo: string | null
  reportedAt: Date | null
  correctionReason: string | null
  createdByName: string | null
  signedByName: string | null
  signedAt: Date | null
  reviewedByName: string | null
  reviewedAt: Date | null
  reviewNote: string | null
  photos: { id: string; contentType: string; size: number }[]
}

async function reportsOf(db: Db, cipher: FieldCipher, taskId: string): Promise<ReportView[]> {
  const rows = await db.selectFrom('visit_reports as r')
    .leftJoin('users as c', 'c.id', 'r.created_by').leftJoin('users as s', 's.id', 'r.signed_by').leftJoin('users as v', 'v.id', 'r.reviewed_by')
    .selectAll('r').select(['c.display_name as createdByName', 's.display_name as signedByName', 'v.display_name as reviewedByName'])
    .where('r.task_id', '=', taskId).orderBy('r.version').execute()
  const photos = rows.length ? await db.selectFrom('visit_report_photos').select(['id', 'report_id', 'content_type', 'size'])
    .where('report_id', 'in', rows.map((r) => r.id)).orderBy('id').execute() : []
  return rows.map((r) => {
    const dec = (column: VisitReportField, v: string) => cipher.decrypt(v, { table: 'visit_reports', column, row: r.id })
    const opt = (column: VisitReportField, v: string | null) => (v === null ? null : dec(column, v))
    return {
    id: r.id, version: r.version, rowVersion: r.row_version, status: r.status, visitedOn: r.visited_on, outsideWindowReason: r.outside_window_reason,
    met: dec('met_enc', r.met_enc), dailyCare: dec('daily_care_enc', r.daily_care_enc), health: dec('health_enc', r.health_enc), schooling: dec('schooling_enc', r.schooling_enc),
    bonding: dec('bonding_enc', r.bonding_enc), supportNeeds: r.support_needs, referral: opt('referral_enc', r.referral_enc), concernLevel: r.concern_level,
    concernDetails: opt('concern_details_enc', r.concern_details_enc), reportedTo: r.reported_to, reportedAt: r.reported_at, correctionReason: r.correction_reason,
    createdByName: r.createdByName, signedByName: r.signedByName, signedAt: r.signed_at, reviewedByName: r.reviewedByName, reviewedAt: r.reviewed_at,
    reviewNote: r.review_note, photos: photos.filter((p) => p.report_id === r.id).map((p) => ({ id: p.id, contentType: p.content_type, size: p.size })),
    }
  })
}

/** The task page: the task, its family, its reports (decrypted: audited) and the previous visit. */
export async function loadTask(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string) {
  const task = await taskRow(db, viewer, id)
  const caseworker = task.caseworker_id ? await db.selectFrom('users').select(['id', 'display_name']).where('id', '=', task.caseworker_id).executeTakeFirst() : null
  let family: { registrationNumber: string | null; registeredOn: string | null; child: string; childBirthDate: string | null; adopters: { name: string; phone: string | null; address: string | null }[]; country: string | null; agency: string | null; agencyEmail: string | null }
  let previous: (ReportView & { sequence: number }) | null = null
  if (task.application_id) {
    const app = await db.selectFrom('applications').select(['registration_number', 'registered_on']).where('id', '=', task.application_id).executeTakeFirstOrThrow()
    const parties = await db.selectFrom('parties').select(['role', 'name', 'name_after_adoption', 'birth_date', 'phone', 'current_address', 'hukou_address'])
      .where('application_id', '=', task.application_id).where('role', 'in', ['adopter', 'child']).orderBy('position').execute()
    const child = parties.find((p) => p.role === 'child')
    family = {
      registrationNumber: app.registration_number, registeredOn: app.registered_on, child: child ? child.name_after_adoption || child.name : '',
      childBirthDate: child?.birth_date ?? null, country: null, agency: null, agencyEmail: null,
      adopters: parties.filter((p) => p.role === 'adopter').map((p) => ({ name: p.name, phone: p.phone, address: p.current_address || p.hukou_address })),
    }
    const prevTask = await db.selectFrom('followup_tasks as t').select(['t.id', 't.sequence'])
      .where('t.application_id', '=', task.application_id).where('t.sequence', '<', task.sequence).where('t.status', '=', 'done')
      .orderBy('t.sequence', 'desc').limit(1).executeTakeFirst()
    if (prevTask) {
      const reports = (await reportsOf(db, cipher, prevTask.id)).filter((r) => r.status !== 'draft')
      if (reports.length) previous = { ...reports.at(-1)!, sequence: prevTask.sequence }
    }
  } else {
    const ic = await db.selectFrom('intercountry_adoptions').selectAll().where('id', '=', task.intercountry_id!).executeTakeFirstOrThrow()
    family = {
      registrationNumber: ic.registration_number, registeredOn: ic.registered_on, child: ic.child_name, childBirthDate: ic.child_birth_date,
      adopters: [{ name: ic.adopters, phone: null, address: null }], country: ic.country, agency: ic.agency, agencyEmail: ic.agency_email,
    }
  }
  const reports = await reportsOf(db, cipher, task.id)
  await audit(db, { actor: viewer, action: 'followup.task_viewed', entityType: 'followup_task', entityId: task.id, summary: { application: task.application_id, reports: reports.length } })
  return { task, caseworker: caseworker ?? null, family, reports, previous, mayFile: mayFile(viewer, task), maySupervise: can(viewer.roles, 'followup.supervise') }
}

function checkPhotos(photos: Uint8Array[]) {
  if (photos.length > MAX_PHOTOS) throw new ProcedureError('followup.photo.tooMany', { max: MAX_PHOTOS })
  for (const p of photos) {
    if (p.byteLength > ATTACHMENT_MAX_BYTES) throw new ProcedureError('followup.photo.tooLarge')
    if (!PHOTO_TYPES.includes(sniffAttachmentType(p) ?? '')) throw new ProcedureError('followup.photo.type')
  }
}

/**
 * Saves the caseworker's report of a visit task: a new draft (version 1, or the next version with a
 * correction reason after a review), or the open draft again. `submit` signs it and closes the task.
 */
export async function saveReport(
  db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, taskId: string, input: ReportInput,
  options: { submit: boolean; today: string; rowVersion?: number },
): Promise<{ reportId: string; alerted: number }> {
  const photos = input.photos ?? []
  checkPhotos(photos)
  return db.transaction().execute(async (trx) => {
    const task = await taskRow(trx, viewer, taskId, true)
    requireFiler(viewer, task)
    if (task.kind !== 'visit') throw new ProcedureError('followup.report.notVisit')
    const latest = await trx.selectFrom('visit_reports').selectAll().where('task_id', '=', task.id).orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirst()
    if (latest?.status === 'submitted') throw new ProcedureError('followup.report.awaitingReview')
    const isCorrection = latest?.status === 'reviewed' || (latest?.status === 'draft' && latest.version > 1)
    if (!isCorrection && task.status !== 'open') throw new ProcedureError('followup.task.closed')
    const violations = reportRuleViolations(input, { today: options.today, windowFrom: task.window_from, windowTo: task.window_to, submit: options.submit }, isCorrection)
    if (violations.length) throw new ProcedureError(violations[0][1])
    // The row's id comes first: its fields are bound to it (decision 030).
    const reportId = latest?.status === 'draft' ? latest.id : await nextId(trx, 'visit_reports')
    const seal = (column: VisitReportField, v: string) => cipher.encrypt(v, { table: 'visit_reports', column, row: reportId })
    const enc = (column: VisitReportField, v: string | undefined) => (v?.trim() ? seal(column, v.trim()) : null)
    const values = {
      visited_on: input.visitedOn,
      outside_window_reason: input.visitedOn < task.window_from || input.visitedOn > task.window_to ? input.outsideWindowReason!.trim() : null,
      met_enc: seal('met_enc', input.met), daily_care_enc: seal('daily_care_enc', input.dailyCare), health_enc: seal('health_enc', input.health),
      schooling_enc: seal('schooling_enc', input.schooling), bonding_enc: seal('bonding_enc', input.bonding),
      support_needs: input.supportNeeds, referral_enc: input.supportNeeds.length ? enc('referral_enc', input.referral) : null,
      concern_level: input.concernLevel, concern_details_enc: input.concernLevel === 'none' ? null : enc('concern_details_enc', input.concernDetails),
      reported_to: authorityOf(input), reported_at: input.reportedAt ? reportedAtInstant(input.reportedAt) : null,
      correction_reason: isCorrection ? input.correctionReason!.trim() : null,
      ...(options.submit ? { status: 'submitted' as const, signed_by: viewer.id, signed_at: sql<Date>`now()` as never } : {}),
    }
    let alreadyAlerted = false
    if (latest?.status === 'draft') {
      if (options.rowVersion !== undefined && options.rowVersion !== latest.row_version) throw new ConflictError()
      alreadyAlerted = latest.alerted_at !== null
      await trx.updateTable('visit_reports').set({ ...values, updated_at: sql`now()` as never, row_version: sql`row_version + 1` as never }).where('id', '=', latest.id).execute()
    } else {
      const version = latest ? latest.version + 1 : 1
      await trx.insertInto('visit_reports').values({ id: reportId, task_id: task.id, version, created_by: viewer.id, ...values }).execute()
      if (latest) {
        // A correction keeps the photos of the version it corrects.
        await trx.insertInto('visit_report_photos').columns(['report_id', 'blob_id', 'content_type', 'sha256', 'size', 'caption'])
          .expression((eb) => eb.selectFrom('visit_report_photos').select([sql<string>`${reportId}::bigint`.as('report_id'), 'blob_id', 'content_type', 'sha256', 'size', 'caption']).where('report_id', '=', latest.id))
          .execute()
      }
    }
    const store = postgresBlobStore(cipher)
    for (const p of photos) {
      const blobId = await store.put(trx, p)
      const blob = await trx.selectFrom('blobs').select(['sha256', 'size']).where('id', '=', blobId).executeTakeFirstOrThrow()
      await trx.insertInto('visit_report_photos').values({ report_id: reportId, blob_id: blobId, content_type: sniffAttachmentType(p)!, sha256: blob.sha256, size: blob.size }).execute()
    }
    let alerted = 0
    if (input.concernLevel === 'serious' && !alreadyAlerted) {
      alerted = await alertSupervisors(trx, viewer, task.id, reportId)
      await trx.updateTable('visit_reports').set({ alerted_at: sql`now()` as never }).where('id', '=', reportId).execute()
    }
    if (options.submit && task.status === 'open') {
      await trx.updateTable('followup_tasks').set({ status: 'done', closed_at: sql`now()` as never, version: sql`version + 1` as never }).where('id', '=', task.id).execute()
    }
    await audit(trx, {
      actor: viewer, action: options.submit ? 'followup.report_submitted' : 'followup.report_saved', entityType: 'followup_task', entityId: task.id,
      summary: { report: reportId, concern: input.concernLevel, photos: photos.length, correction: isCorrection },
    })
    return { reportId, alerted }
  })
}

/** E-mails every active supervisor of the registry (in the caller's transaction); the details stay out of the mail. */
async function alertSupervisors(trx: Db, viewer: Viewer, taskId: string, reportId: string): Promise<number> {
  const supervisors = await mailRecipients(trx, viewer.registryCode, 'supervisor')
  for (const s of supervisors) {
    const locale = s.locale
    await enqueueEmail(trx, {
      registryCode: viewer.registryCode, to: s.email,
      subject: translate(locale, 'followup.alert.mail.subject', { task: taskId }),
      text: translate(locale, 'followup.alert.mail.body', { name: s.name, task: taskId, report: reportId, by: viewer.username }),
    })
  }
  await audit(trx, { actor: viewer, action: 'followup.serious_concern', entityType: 'followup_task', entityId: taskId, summary: { report: reportId, notified: supervisors.length } })
  return supervisors.length
}

/** A supervisor reviews a submitted report (not their own): it becomes read-only. */
export async function reviewReport(db: Kysely<Database>, viewer: Viewer, reportId: string, rowVersion: number, note: string) {
  requireSupervisor(viewer)
  if (!validId(reportId)) throw new NotFoundError('report')
  await db.transaction().execute(async (trx) => {
    const report = await trx.selectFrom('visit_reports as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id')
      .select(['r.id', 'r.status', 'r.row_version', 'r.signed_by', 'r.task_id']).where('r.id', '=', reportId).where('t.registry_code', '=', viewer.registryCode)
      .forUpdate().executeTakeFirst()
    if (!report) throw new NotFoundError('report')
    if (report.row_version !== rowVersion) throw new ConflictError()
    if (report.status !== 'submitted') throw new ProcedureError('followup.review.notSubmitted')
    if (report.signed_by === viewer.id) throw new ForbiddenError()
    await trx.updateTable('visit_reports').set({
      status: 'reviewed', reviewed_by: viewer.id, reviewed_at: sql`now()` as never, review_note: note.trim() || null, row_version: sql`row_version + 1` as never,
    }).where('id', '=', reportId).execute()
    await audit(trx, { actor: viewer, action: 'followup.report_reviewed', entityType: 'followup_task', entityId: report.task_id, summary: { report: reportId } })
  })
}

/** Submitted reports awaiting review, oldest first. */
export async function reviewQueue(db: Db, viewer: Viewer) {
  requireSupervisor(viewer)
  return db.selectFrom('visit_reports as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id')
    .leftJoin('applications as a', 'a.id', 't.application_id').leftJoin('users as u', 'u.id', 'r.signed_by')
    .select(['r.id', 'r.task_id as taskId', 'r.version', 'r.visited_on as visitedOn', 'r.concern_level as concernLevel', 'r.signed_at as signedAt',
      'u.display_name as signedBy', 'a.registration_number as registrationNumber', 't.sequence'])
    .where('t.registry_code', '=', viewer.registryCode).where('r.status', '=', 'submitted').orderBy('r.signed_at').limit(200).execute()
}

/** A photo of a report, for whoever may read its task (readableTask; otherwise not found); audited. */
export async function photoBytes(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, photoId: string) {
  if (!validId(photoId)) throw new NotFoundError('photo')
  const photo = await db.selectFrom('visit_report_photos as p').innerJoin('visit_reports as r', 'r.id', 'p.report_id').innerJoin('followup_tasks as t', 't.id', 'r.task_id')
    .select(['p.blob_id', 'p.content_type', 'r.task_id']).where('p.id', '=', photoId).where(readableTask(db, viewer)).executeTakeFirst()
  if (!photo) {
    const owner = await db.selectFrom('visit_report_photos as p').innerJoin('visit_reports as r', 'r.id', 'p.report_id').select('r.task_id').where('p.id', '=', photoId).executeTakeFirst()
    if (owner) await refused(db, viewer, owner.task_id, { photo: photoId })
    throw new NotFoundError('photo')
  }
  const bytes = await postgresBlobStore(cipher).get(db, photo.blob_id)
  if (!bytes) throw new NotFoundError('photo')
  await audit(db, { actor: viewer, action: 'followup.photo_viewed', entityType: 'followup_task', entityId: photo.task_id, summary: { photo: photoId } })
  return { bytes, contentType: photo.content_type }
}

/** What the report form of a task needs to check its input: the window, and whether it is a correction. */
export async function reportContext(db: Db, viewer: Viewer, taskId: string) {
  const task = await taskRow(db, viewer, taskId)
  const latest = await db.selectFrom('visit_reports').select(['status', 'version']).where('task_id', '=', task.id).orderBy('version', 'desc').limit(1).executeTakeFirst()
  const isCorrection = latest?.status === 'reviewed' || (latest?.status === 'draft' && latest.version > 1)
  return { windowFrom: task.window_from, windowTo: task.window_to, isCorrection }
}

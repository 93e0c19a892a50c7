// Earlier intercountry adoptions (recorded by hand here, or imported): the six post-placement
// reports (安置后报告) expected from the foreign agency, tracked as tasks. A report received is
// recorded with its file (PDF or image, recognised by content, kept encrypted); it is then accepted
// — the task is done — or returned to the agency for correction with the reason, and the corrected
// report is recorded as a new receipt. Overdue is derived: open and past the window's end.
import { sql, type Kysely } from 'kysely'
import type { Database } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ConflictError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { postgresBlobStore, sniffAttachmentType, ATTACHMENT_MAX_BYTES } from '#app/platform/storage.server.ts'
import type { Viewer } from '#app/registration/applications.server.ts'
import { createPostPlacementPlan } from './plans.server.ts'
import { readableIntercountry, readableTask, refused, taskRow, validId, type Db } from './access.server.ts'
import { refuseRecord } from '#app/platform/record-access.server.ts'

export type IntercountryInput = {
  registrationNumber: string
  registeredOn: string
  approvedOn: string
  childName: string
  childBirthDate: string
  adopters: string
  country: string
  agency: string
  agencyEmail?: string
}

export const RECEIPT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff']

export async function recordIntercountry(db: Kysely<Database>, viewer: Viewer, input: IntercountryInput, today: string): Promise<string> {
  if (input.approvedOn > input.registeredOn) throw new ProcedureError('followup.ic.approvedAfterRegistered')
  if (input.registeredOn > today) throw new ProcedureError('followup.ic.registeredFuture')
  if (input.childBirthDate > input.registeredOn) throw new ProcedureError('followup.ic.bornAfter')
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('intercountry_adoptions').select('id').where('registry_code', '=', viewer.registryCode)
      .where('registration_number', '=', input.registrationNumber).executeTakeFirst()
    if (existing) throw new ProcedureError('followup.ic.duplicate')
    const { id } = await trx.insertInto('intercountry_adoptions').values({
      registry_code: viewer.registryCode, registration_number: input.registrationNumber, registered_on: input.registeredOn, approved_on: input.approvedOn,
      child_name: input.childName, child_birth_date: input.childBirthDate, adopters: input.adopters, country: input.country, agency: input.agency,
      agency_email: input.agencyEmail || null, source: 'manual', created_by: viewer.id,
    }).returning('id').executeTakeFirstOrThrow()
    const n = await createPostPlacementPlan(trx, { intercountryId: id, registryCode: viewer.registryCode, registeredOn: input.registeredOn, approvedOn: input.approvedOn })
    await audit(trx, { actor: viewer, action: 'followup.intercountry_recorded', entityType: 'intercountry_adoption', entityId: id, summary: { reports: n } })
    return id
  })
}

export type ReportStatus = 'accepted' | 'returned' | 'received' | 'overdue' | 'expected' | 'cancelled'

function statusOf(task: { status: string; window_to: string }, latest: { outcome: string } | undefined, today: string): ReportStatus {
  if (task.status === 'done') return 'accepted'
  if (task.status === 'cancelled') return 'cancelled'
  if (latest?.outcome === 'received') return 'received'
  // A report returned for correction shows as such (the agency owes the corrected one), late or not.
  if (latest?.outcome === 'returned') return 'returned'
  if (task.window_to < today) return 'overdue'
  return 'expected'
}

/** The adoptions with the status of each expected report. `filter` 'overdue' keeps those with one overdue. */
export async function listIntercountry(db: Db, viewer: Viewer, today: string, filter?: 'overdue') {
  const adoptions = await db.selectFrom('intercountry_adoptions as i').selectAll('i').where(readableIntercountry(db, viewer))
    .orderBy('registered_on', 'desc').orderBy('id', 'desc').limit(500).execute()
  if (adoptions.length === 0) return []
  const tasks = await db.selectFrom('followup_tasks').select(['id', 'intercountry_id', 'sequence', 'due_on', 'window_from', 'window_to', 'status'])
    .where('intercountry_id', 'in', adoptions.map((a) => a.id)).orderBy('sequence').execute()
  const receipts = tasks.length ? await db.selectFrom('post_placement_receipts').select(['task_id', 'outcome', 'returned_reason', 'received_on'])
    .where('task_id', 'in', tasks.map((t) => t.id)).orderBy('id').execute() : []
  const out = adoptions.map((a) => ({
    ...a,
    reports: tasks.filter((t) => t.intercountry_id === a.id).map((t) => {
      const latest = receipts.filter((r) => r.task_id === t.id).at(-1)
      return { id: t.id, sequence: t.sequence, dueOn: t.due_on, windowFrom: t.window_from, windowTo: t.window_to, status: statusOf(t, latest, today), returnedReason: latest?.outcome === 'returned' ? latest.returned_reason : null, receivedOn: latest?.received_on ?? null }
    }),
  }))
  return filter === 'overdue' ? out.filter((a) => a.reports.some((r) => r.status === 'overdue')) : out
}

export async function loadIntercountry(db: Db, viewer: Viewer, id: string, today: string, ip: string | null = null) {
  if (!validId(id)) throw new NotFoundError('intercountry')
  const adoption = await db.selectFrom('intercountry_adoptions as i').selectAll('i').where('i.id', '=', id).where(readableIntercountry(db, viewer)).executeTakeFirst()
  if (!adoption) {
    const exists = await db.selectFrom('intercountry_adoptions').select('id').where('id', '=', id).where('registry_code', '=', viewer.registryCode).executeTakeFirst()
    return refuseRecord(db, viewer, 'intercountry_adoption', id, !!exists, ip)
  }
  await audit(db, { actor: viewer, action: 'followup.intercountry_viewed', entityType: 'intercountry_adoption', entityId: id, ip })
  const tasks = await db.selectFrom('followup_tasks as t').leftJoin('users as u', 'u.id', 't.caseworker_id')
    .select(['t.id', 't.sequence', 't.due_on', 't.window_from', 't.window_to', 't.status', 't.version', 'u.display_name as caseworker'])
    .where('t.intercountry_id', '=', id).orderBy('t.sequence').execute()
  const receipts = tasks.length ? await db.selectFrom('post_placement_receipts as r').leftJoin('users as u', 'u.id', 'r.recorded_by')
    .select(['r.id', 'r.task_id', 'r.received_on', 'r.content_type', 'r.outcome', 'r.returned_reason', 'r.recorded_at', 'u.display_name as recordedBy'])
    .where('r.task_id', 'in', tasks.map((t) => t.id)).orderBy('r.id').execute() : []
  return {
    adoption,
    reports: tasks.map((t) => {
      const own = receipts.filter((r) => r.task_id === t.id)
      return { ...t, status: statusOf(t, own.at(-1), today), receipts: own }
    }),
  }
}

/** Records a report received from the agency, with its file (PDF, JPEG, PNG or TIFF). */
export async function recordReceipt(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, taskId: string, input: { receivedOn: string; bytes: Uint8Array }, today: string) {
  if (input.receivedOn > today) throw new ProcedureError('followup.ic.receivedFuture')
  if (input.bytes.byteLength === 0) throw new ProcedureError('followup.ic.fileRequired')
  if (input.bytes.byteLength > ATTACHMENT_MAX_BYTES) throw new ProcedureError('followup.photo.tooLarge')
  const type = sniffAttachmentType(input.bytes)
  if (!type || !RECEIPT_TYPES.includes(type)) throw new ProcedureError('followup.ic.fileType')
  return db.transaction().execute(async (trx) => {
    const task = await taskRow(trx, viewer, taskId, true)
    if (task.kind !== 'post_placement_report') throw new NotFoundError('task')
    if (task.status !== 'open') throw new ProcedureError('followup.task.closed')
    const pending = await trx.selectFrom('post_placement_receipts').select('id').where('task_id', '=', task.id).where('outcome', '=', 'received').executeTakeFirst()
    if (pending) throw new ProcedureError('followup.ic.pendingReceipt')
    const blobId = await postgresBlobStore(cipher).put(trx, input.bytes)
    const blob = await trx.selectFrom('blobs').select('sha256').where('id', '=', blobId).executeTakeFirstOrThrow()
    const { id } = await trx.insertInto('post_placement_receipts').values({
      task_id: task.id, received_on: input.receivedOn, blob_id: blobId, content_type: type, sha256: blob.sha256, recorded_by: viewer.id,
    }).returning('id').executeTakeFirstOrThrow()
    await audit(trx, { actor: viewer, action: 'followup.report_received', entityType: 'intercountry_adoption', entityId: task.intercountry_id!, summary: { task: task.id, receipt: id } })
    return id
  })
}

/** Accepts a received report (the task is done) or returns it for correction with the reason. */
export async function decideReceipt(db: Kysely<Database>, viewer: Viewer, receiptId: string, input: { accept: boolean; reason?: string; taskVersion: number }) {
  if (!validId(receiptId)) throw new NotFoundError('receipt')
  if (!input.accept && !input.reason?.trim()) throw new ProcedureError('followup.ic.reasonRequired')
  await db.transaction().execute(async (trx) => {
    const receipt = await trx.selectFrom('post_placement_receipts as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id')
      .select(['r.id', 'r.outcome', 't.id as taskId', 't.version', 't.status', 't.intercountry_id']).where('r.id', '=', receiptId)
      .where('t.registry_code', '=', viewer.registryCode).forUpdate().executeTakeFirst()
    if (!receipt) throw new NotFoundError('receipt')
    if (receipt.version !== input.taskVersion) throw new ConflictError()
    if (receipt.outcome !== 'received' || receipt.status !== 'open') throw new ProcedureError('followup.ic.decided')
    await trx.updateTable('post_placement_receipts').set({
      outcome: input.accept ? 'accepted' : 'returned', returned_reason: input.accept ? null : input.reason!.trim(), decided_by: viewer.id, decided_at: sql`now()` as never,
    }).where('id', '=', receiptId).execute()
    await trx.updateTable('followup_tasks').set(input.accept
      ? { status: 'done', closed_at: sql`now()` as never, version: sql`version + 1` as never }
      : { version: sql`version + 1` as never }).where('id', '=', receipt.taskId).execute()
    await audit(trx, {
      actor: viewer, action: input.accept ? 'followup.report_accepted' : 'followup.report_returned', entityType: 'intercountry_adoption', entityId: receipt.intercountry_id!,
      summary: { task: receipt.taskId, receipt: receiptId }, reason: input.accept ? undefined : input.reason,
    })
  })
}

export async function receiptFile(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, receiptId: string) {
  if (!validId(receiptId)) throw new NotFoundError('receipt')
  const r = await db.selectFrom('post_placement_receipts as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id')
    .select(['r.blob_id', 'r.content_type', 't.intercountry_id']).where('r.id', '=', receiptId).where(readableTask(db, viewer)).executeTakeFirst()
  if (!r) {
    const owner = await db.selectFrom('post_placement_receipts as r').innerJoin('followup_tasks as t', 't.id', 'r.task_id').select('t.id')
      .where('r.id', '=', receiptId).where('t.registry_code', '=', viewer.registryCode).executeTakeFirst()
    if (owner) await refused(db, viewer, owner.id, { receipt: receiptId })
    throw new NotFoundError('receipt')
  }
  const bytes = await postgresBlobStore(cipher).get(db, r.blob_id)
  if (!bytes) throw new NotFoundError('receipt')
  await audit(db, { actor: viewer, action: 'followup.report_file_viewed', entityType: 'intercountry_adoption', entityId: r.intercountry_id!, summary: { receipt: receiptId } })
  return { bytes, contentType: r.content_type }
}

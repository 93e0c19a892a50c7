// Certificate reissue (补发 when lost; 换发 when damaged, or to correct an error — the Civil Code's
// errors in a registration are corrected by reissuing the certificate; Measures for the
// Registration of Adoptions) as two persons' work (decision 027): one asks, with the kind and the
// reason; another with the approving permission (case.approve) approves or refuses; then the new
// certificate is issued on a new preprinted blank (its serial, 印制号) and the one it replaces is
// marked superseded. A registration imported from a historical ledger is printed on a blank only
// through such a reissue: its paper certificate was issued outside the system.
// The same route serves every registration (made in the system or imported).
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database, ReissueKind } from '#db/schema.ts'
import { audit } from '#app/platform/audit.server.ts'
import { ConflictError, NotFoundError, ProcedureError } from '#app/platform/http.server.ts'
import { recordEvent, visibleApplications, type Viewer } from './applications.server.ts'

type Db = Kysely<Database> | Transaction<Database>

export const reissueKinds = ['lost', 'damaged', 'corrected'] as const satisfies readonly ReissueKind[]

const idPattern = /^\d{1,18}$/

async function lockedApplication(trx: Transaction<Database>, viewer: Viewer, id: string) {
  if (!idPattern.test(id)) throw new NotFoundError('application')
  const app = await visibleApplications(trx, viewer).select(['id', 'state', 'registration_number', 'registry_code', 'source']).where('id', '=', id).forUpdate().executeTakeFirst()
  if (!app) throw new NotFoundError('application')
  return app
}

/** The request: a registration in force, its valid certificate, the kind and the reason; one open request at a time. */
export async function requestReissue(db: Kysely<Database>, viewer: Viewer, applicationId: string, input: { kind: ReissueKind; reason: string }): Promise<string> {
  const reason = input.reason.trim().slice(0, 500)
  if (reason.length < 2) throw new ProcedureError('reissue.reasonRequired')
  return db.transaction().execute(async (trx) => {
    const app = await lockedApplication(trx, viewer, applicationId)
    if (app.state !== 'registered') throw new ProcedureError('reissue.notRegistered')
    const current = await trx.selectFrom('certificates').select('id').where('application_id', '=', app.id).where('kind', '=', 'adoption').where('status', '=', 'valid').executeTakeFirst()
    if (!current) throw new ProcedureError('reissue.noValidCertificate')
    const { id } = await trx.insertInto('certificate_reissues').values({
      application_id: app.id, certificate_id: current.id, kind: input.kind, reason, requested_by: viewer.id,
    }).returning('id').executeTakeFirstOrThrow()
    await recordEvent(trx, app.id, viewer.id, 'reissue_requested', app.state, app.state, reason)
    await audit(trx, { actor: viewer, action: 'application.reissue_requested', entityType: 'application', entityId: app.id, reason, summary: { reissue: id, kind: input.kind } })
    return id
  }).catch((error) => {
    if ((error as { code?: string; constraint?: string })?.code === '23505' && (error as { constraint?: string }).constraint === 'certificate_reissues_one_open') {
      throw new ProcedureError('reissue.alreadyOpen')
    }
    throw error
  })
}

async function reissueFor(db: Db, viewer: Viewer, reissueId: string) {
  if (!idPattern.test(reissueId)) throw new NotFoundError('reissue')
  const row = await db.selectFrom('certificate_reissues as r').selectAll('r')
    .where('r.id', '=', reissueId)
    .where('r.application_id', 'in', visibleApplications(db, viewer).select('applications.id'))
    .executeTakeFirst()
  if (!row) throw new NotFoundError('reissue')
  return row
}

/**
 * The second person's decision. The requester may not decide their own request (refused with a
 * message and audited, in its own transaction so that the refusal's trace survives); the database
 * refuses it as well (certificate_reissues_second_person). Two deciders at once: one wins the
 * conditional update, the other is told the request changed.
 */
export async function decideReissue(
  db: Kysely<Database>, viewer: Viewer, reissueId: string, input: { version: number; decision: 'approve' | 'refuse'; note?: string },
): Promise<void> {
  const reissue = await reissueFor(db, viewer, reissueId)
  if (reissue.requested_by === viewer.id) {
    await audit(db, { actor: viewer, action: 'application.reissue_self_approval_refused', entityType: 'application', entityId: reissue.application_id, summary: { reissue: reissueId } })
    throw new ProcedureError('reissue.self')
  }
  const note = (input.note ?? '').trim().slice(0, 500)
  if (input.decision === 'refuse' && note.length < 2) throw new ProcedureError('reissue.refusalReasonRequired')
  await db.transaction().execute(async (trx) => {
    const app = await lockedApplication(trx, viewer, reissue.application_id)
    const updated = await trx.updateTable('certificate_reissues').set({
      state: input.decision === 'approve' ? 'approved' : 'refused', decided_by: viewer.id, decided_at: new Date(), decision_note: note || null, version: sql`version + 1`,
    }).where('id', '=', reissueId).where('state', '=', 'requested').where('version', '=', input.version).executeTakeFirst()
    if (!updated.numUpdatedRows) throw new ConflictError()
    await recordEvent(trx, app.id, viewer.id, input.decision === 'approve' ? 'reissue_approved' : 'reissue_refused', app.state, app.state, note || null)
    await audit(trx, {
      actor: viewer, action: input.decision === 'approve' ? 'application.reissue_approved' : 'application.reissue_refused', entityType: 'application', entityId: app.id,
      reason: note || undefined, summary: { reissue: reissueId, kind: reissue.kind, requestedBy: reissue.requested_by },
    })
  }).catch((error) => {
    if ((error as { code?: string })?.code === '23514') throw new ProcedureError('reissue.self')
    throw error
  })
}

/**
 * The approved reissue issued: the new certificate with the new blank's serial, the replaced one
 * superseded, in one transaction. The certificate to print on the blank is the new one.
 */
export async function issueReissue(db: Kysely<Database>, viewer: Viewer, reissueId: string, input: { version: number; serial: string }, today: string): Promise<string> {
  const serial = input.serial.trim()
  if (!serial) throw new ProcedureError('registration.serialRequired')
  const reissue = await reissueFor(db, viewer, reissueId)
  return db.transaction().execute(async (trx) => {
    const app = await lockedApplication(trx, viewer, reissue.application_id)
    if (app.state !== 'registered') throw new ProcedureError('reissue.notRegistered')
    const current = await trx.selectFrom('certificate_reissues').select(['state', 'version']).where('id', '=', reissueId).forUpdate().executeTakeFirstOrThrow()
    if (current.version !== input.version) throw new ConflictError()
    if (current.state !== 'approved') throw new ProcedureError('reissue.notApproved')
    const old = await trx.updateTable('certificates').set({ status: 'superseded', status_reason: reissue.reason })
      .where('id', '=', reissue.certificate_id).where('status', '=', 'valid').returning('id').executeTakeFirst()
    if (!old) throw new ProcedureError('reissue.certificateChanged')
    const { id: certificateId } = await trx.insertInto('certificates').values({
      application_id: app.id, kind: 'adoption', number: app.registration_number!, serial, issued_on: today, issued_by: viewer.id, replaces_id: old.id,
    }).returning('id').executeTakeFirstOrThrow()
    await trx.updateTable('certificate_reissues').set({ state: 'issued', new_certificate_id: certificateId, issued_by: viewer.id, issued_at: new Date(), version: sql`version + 1` })
      .where('id', '=', reissueId).execute()
    await recordEvent(trx, app.id, viewer.id, 'reissue', app.state, app.state, reissue.reason)
    await audit(trx, { actor: viewer, action: 'application.certificate_reissued', entityType: 'application', entityId: app.id, reason: reissue.reason, summary: { reissue: reissueId, kind: reissue.kind, serial } })
    return certificateId
  }).catch((error) => {
    if ((error as { code?: string; constraint?: string })?.code === '23505' && (error as { constraint?: string }).constraint === 'certificates_serial_unique') {
      throw new ProcedureError('registration.serialTaken')
    }
    throw error
  })
}

/** The reissues of a registration, newest first, for its page. */
export async function reissuesOf(db: Db, applicationId: string) {
  return db.selectFrom('certificate_reissues as r').innerJoin('users as q', 'q.id', 'r.requested_by').leftJoin('users as d', 'd.id', 'r.decided_by')
    .select(['r.id', 'r.kind', 'r.reason', 'r.state', 'r.requested_at as requestedAt', 'r.requested_by as requestedById', 'q.display_name as requestedBy',
      'r.decided_at as decidedAt', 'd.display_name as decidedBy', 'r.decision_note as decisionNote', 'r.new_certificate_id as newCertificateId', 'r.version'])
    .where('r.application_id', '=', applicationId).orderBy('r.id', 'desc').execute()
}

/** The reissue requests awaiting a second person, for the approvals page. */
export async function reissuesAwaitingApproval(db: Db, viewer: Viewer) {
  return db.selectFrom('certificate_reissues as r').innerJoin('users as q', 'q.id', 'r.requested_by').innerJoin('applications as a', 'a.id', 'r.application_id')
    .select(['r.id', 'r.application_id as applicationId', 'a.registration_number as registrationNumber', 'r.kind', 'r.reason', 'r.requested_at as requestedAt',
      'q.display_name as requestedBy', 'r.requested_by as requestedById'])
    .where('r.state', '=', 'requested').where('r.application_id', 'in', visibleApplications(db, viewer).select('applications.id'))
    .orderBy('r.id').limit(100).execute()
}

/**
 * May this certificate be printed on the preprinted blank? A registration made in the system: its
 * certificate was issued by the supervisor's approval (or an approved reissue). An imported one:
 * only a certificate issued by an approved reissue — the ledger's certificate was printed outside
 * the system, and printing it again would be one person issuing a certificate (decision 027).
 */
export async function issuedByReissue(db: Db, certificateId: string): Promise<boolean> {
  const row = await db.selectFrom('certificate_reissues').select('id').where('new_certificate_id', '=', certificateId).where('state', '=', 'issued').executeTakeFirst()
  return !!row
}

// The steps of the procedure after intake: receipt, the assessment and the foundling notice
// (which pause the review clock), the registrar's proposed decision, the supervisor's approval
// (registration with its number and certificate, or refusal), withdrawal, dissolution, revocation
// and reissue of a certificate. Each step is one transaction: a guarded state change (expected
// state and version), its timeline event and its audit row.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { ApplicationState, Database, RefusalGround } from '#db/schema.ts'
import { inTransaction } from '#db/connection.ts'
import { enqueue } from '#app/platform/jobs.server.ts'
import { audit } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '#app/platform/http.server.ts'
import { allowed, transitions, type Transition } from './workflow.ts'
import { formatNumber } from './numbering.ts'
import { loadDocuments } from '#app/platform/documents.server.ts'
import { evaluate, ageOn } from './evaluation.ts'
import {
  checklistContext, checklistStatus, factsOf, InvalidStateError, loadApplication, ProcedureError, recordEvent, visibleApplications, type Viewer,
} from './applications.server.ts'
import { refreshDueDate } from './due-date.server.ts'
import { foundlingContradiction, grandparentsPriorityOpen } from './checklist.ts'
import { publicNoticeEnd, publicNoticeRequiredFor } from './public-notice.ts'
import { workCalendar } from '#app/platform/calendar.server.ts'
import { postgresBlobStore, sniffAttachmentType } from '#app/platform/storage.server.ts'
import { outsideAssessmentRefusal, type OutsideAssessmentRefusal } from './outside-assessment.ts'
import { cancelOpenTasks, createVisitPlan } from '#app/followup/plans.server.ts'

type Trx = Transaction<Database>

/**
 * Moves an application along one transition of the table, in the caller's transaction. The update
 * names the expected version and state: a stale form or a concurrent step changes no row and is
 * reported as a conflict.
 */
async function step(
  trx: Trx,
  viewer: Viewer,
  id: string,
  version: number,
  transition: Transition,
  set: Record<string, unknown> = {},
  note?: string | null,
): Promise<ApplicationState> {
  const current = await visibleApplications(trx, viewer).select(['state', 'version']).where('id', '=', id).forUpdate().executeTakeFirst()
  if (!current) throw new NotFoundError('application')
  if (current.version !== version) throw new ConflictError()
  if (!allowed(transition, current.state)) throw new InvalidStateError(current.state)
  const to = transitions[transition].to
  const updated = await trx
    .updateTable('applications')
    .set({ ...set, state: to, version: sql`version + 1`, updated_at: sql`now()` } as never)
    .where('id', '=', id)
    .where('version', '=', version)
    .where('state', '=', current.state)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) !== 1) throw new ConflictError()
  await refreshDueDate(trx, id)
  await recordEvent(trx, id, viewer.id, transition, current.state, to, note)
  await audit(trx, { actor: viewer, action: `application.${transition}`, entityType: 'application', entityId: id, summary: { from: current.state, to }, reason: note ?? undefined })
  return current.state
}

function notAfterToday(on: string, today: string) {
  if (on > today) throw new ProcedureError('registration.dateInFuture')
}

/**
 * A step's date cannot precede what it follows: the receipt, and the end of any earlier pause
 * (pauses never overlap, so the review clock stays right).
 */
async function notBeforeEarlierSteps(trx: Trx, id: string, on: string) {
  const app = await trx.selectFrom('applications').select(['received_on']).where('id', '=', id).executeTakeFirst()
  if (app?.received_on && on < app.received_on) throw new ProcedureError('registration.dateBeforeReceipt')
  const last = await trx.selectFrom('clock_pauses').select((eb) => eb.fn.max('ended_on').as('end')).where('application_id', '=', id).executeTakeFirst()
  if (last?.end && on < last.end) throw new ProcedureError('registration.dateBeforePause')
}

/** 受理: the application is accepted; the 30-day review starts the next day. */
export async function receive(db: Kysely<Database>, viewer: Viewer, id: string, version: number, receivedOn: string, today: string) {
  notAfterToday(receivedOn, today)
  await db.transaction().execute((trx) => step(trx, viewer, id, version, 'receive', { received_on: receivedOn }))
}

export async function startAssessment(db: Kysely<Database> | Trx, viewer: Viewer, id: string, version: number, on: string, today: string) {
  notAfterToday(on, today)
  await inTransaction(db, async (trx) => {
    const app = await visibleApplications(trx, viewer).select(['assessment', 'received_on']).where('id', '=', id).executeTakeFirst()
    if (!app) throw new NotFoundError('application')
    if (app.assessment === 'not_required') throw new ProcedureError('registration.assessment.notRequired')
    await notBeforeEarlierSteps(trx, id, on)
    await step(trx, viewer, id, version, 'start_assessment', { assessment: 'pending' })
    await trx.insertInto('clock_pauses').values({ application_id: id, kind: 'assessment', started_on: on }).execute()
    await refreshDueDate(trx, id)
  })
}

/** What the outside-assessment rule (outside-assessment.ts) looks at for a case: its adopters, and whether an assessment runs in the system. */
export async function outsideAssessmentFacts(db: Kysely<Database> | Trx, cipher: FieldCipher, id: string) {
  const adopters = await db.selectFrom('parties').select(['id', 'overseas_chinese', 'id_number_enc'])
    .where('application_id', '=', id).where('role', '=', 'adopter').execute()
  const running = await db.selectFrom('assessments').select('id')
    .where('application_id', '=', id).where('state', 'in', ['open', 'signing']).executeTakeFirst()
  return {
    adopters: adopters.map((a) => ({ overseasChinese: a.overseas_chinese, idNumber: a.id_number_enc ? cipher.decrypt(a.id_number_enc, { table: 'parties', column: 'id_number_enc', row: a.id }) : null })),
    running: running !== undefined,
  }
}

/** Whether this case may take that step of an assessment made outside the system, read in `db`. */
export async function outsideAssessmentCheck(db: Kysely<Database> | Trx, cipher: FieldCipher, id: string, step: 'start' | 'report'): Promise<OutsideAssessmentRefusal | null> {
  const { adopters, running } = await outsideAssessmentFacts(db, cipher, id)
  return outsideAssessmentRefusal(step, adopters, running)
}

/** The registrar starts an assessment made outside the system: only where the local rule allows it. */
export async function startOutsideAssessment(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string, version: number, on: string, today: string) {
  await db.transaction().execute(async (trx) => {
    await visibleOrNotFound(trx, viewer, id)
    const refusal = await outsideAssessmentCheck(trx, cipher, id, 'start')
    if (refusal) throw new ProcedureError(refusal)
    await startAssessment(trx, viewer, id, version, on, today)
  })
}

/** The registrar records the report of an assessment made outside the system: the same rule again. */
export async function recordOutsideAssessmentReport(
  db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string, version: number,
  report: { conclusion: 'recommended' | 'not_recommended'; reportOn: string; reference: string }, today: string,
) {
  await db.transaction().execute(async (trx) => {
    await visibleOrNotFound(trx, viewer, id)
    const refusal = await outsideAssessmentCheck(trx, cipher, id, 'report')
    if (refusal) throw new ProcedureError(refusal)
    await recordAssessmentReport(trx, viewer, id, version, report, today)
  })
}

async function visibleOrNotFound(trx: Trx, viewer: Viewer, id: string) {
  const app = await visibleApplications(trx, viewer).select('id').where('id', '=', id).executeTakeFirst()
  if (!app) throw new NotFoundError('application')
}

/**
 * The assessment's report comes back with its conclusion; the review clock runs again. This is the
 * command through which the assessment capability hands its signed conclusion to registration.
 */
export async function recordAssessmentReport(
  db: Kysely<Database> | Trx,
  viewer: Viewer,
  id: string,
  version: number,
  report: { conclusion: 'recommended' | 'not_recommended'; reportOn: string; reference: string },
  today: string,
) {
  notAfterToday(report.reportOn, today)
  await inTransaction(db, async (trx) => {
    const pause = await trx.selectFrom('clock_pauses').select(['id', 'started_on']).where('application_id', '=', id).where('kind', '=', 'assessment').where('ended_on', 'is', null).executeTakeFirst()
    if (pause && report.reportOn < pause.started_on) throw new ProcedureError('registration.reportBeforeCommission')
    await step(trx, viewer, id, version, 'end_assessment', {
      assessment: report.conclusion, assessment_report_on: report.reportOn, assessment_reference: report.reference,
    }, report.reference)
    if (pause) await trx.updateTable('clock_pauses').set({ ended_on: report.reportOn }).where('id', '=', pause.id).execute()
    await refreshDueDate(trx, id)
  })
}

/**
 * A signed assessment is being corrected: until the corrected report is signed, the application
 * has no conclusion to register on. Called by the assessment capability in its transaction.
 */
export async function reopenAssessment(db: Kysely<Database> | Trx, viewer: Viewer, id: string) {
  await inTransaction(db, async (trx) => {
    await trx.updateTable('applications').set({ assessment: 'pending', version: sql`version + 1`, updated_at: sql`now()` } as never)
      .where('id', '=', id).where('registry_code', '=', viewer.registryCode).where('state', 'in', ['received', 'assessment']).execute()
    await recordEvent(trx, id, viewer.id, 'assessment_reopened', null, null)
  })
}

/**
 * A corrected assessment report was signed while the application was back under review: its
 * conclusion replaces the earlier one (no transition; the clock already runs).
 */
export async function recordCorrectedAssessmentReport(
  db: Kysely<Database> | Trx,
  viewer: Viewer,
  id: string,
  report: { conclusion: 'recommended' | 'not_recommended'; reportOn: string; reference: string },
) {
  await inTransaction(db, async (trx) => {
    const updated = await trx.updateTable('applications')
      .set({ assessment: report.conclusion, assessment_report_on: report.reportOn, assessment_reference: report.reference, version: sql`version + 1`, updated_at: sql`now()` } as never)
      .where('id', '=', id).where('registry_code', '=', viewer.registryCode).where('state', '=', 'received').executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new ProcedureError('assessment.report.applicationDecided')
    await recordEvent(trx, id, viewer.id, 'end_assessment', 'received', 'received', report.reference)
    await audit(trx, { actor: viewer, action: 'application.assessment_corrected', entityType: 'application', entityId: id, summary: { conclusion: report.conclusion } })
  })
}

export { PUBLIC_NOTICE_DAYS } from './public-notice.ts'

export type PublicNoticeInput = {
  /** The day of publication (公告之日). */
  on: string
  medium: 'newspaper' | 'website'
  /** The newspaper's or website's name. */
  outlet: string
  /** Issue and page, or the address of the page. */
  reference: string
  /** The text as published. */
  text: string
  /** The child's photo as published (JPEG or PNG). */
  photo: Uint8Array
}

/**
 * Publishes the notice seeking the birth parents of a child whose birth parents cannot be found
 * (Civil Code arts. 1093(2), 1105 para. 2) — a foundling or a child in a welfare institution alike:
 * the review clock pauses until the notice ends (domain.md: the notice does not count toward it).
 */
export async function startPublicNotice(db: Kysely<Database>, cipher: FieldCipher, viewer: Viewer, id: string, version: number, input: PublicNoticeInput, today: string) {
  notAfterToday(input.on, today)
  const contentType = sniffAttachmentType(input.photo)
  if (contentType !== 'image/jpeg' && contentType !== 'image/png') throw new ProcedureError('registration.notice.photoType')
  await db.transaction().execute(async (trx) => {
    const app = await visibleApplications(trx, viewer).select(['id']).where('id', '=', id).executeTakeFirst()
    if (!app) throw new NotFoundError('application')
    const child = await trx.selectFrom('parties').select('situation').where('application_id', '=', id).where('role', '=', 'child').executeTakeFirst()
    if (!publicNoticeRequiredFor({ situation: child?.situation })) throw new ProcedureError('registration.notice.onlyParentsNotFound')
    await notBeforeEarlierSteps(trx, id, input.on)
    await step(trx, viewer, id, version, 'start_public_notice')
    await trx.insertInto('clock_pauses').values({ application_id: id, kind: 'public_notice', started_on: input.on }).execute()
    const blobId = await postgresBlobStore(cipher).put(trx, input.photo)
    await trx.insertInto('public_notices').values({
      application_id: id, published_on: input.on, medium: input.medium, outlet: input.outlet.trim(), reference: input.reference.trim(),
      notice_text: input.text.trim(), photo_blob_id: blobId, photo_content_type: contentType, recorded_by: viewer.id,
    }).execute()
    await audit(trx, { actor: viewer, action: 'application.public_notice_recorded', entityType: 'application', entityId: id, summary: { on: input.on, medium: input.medium } })
    await refreshDueDate(trx, id)
  })
}

/**
 * The notice ends when its sixty days are complete without the birth parents coming forward: from
 * the day after its last day (publicNoticeEnd: arts. 201 and 203), never on day 60 itself.
 */
export async function endPublicNotice(db: Kysely<Database>, viewer: Viewer, id: string, version: number, on: string, today: string) {
  notAfterToday(on, today)
  await db.transaction().execute(async (trx) => {
    const pause = await trx.selectFrom('clock_pauses').select(['id', 'started_on']).where('application_id', '=', id).where('kind', '=', 'public_notice').where('ended_on', 'is', null).executeTakeFirst()
    if (pause) {
      const app = await trx.selectFrom('applications').select('registry_code').where('id', '=', id).executeTakeFirstOrThrow()
      const end = publicNoticeEnd(pause.started_on, await workCalendar(trx, app.registry_code))
      if (on < end.earliestRegistration) throw new ProcedureError('registration.notice.tooEarly', { lastDay: end.lastDay, date: end.earliestRegistration })
    }
    await step(trx, viewer, id, version, 'end_public_notice')
    if (pause) await trx.updateTable('clock_pauses').set({ ended_on: on }).where('id', '=', pause.id).execute()
    await refreshDueDate(trx, id)
  })
}

/** What must hold before a registration can be proposed or approved, as catalogue keys. */
export function registrationBlockers(loaded: Awaited<ReturnType<typeof loadApplication>>, asOf: string): { key: string; params?: Record<string, string> }[] {
  const blockers: { key: string; params?: Record<string, string> }[] = []
  const evaluation = evaluate(factsOf(loaded), asOf, 'zh')
  for (const rule of evaluation.failed) blockers.push({ key: 'registration.blocker.ruleFails', params: { rule } })
  for (const rule of evaluation.pending) blockers.push({ key: 'registration.blocker.rulePending', params: { rule } })
  if (loaded.app.assessment === 'pending') blockers.push({ key: 'registration.blocker.assessment' })
  if (loaded.app.assessment === 'not_recommended') blockers.push({ key: 'registration.blocker.assessmentNegative' })
  if (foundlingContradiction(checklistContext(loaded, asOf))) blockers.push({ key: 'registration.blocker.foundlingSituation' })
  // Art. 1108: the surviving parent places the child; the deceased parent's parents have priority
  // to raise the child unless they waived it, have died or cannot raise the child. A step-parent
  // adoption leaves the child with the surviving parent: no priority to clear.
  if (grandparentsPriorityOpen(checklistContext(loaded, asOf))) blockers.push({ key: 'registration.blocker.grandparents1108' })
  for (const item of checklistStatus(loaded, asOf)) {
    if (!item.status?.verifiedAt) blockers.push({ key: 'registration.blocker.document', params: { code: item.code } })
  }
  if (loaded.pauses.some((p) => p.endedOn === null)) blockers.push({ key: 'registration.blocker.paused' })
  // Every child whose birth parents cannot be found, whoever places the child (art. 1105 para. 2).
  if (publicNoticeRequiredFor({ situation: checklistContext(loaded, asOf).childSituation }) && !loaded.pauses.some((p) => p.kind === 'public_notice' && p.endedOn)) {
    blockers.push({ key: 'registration.blocker.notice' })
  }
  return blockers
}

export async function proposeDecision(
  db: Kysely<Database>,
  cipher: FieldCipher,
  viewer: Viewer,
  id: string,
  version: number,
  input: { decision: 'register' | 'refuse'; facts?: string; basis?: string; ground?: RefusalGround },
  today: string,
) {
  await db.transaction().execute(async (trx) => {
    if (input.decision === 'register') {
      const loaded = await loadApplication(trx, cipher, viewer, id)
      const blockers = registrationBlockers(loaded, today)
      if (blockers.length) throw new ProcedureError('registration.blocker.some', { count: blockers.length })
    }
    await step(trx, viewer, id, version, 'propose_decision', {
      decision: input.decision,
      decision_facts: input.facts ?? null,
      decision_basis: input.basis ?? null,
      refusal_ground: input.decision === 'refuse' ? input.ground ?? 'other' : null,
      decision_proposed_by: viewer.id,
      decision_proposed_at: sql`now()`,
    })
  })
}

export async function returnDecision(db: Kysely<Database>, viewer: Viewer, id: string, version: number, reason: string) {
  await db.transaction().execute((trx) =>
    step(trx, viewer, id, version, 'return_decision', { decision: null, decision_facts: null, decision_basis: null, refusal_ground: null, decision_proposed_by: null, decision_proposed_at: null }, reason),
  )
}

/**
 * Allocates the next number of a registry's yearly sequence. The counter row stays locked until
 * the deciding transaction ends: concurrent decisions queue on it, a rolled-back decision gives its
 * number back, so numbers are unique, never reused and without gaps.
 */
export async function allocateNumber(trx: Trx, registryCode: string, kind: 'adoption' | 'dissolution' | 'refusal', year: number) {
  const { last_value: seq } = await trx
    .insertInto('number_counters')
    .values({ registry_code: registryCode, kind, year, last_value: 1 })
    .onConflict((oc) => oc.columns(['registry_code', 'kind', 'year']).doUpdateSet({ last_value: sql`number_counters.last_value + 1` }))
    .returning('last_value')
    .executeTakeFirstOrThrow()
  const registry = await trx.selectFrom('registries').select(['number_pattern', 'dissolution_number_pattern', 'refusal_number_pattern', 'number_prefix']).where('code', '=', registryCode).executeTakeFirstOrThrow()
  const pattern = { adoption: registry.number_pattern, dissolution: registry.dissolution_number_pattern, refusal: registry.refusal_number_pattern }[kind]
  return { seq, number: formatNumber(pattern, { year, prefix: registry.number_prefix, seq }) }
}

/**
 * The supervisor's approval (the second person of the 审批表). A registration is checked once more
 * on the registration date, numbered, dated, and its certificate recorded with the blank's serial.
 */
export async function approveDecision(
  db: Kysely<Database>,
  cipher: FieldCipher,
  viewer: Viewer,
  id: string,
  version: number,
  input: { serial?: string; registeredOn?: string },
  today: string,
): Promise<{ registrationNumber?: string }> {
  return db.transaction().execute(async (trx) => {
    const loaded = await loadApplication(trx, cipher, viewer, id)
    if (loaded.app.decision_proposed_by === viewer.id) throw new ForbiddenError()
    if (loaded.app.decision === 'refuse') {
      // The refusal notice (不予办理收养登记通知书) is numbered like the certificates.
      const { number } = await allocateNumber(trx, loaded.app.registry_code, 'refusal', Number(today.slice(0, 4)))
      await step(trx, viewer, id, version, 'approve_refusal', { approved_by: viewer.id, approved_at: sql`now()`, refused_on: today, refusal_number: number })
      await openArchiveFileLater(trx, id, 'refusal', viewer.id)
      return {}
    }
    // The adoption takes effect on the day of registration (Civil Code art. 1105 para. 1): that is
    // the day of approval, never an earlier (or later) day.
    const on = today
    if (input.registeredOn !== undefined && input.registeredOn !== today) throw new ProcedureError('registration.registeredOnToday')
    // The registration date cannot precede the receipt or the end of an assessment or notice.
    await notBeforeEarlierSteps(trx, id, on)
    const blockers = registrationBlockers(loaded, on)
    if (blockers.length) throw new ProcedureError('registration.blocker.some', { count: blockers.length })
    if (!input.serial) throw new ProcedureError('registration.serialRequired')
    // A certificate that cannot print a name must not be issued: refuse now, naming the character,
    // rather than print a blank where a rare character (生僻字) should be.
    const printed = loaded.parties.flatMap((p) => [p.name, p.nameAfterAdoption ?? '', p.hukouAddress ?? '']).join('')
    const missing = (await loadDocuments()).missingGlyphs(printed)
    if (missing.length) throw new ProcedureError('registration.missingGlyph', { chars: missing.join(' ') })
    const year = Number(on.slice(0, 4))
    const { seq, number } = await allocateNumber(trx, loaded.app.registry_code, 'adoption', year)
    await step(trx, viewer, id, version, 'approve_registration', {
      approved_by: viewer.id, approved_at: sql`now()`, registration_number: number, registration_year: year, registration_seq: seq, registered_on: on,
    })
    await trx.insertInto('certificates').values({ application_id: id, kind: 'adoption', number, serial: input.serial, issued_on: on, issued_by: viewer.id }).execute()
    // The post-adoption visits are planned in this transaction: no registration without its plan.
    const child = loaded.parties.find((p) => p.role === 'child')!
    await createVisitPlan(trx, { applicationId: id, registryCode: loaded.app.registry_code, registeredOn: on, childBirthDate: child.birthDate! })
    await openArchiveFileLater(trx, id, 'establishment', viewer.id)
    return { registrationNumber: number }
  }).catch(translateUniqueViolation)
}

function translateUniqueViolation(error: unknown): never {
  if ((error as { code?: string; constraint?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'certificates_serial_unique') {
    throw new ProcedureError('registration.serialTaken')
  }
  throw error
}

export async function withdraw(db: Kysely<Database>, viewer: Viewer, id: string, version: number, reason: string, today: string) {
  await db.transaction().execute(async (trx) => {
    await step(trx, viewer, id, version, 'withdraw', { closed_reason: reason }, reason)
    // A running pause ends with the case (never before it began).
    await trx.updateTable('clock_pauses').set({ ended_on: sql`greatest(started_on, ${today}::date)` as never }).where('application_id', '=', id).where('ended_on', 'is', null).execute()
    await refreshDueDate(trx, id)
  })
}

/**
 * 解除收养关系登记: both parties' agreement, the child's consent from 8; the certificate is taken
 * back and the dissolution certificate issued with its own number.
 */
export async function registerDissolution(
  db: Kysely<Database>,
  cipher: FieldCipher,
  viewer: Viewer,
  id: string,
  version: number,
  input: { agreementOn: string; childConsents: boolean | null; certificateReturned: boolean; note?: string },
  today: string,
): Promise<string> {
  notAfterToday(input.agreementOn, today)
  return db.transaction().execute(async (trx) => {
    const loaded = await loadApplication(trx, cipher, viewer, id)
    if (loaded.app.registered_on && input.agreementOn < loaded.app.registered_on) throw new ProcedureError('registration.dissolution.agreementBeforeRegistration')
    const child = loaded.parties.find((p) => p.role === 'child')
    if (child?.birthDate && ageOn(child.birthDate, today) >= 8 && input.childConsents !== true) {
      throw new ProcedureError('registration.dissolution.childConsent')
    }
    if (!input.certificateReturned && !input.note) throw new ProcedureError('registration.dissolution.certificateNote')
    const { number } = await allocateNumber(trx, loaded.app.registry_code, 'dissolution', Number(today.slice(0, 4)))
    await step(trx, viewer, id, version, 'register_dissolution', {}, input.note ?? null)
    await trx.insertInto('dissolutions').values({
      application_id: id, agreement_on: input.agreementOn, child_consents: input.childConsents, certificate_returned: input.certificateReturned,
      number, dissolved_on: today, note: input.note ?? null, registered_by: viewer.id,
    }).execute()
    await trx.updateTable('certificates').set({ status: input.certificateReturned ? 'returned' : 'void', status_reason: input.note ?? null })
      .where('application_id', '=', id).where('kind', '=', 'adoption').where('status', '=', 'valid').execute()
    await trx.insertInto('certificates').values({ application_id: id, kind: 'dissolution', number, serial: null, issued_on: today, issued_by: viewer.id }).execute()
    await cancelOpenTasks(trx, id, 'dissolution')
    await openArchiveFileLater(trx, id, 'dissolution', viewer.id)
    return number
  })
}

/** 撤销: a registration obtained by fraud is void; the certificate is confiscated or noted. */
export async function revoke(
  db: Kysely<Database>,
  viewer: Viewer,
  id: string,
  version: number,
  input: { reason: string; certificateConfiscated: boolean; notRecoveredNote?: string },
  today: string,
) {
  if (!input.certificateConfiscated && !input.notRecoveredNote) throw new ProcedureError('registration.revocation.note')
  await db.transaction().execute(async (trx) => {
    await step(trx, viewer, id, version, 'revoke', {}, input.reason)
    await trx.insertInto('revocations').values({
      application_id: id, revoked_on: today, reason: input.reason, certificate_confiscated: input.certificateConfiscated,
      not_recovered_note: input.notRecoveredNote ?? null, revoked_by: viewer.id,
    }).execute()
    await trx.updateTable('certificates').set({ status: input.certificateConfiscated ? 'confiscated' : 'void', status_reason: input.reason })
      .where('application_id', '=', id).where('status', '=', 'valid').execute()
    await cancelOpenTasks(trx, id, 'revocation')
    await openArchiveFileLater(trx, id, 'revocation', viewer.id)
  })
}

/**
 * A concluded case gets its archive file (一案一卷). The archive capability opens it from a job
 * enqueued here, in the deciding transaction: the job exists exactly when the decision committed.
 */
async function openArchiveFileLater(trx: Trx, applicationId: string, type: 'establishment' | 'refusal' | 'dissolution' | 'revocation', actorId: string) {
  await enqueue(trx, 'archive_open_file', { applicationId, type, actorId }, { jobKey: `archive:${applicationId}:${type}` })
}

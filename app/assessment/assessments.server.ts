// Capability assessments (收养评估): commissioned by a registrar for an application, carried out by
// a team of at least two assessors (in-house, or of an entrusted agency), each declaring no conflict
// of interest before seeing the case (回避); the notice and the applicant's consent (which starts
// the 60 days), activities, the integration period of at least 30 days, scores per dimension of
// the instrument version the assessment started with, must-report alerts; a report every member
// signs, read-only once signed, corrected by a new version. The signed conclusion goes back to
// registration through its command (recordAssessmentReport), in the same transaction.
import { sql, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely'
import type { AssessmentState, ActivityKind, Database } from '#db/schema.ts'
import { inTransaction } from '#db/connection.ts'
import { audit } from '#app/platform/audit.server.ts'
import type { FieldCipher } from '#app/platform/crypto.server.ts'
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '#app/platform/http.server.ts'
import { enqueueEmail } from '#app/platform/mail.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { loadApplication, ProcedureError, recordFindings, visibleApplications, type Viewer } from '#app/registration/applications.server.ts'
import { recordAssessmentReport, recordCorrectedAssessmentReport, reopenAssessment, startAssessment } from '#app/registration/decisions.server.ts'
import { addDays, toDay } from '#app/registration/deadlines.ts'
import { scoreAssessment, validateScores, type DimensionScore, type InstrumentDefinition } from './instrument.ts'
import { currentInstrument, instrumentById } from './instruments.server.ts'
import { ATTACHMENT_MAX_BYTES, postgresBlobStore, sniffAttachmentType } from '#app/platform/storage.server.ts'
import { mailRecipients } from '#app/staff/users.server.ts'
import { nextId } from '#app/platform/row-ids.server.ts'

type Db = Kysely<Database> | Transaction<Database>
export type AssessorViewer = Viewer & { agencyId: string | null }

export const ASSESSMENT_DAYS = 60
export const MIN_TEAM = 2
export const MIN_INTEGRATION_DAYS = 30

/**
 * The assessments a viewer may see: supervisors all of the registry's; registrars those of
 * applications they can see; assessors only those they are on (an agency's assessors only their
 * agency's). Every read starts here.
 */
export function visibleAssessments(db: Db, viewer: AssessorViewer): SelectQueryBuilder<Database, 'assessments', {}> {
  let query = db.selectFrom('assessments').where('assessments.registry_code', '=', viewer.registryCode)
  if (viewer.roles.includes('supervisor')) return query
  const visibleApps = visibleApplications(db, viewer).select('applications.id')
  const mine = db.selectFrom('assessment_members').select('assessment_members.assessment_id')
    .where('assessment_members.user_id', '=', viewer.id).where('assessment_members.removed_at', 'is', null)
  query = query.where((eb) => {
    const asRegistrar = viewer.roles.includes('registrar') ? [eb('assessments.application_id', 'in', visibleApps)] : []
    const asAssessor = viewer.roles.includes('assessor')
      ? [eb.and([
          eb('assessments.id', 'in', mine),
          viewer.agencyId ? eb('assessments.agency_id', '=', viewer.agencyId) : eb('assessments.agency_id', 'is', null),
        ])]
      : []
    return eb.or([...asRegistrar, ...asAssessor, eb.val(false)])
  })
  return query
}

async function lockAssessment(trx: Transaction<Database>, viewer: AssessorViewer, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('assessment')
  const row = await visibleAssessments(trx, viewer).selectAll('assessments').where('assessments.id', '=', id).forUpdate().executeTakeFirst()
  if (!row) {
    await audit(trx, { actor: viewer, action: 'assessment.access_refused', entityType: 'assessment', entityId: id })
    throw new NotFoundError('assessment')
  }
  return row
}

/** The viewer as an active member who has declared no conflict: the only ones who record. */
async function requireDeclaredMember(trx: Transaction<Database>, viewer: AssessorViewer, id: string) {
  const member = await trx.selectFrom('assessment_members').selectAll().where('assessment_id', '=', id).where('user_id', '=', viewer.id).executeTakeFirst()
  if (!member || member.removed_at) throw new ForbiddenError()
  if (!member.declared_at) throw new ProcedureError('assessment.declaration.first')
}

function requireOpen(state: AssessmentState) {
  if (state !== 'open') throw new ProcedureError('assessment.notOpen')
}

async function bump(trx: Transaction<Database>, id: string, version: number | null, set: Record<string, unknown> = {}) {
  let query = trx.updateTable('assessments').set({ ...set, version: sql`version + 1` } as never).where('id', '=', id)
  if (version !== null) query = query.where('version', '=', version)
  const result = await query.executeTakeFirst()
  if (Number(result.numUpdatedRows) !== 1) throw new ConflictError()
}

async function eligibleAssessors(db: Db, registryCode: string, agencyId: string | null) {
  let query = db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.display_name as name', 'u.agency_id as agencyId'])
    .where('u.registry_code', '=', registryCode).where('u.active', '=', true).where('r.role', '=', 'assessor')
  query = agencyId ? query.where('u.agency_id', '=', agencyId) : query.where('u.agency_id', 'is', null)
  return query.orderBy('u.display_name').execute()
}
export { eligibleAssessors }

export async function commissionAssessment(
  db: Kysely<Database>,
  viewer: AssessorViewer,
  applicationId: string,
  input: { mode: 'in_house' | 'agency'; agencyId?: string; members: string[]; on: string },
  today: string,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const app = await visibleApplications(trx, viewer).select(['id', 'version', 'assessment', 'received_on']).where('id', '=', applicationId).forUpdate().executeTakeFirst()
    if (!app) throw new NotFoundError('application')
    const agencyId = input.mode === 'agency' ? input.agencyId ?? null : null
    if (agencyId) {
      const agency = await trx.selectFrom('assessment_agencies').selectAll().where('id', '=', agencyId).where('registry_code', '=', viewer.registryCode).executeTakeFirst()
      if (!agency || !agency.active) throw new ProcedureError('assessment.agency.inactive')
      if (input.on < agency.contract_from || input.on > agency.contract_to) throw new ProcedureError('assessment.agency.outsideContract')
      if (!agency.dpa_signed_on) throw new ProcedureError('assessment.agency.noDpa')
    }
    const allowed = new Set((await eligibleAssessors(trx, viewer.registryCode, agencyId)).map((u) => u.id))
    const members = [...new Set(input.members)]
    if (members.some((m) => !allowed.has(m))) throw new ProcedureError('assessment.team.notAssessors')
    if (members.length < MIN_TEAM) throw new ProcedureError('assessment.team.tooSmall')
    const instrument = await currentInstrument(trx, viewer.registryCode)
    const { id } = await trx.insertInto('assessments').values({
      registry_code: viewer.registryCode, application_id: applicationId, instrument_id: instrument.id, mode: input.mode, agency_id: agencyId,
      commissioned_by: viewer.id, commissioned_on: input.on,
    }).returning('id').executeTakeFirstOrThrow()
    await trx.insertInto('assessment_members').values(members.map((user_id) => ({ assessment_id: id, user_id }))).execute()
    // The application pauses its review clock in the same commit.
    await startAssessment(trx, viewer, applicationId, app.version, input.on, today)
    await audit(trx, { actor: viewer, action: 'assessment.commissioned', entityType: 'assessment', entityId: id, summary: { application: applicationId, mode: input.mode, members, instrument: instrument.version } })
    return id
  })
}

/** 回避: each member declares before seeing the case; a declared conflict removes them. */
export async function declare(db: Kysely<Database>, viewer: AssessorViewer, id: string, input: { conflict: boolean; note?: string }) {
  return db.transaction().execute(async (trx) => {
    await lockAssessment(trx, viewer, id)
    const updated = await trx.updateTable('assessment_members')
      .set({ declared_at: sql`now()`, conflict: input.conflict, conflict_note: input.note ?? null, removed_at: input.conflict ? sql`now()` : null } as never)
      .where('assessment_id', '=', id).where('user_id', '=', viewer.id).where('declared_at', 'is', null).where('removed_at', 'is', null)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) !== 1) throw new ForbiddenError()
    await audit(trx, { actor: viewer, action: input.conflict ? 'assessment.recused' : 'assessment.declared', entityType: 'assessment', entityId: id, reason: input.note })
    const { n } = await trx.selectFrom('assessment_members').select((eb) => eb.fn.countAll<string>().as('n')).where('assessment_id', '=', id).where('removed_at', 'is', null).executeTakeFirstOrThrow()
    return { teamSize: Number(n) }
  })
}

/** A registrar or supervisor adds an assessor, e.g. after a recusal left the team short. */
export async function addMember(db: Kysely<Database>, viewer: AssessorViewer, id: string, userId: string) {
  await db.transaction().execute(async (trx) => {
    const a = await lockAssessment(trx, viewer, id)
    if (!viewer.roles.includes('registrar') && !viewer.roles.includes('supervisor')) throw new ForbiddenError()
    if (a.state === 'signed' || a.state === 'cancelled') throw new ProcedureError('assessment.notOpen')
    const allowed = (await eligibleAssessors(trx, viewer.registryCode, a.agency_id)).some((u) => u.id === userId)
    if (!allowed) throw new ProcedureError('assessment.team.notAssessors')
    const existing = await trx.selectFrom('assessment_members').select(['removed_at']).where('assessment_id', '=', id).where('user_id', '=', userId).executeTakeFirst()
    if (existing) throw new ProcedureError('assessment.team.alreadyMember')
    await trx.insertInto('assessment_members').values({ assessment_id: id, user_id: userId }).execute()
    await audit(trx, { actor: viewer, action: 'assessment.member_added', entityType: 'assessment', entityId: id, summary: { user: userId } })
  })
}

/** Written notice and the applicant's consent: the 60 days run from the consent. */
export async function setDates(db: Kysely<Database>, viewer: AssessorViewer, id: string, version: number, input: { noticeOn: string; consentOn?: string }, today: string) {
  await db.transaction().execute(async (trx) => {
    const a = await lockAssessment(trx, viewer, id)
    await requireDeclaredMember(trx, viewer, id)
    requireOpen(a.state)
    if (input.noticeOn > today || (input.consentOn && input.consentOn > today)) throw new ProcedureError('registration.dateInFuture')
    if (input.noticeOn < a.commissioned_on) throw new ProcedureError('assessment.dates.beforeCommission')
    await bump(trx, id, version, {
      notice_on: input.noticeOn, consent_on: input.consentOn ?? null, due_on: input.consentOn ? addDays(input.consentOn, ASSESSMENT_DAYS) : null,
    })
    await audit(trx, { actor: viewer, action: 'assessment.dates', entityType: 'assessment', entityId: id, summary: input })
  })
}

export async function setIntegration(db: Kysely<Database>, viewer: AssessorViewer, id: string, version: number, input: { from: string; to: string }, today: string) {
  await db.transaction().execute(async (trx) => {
    const a = await lockAssessment(trx, viewer, id)
    await requireDeclaredMember(trx, viewer, id)
    requireOpen(a.state)
    if (!a.consent_on || input.from < a.consent_on) throw new ProcedureError('assessment.integration.beforeConsent')
    if (input.to > addDays(today, 366)) throw new ProcedureError('validation.date')
    if (toDay(input.to) - toDay(input.from) < MIN_INTEGRATION_DAYS) throw new ProcedureError('assessment.integration.tooShort')
    await bump(trx, id, version, { integration_from: input.from, integration_to: input.to })
    await audit(trx, { actor: viewer, action: 'assessment.integration', entityType: 'assessment', entityId: id, summary: input })
  })
}

export async function addActivity(
  db: Kysely<Database>,
  cipher: FieldCipher,
  viewer: AssessorViewer,
  id: string,
  input: { kind: ActivityKind; on: string; place: string; present: string[]; topic?: string; notes: string },
  today: string,
  files: Array<{ filename: string; bytes: Uint8Array }> = [],
) {
  // Attachments are checked before anything is written: nothing half-saved.
  const attachments = files.map((f) => {
    if (f.bytes.byteLength === 0 || f.bytes.byteLength > ATTACHMENT_MAX_BYTES) throw new ProcedureError('assessment.attachment.size', { name: f.filename })
    const contentType = sniffAttachmentType(f.bytes)
    if (!contentType) throw new ProcedureError('assessment.attachment.type', { name: f.filename })
    return { ...f, contentType }
  })
  await db.transaction().execute(async (trx) => {
    const a = await lockAssessment(trx, viewer, id)
    await requireDeclaredMember(trx, viewer, id)
    requireOpen(a.state)
    if (input.on > today) throw new ProcedureError('registration.dateInFuture')
    if (!a.consent_on || input.on < a.consent_on) throw new ProcedureError('assessment.activity.beforeConsent')
    const team = await trx.selectFrom('assessment_members').select('user_id').where('assessment_id', '=', id).where('removed_at', 'is', null).execute()
    const ids = new Set(team.map((m) => m.user_id))
    if (input.present.some((p) => !ids.has(p))) throw new ProcedureError('assessment.activity.presentNotMember')
    const activityId = await nextId(trx, 'assessment_activities')
    await trx.insertInto('assessment_activities').values({
      id: activityId, assessment_id: id, kind: input.kind, on: input.on, place: input.place, present: input.present, topic: input.topic ?? null,
      notes_enc: cipher.encrypt(input.notes, { table: 'assessment_activities', column: 'notes_enc', row: activityId }), created_by: viewer.id,
    }).execute()
    const store = postgresBlobStore(cipher)
    for (const f of attachments) {
      const blobId = await store.put(trx, f.bytes)
      await trx.insertInto('assessment_attachments').values({
        activity_id: activityId, blob_id: blobId, filename: f.filename.slice(0, 200), content_type: f.contentType, size: f.bytes.byteLength, uploaded_by: viewer.id,
      }).execute()
    }
    await bump(trx, id, null)
    await audit(trx, { actor: viewer, action: 'assessment.activity', entityType: 'assessment', entityId: id, summary: { kind: input.kind, on: input.on, activity: activityId, attachments: attachments.length } })
  })
}

export async function saveScore(
  db: Kysely<Database>,
  cipher: FieldCipher,
  viewer: AssessorViewer,
  id: string,
  input: { dimension: string; score?: number; vetoes: string[]; findings: string },
) {
  await db.transaction().execute(async (trx) => {
    const a = await lockAssessment(trx, viewer, id)
    await requireDeclaredMember(trx, viewer, id)
    requireOpen(a.state)
    const { definition } = await instrumentById(trx, a.instrument_id)
    const problems = validateScores(definition, [{ code: input.dimension, score: input.score ?? null, vetoes: input.vetoes }])
    if (problems.length) throw new ProcedureError(`assessment.score.${problems[0].problem}`)
    const dimension = definition.dimensions.find((d) => d.code === input.dimension)!
    if (dimension.maxScore !== null && input.score === undefined) throw new ProcedureError('assessment.score.required')
    const row = { score: input.score ?? null, vetoes: input.vetoes, findings_enc: cipher.encrypt(input.findings, { table: 'assessment_scores', column: 'findings_enc', row: [id, input.dimension] }), updated_by: viewer.id, updated_at: sql`now()` as never }
    await trx.insertInto('assessment_scores').values({ assessment_id: id, dimension: input.dimension, ...row })
      .onConflict((oc) => oc.columns(['assessment_id', 'dimension']).doUpdateSet(row)).execute()
    await bump(trx, id, null)
    await audit(trx, { actor: viewer, action: 'assessment.score', entityType: 'assessment', entityId: id, summary: { dimension: input.dimension, score: input.score ?? null, vetoes: input.vetoes } })
  })
}

/**
 * Findings that must be reported to the bureau at once (fraud, trafficking, abuse, …): every
 * supervisor of the registry is e-mailed in the same transaction; harm to the child during the
 * integration period is flagged for a report to the police.
 */
export async function raiseAlert(db: Kysely<Database>, cipher: FieldCipher, viewer: AssessorViewer, id: string, input: { code: string; note: string }) {
  return db.transaction().execute(async (trx) => {
    const a = await lockAssessment(trx, viewer, id)
    await requireDeclaredMember(trx, viewer, id)
    const { definition } = await instrumentById(trx, a.instrument_id)
    const item = definition.mustReport.find((m) => m.code === input.code)
    if (!item) throw new ProcedureError('validation.chooseOne')
    const alertId = await nextId(trx, 'assessment_alerts')
    await trx.insertInto('assessment_alerts').values({
      id: alertId, assessment_id: id, code: input.code, police: item.police, note_enc: cipher.encrypt(input.note, { table: 'assessment_alerts', column: 'note_enc', row: alertId }), raised_by: viewer.id,
    }).execute()
    const supervisors = await mailRecipients(trx, viewer.registryCode, 'supervisor')
    for (const s of supervisors) {
      const locale = s.locale
      // The mail names the case and the kind of finding, never the finding's details.
      await enqueueEmail(trx, {
        registryCode: viewer.registryCode,
        to: s.email,
        subject: translate(locale, item.police ? 'assessment.alert.mail.subjectPolice' : 'assessment.alert.mail.subject', { id }),
        text: translate(locale, 'assessment.alert.mail.body', { name: s.name, id, application: a.application_id, finding: item[locale], by: viewer.username }),
      })
    }
    await audit(trx, { actor: viewer, action: 'assessment.alert', entityType: 'assessment', entityId: id, summary: { code: input.code, police: item.police, alert: alertId, notified: supervisors.length } })
    return { police: item.police, notified: supervisors.length }
  })
}

/** The team takes a draft back before everyone has signed it (e.g. a mistake seen while signing). */
export async function returnDraft(db: Kysely<Database>, viewer: AssessorViewer, id: string, version: number, reason: string) {
  await db.transaction().execute(async (trx) => {
    const a = await lockAssessment(trx, viewer, id)
    await requireDeclaredMember(trx, viewer, id)
    if (a.state !== 'signing') throw new ProcedureError('assessment.report.notSigning')
    await trx.updateTable('assessment_reports').set({ superseded_at: sql`now()` as never })
      .where('assessment_id', '=', id).where('finalized_at', 'is', null).where('superseded_at', 'is', null).execute()
    await bump(trx, id, version, { state: 'open' })
    await audit(trx, { actor: viewer, action: 'assessment.draft_returned', entityType: 'assessment', entityId: id, reason })
  })
}

export async function acknowledgeAlert(db: Kysely<Database>, viewer: AssessorViewer, id: string, alertId: string) {
  if (!viewer.roles.includes('supervisor')) throw new ForbiddenError()
  await db.transaction().execute(async (trx) => {
    await lockAssessment(trx, viewer, id)
    await trx.updateTable('assessment_alerts').set({ acknowledged_by: viewer.id, acknowledged_at: sql`now()` as never })
      .where('id', '=', alertId).where('assessment_id', '=', id).where('acknowledged_at', 'is', null).execute()
    await audit(trx, { actor: viewer, action: 'assessment.alert_acknowledged', entityType: 'assessment', entityId: id, summary: { alert: alertId } })
  })
}

async function scoresOf(db: Db, id: string): Promise<DimensionScore[]> {
  const rows = await db.selectFrom('assessment_scores').select(['dimension', 'score', 'vetoes']).where('assessment_id', '=', id).execute()
  return rows.map((r) => ({ code: r.dimension, score: r.score, vetoes: r.vetoes }))
}

/**
 * The team concludes: a report version is drawn up (the conclusion follows the instrument's scoring
 * when it has a scale; without one it is the team's judgement) and goes to signing.
 */
export async function conclude(
  db: Kysely<Database>,
  cipher: FieldCipher,
  viewer: AssessorViewer,
  id: string,
  version: number,
  input: { reportOn: string; facts: string; conclusion?: 'recommended' | 'not_recommended'; reason?: string },
  today: string,
) {
  await db.transaction().execute(async (trx) => {
    const a = await lockAssessment(trx, viewer, id)
    await requireDeclaredMember(trx, viewer, id)
    const correcting = a.state === 'signed'
    if (!correcting) requireOpen(a.state)
    const { n } = await trx.selectFrom('assessment_members').select((eb) => eb.fn.countAll<string>().as('n')).where('assessment_id', '=', id).where('removed_at', 'is', null).executeTakeFirstOrThrow()
    if (Number(n) < MIN_TEAM) throw new ProcedureError('assessment.team.tooSmall')
    if (!a.consent_on) throw new ProcedureError('assessment.report.noConsent')
    if (!a.integration_from || !a.integration_to) throw new ProcedureError('assessment.report.noIntegration')
    if (input.reportOn > today) throw new ProcedureError('registration.dateInFuture')
    if (input.reportOn < a.integration_to) throw new ProcedureError('assessment.report.beforeIntegrationEnd')
    const { definition } = await instrumentById(trx, a.instrument_id)
    const scoring = scoreAssessment(definition, await scoresOf(trx, id))
    if (scoring.outcome === 'incomplete' && definition.scale) throw new ProcedureError('assessment.report.incomplete', { missing: scoring.missing.length })
    const conclusion = definition.scale ? (scoring.outcome as 'recommended' | 'not_recommended') : input.conclusion
    if (!conclusion) throw new ProcedureError('validation.chooseOne')
    if (definition.scale && input.conclusion && input.conclusion !== conclusion) throw new ProcedureError('assessment.report.conclusionFollowsScore')
    const last = await trx.selectFrom('assessment_reports').select(['id', 'version']).where('assessment_id', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirst()
    const nextVersion = (last?.version ?? 0) + 1
    // Every version after the first says why it replaces the one before (the old one is kept).
    if (nextVersion > 1 && !input.reason) throw new ProcedureError('assessment.report.reasonRequired')
    if (correcting) {
      // Once the application is decided, its assessment is part of the decision: no correction.
      const app = await trx.selectFrom('applications').select('state').where('id', '=', a.application_id).executeTakeFirstOrThrow()
      if (!['received', 'assessment'].includes(app.state)) throw new ProcedureError('assessment.report.applicationDecided')
    }
    if (correcting && last) {
      await trx.updateTable('assessment_reports').set({ superseded_at: sql`now()` as never }).where('id', '=', last.id).execute()
      // The application must not be decided on a conclusion being corrected.
      await reopenAssessment(trx, viewer, a.application_id)
    }
    const reportId = await nextId(trx, 'assessment_reports')
    await trx.insertInto('assessment_reports').values({
      id: reportId, assessment_id: id, version: nextVersion, number: `（${input.reportOn.slice(0, 4)}）评估第${id}号`, conclusion, total: scoring.total,
      facts_enc: cipher.encrypt(input.facts, { table: 'assessment_reports', column: 'facts_enc', row: reportId }), report_on: input.reportOn, reason: input.reason ?? null, created_by: viewer.id,
    }).execute()
    await bump(trx, id, version, { state: 'signing' })
    await audit(trx, { actor: viewer, action: correcting ? 'assessment.report_corrected' : 'assessment.concluded', entityType: 'assessment', entityId: id, summary: { conclusion, total: scoring.total, version: nextVersion }, reason: input.reason })
  })
}

/**
 * A member signs the report being signed. When every active member has signed, it becomes
 * read-only and its conclusion is handed to registration (the application's review clock resumes).
 */
export async function sign(db: Kysely<Database>, cipher: FieldCipher, viewer: AssessorViewer, id: string, today: string) {
  return db.transaction().execute(async (trx) => {
    const a = await lockAssessment(trx, viewer, id)
    if (a.state !== 'signing') throw new ProcedureError('assessment.report.notSigning')
    await requireDeclaredMember(trx, viewer, id)
    const report = await trx.selectFrom('assessment_reports').selectAll().where('assessment_id', '=', id).where('finalized_at', 'is', null).where('superseded_at', 'is', null).executeTakeFirstOrThrow()
    await trx.insertInto('assessment_signatures').values({ report_id: report.id, user_id: viewer.id }).onConflict((oc) => oc.columns(['report_id', 'user_id']).doNothing()).execute()
    await audit(trx, { actor: viewer, action: 'assessment.signed', entityType: 'assessment', entityId: id, summary: { version: report.version } })
    const unsigned = await trx.selectFrom('assessment_members as m')
      .leftJoin('assessment_signatures as s', (join) => join.onRef('s.user_id', '=', 'm.user_id').on('s.report_id', '=', report.id))
      .select('m.user_id').where('m.assessment_id', '=', id).where('m.removed_at', 'is', null).where('s.user_id', 'is', null).execute()
    if (unsigned.length) return { complete: false }
    await trx.updateTable('assessment_reports').set({ finalized_at: sql`now()` as never }).where('id', '=', report.id).execute()
    await bump(trx, id, null, { state: 'signed' })
    await handOver(trx, cipher, viewer, a.application_id, a.instrument_id, id, report, today)
    return { complete: true }
  })
}

/**
 * The hand-over to registration: the conclusion ends the application's assessment pause, and the
 * health and record vetoes become the adopters' findings where the registrar has none yet. The
 * assessors may not see the application itself (a secrecy case), so the hand-over acts with
 * registration's visibility, recorded under the signing assessor's name.
 */
async function handOver(
  trx: Transaction<Database>,
  cipher: FieldCipher,
  viewer: AssessorViewer,
  applicationId: string,
  instrumentId: string,
  assessmentId: string,
  report: { conclusion: 'recommended' | 'not_recommended'; report_on: string; number: string },
  today: string,
) {
  const system: Viewer = { ...viewer, roles: ['supervisor'] }
  const app = await trx.selectFrom('applications').select(['version', 'state']).where('id', '=', applicationId).executeTakeFirstOrThrow()
  const handed = { conclusion: report.conclusion, reportOn: report.report_on, reference: report.number }
  if (app.state === 'assessment') await recordAssessmentReport(trx, system, applicationId, app.version, handed, today)
  else await recordCorrectedAssessmentReport(trx, system, applicationId, handed)
  const scores = await scoresOf(trx, assessmentId)
  const vetoed = (dimension: string) => scores.some((s) => s.code === dimension && s.vetoes.length > 0)
  const loaded = await loadApplication(trx, cipher, system, applicationId)
  for (const adopter of loaded.parties.filter((p) => p.role === 'adopter')) {
    if (adopter.findings) continue
    await recordFindings(trx, cipher, system, applicationId, adopter.position, {
      disqualifyingDisease: vetoed('health'), harmfulRecord: vetoed('moral_character'), note: translate('zh', 'assessment.findingsFromReport', { number: report.number }),
    })
  }
  void instrumentId
}

export type AssessmentRow = Awaited<ReturnType<typeof listAssessments>>[number]

export async function listAssessments(db: Db, viewer: AssessorViewer, filter: { late?: boolean; state?: AssessmentState }, today: string) {
  let query = visibleAssessments(db, viewer)
    .leftJoin('assessment_agencies as ag', 'ag.id', 'assessments.agency_id')
    .select([
      'assessments.id', 'assessments.application_id as applicationId', 'assessments.state', 'assessments.mode', 'ag.legal_name as agency',
      'assessments.commissioned_on as commissionedOn', 'assessments.consent_on as consentOn', 'assessments.due_on as dueOn',
      sql<string | null>`(select string_agg(name, '、' order by position) from parties where application_id = assessments.application_id and role = 'adopter')`.as('adopters'),
      sql<string | null>`(select string_agg(u.display_name, '、') from assessment_members m join users u on u.id = m.user_id where m.assessment_id = assessments.id and m.removed_at is null)`.as('team'),
    ])
  if (filter.late) query = query.where('assessments.due_on', '<', today).where('assessments.state', 'in', ['open', 'signing'])
  if (filter.state) query = query.where('assessments.state', '=', filter.state)
  return query.orderBy('assessments.id', 'desc').limit(200).execute()
}

/** Everything the assessment page shows. Members who have not declared see the header only. */
export async function loadAssessment(db: Db, cipher: FieldCipher, viewer: AssessorViewer, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw new NotFoundError('assessment')
  const a = await visibleAssessments(db, viewer).leftJoin('assessment_agencies as ag', 'ag.id', 'assessments.agency_id')
    .selectAll('assessments').select(['ag.legal_name as agencyName', 'ag.credit_code as agencyCreditCode'])
    .where('assessments.id', '=', id).executeTakeFirst()
  if (!a) {
    await audit(db, { actor: viewer, action: 'assessment.access_refused', entityType: 'assessment', entityId: id })
    throw new NotFoundError('assessment')
  }
  const members = await db.selectFrom('assessment_members as m').innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id as userId', 'u.display_name as name', 'm.declared_at as declaredAt', 'm.conflict', 'm.conflict_note as conflictNote', 'm.removed_at as removedAt'])
    .where('m.assessment_id', '=', id).orderBy('u.display_name').execute()
  const me = members.find((m) => m.userId === viewer.id)
  const mustDeclare = Boolean(me && !me.declaredAt && !me.removedAt)
  const instrument = await instrumentById(db, a.instrument_id)
  const people = await db.selectFrom('parties').select(['role', 'name', 'position']).where('application_id', '=', a.application_id).orderBy('position').execute()
  const header = {
    id: a.id, applicationId: a.application_id, state: a.state, mode: a.mode, agencyName: a.agencyName, agencyCreditCode: a.agencyCreditCode,
    commissionedOn: a.commissioned_on, noticeOn: a.notice_on, consentOn: a.consent_on, dueOn: a.due_on,
    integrationFrom: a.integration_from, integrationTo: a.integration_to, version: a.version,
    cancelReason: a.cancel_reason,
    adopters: people.filter((p) => p.role === 'adopter').map((p) => p.name), child: people.find((p) => p.role === 'child')?.name ?? '',
    instrument: { version: instrument.version, definition: instrument.definition as InstrumentDefinition },
  }
  if (mustDeclare) return { header, members, mustDeclare, activities: [], scores: [], alerts: [], reports: [], scoring: null }
  const [activities, scoreRows, alerts, reports] = await Promise.all([
    db.selectFrom('assessment_activities').selectAll().where('assessment_id', '=', id).orderBy('on').orderBy('id').execute(),
    db.selectFrom('assessment_scores').selectAll().where('assessment_id', '=', id).execute(),
    db.selectFrom('assessment_alerts as al').leftJoin('users as u', 'u.id', 'al.raised_by').selectAll('al').select('u.display_name as raisedByName').where('al.assessment_id', '=', id).orderBy('al.id').execute(),
    db.selectFrom('assessment_reports').selectAll().where('assessment_id', '=', id).orderBy('version').execute(),
  ])
  const signatures = reports.length
    ? await db.selectFrom('assessment_signatures as s').innerJoin('users as u', 'u.id', 's.user_id')
      .select(['s.report_id as reportId', 's.user_id as userId', 'u.display_name as name', 's.signed_at as signedAt'])
      .where('s.report_id', 'in', reports.map((r) => r.id)).execute()
    : []
  const names = new Map(members.map((m) => [m.userId, m.name]))
  const files = activities.length
    ? await db.selectFrom('assessment_attachments').select(['id', 'activity_id as activityId', 'filename', 'content_type as contentType', 'size'])
      .where('activity_id', 'in', activities.map((x) => x.id)).orderBy('id').execute()
    : []
  return {
    header,
    members,
    mustDeclare,
    activities: activities.map((x) => ({ id: x.id, kind: x.kind, on: x.on, place: x.place, topic: x.topic, present: x.present.map((p) => names.get(p) ?? p), notes: cipher.decrypt(x.notes_enc, { table: 'assessment_activities', column: 'notes_enc', row: x.id }), attachments: files.filter((f) => f.activityId === x.id) })),
    scores: scoreRows.map((s) => ({ dimension: s.dimension, score: s.score, vetoes: s.vetoes, findings: cipher.decrypt(s.findings_enc, { table: 'assessment_scores', column: 'findings_enc', row: [s.assessment_id, s.dimension] }) })),
    alerts: alerts.map((x) => ({ id: x.id, code: x.code, police: x.police, note: cipher.decrypt(x.note_enc, { table: 'assessment_alerts', column: 'note_enc', row: x.id }), raisedBy: x.raisedByName, raisedAt: x.raised_at, acknowledgedAt: x.acknowledged_at })),
    reports: reports.map((r) => ({
      id: r.id, version: r.version, number: r.number, conclusion: r.conclusion, total: r.total, reportOn: r.report_on, reason: r.reason,
      facts: cipher.decrypt(r.facts_enc, { table: 'assessment_reports', column: 'facts_enc', row: r.id }), finalizedAt: r.finalized_at, supersededAt: r.superseded_at,
      signatures: signatures.filter((s) => s.reportId === r.id).map((s) => ({ userId: s.userId, name: s.name, signedAt: s.signedAt })),
    })),
    scoring: scoreAssessment(instrument.definition as InstrumentDefinition, scoreRows.map((s) => ({ code: s.dimension, score: s.score, vetoes: s.vetoes }))),
  }
}
export type LoadedAssessment = Awaited<ReturnType<typeof loadAssessment>>

/** An attachment's bytes, for someone who may see the assessment (the read is audited). */
export async function readAttachment(db: Kysely<Database>, cipher: FieldCipher, viewer: AssessorViewer, id: string, attachmentId: string) {
  const loaded = await loadAssessment(db, cipher, viewer, id)
  if (loaded.mustDeclare || !/^\d{1,18}$/.test(attachmentId)) throw new NotFoundError('attachment')
  const row = await db.selectFrom('assessment_attachments as f').innerJoin('assessment_activities as a', 'a.id', 'f.activity_id')
    .select(['f.blob_id', 'f.filename', 'f.content_type']).where('f.id', '=', attachmentId).where('a.assessment_id', '=', id).executeTakeFirst()
  if (!row) throw new NotFoundError('attachment')
  const bytes = await postgresBlobStore(cipher).get(db, row.blob_id)
  if (!bytes) throw new NotFoundError('attachment')
  await audit(db, { actor: viewer, action: 'assessment.attachment_read', entityType: 'assessment', entityId: id, summary: { attachment: attachmentId } })
  return { bytes, filename: row.filename, contentType: row.content_type }
}

/** The assessment of an application, for the registrar's page. */
export async function assessmentOfApplication(db: Db, applicationId: string) {
  return db.selectFrom('assessments').select(['id', 'state', 'due_on as dueOn', 'mode']).where('application_id', '=', applicationId).where('state', '<>', 'cancelled').executeTakeFirst()
}

export { DomainError, inTransaction }

/** What the registrar chooses from when commissioning: the in-house assessors and the agencies that may be entrusted today. */
export async function commissionOptions(db: Db, registryCode: string, today: string) {
  const agencies = await db.selectFrom('assessment_agencies').select(['id', 'legal_name as name'])
    .where('registry_code', '=', registryCode).where('active', '=', true).where('dpa_signed_on', 'is not', null)
    .where('contract_from', '<=', today).where('contract_to', '>=', today).orderBy('legal_name').execute()
  const inHouse = await eligibleAssessors(db, registryCode, null)
  const byAgency = await Promise.all(agencies.map(async (a) => ({ ...a, assessors: await eligibleAssessors(db, registryCode, a.id) })))
  return { inHouse, agencies: byAgency }
}

/** For the supervisor's home page: must-report findings not yet acknowledged, and late assessments. */
export async function assessmentDashboard(db: Db, viewer: AssessorViewer, today: string) {
  const visible = visibleAssessments(db, viewer).select('assessments.id')
  const alerts = await db.selectFrom('assessment_alerts as al').innerJoin('assessments as a', 'a.id', 'al.assessment_id')
    .select(['al.id', 'al.assessment_id as assessmentId', 'al.code', 'al.police', 'al.raised_at as raisedAt'])
    .where('al.assessment_id', 'in', visible).where('al.acknowledged_at', 'is', null).orderBy('al.id', 'desc').limit(20).execute()
  const late = await visibleAssessments(db, viewer).select((eb) => eb.fn.countAll<string>().as('n'))
    .where('assessments.due_on', '<', today).where('assessments.state', 'in', ['open', 'signing']).executeTakeFirstOrThrow()
  return { alerts, late: Number(late.n) }
}

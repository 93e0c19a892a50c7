// What the application page shows and does: the page model (facts, findings, checklist, clock,
// the steps this user may take now) and the dispatch of its forms to the commands. Routes stay a
// guard and one call.
import type { AppContext } from '#app/platform/context.server.ts'
import type { CurrentUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { DomainError, errorResponse } from '#app/platform/http.server.ts'
import type { Locale } from '#app/platform/i18n/index.ts'
import { workCalendar } from '#app/platform/calendar.server.ts'
import {
  checklistStatus, factsOf, loadApplication, logRead, markDocument, ProcedureError, recordFindings, triStateOf, triStateValue,
  type Viewer,
} from './applications.server.ts'
import {
  approveDecision, endPublicNotice, outsideAssessmentFacts, proposeDecision, receive, recordOutsideAssessmentReport, registerDissolution,
  registrationBlockers, returnDecision, revoke, startOutsideAssessment, startPublicNotice, withdraw,
} from './decisions.server.ts'
import { evaluate } from './evaluation.ts'
import { decideReissue, issuedByReissue, issueReissue, reissuesOf, requestReissue } from './reissues.server.ts'
import { outsideAssessmentRefusal } from './outside-assessment.ts'
import { reviewClock } from './deadlines.ts'
import { publicNoticeRequiredFor } from './public-notice.ts'
import { publicNoticeView } from './public-notice.server.ts'
import { sniffAttachmentType } from '#app/platform/storage.server.ts'
import { available } from './workflow.ts'
import {
  approvalSchema, assessmentReportSchema, decisionSchema, NOTICE_PHOTO_MAX_BYTES, publicNoticeSchema, dissolutionSchema, findingsSchema, reasonSchema, reissueDecisionSchema, reissueIssueSchema, reissueRequestSchema, revocationSchema,
} from './schemas.ts'
import { z } from 'zod'
import { runForm, type FormResult } from '#app/platform/form-action.server.ts'
import { isoDate } from './schemas.ts'

export function viewerOf(user: CurrentUser): Viewer {
  return { id: user.id, username: user.username, registryCode: user.registryCode, roles: user.roles }
}

/** Steps a registrar takes (case.write) and those a supervisor takes (case.approve). */
const approverSteps = new Set(['approve_registration', 'approve_refusal', 'return_decision', 'revoke'])

export async function applicationPage(context: AppContext, user: CurrentUser, id: string, locale: Locale, today: string, reveal: string | null) {
  const viewer = viewerOf(user)
  const loaded = await loadApplication(context.db, context.cipher, viewer, id)
  await logRead(context.db, viewer, id, reveal, context.ip)
  const { app } = loaded
  const asOf = app.registered_on ?? today
  const evaluation = evaluate(factsOf(loaded), asOf, locale)
  const open = ['draft', 'received', 'assessment', 'public_notice', 'pending_approval'].includes(app.state)
  const calendar = await workCalendar(context.db, app.registry_code)
  const clock = open ? reviewClock(app.received_on, loaded.pauses, today, calendar) : null
  const notice = await publicNoticeView(context.db, calendar, app.id, loaded.pauses.find((p) => p.kind === 'public_notice'))
  const childSituation = loaded.parties.find((p) => p.role === 'child')?.situation ?? null
  const mayWrite = can(user.roles, 'case.write')
  const mayApprove = can(user.roles, 'case.approve')
  // The outside assessment is offered only where the local rule allows it (outside-assessment.ts).
  const outside = await outsideAssessmentFacts(context.db, context.cipher, app.id)
  const outsideRefusal = {
    start: outsideAssessmentRefusal('start', outside.adopters, outside.running),
    report: outsideAssessmentRefusal('report', outside.adopters, outside.running),
  }
  // An assessment may be commissioned in the system now (the assessment module's form), whether
  // or not the outside one is offered.
  const assessable = mayWrite && available(app.state).includes('start_assessment') && app.assessment !== 'not_required'
  const steps = available(app.state)
    .filter((s) => (approverSteps.has(s) ? mayApprove : mayWrite))
    .filter((s) => (s === 'approve_registration' ? app.decision === 'register' : s === 'approve_refusal' ? app.decision === 'refuse' : true))
    .filter((s) => (s === 'start_assessment' ? app.assessment !== 'not_required' && outsideRefusal.start === null : true))
    .filter((s) => (s === 'end_assessment' ? outsideRefusal.report === null : true))
    .filter((s) => (s === 'start_public_notice' ? publicNoticeRequiredFor({ situation: childSituation }) && !loaded.pauses.some((p) => p.kind === 'public_notice') : true))
  const canEditFacts = mayWrite && ['draft', 'received', 'assessment', 'public_notice'].includes(app.state)
  return {
    app: {
      id: app.id, state: app.state, version: app.version, relation: app.relation, placingKind: app.placing_kind, foundling: app.foundling,
      imported: app.source === 'import', // a historical record (app/import): no intake review to show
      // Made before every registration had to name its town (migration 0021): the town may be recorded on the correction page.
      recordedBeforeTownRule: app.recorded_before_town_rule,
      otherParentUnknownOrMissing: app.other_parent_unknown_or_missing, consentOfSupporters: app.consent_of_supporters,
      receivedOn: app.received_on, secrecy: app.secrecy, secrecyRequestedBy: app.secrecy_requested_by, deFactoSince: app.de_facto_since,
      assessment: app.assessment, assessmentReportOn: app.assessment_report_on, assessmentReference: app.assessment_reference,
      registrarName: app.registrarName,
      residenceTown: app.residenceTownName ? { name: app.residenceTownName, code: app.residenceTownCode!, retiredOn: app.residenceTownRetiredOn } : null, residesAbroad: app.resides_abroad, decision: app.decision, decisionFacts: app.decision_facts, decisionBasis: app.decision_basis, refusalGround: app.refusal_ground,
      proposerName: app.proposerName, proposedAt: app.decision_proposed_at, proposedByMe: app.decision_proposed_by === user.id,
      approverName: app.approverName, approvedAt: app.approved_at, registrationNumber: app.registration_number,
      registeredOn: app.registered_on, refusedOn: app.refused_on, refusalNumber: app.refusal_number, closedReason: app.closed_reason,
    },
    parties: loaded.parties.map((p) => ({
      ...p,
      idNumber: reveal ? p.idNumber : null,
      findings: p.role === 'adopter' ? p.findings : null,
    })),
    revealed: Boolean(reveal),
    evaluation,
    asOf,
    checklist: checklistStatus(loaded, today).map((item) => ({
      code: item.code, party: item.party, label: item.label, basis: item.basis,
      providedAt: item.status?.providedAt ?? null, providedBy: item.status?.providedBy ?? null,
      verifiedAt: item.status?.verifiedAt ?? null, verifiedBy: item.status?.verifiedBy ?? null,
    })),
    blockers: open ? registrationBlockers(loaded, today) : [],
    clock,
    steps,
    assessable,
    canEditFacts,
    pauses: loaded.pauses,
    notice,
    events: loaded.events,
    certificates: await Promise.all(loaded.certificates.map(async (c) => ({
      id: c.id, kind: c.kind, number: c.number, serial: c.serial, issuedOn: c.issued_on, status: c.status, reason: c.status_reason,
      // The preprinted blank: for a valid certificate with its blank's serial; an imported
      // registration's only when an approved reissue issued it (decision 027).
      printableOnBlank: c.kind === 'adoption' && c.status === 'valid' && !!c.serial && (app.source !== 'import' || await issuedByReissue(context.db, c.id)),
    }))),
    reissues: (await reissuesOf(context.db, app.id)).map((r) => ({ ...r, mine: r.requestedById === user.id })),
    mayApprove,
    mayWrite,
    dissolution: loaded.dissolution,
    revocation: loaded.revocation,
    today,
  }
}
export type ApplicationPage = Awaited<ReturnType<typeof applicationPage>>

const onDate = z.object({ on: isoDate })
const versioned = z.object({ version: z.coerce.number().int() })

export type ActionResult = FormResult & { reveal?: string }

/** Runs one form of the application page. Domain refusals come back as form errors, not pages. */
export async function applicationAction(context: AppContext, user: CurrentUser, id: string, formData: FormData, today: string): Promise<ActionResult> {
  const viewer = viewerOf(user)
  const intent = String(formData.get('intent') ?? '')
  const { db, cipher } = context
  const version = versioned.safeParse({ version: formData.get('version') })
  const v = version.success ? version.data.version : -1
  const need = (permission: 'case.write' | 'case.approve') => {
    if (!can(user.roles, permission)) throw errorResponse(new DomainError(403, 'error.forbidden'))
  }
  const run = <S extends z.ZodTypeAny>(schema: S, work: (value: z.infer<S>) => Promise<unknown>) => runForm(formData, intent, schema, work)
  switch (intent) {
    case 'reveal':
      return run(reasonSchema, async () => {}).then((r) => (r.ok ? { ...r, reveal: String(formData.get('reason')).trim() } : r))
    case 'document': {
      need('case.write')
      const schema = z.object({ code: z.string().min(1).max(60), op: z.enum(['provide', 'verify', 'unprovide']) })
      return run(schema, (val) => markDocument(db, viewer, id, val.code, val.op))
    }
    case 'findings':
      need('case.write')
      return run(findingsSchema, (val) =>
        recordFindings(db, cipher, viewer, id, val.position, {
          disqualifyingDisease: triStateValue(val.disqualifyingDisease), harmfulRecord: triStateValue(val.harmfulRecord), note: val.note,
        }),
      )
    case 'receive':
      need('case.write')
      return run(onDate, (val) => receive(db, viewer, id, v, val.on, today))
    // The assessment made outside the system (outside-assessment.ts): only where the local rule allows it.
    case 'start_assessment':
      need('case.write')
      return run(onDate, (val) => startOutsideAssessment(db, cipher, viewer, id, v, val.on, today))
    case 'end_assessment':
      need('case.write')
      return run(assessmentReportSchema, (val) => recordOutsideAssessmentReport(db, cipher, viewer, id, v, val, today))
    case 'start_public_notice': {
      need('case.write')
      // The photo's kind is known only from its bytes: sniffed before the schema runs, so a wrong
      // file is refused next to its field like any other value.
      const photo = formData.get('photo')
      const bytes = typeof photo === 'object' && photo && photo.size > 0 && photo.size <= NOTICE_PHOTO_MAX_BYTES ? new Uint8Array(await photo.arrayBuffer()) : null
      const kind = bytes ? sniffAttachmentType(bytes) : null
      const schema = publicNoticeSchema.extend({
        photo: z.any().refine(() => bytes !== null || !(typeof photo === 'object' && photo && photo.size > 0), 'registration.notice.photoTooLarge')
          .refine(() => bytes !== null || (typeof photo === 'object' && photo && photo.size > 0), 'registration.notice.photoRequired')
          .refine(() => bytes === null || kind === 'image/jpeg' || kind === 'image/png', 'registration.notice.photoType'),
      })
      return run(schema, (val) => startPublicNotice(db, cipher, viewer, id, v, { on: val.on, medium: val.medium, outlet: val.outlet, reference: val.reference, text: val.text, photo: bytes! }, today))
    }
    case 'end_public_notice':
      need('case.write')
      return run(onDate, (val) => endPublicNotice(db, viewer, id, v, val.on, today))
    case 'propose_decision':
      need('case.write')
      return run(decisionSchema, (val) => proposeDecision(db, cipher, viewer, id, v, val, today))
    case 'approve_registration':
    case 'approve_refusal':
      need('case.approve')
      return run(approvalSchema, (val) => approveDecision(db, cipher, viewer, id, v, val, today))
    case 'return_decision':
      need('case.approve')
      return run(reasonSchema, (val) => returnDecision(db, viewer, id, v, val.reason))
    case 'withdraw':
      need('case.write')
      return run(reasonSchema, (val) => withdraw(db, viewer, id, v, val.reason, today))
    // Reissue (补发/换发): asked by one person, decided by another, then issued on a new blank.
    case 'request_reissue':
      need('case.write')
      return run(reissueRequestSchema, (val) => requestReissue(db, viewer, id, val))
    case 'decide_reissue':
      need('case.approve')
      return run(reissueDecisionSchema, (val) => decideReissue(db, viewer, val.reissue, { version: val.version, decision: val.decision, note: val.note }))
    case 'issue_reissue':
      need('case.write')
      return run(reissueIssueSchema, (val) => issueReissue(db, viewer, val.reissue, { version: val.version, serial: val.serial }, today))
    case 'register_dissolution':
      need('case.write')
      return run(dissolutionSchema, (val) =>
        registerDissolution(db, cipher, viewer, id, v, { ...val, childConsents: triStateValue(val.childConsents) }, today),
      )
    case 'revoke':
      need('case.approve')
      return run(revocationSchema, (val) => revoke(db, viewer, id, v, val, today))
    default:
      throw errorResponse(new DomainError(400, 'error.badRequest'))
  }
}

export { triStateOf }

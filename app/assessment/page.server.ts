// The assessment page: its model (with the viewer's place on the team) and the dispatch of its
// forms to the commands. Routes stay a guard and one call.
import { z } from 'zod'
import { runForm, type FormResult } from '#app/platform/form-action.server.ts'
import type { AppContext } from '#app/platform/context.server.ts'
import type { CurrentUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { audit } from '#app/platform/audit.server.ts'
import { DomainError, errorResponse } from '#app/platform/http.server.ts'
import { ProcedureError } from '#app/registration/applications.server.ts'
import {
  acknowledgeAlert, addActivity, addMember, conclude, declare, eligibleAssessors, loadAssessment, raiseAlert, returnDraft, saveScore,
  setDates, setIntegration, sign, type AssessorViewer,
} from './assessments.server.ts'
import { activitySchema, alertSchema, concludeSchema, datesSchema, declarationSchema, integrationSchema, scoreSchema } from './schemas.ts'

export async function assessorViewer(context: AppContext, user: CurrentUser): Promise<AssessorViewer> {
  const row = await context.db.selectFrom('users').select('agency_id').where('id', '=', user.id).executeTakeFirst()
  return { id: user.id, username: user.username, registryCode: user.registryCode, roles: user.roles, agencyId: row?.agency_id ?? null }
}

export async function assessmentPage(context: AppContext, user: CurrentUser, id: string, today: string, logRead = false) {
  const viewer = await assessorViewer(context, user)
  const loaded = await loadAssessment(context.db, context.cipher, viewer, id)
  // The page shows the adopters' health and record findings and any suspicion of abuse: each view
  // is in the audit log, as an application page's is (decision 028).
  if (logRead) await audit(context.db, { actor: viewer, action: 'assessment.viewed', entityType: 'assessment', entityId: loaded.header.id, ip: context.ip })
  const me = loaded.members.find((m) => m.userId === user.id && !m.removedAt)
  const active = loaded.members.filter((m) => !m.removedAt)
  const current = loaded.reports.find((r) => !r.supersededAt) ?? null
  const mayManage = can(user.roles, 'case.write') || user.roles.includes('supervisor')
  return {
    ...loaded,
    today,
    me: me ? { declared: Boolean(me.declaredAt) } : null,
    mayRecord: Boolean(me?.declaredAt) && can(user.roles, 'assessment.write'),
    mayAcknowledge: user.roles.includes('supervisor'),
    mayOpenApplication: can(user.roles, 'case.read'),
    teamShort: active.length < 2,
    candidates: mayManage && loaded.header.state !== 'signed'
      ? (await eligibleAssessors(context.db, user.registryCode, loaded.header.mode === 'agency' ? (await context.db.selectFrom('assessments').select('agency_id').where('id', '=', id).executeTakeFirstOrThrow()).agency_id : null))
          .filter((c) => !loaded.members.some((m) => m.userId === c.id))
      : [],
    current,
    unsigned: current && !current.finalizedAt ? active.filter((m) => !current.signatures.some((s) => s.userId === m.userId)).map((m) => m.name) : [],
    iSigned: Boolean(current?.signatures.some((s) => s.userId === user.id)),
  }
}
export type AssessmentPage = Awaited<ReturnType<typeof assessmentPage>>

export type AssessmentActionResult = FormResult

export async function assessmentAction(context: AppContext, user: CurrentUser, id: string, formData: FormData, today: string): Promise<AssessmentActionResult> {
  const viewer = await assessorViewer(context, user)
  const intent = String(formData.get('intent') ?? '')
  const { db, cipher } = context
  const version = Number(formData.get('version') ?? -1)
  const run = <S extends z.ZodTypeAny>(schema: S, work: (value: z.infer<S>) => Promise<unknown>) => runForm(formData, intent, schema, work)
  switch (intent) {
    case 'declare':
      return run(declarationSchema, (v) => declare(db, viewer, id, { conflict: v.conflict === 'yes', note: v.note }))
    case 'dates':
      return run(datesSchema, (v) => setDates(db, viewer, id, version, v, today))
    case 'integration':
      return run(integrationSchema, (v) => setIntegration(db, viewer, id, version, v, today))
    case 'activity': {
      const files = await Promise.all(
        formData.getAll('files')
          .filter((f): f is File => typeof f === 'object' && f !== null && 'arrayBuffer' in f && (f as File).size > 0)
          .map(async (f) => ({ filename: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
      )
      return run(activitySchema, (v) => addActivity(db, cipher, viewer, id, v, today, files))
    }
    case 'score':
      return run(scoreSchema, (v) => saveScore(db, cipher, viewer, id, v))
    case 'alert':
      return run(alertSchema, (v) => raiseAlert(db, cipher, viewer, id, v))
    case 'acknowledge':
      return run(z.object({ alert: z.string().regex(/^\d{1,18}$/) }), (v) => acknowledgeAlert(db, viewer, id, v.alert))
    case 'conclude':
      return run(concludeSchema, (v) => conclude(db, cipher, viewer, id, version, v, today))
    case 'sign':
      return run(z.object({}), () => sign(db, cipher, viewer, id, today))
    case 'return':
      return run(z.object({ reason: z.string().trim().min(1, 'validation.required').max(1000) }), (v) => returnDraft(db, viewer, id, version, v.reason))
    case 'add_member':
      return run(z.object({ user: z.string().regex(/^\d{1,18}$/, 'validation.chooseOne') }), (v) => addMember(db, viewer, id, v.user))
    default:
      throw errorResponse(new DomainError(400, 'error.badRequest'))
  }
}

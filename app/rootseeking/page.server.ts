// What a root-seeking request's page shows and does: the page model and the dispatch of its forms
// (verify, accept with the plan, decline, disclosure decision, upload, reception record, close).
import type { AppContext } from '#app/platform/context.server.ts'
import type { CurrentUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { ForbiddenError, ProcedureError } from '#app/platform/http.server.ts'
import { runForm, type FormResult } from '#app/platform/form-action.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { z } from 'zod'
import { acceptRequest, addDocument, addVisitor, declineRequest, loadRequest, markBounced, removeVisitor, verifyRequest } from './requests.server.ts'
import { decideDisclosure, mayDecideDisclosure } from './disclosure.server.ts'
import { closeRequest, recordReception } from './reception.server.ts'
import { acceptSchema, declineSchema, disclosureSchema, recordSchema, verifySchema, visitorSchema } from './schemas.ts'

export async function rootseekingPage(context: AppContext, user: CurrentUser, id: string, today: string) {
  const viewer = viewerOf(user)
  const loaded = await loadRequest(context.db, context.cipher, viewer, id, today)
  const write = can(user.roles, 'rootseeking.write')
  const caseworkers = write && loaded.request.state === 'received'
    ? await context.db.selectFrom('users as u').innerJoin('user_roles as r', 'r.user_id', 'u.id').select(['u.id', 'u.display_name as name'])
        .where('u.registry_code', '=', user.registryCode).where('u.active', '=', true).where('r.role', '=', 'caseworker').orderBy('u.display_name').execute()
    : []
  return { ...loaded, caseworkers, mayWrite: write, mayDecideDisclosure: mayDecideDisclosure(viewer), mayReadCase: can(user.roles, 'case.read'), today }
}

const uploadSchema = z.object({
  kind: z.enum(['application_form', 'adoption_certificate', 'passport', 'other'], { error: 'validation.chooseOne' }),
  visitorId: z.string().regex(/^\d{1,18}$/).optional(),
})
const versionSchema = z.object({ version: z.coerce.number().int() })

/** A refusal that concerns one field of the form: shown next to that field rather than above the form. */
function besideField(result: FormResult, messageKey: string, field: string): FormResult {
  if (result.ok) return result
  const errors = result.reply.error ?? {}
  const top = errors[''] ?? []
  if (!top.includes(messageKey)) return result
  return { ...result, reply: { ...result.reply, error: { ...errors, '': top.filter((e) => e !== messageKey), [field]: [...(errors[field] ?? []), messageKey] } } }
}

export async function rootseekingAction(context: AppContext, user: CurrentUser, id: string, formData: FormData, today: string): Promise<FormResult> {
  const viewer = viewerOf(user)
  const intent = String(formData.get('intent') ?? '')
  const db = context.db
  if (intent === 'disclosure') {
    if (!mayDecideDisclosure(viewer)) throw new ForbiddenError()
    const result = await runForm(formData, intent, disclosureSchema, (v) => decideDisclosure(db, viewer, id, { disclose: v.disclose === 'yes', basis: v.basis, paperFileChecked: v.paperFileChecked, paperFileReference: v.paperFileReference }))
    return besideField(result, 'rootseeking.disclosure.secrecyUnknown', 'paperFileChecked')

  }
  if (!can(user.roles, 'rootseeking.write')) throw new ForbiddenError()
  switch (intent) {
    case 'verify':
      return runForm(formData, intent, verifySchema, (v) => verifyRequest(db, viewer, id, v.version, v))
    case 'accept':
      return runForm(formData, intent, acceptSchema(today), (v) => acceptRequest(db, context.cipher, viewer, id, v, today, context.env.PUBLIC_URL))
    case 'decline':
      return runForm(formData, intent, declineSchema, (v) => declineRequest(db, context.cipher, viewer, id, v, today, context.env.PUBLIC_URL))
    case 'record':
      return runForm(formData, intent, recordSchema(today), (v) => recordReception(db, viewer, id, v, today))
    case 'close':
      return runForm(formData, intent, versionSchema, (v) => closeRequest(db, viewer, id, v.version))
    case 'addVisitor':
      return runForm(formData, intent, visitorSchema.extend({ version: z.coerce.number().int() }), async (v) => {
        const file = formData.get('passportCopy')
        const passportCopy = file && typeof file !== 'string' && file.size > 0 ? { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined
        await addVisitor(db, context.cipher, viewer, id, v.version, { ...v, passportCopy })
      })
    case 'removeVisitor':
      return runForm(formData, intent, z.object({ version: z.coerce.number().int(), visitorId: z.string().regex(/^\d{1,18}$/) }), (v) => removeVisitor(db, viewer, id, v.version, v.visitorId))
    case 'bounced':
      return runForm(formData, intent, versionSchema, () => markBounced(db, viewer, id))
    default:
      return runForm(formData, 'upload', uploadSchema, async (v) => {
        const file = formData.get('file')
        if (!file || typeof file === 'string' || file.size === 0) throw new ProcedureError('rootseeking.upload.required')
        await addDocument(db, context.cipher, viewer, id, { kind: v.kind, visitorId: v.visitorId, filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })
      })
  }
}

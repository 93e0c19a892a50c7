// Turning a submitted request form (multipart) into a Submission: the fields through the schema,
// the uploads paired with their visitor rows. Shared by the public page and the staff page.
import { parseWithZod } from '@conform-to/zod/v4'
import type { SubmissionResult } from '@conform-to/react'
import { keptVisitorRows, requestSchema, VISITOR_SLOTS } from './schemas.ts'
import type { Submission, UploadedDocument } from './requests.server.ts'

async function fileOf(formData: FormData, name: string): Promise<{ filename: string; bytes: Uint8Array } | null> {
  const value = formData.get(name)
  if (!value || typeof value === 'string' || value.size === 0) return null
  return { filename: value.name || name, bytes: new Uint8Array(await value.arrayBuffer()) }
}

export type Intake =
  | { ok: true; submission: Submission; reply: (formErrors: string[]) => SubmissionResult<string[]> }
  | { ok: false; reply: SubmissionResult<string[]> }

export async function readRequestForm(formData: FormData, today: string, channel: Submission['channel']): Promise<Intake> {
  // Files are not form values: parse the text fields only, so a failed submission returns them.
  const fields = new FormData()
  for (const [key, value] of formData.entries()) if (typeof value === 'string') fields.append(key, value)
  const parsed = parseWithZod(fields, { schema: requestSchema(today) })
  if (parsed.status !== 'success') return { ok: false, reply: parsed.reply() }
  const documents: UploadedDocument[] = []
  const form = await fileOf(formData, 'applicationForm')
  if (form) documents.push({ kind: 'application_form', ...form })
  const certificate = await fileOf(formData, 'adoptionCertificate')
  if (certificate) documents.push({ kind: 'adoption_certificate', ...certificate })
  const rows = keptVisitorRows(fields).filter((slot) => slot < VISITOR_SLOTS)
  for (const [index, slot] of rows.entries()) {
    const passport = await fileOf(formData, `passport_${slot}`)
    if (passport) documents.push({ kind: 'passport', visitorIndex: index, ...passport })
  }
  const chosen = fields.get('channel')
  const finalChannel = channel === 'online' ? 'online' : chosen === 'email' ? 'email' : 'mail'
  return { ok: true, submission: { ...parsed.value, channel: finalChannel, documents }, reply: (formErrors) => parsed.reply({ formErrors }) }
}

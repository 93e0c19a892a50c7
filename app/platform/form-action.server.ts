// Running one form of a page with several forms: parse it with its schema, call the command, and
// turn the refusals a user can act on (a procedure rule, a stale version, a forbidden step, a
// database check) into form errors next to that form, with the values kept; other domain errors
// become their HTTP status; anything else is a real fault and propagates.
import { parseWithZod } from '@conform-to/zod/v4'
import type { SubmissionResult } from '@conform-to/react'
import type { z } from 'zod'
import { DomainError, errorResponse, ProcedureError } from './http.server.ts'

export type FormResult = { intent: string; ok: true } | { intent: string; ok: false; reply: SubmissionResult<string[]> }

export async function runForm<S extends z.ZodTypeAny>(
  formData: FormData,
  intent: string,
  schema: S,
  work: (value: z.infer<S>) => Promise<unknown>,
): Promise<FormResult> {
  const submission = parseWithZod(formData, { schema })
  if (submission.status !== 'success') return { intent, ok: false, reply: submission.reply() }
  try {
    await work(submission.value)
    return { intent, ok: true }
  } catch (error) {
    if (error instanceof ProcedureError) {
      const params = Object.entries(error.params).map(([k, v]) => `|${k}=${v}`).join('')
      return { intent, ok: false, reply: submission.reply({ formErrors: [`${error.messageKey}${params}`] }) }
    }
    if (error instanceof DomainError && (error.status === 409 || error.status === 403)) {
      return { intent, ok: false, reply: submission.reply({ formErrors: [error.messageKey] }) }
    }
    // A database check constraint (e.g. dates out of order) refuses the input: not a fault.
    if ((error as { code?: string }).code === '23514') {
      return { intent, ok: false, reply: submission.reply({ formErrors: ['validation.invalid'] }) }
    }
    // Any other domain error (an unknown record, say) is its HTTP status on the error page.
    if (error instanceof DomainError) throw errorResponse(error)
    throw error
  }
}

// The public request page's server side: abuse limits (body size, rate per address, in
// PostgreSQL), the request form, and the status behind both keys.
import { parseWithZod } from '@conform-to/zod/v4'
import type { AppContext } from '#app/platform/context.server.ts'
import { ProcedureError } from '#app/platform/http.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { readRequestForm } from './intake.server.ts'
import { EVERYONE, hit, mailCap, STATUS_LIMIT, submitCap, SUBMIT_LIMIT } from './rate-limit.server.ts'
import { publicStatus, submitRequest } from './requests.server.ts'
import { formatReference } from './reference.ts'
import { statusSchema } from './schemas.ts'

import { PUBLIC_MAX_BYTES } from './schemas.ts'

type Refusal = { kind: 'tooLarge' | 'tooMany'; status: 413 | 429 }

export function tooLarge(request: Request): Refusal | null {
  const declared = Number(request.headers.get('content-length') ?? 0)
  return declared > PUBLIC_MAX_BYTES ? { kind: 'tooLarge', status: 413 } : null
}

export async function publicSubmit(context: AppContext, request: Request) {
  const big = tooLarge(request)
  if (big) return { result: { refused: big.kind } as const, status: big.status }
  if (!(await hit(context.db, SUBMIT_LIMIT, context.ip))) return { result: { refused: 'tooMany' } as const, status: 429 }
  const today = todayInShanghai()
  const intake = await readRequestForm(await request.formData(), today, 'online')
  if (!intake.ok) return { result: { reply: intake.reply } as const, status: 400 }
  // A flood from many addresses is capped for the registry as a whole, and so is the mail it causes.
  if (!(await hit(context.db, submitCap(context.env.PUBLIC_SUBMISSIONS_PER_HOUR), EVERYONE))) return { result: { refused: 'tooMany' } as const, status: 429 }
  const sendConfirmation = context.env.PUBLIC_MAILS_PER_HOUR > 0 && (await hit(context.db, mailCap(context.env.PUBLIC_MAILS_PER_HOUR), EVERYONE))
  try {
    const { reference } = await submitRequest(context.db, context.cipher, null, context.env.REGISTRY_CODE, intake.submission, { today, publicUrl: context.env.PUBLIC_URL, ip: context.ip, sendConfirmation })
    return { result: { done: { reference: formatReference(reference), email: intake.submission.email } } as const, status: 200 }
  } catch (error) {
    if (error instanceof ProcedureError) {
      const params = Object.entries(error.params).map(([k, v]) => `|${k}=${v}`).join('')
      return { result: { reply: intake.reply([`${error.messageKey}${params}`]) } as const, status: 400 }
    }
    throw error
  }
}

export async function publicStatusLookup(context: AppContext, request: Request) {
  if (!(await hit(context.db, STATUS_LIMIT, context.ip))) return { result: { refused: 'tooMany' } as const, status: 429 }
  const parsed = parseWithZod(await request.formData(), { schema: statusSchema })
  if (parsed.status !== 'success') return { result: { reply: parsed.reply() } as const, status: 400 }
  const found = await publicStatus(context.db, parsed.value.reference, parsed.value.email)
  // One answer for "no such reference" and "wrong e-mail": nothing tells a guess apart.
  if (!found) return { result: { noMatch: true, reply: parsed.reply() } as const, status: 200 }
  return { result: { status: found, reply: parsed.reply() } as const, status: 200 }
}

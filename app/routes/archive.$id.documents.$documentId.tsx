// One archived document, checked against its recorded hash before it is served. Every read goes to
// the archive access log and the audit; a secrecy file's document is read only with a reason, given
// on /archive/:id/read/:documentId (a plain form posting here, so it works without JavaScript).
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { requireUser, type CurrentUser } from '#app/platform/guard.server.ts'
import { orRespond, ProcedureError } from '#app/platform/http.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { readDocument } from '#app/archive/files.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import type { AppContext } from '#app/platform/context.server.ts'

const formPath = (fileId: string, documentId: string, error?: string) =>
  `/archive/${encodeURIComponent(fileId)}/read/${encodeURIComponent(documentId)}${error ? `?error=${error}` : ''}`

async function serve(context: AppContext, user: CurrentUser, fileId: string, documentId: string, reason: string | null) {
  return orRespond(async () => {
    try {
      const doc = await readDocument(context.db, context.cipher, viewerOf(user), fileId, documentId, reason, context.ip)
      return new Response(doc.bytes as unknown as BodyInit, {
        headers: {
          'Content-Type': doc.contentType,
          'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(`${doc.archiveNumber}-${doc.title}`)}`,
          'Cache-Control': 'no-store',
        },
      })
    } catch (error) {
      // A secrecy file without a reason: the form that asks for one.
      if (error instanceof ProcedureError && error.messageKey === 'archive.read.reasonRequired') return redirect(formPath(fileId, documentId, reason === null ? undefined : 'required'))
      if (error instanceof ProcedureError && error.messageKey === 'archive.read.reasonTooLong') return redirect(formPath(fileId, documentId, 'tooLong'))
      if (error instanceof ProcedureError) return new Response(translate(user.locale, error.messageKey), { status: 409, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
      throw error
    }
  })
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  return serve(context, user, params.id ?? '', params.documentId ?? '', null)
}

// Length and emptiness are readDocument's rules (the form shows its refusal next to the field).
const reasonSchema = z.object({ reason: z.string().catch('') })

/** The reason form's post: the reason is checked (and logged) by readDocument. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  const { reason } = reasonSchema.parse({ reason: (await request.formData()).get('reason') })
  return serve(context, user, params.id ?? '', params.documentId ?? '', reason)
}

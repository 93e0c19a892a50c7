// A document under an approved request: for the named staff member only, while it runs; a PDF
// watermarked with the requester, the request and the date; logged.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond, ProcedureError } from '#app/platform/http.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { consultDocument } from '#app/archive/access.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.read')
  return orRespond(async () => {
    try {
      const doc = await consultDocument(context.db, context.cipher, viewerOf(user), params.id ?? '', params.documentId ?? '', context.ip, todayInShanghai())
      return new Response(doc.bytes as unknown as BodyInit, {
        headers: {
          'Content-Type': 'application/pdf',
          'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(`${doc.archiveNumber}-${doc.title}.pdf`)}`,
          'Cache-Control': 'no-store',
        },
      })
    } catch (error) {
      if (error instanceof ProcedureError) return new Response(translate(user.locale, error.messageKey), { status: 409, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
      throw error
    }
  })
}

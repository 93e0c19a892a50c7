// One archived document, checked against its recorded hash before it is served; every read is audited.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond, ProcedureError } from '#app/platform/http.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { readDocument } from '#app/archive/files.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  return orRespond(async () => {
    try {
      const doc = await readDocument(context.db, context.cipher, viewerOf(user), params.id ?? '', params.documentId ?? '', null, context.ip)
      return new Response(doc.bytes as unknown as BodyInit, {
        headers: {
          'Content-Type': doc.contentType,
          'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(`${doc.archiveNumber}-${doc.title}`)}`,
          'Cache-Control': 'no-store',
        },
      })
    } catch (error) {
      if (error instanceof ProcedureError) return new Response(translate(user.locale, error.messageKey), { status: 409, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
      throw error
    }
  })
}

// A request's document, to staff who may read the request. These files come from anyone on the
// internet (the public page): checked by content at upload, served sandboxed and never sniffed.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { documentBytes } from '#app/rootseeking/requests.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'rootseeking.read')
  return orRespond(async () => {
    const doc = await documentBytes(context.db, context.cipher, viewerOf(user), params.id ?? '', params.documentId ?? '')
    const ext = doc.contentType === 'application/pdf' ? 'pdf' : doc.contentType === 'image/png' ? 'png' : 'jpg'
    return new Response(doc.bytes as unknown as BodyInit, {
      headers: { 'Content-Type': doc.contentType, 'Content-Disposition': `inline; filename="document-${params.documentId}.${ext}"`, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': 'sandbox' },
    })
  })
}

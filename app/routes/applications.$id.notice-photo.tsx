import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { publicNoticePhoto } from '#app/registration/public-notice.server.ts'

// The child's photo published with the notice seeking the birth parents: scoped like the
// application page (secrecy cases only to their registrar), audited, never cached.
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  return orRespond(async () => {
    const photo = await publicNoticePhoto(context.db, context.cipher, viewerOf(user), params.id ?? '', context.ip)
    return new Response(photo.bytes as unknown as BodyInit, {
      headers: { 'Content-Type': photo.contentType, 'Cache-Control': 'no-store', 'Content-Length': String(photo.bytes.byteLength), 'X-Content-Type-Options': 'nosniff' },
    })
  })
}

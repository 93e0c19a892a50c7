// A photo of a visit report (decrypted from the blob store; audited).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { photoBytes } from '#app/followup/reports.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'followup.read')
  const photo = await orRespond(() => photoBytes(context.db, context.cipher, viewerOf(user), params.id ?? ''))
  return new Response(photo.bytes as unknown as BodyInit, { headers: { 'Content-Type': photo.contentType, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } })
}

// The file of a post-placement report received from a foreign agency (audited).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { receiptFile } from '#app/followup/intercountry.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'followup.read')
  const file = await orRespond(() => receiptFile(context.db, context.cipher, viewerOf(user), params.id ?? ''))
  return new Response(file.bytes as unknown as BodyInit, { headers: { 'Content-Type': file.contentType, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } })
}

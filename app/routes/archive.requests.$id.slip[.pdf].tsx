import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { accessSlipPdf } from '#app/archive/documents.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.read')
  return orRespond(async () => {
    const bytes = await accessSlipPdf(context.db, viewerOf(user), params.id ?? '')
    return new Response(bytes as unknown as BodyInit, { headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="access-${params.id}.pdf"`, 'Cache-Control': 'no-store' } })
  })
}

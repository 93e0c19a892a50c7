import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { accessSlipPdf } from '#app/archive/documents.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { audit } from '#app/platform/audit.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.read')
  return orRespond(async () => {
    const viewer = viewerOf(user)
    const bytes = await accessSlipPdf(context.db, viewer, params.id ?? '')
    await audit(context.db, { actor: viewer, action: 'archive.request_slip_printed', entityType: 'archive_access_request', entityId: params.id, ip: context.ip })
    return new Response(bytes as unknown as BodyInit, { headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="access-${params.id}.pdf"`, 'Cache-Control': 'no-store' } })
  })
}

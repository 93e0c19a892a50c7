import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { audit } from '#app/platform/audit.server.ts'
import { archiveFilePdf } from '#app/archive/documents.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  return orRespond(async () => {
    const bytes = await archiveFilePdf(context.db, viewerOf(user), params.id ?? '')
    await audit(context.db, { actor: viewerOf(user), action: 'archive.cover_printed', entityType: 'archive_file', entityId: params.id, ip: context.ip })
    return new Response(bytes as unknown as BodyInit, { headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="archive-${params.id}.pdf"`, 'Cache-Control': 'no-store' } })
  })
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { loadDocuments } from '#app/platform/documents.server.ts'
import { receptionRecordData } from '#app/rootseeking/reception.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'rootseeking.read')
  return orRespond(async () => {
    const record = await receptionRecordData(context.db, viewerOf(user), params.id ?? '')
    const bytes = await (await loadDocuments()).renderReceptionRecord(record)
    return new Response(bytes as unknown as BodyInit, { headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="reception-${params.id}.pdf"`, 'Cache-Control': 'no-store' } })
  })
}

// The visit record PDF (回访记录) of a task's signed report.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { visitRecordPdf } from '#app/followup/record.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'followup.read')
  const version = Number(new URL(request.url).searchParams.get('version') ?? '') || undefined
  return orRespond(async () => {
    const bytes = await visitRecordPdf(context.db, context.cipher, viewerOf(user), params.id ?? '', version)
    return new Response(bytes as unknown as BodyInit, { headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="visit-${params.id}.pdf"`, 'Cache-Control': 'no-store' } })
  })
}

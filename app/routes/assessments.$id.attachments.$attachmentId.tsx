// An assessment attachment, for those who may see the assessment; every read is audited.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { readAttachment } from '#app/assessment/assessments.server.ts'
import { assessorViewer } from '#app/assessment/page.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'assessment.read')
  return orRespond(async () => {
    const file = await readAttachment(context.db, context.cipher, await assessorViewer(context, user), params.id ?? '', params.attachmentId ?? '')
    return new Response(file.bytes as unknown as BodyInit, {
      headers: {
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    })
  })
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { exportDownload, limitsOf } from '#app/ledgers/exports.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'

// The export file, streamed from storage chunk by chunk (never whole in memory).
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, null)
  const file = await orRespond(() => exportDownload(context.db, context.cipher, viewerOf(user), params.id ?? '', limitsOf(context.env)))
  const chunks = file.chunks
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next()
      if (next.done) controller.close()
      else controller.enqueue(next.value)
    },
    async cancel() {
      await chunks.return(undefined)
    },
  })
  return new Response(body, {
    headers: {
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="export-${params.id}.${file.name.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'Cache-Control': 'no-store',
    },
  })
}

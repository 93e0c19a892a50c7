// The transfer list (移交清单) of a batch, inline and never cached; printing is audited.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { errorResponse, ForbiddenError, orRespond, ProcedureError } from '#app/platform/http.server.ts'
import { translate } from '#app/platform/i18n/index.ts'
import { mayViewTransfers, transferListPdf } from '#app/archive/transfers.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // Same audience as the batch page: archivists, and the supervisors who approve holds.
  const user = await requireUser(request, context, null)
  if (!mayViewTransfers(user.roles)) throw errorResponse(new ForbiddenError())
  return orRespond(async () => {
    try {
      const { bytes, number } = await transferListPdf(context.db, viewerOf(user), params.id ?? '', { today: todayInShanghai(), ip: context.ip })
      return new Response(bytes as unknown as BodyInit, {
        headers: {
          'Content-Type': 'application/pdf',
          'Content-Disposition': `inline; filename="transfer-list-${params.id}.pdf"; filename*=UTF-8''${encodeURIComponent(`移交清单-${number}.pdf`)}`,
          'Cache-Control': 'no-store',
          'Content-Length': String(bytes.byteLength),
        },
      })
    } catch (error) {
      if (error instanceof ProcedureError) return new Response(translate(user.locale, error.messageKey, error.params), { status: 422, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
      throw error
    }
  })
}

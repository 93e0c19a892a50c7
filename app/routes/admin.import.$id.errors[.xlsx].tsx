// The rows of an import that were not imported, with an error column, as an .xlsx streamed out.
import { Readable } from 'node:stream'
import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { requestLocale } from '#app/platform/i18n/locale.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { errorWorkbook } from '#app/import/batches.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'import.run')
  const locale = await requestLocale(request, user.locale)
  return orRespond(async () => {
    const stream = await errorWorkbook(context.db, context.cipher, viewerOf(user), params.id ?? '', locale)
    return new Response(Readable.toWeb(stream) as unknown as BodyInit, {
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="import-${params.id}-errors.xlsx"`,
        'Cache-Control': 'no-store',
      },
    })
  })
}

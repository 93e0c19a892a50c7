import type { LoaderFunctionArgs } from '@remix-run/node'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { parseAuditFilter } from '#app/audit/log.server.ts'
import { exportAuditCsv } from '#app/audit/export.server.ts'
import { requestLocale } from '#app/platform/i18n/locale.server.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'audit.export')
  const filter = parseAuditFilter(new URL(request.url).searchParams)
  const locale = await requestLocale(request, user.locale)
  const { csv } = await exportAuditCsv(context.db, actorOf(user), user.roles, locale, filter)
  return new Response(csv, {
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="audit-log.csv"', 'Cache-Control': 'no-store' },
  })
}

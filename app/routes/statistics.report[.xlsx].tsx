import type { LoaderFunctionArgs } from '@remix-run/node'
import { requireUser } from '#app/platform/guard.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { parseYear } from '#app/statistics/page.server.ts'
import { monitoringWorkbook } from '#app/statistics/report.server.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'statistics.read')
  const today = todayInShanghai()
  const { year, error } = parseYear(new URL(request.url).searchParams.get('year'), today)
  if (error) throw new Response('year not in the list', { status: 400 })
  const bytes = await monitoringWorkbook(context.db, viewerOf(user), year, today, user.locale)
  return new Response(bytes as unknown as BodyInit, {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="monitoring-${year}.xlsx"`,
      'Cache-Control': 'no-store',
    },
  })
}

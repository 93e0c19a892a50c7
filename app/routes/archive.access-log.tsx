// The access log report (per file and period) for the yearly compliance audit.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { errorResponse, ForbiddenError } from '#app/platform/http.server.ts'
import { accessLog } from '#app/archive/access.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined)

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.read')
  if (!can(user.roles, 'archive.manage') && !can(user.roles, 'archive.approve')) throw errorResponse(new ForbiddenError())
  const params = new URL(request.url).searchParams
  const filter = { from: date.parse(params.get('from') ?? undefined), to: date.parse(params.get('to') ?? undefined), fileId: z.string().regex(/^\d{1,18}$/).optional().catch(undefined).parse(params.get('file') ?? undefined) }
  return { rows: await accessLog(context.db, viewerOf(user), filter), filter }
}

export default function AccessLogPage() {
  const { rows, filter } = useLoaderData<typeof loader>()
  const { t, dateTime } = useI18n()
  return (
    <section>
      <h1>{t('access.log')}</h1>
      <Form method="get" className="filters">
        <div className="field"><label htmlFor="f-from">{t('audit.filter.from')}</label><input id="f-from" name="from" type="date" defaultValue={filter.from ?? ''} /></div>
        <div className="field"><label htmlFor="f-to">{t('audit.filter.to')}</label><input id="f-to" name="to" type="date" defaultValue={filter.to ?? ''} /></div>
        <div className="filter-actions"><button type="submit" className="button primary">{t('action.filter')}</button></div>
      </Form>
      <DataTable label={t('access.log')} empty={rows.length === 0} columns={[t('access.log.at'), t('archive.col.number'), t('access.log.user'), t('access.log.action'), t('access.log.document'), t('access.log.reason'), t('access.log.request'), t('audit.col.ip')]}>
        {rows.map((r) => (
              <tr key={r.id}>
                <td className="nowrap">{dateTime(r.at)}</td>
                <td className="mono nowrap">{r.archiveNumber}</td>
                <td>{r.userName}</td>
                <td>{t(`access.log.${r.action}` as MessageKey)}</td>
                <td>{r.document ?? '—'}</td>
                <td>{r.reason ?? '—'}</td>
                <td>{r.requestId ? <Link to={`/archive/requests/${r.requestId}`}>{r.requestId}（{r.requester}）</Link> : '—'}</td>
                <td className="mono">{r.ip || '—'}</td>
              </tr>
            ))}
      </DataTable>
    </section>
  )
}

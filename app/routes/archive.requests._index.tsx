import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { listRequests } from '#app/archive/access.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.read')
  return { rows: await listRequests(context.db, viewerOf(user)), mayLog: can(user.roles, 'archive.manage') || can(user.roles, 'archive.approve') }
}

export default function AccessRequests() {
  const { rows, mayLog } = useLoaderData<typeof loader>()
  const { t, dateTime } = useI18n()
  return (
    <section>
      <div className="page-head">
        <h1>{t('access.requests')}</h1>
        {mayLog ? <Link className="button secondary" to="/archive/access-log">{t('access.log')}</Link> : null}
      </div>
      <DataTable label={t('access.requests')} empty={rows.length === 0} columns={[t('access.log.request'), t('archive.col.number'), t('access.kind'), t('access.name'), t('access.purpose'), t('access.staff'), t('archive.col.state')]}>
        {rows.map((r) => (
              <tr key={r.id}>
                <td className="mono"><Link to={`/archive/requests/${r.id}`}>{r.id}</Link></td>
                <td className="mono nowrap">{r.archiveNumber}{r.confidential ? <span className="badge warn">{t('ledger.secrecy')}</span> : null}</td>
                <td>{t(`access.kind.${r.kind}` as MessageKey)}</td>
                <td>{r.requester}</td>
                <td>{r.purpose}</td>
                <td>{r.staffName}</td>
                <td>
                  <span className={`badge ${r.state === 'approved' ? 'ok' : r.state === 'pending' ? 'warn' : 'muted'}`}>{t(`access.state.${r.state}` as MessageKey)}</span>
                  {r.validUntil ? <div className="hint">{t('access.validUntil', { at: dateTime(r.validUntil) })}</div> : null}
                </td>
              </tr>
            ))}
      </DataTable>
    </section>
  )
}

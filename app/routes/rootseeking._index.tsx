import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { listRequests } from '#app/rootseeking/requests.server.ts'
import { formatReference } from '#app/rootseeking/reference.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { DueCell } from '#app/rootseeking/components/due.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'rootseeking.read')
  const url = new URL(request.url)
  const filter = url.searchParams.get('show')
  const today = todayInShanghai()
  const rows = await listRequests(context.db, viewerOf(user), today, { late: filter === 'late', mine: filter === 'mine' })
  return { rows, mayWrite: can(user.roles, 'rootseeking.write') }
}

export default function RootSeekingList() {
  const { rows, mayWrite } = useLoaderData<typeof loader>()
  const [params] = useSearchParams()
  const show = params.get('show') ?? ''
  const { t, date } = useI18n()
  return (
    <section>
      <div className="page-head">
        <h1>{t('rootseeking.title')}</h1>
        <div className="actions">
          {mayWrite ? <Link className="button primary" to="/rootseeking/new">{t('rootseeking.new')}</Link> : null}
          <Link className="button secondary" to="/rootseeking/statistics">{t('rootseeking.statistics')}</Link>
        </div>
      </div>
      <p className="filters">
        {(['', 'late', 'mine'] as const).map((f, i) => (
          <span key={f}>{i ? ' · ' : ''}<Link to={f ? `?show=${f}` : '.'} aria-current={show === f ? 'page' : undefined}>{t(f ? `rootseeking.filter.${f}` : 'rootseeking.filter.all')}</Link></span>
        ))}
      </p>
      <DataTable label={t('rootseeking.title')} empty={rows.length === 0} columns={[t('rootseeking.col.reference'), t('rootseeking.col.family'), t('rootseeking.col.country'), t('rootseeking.col.adoptee'), t('rootseeking.col.received'), t('rootseeking.col.due'), t('rootseeking.col.state'), t('rootseeking.col.visit'), t('rootseeking.col.caseworker')]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="mono nowrap"><Link to={`/rootseeking/${r.id}`}>{formatReference(r.reference)}</Link></td>
            <td>{r.applicantName}{r.emailBouncedAt ? <span className="badge warn">{t('rootseeking.bounced')}</span> : null}</td>
            <td>{r.country}</td>
            <td>{r.adopteeName}</td>
            <td className="nowrap">{date(r.receivedOn)}<div className="hint">{t(`rootseeking.channel.${r.channel}` as MessageKey)}</div></td>
            <td className="nowrap"><DueCell dueOn={r.replyDueOn} clock={r.clock} /></td>
            <td><span className={`badge ${r.state === 'received' ? 'warn' : r.state === 'declined' ? 'muted' : 'ok'}`}>{t(`rootseeking.state.${r.state}` as MessageKey)}</span></td>
            <td className="nowrap">{r.visitOn ? date(r.visitOn) : '—'}</td>
            <td>{r.caseworkerName ?? '—'}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { listFiles } from '#app/archive/files.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { DueLabel } from '#app/registration/components/state.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  const params = new URL(request.url).searchParams
  const overdue = params.get('overdue') === '1'
  const q = (params.get('q') ?? '').trim().slice(0, 60)
  const today = todayInShanghai()
  return { rows: await listFiles(context.db, viewerOf(user), { overdue, q: q || undefined }, today), overdue, q, today }
}

export default function Archive() {
  const { rows, overdue, q, today } = useLoaderData<typeof loader>()
  const { t } = useI18n()
  return (
    <section>
      <div className="page-head">
        <h1>{t('archive.list.title')}</h1>
        <div className="actions">
          <Link className="button secondary" to="/archive/transfers">{t('transfer.title')}</Link>
          <Link className="button secondary" to="/archive/access-log">{t('access.log')}</Link>
        </div>
      </div>
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="f-q">{t('archive.list.q')}</label>
          <input id="f-q" name="q" type="search" defaultValue={q} />
        </div>
        <label className="checkbox"><input type="checkbox" name="overdue" value="1" defaultChecked={overdue} />{t('archive.list.overdue')}</label>
        <div className="filter-actions"><button type="submit" className="button primary">{t('action.filter')}</button></div>
      </Form>
      <DataTable label={t('archive.list.title')} empty={rows.length === 0} columns={[t('archive.col.number'), t('archive.col.title'), t('archive.col.type'), t('archive.col.state'), t('archive.col.documents'), t('archive.col.due'), t('archive.col.location')]}>
        {rows.map((r) => (
              <tr key={r.id}>
                <td className="mono nowrap"><Link to={`/archive/${r.id}`}>{r.archiveNumber}</Link></td>
                <td>{r.title}{r.confidential ? <span className="badge warn">{t('ledger.secrecy')}</span> : null}</td>
                <td>{t(`archive.type.${r.type}` as MessageKey)}</td>
                <td><span className={`badge ${r.state === 'open' ? 'warn' : 'ok'}`}>{t(`archive.state.${r.state}` as MessageKey)}</span></td>
                <td>{r.documents}</td>
                <td className="nowrap">{r.state === 'open' ? <DueLabel dueOn={r.dueOn} today={today} /> : '—'}</td>
                <td>{r.location ?? ''}</td>
              </tr>
            ))}
      </DataTable>
    </section>
  )
}

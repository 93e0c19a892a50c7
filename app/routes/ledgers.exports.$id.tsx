import { useEffect } from 'react'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { loadExport, recentExports } from '#app/ledgers/exports.server.ts'
import { registerOf } from '#app/ledgers/registers.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { Notice } from '#app/components/forms.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, null)
  const viewer = viewerOf(user)
  const row = await orRespond(() => loadExport(context.db, viewer, params.id ?? ''))
  const title = registerOf(row.ledger)?.title ?? 'export.title'
  return {
    job: { id: row.id, title, format: row.format, state: row.state, done: row.rows_done, total: row.rows_total, error: row.error },
    recent: (await recentExports(context.db, viewer)).map((r) => ({ ...r, title: registerOf(r.ledger)?.title ?? 'export.title' })),
  }
}

// Without JavaScript the page reloads itself while the export runs; with it, it revalidates.
export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data && (data.job.state === 'queued' || data.job.state === 'running') ? [{ httpEquiv: 'refresh', content: '2' }] : []

export default function ExportProgress() {
  const { job, recent } = useLoaderData<typeof loader>()
  const { t, dateTime } = useI18n()
  const revalidator = useRevalidator()
  const pending = job.state === 'queued' || job.state === 'running'
  useEffect(() => {
    if (!pending) return
    const timer = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 1000)
    return () => clearInterval(timer)
  }, [pending, revalidator])
  return (
    <section>
      <div className="page-head">
        <h1>{t('export.heading', { ledger: t(job.title as MessageKey), format: job.format.toUpperCase() })}</h1>
      </div>
      <div className="panel export-progress" aria-live="polite">
        <p><span className={`badge ${job.state === 'done' ? 'ok' : job.state === 'failed' ? 'danger' : 'warn'}`}>{t(`export.state.${job.state}` as MessageKey)}</span></p>
        {pending ? (
          <>
            <progress max={job.total ?? undefined} value={job.total ? job.done : undefined} aria-label={t('export.title')} />
            <p>{job.total !== null ? t('export.progress', { done: job.done, total: job.total }) : t('export.progressUnknown', { done: job.done })}</p>
            <p className="muted">{t('export.autoRefresh')} <a href={`/ledgers/exports/${job.id}`}>{t('export.refresh')}</a></p>
          </>
        ) : null}
        {job.state === 'done' ? <p><a className="button primary" href={`/ledgers/exports/${job.id}/download`} download>{t('export.download', { rows: job.done })}</a></p> : null}
        {job.state === 'failed' ? <Notice kind="error">{t('export.failed', { error: job.error ?? '' })}</Notice> : null}
      </div>
      <h2>{t('export.mine')}</h2>
      <DataTable label={t('export.mine')} empty={recent.length === 0} columns={[t('export.col.created'), t('export.col.ledger'), t('export.col.format'), t('export.col.rows'), t('export.col.state')]}>
        {recent.map((r) => (
          <tr key={r.id}>
            <td className="nowrap"><Link to={`/ledgers/exports/${r.id}`}>{dateTime(r.createdAt)}</Link></td>
            <td>{t(r.title as MessageKey)}</td>
            <td>{r.format.toUpperCase()}</td>
            <td className="num">{r.rowsDone}</td>
            <td>{t(`export.state.${r.state}` as MessageKey)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}

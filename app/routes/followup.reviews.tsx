// Submitted visit reports awaiting a supervisor's review, oldest first.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { reviewQueue } from '#app/followup/reports.server.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'followup.supervise')
  return { rows: await reviewQueue(context.db, viewerOf(user)) }
}

export default function Reviews() {
  const { rows } = useLoaderData<typeof loader>()
  const { t, date, dateTime } = useI18n()
  return (
    <section>
      <div className="page-head">
        <h1>{t('followup.reviews.title')}</h1>
        <div className="actions"><Link className="button secondary" to="/followup/reports">{t('ledger.reg.report.title')}</Link></div>
      </div>
      <DataTable label={t('followup.reviews.title')} empty={rows.length === 0} columns={[t('followup.col.case'), t('followup.report.visitedOn'), t('followup.report.concern'), t('followup.report.signed')]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td><Link to={`/followup/tasks/${r.taskId}`} className="mono">{r.registrationNumber ?? `#${r.taskId}`}</Link> {t('followup.sequence', { n: r.sequence })}{r.version > 1 ? ` · ${t('followup.report.version', { n: r.version })}` : ''}</td>
            <td className="nowrap">{date(r.visitedOn)}</td>
            <td><span className={`badge ${r.concernLevel === 'serious' ? 'outcome-fail' : r.concernLevel === 'none' ? 'ok' : 'warn'}`}>{t(`followup.concern.${r.concernLevel}` as MessageKey)}</span></td>
            <td>{r.signedBy} · {dateTime(r.signedAt)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}

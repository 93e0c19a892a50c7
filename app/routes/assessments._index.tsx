import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { listAssessments } from '#app/assessment/assessments.server.ts'
import { assessorViewer } from '#app/assessment/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { DueLabel } from '#app/registration/components/state.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'assessment.read')
  const late = new URL(request.url).searchParams.get('late') === '1'
  const today = todayInShanghai()
  const rows = await listAssessments(context.db, await assessorViewer(context, user), { late }, today)
  return { rows, late, today }
}

export default function Assessments() {
  const { rows, late, today } = useLoaderData<typeof loader>()
  const { t, date } = useI18n()
  return (
    <section>
      <h1>{t('assessment.list.title')}</h1>
      <Form method="get" className="filters">
        <label className="checkbox"><input type="checkbox" name="late" value="1" defaultChecked={late} />{t('assessment.list.late')}</label>
        <div className="filter-actions"><button type="submit" className="button primary">{t('action.filter')}</button></div>
      </Form>
      <DataTable label={t('assessment.list.title')} empty={rows.length === 0} columns={[t('assessment.col.id'), t('assessment.col.state'), t('assessment.col.adopters'), t('assessment.col.mode'), t('assessment.col.team'), t('assessment.col.consent'), t('assessment.col.due')]}>
        {rows.map((r) => (
              <tr key={r.id}>
                <td className="mono"><Link to={`/assessments/${r.id}`}>{r.id}</Link></td>
                <td><span className={`badge assessment-${r.state}`}>{t(`assessment.state.${r.state}` as MessageKey)}</span></td>
                <td>{r.adopters}</td>
                <td>{r.mode === 'agency' ? r.agency : t('assessment.mode.in_house')}</td>
                <td>{r.team}</td>
                <td className="nowrap">{date(r.consentOn)}</td>
                <td className="nowrap">{r.state === 'signed' ? '—' : <DueLabel dueOn={r.dueOn} today={today} />}</td>
              </tr>
            ))}
      </DataTable>
    </section>
  )
}

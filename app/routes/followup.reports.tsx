// The register of filed visit reports (回访记录台账): filters by visit period, caseworker, concern
// level, review, mandatory report and town of residence; sortable by visit date, concern level,
// caseworker and case; paged by key; exported as filtered and sorted (levels and flags only).
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { logRegisterView } from '#app/platform/record-access.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { visitReportLedger, visitReportSort } from '#app/followup/report-ledger.server.ts'
import { effectiveSort } from '#app/ledgers/sorting.ts'
import { SortError, SortFields, useSortHeadings } from '#app/components/sort-header.tsx'
import { TownFilter } from '#app/residence/components/town-filter.tsx'
import { CONCERN_LEVELS } from '#app/followup/report-rules.ts'
import { exportFromPage } from '#app/ledgers/page.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { FilterSelect } from '#app/components/filters.tsx'
import { Pager } from '#app/components/pager.tsx'
import { ExportForm } from '#app/ledgers/components/export-form.tsx'
import { DateFilter, useFilterErrors, FilterActions } from '#app/ledgers/components/filter-fields.tsx'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'followup.supervise')
  await logRegisterView(context.db, viewerOf(user), 'visit_reports', request.url, context.ip)
  const ledger = await visitReportLedger(context.db, viewerOf(user), new URL(request.url).searchParams, todayInShanghai())
  return { ...ledger, sort: effectiveSort(visitReportSort, ledger.filter), sortColumns: visitReportSort.columns }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'followup.supervise')
  return exportFromPage(context, user, 'visit_reports', await request.formData())
}

const concernBadge = { none: 'ok', minor: 'warn', moderate: 'warn', serious: 'outcome-fail' } as const

export default function VisitReports() {
  const { rows, next, filter, errors, caseworkers, towns, sort, sortColumns } = useLoaderData<typeof loader>()
  const heading = useSortHeadings(sort, sortColumns)
  const { t, date, dateTime } = useI18n()
  const errorOf = useFilterErrors(errors)
  const yesNo = [{ value: 'yes', label: t('ledger.reg.yes') }, { value: 'no', label: t('ledger.reg.no') }]
  return (
    <section>
      <div className="page-head">
        <h1>{t('ledger.reg.report.title')}</h1>
        <div className="actions"><Link className="button secondary" to="/followup/reviews">{t('followup.reviews.title')}</Link></div>
      </div>
      <p className="hint">{t('ledger.reg.report.lead')}</p>
      <Form method="get" className="filters" role="search">
        <DateFilter name="from" label={t('ledger.reg.report.from')} value={filter.from} error={errorOf('from')} />
        <DateFilter name="to" label={t('ledger.filter.to')} value={filter.to} error={errorOf('to')} />
        <FilterSelect name="caseworker" label={t('followup.caseworker')} value={filter.caseworker} allLabel={t('common.all')} error={errorOf('caseworker')}
          options={caseworkers.map((c) => ({ value: c.id, label: c.name }))} />
        <FilterSelect name="concern" label={t('followup.report.concern')} value={filter.concern} allLabel={t('common.all')} error={errorOf('concern')}
          options={CONCERN_LEVELS.map((c) => ({ value: c, label: t(`followup.concern.${c}`) }))} />
        <FilterSelect name="reviewed" label={t('ledger.reg.report.review')} value={filter.reviewed} allLabel={t('common.all')} error={errorOf('reviewed')}
          options={[{ value: 'yes', label: t('ledger.reg.report.reviewed') }, { value: 'no', label: t('ledger.reg.report.awaiting') }]} />
        <FilterSelect name="mandatory" label={t('followup.report.mandatory')} value={filter.mandatory} allLabel={t('common.all')} error={errorOf('mandatory')} options={yesNo} />
        <TownFilter towns={towns} value={filter.town} error={errorOf('town')} />
        <SortFields sort={filter.sort} dir={filter.dir} />
        <FilterActions resetTo="/followup/reports" />
      </Form>
      <ExportForm filter={filter} />
      <SortError errors={errors} />
      <DataTable label={t('ledger.reg.report.title')} empty={rows.length === 0}
        columns={[heading('id', t('ledger.reg.report.id')), heading('case', t('followup.col.case')), heading('visited', t('followup.report.visitedOn')), heading('caseworker', t('followup.caseworker')),
          heading('concern', t('followup.report.concern')), t('followup.report.mandatory'), t('ledger.reg.report.review')]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="mono">{r.id}</td>
            <td><Link to={`/followup/tasks/${r.taskId}`} className="mono">{r.registrationNumber ?? `#${r.taskId}`}</Link> {t('followup.sequence', { n: r.sequence })}{r.version > 1 ? ` · ${t('followup.report.version', { n: r.version })}` : ''}
              {r.town || r.residesAbroad ? <div className="hint">{r.town ?? t('towns.residence.abroadShown')}</div> : null}</td>
            <td className="nowrap">{date(r.visitedOn)}</td>
            <td>{r.caseworkerName}<div className="hint">{dateTime(r.signedAt)}</div></td>
            <td><span className={`badge ${concernBadge[r.concernLevel]}`}>{t(`followup.concern.${r.concernLevel}`)}</span></td>
            <td>{r.reportedTo ? <>{t('ledger.reg.yes')}<div className="hint">{dateTime(r.reportedAt)}</div></> : t('ledger.reg.no')}</td>
            <td>{r.status === 'reviewed' ? <>{t('ledger.reg.report.reviewed')}<div className="hint">{r.reviewerName}</div></> : <span className="badge warn">{t('ledger.reg.report.awaiting')}</span>}</td>
          </tr>
        ))}
      </DataTable>
      <Pager param="after" next={next} />
    </section>
  )
}

// The assessments register (评估台账): filters by state, conclusion, assessor or agency, the
// commissioned or completed period, the days left and the town of residence; sortable by its dates,
// days left and state; paged by key; exported as filtered and sorted.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { viewerOf } from '#app/registration/page.server.ts'
import { logRegisterView } from '#app/platform/record-access.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { assessmentLedger, assessmentSort, ASSESSMENT_STATES, CONCLUSIONS } from '#app/assessment/ledger.server.ts'
import { effectiveSort } from '#app/ledgers/sorting.ts'
import { SortError, SortFields, useSortHeadings } from '#app/components/sort-header.tsx'
import { TownFilter } from '#app/residence/components/town-filter.tsx'
import { assessorViewer } from '#app/assessment/page.server.ts'
import { exportFromPage } from '#app/ledgers/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { DueLabel } from '#app/registration/components/state.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { FilterSelect } from '#app/components/filters.tsx'
import { Pager } from '#app/components/pager.tsx'
import { ExportForm } from '#app/ledgers/components/export-form.tsx'
import { DateFilter, useFilterErrors, FilterActions } from '#app/ledgers/components/filter-fields.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'assessment.read')
  await logRegisterView(context.db, viewerOf(user), 'assessments', request.url, context.ip)
  const today = todayInShanghai()
  const ledger = await assessmentLedger(context.db, await assessorViewer(context, user), new URL(request.url).searchParams, today)
  return { ...ledger, today, states: ASSESSMENT_STATES, conclusions: CONCLUSIONS, sort: effectiveSort(assessmentSort, ledger.filter), sortColumns: assessmentSort.columns }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'assessment.read')
  return exportFromPage(context, user, 'assessments', await request.formData())
}

export default function Assessments() {
  const { rows, next, filter, errors, choices, towns, today, states, conclusions, sort, sortColumns } = useLoaderData<typeof loader>()
  const heading = useSortHeadings(sort, sortColumns)
  const { t, date } = useI18n()
  const errorOf = useFilterErrors(errors)
  return (
    <section>
      <h1>{t('assessment.list.title')}</h1>
      <Form method="get" className="filters" role="search">
        <FilterSelect name="state" label={t('assessment.col.state')} value={filter.state} allLabel={t('common.all')} error={errorOf('state')}
          options={states.map((s) => ({ value: s, label: t(`assessment.state.${s}`) }))} />
        <FilterSelect name="conclusion" label={t('ledger.reg.assessment.conclusion')} value={filter.conclusion} allLabel={t('common.all')} error={errorOf('conclusion')}
          options={conclusions.map((c) => ({ value: c, label: t(`ledger.reg.conclusion.${c}`) }))} />
        <FilterSelect name="assessor" label={t('ledger.reg.assessment.assessor')} value={filter.assessor} allLabel={t('common.all')} error={errorOf('assessor')}
          options={choices.assessors.map((a) => ({ value: a.id, label: a.name }))} />
        <FilterSelect name="agency" label={t('ledger.reg.assessment.agency')} value={filter.agency} allLabel={t('common.all')} error={errorOf('agency')}
          options={[{ value: 'in_house', label: t('assessment.mode.in_house') }, ...choices.agencies.map((a) => ({ value: a.id, label: a.name }))]} />
        <FilterSelect name="basis" label={t('ledger.reg.assessment.basis')} value={filter.basis === 'completed' ? 'completed' : undefined} allLabel={t('ledger.reg.assessment.basis.commissioned')} error={errorOf('basis')}
          options={[{ value: 'completed', label: t('ledger.reg.assessment.basis.completed') }]} />
        <DateFilter name="from" label={t('ledger.filter.from')} value={filter.from} error={errorOf('from')} />
        <DateFilter name="to" label={t('ledger.filter.to')} value={filter.to} error={errorOf('to')} />
        <FilterSelect name="due" label={t('ledger.reg.assessment.daysLeft')} value={filter.due} allLabel={t('common.all')} error={errorOf('due')}
          options={[{ value: 'soon', label: t('ledger.filter.dueSoon') }, { value: 'late', label: t('ledger.filter.late') }]} />
        <TownFilter towns={towns} value={filter.town} error={errorOf('town')} />
        <SortFields sort={filter.sort} dir={filter.dir} />
        <FilterActions resetTo="/assessments" />
      </Form>
      <ExportForm filter={filter} />
      <SortError errors={errors} />
      <DataTable label={t('assessment.list.title')} empty={rows.length === 0}
        columns={[heading('id', t('assessment.col.id')), heading('state', t('assessment.col.state')), t('assessment.col.adopters'), t('assessment.col.mode'), t('assessment.col.team'),
          heading('commissioned', t('ledger.reg.assessment.commissionedOn')), heading('daysLeft', t('assessment.col.due')), heading('completed', t('ledger.reg.assessment.reportOn')), t('ledger.reg.assessment.conclusion')]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="mono"><Link to={`/assessments/${r.id}`}>{r.id}</Link></td>
            <td><span className={`badge assessment-${r.state}`}>{t(`assessment.state.${r.state}` as MessageKey)}</span></td>
            <td>{r.adopters}{r.town || r.residesAbroad ? <div className="hint">{r.town ?? t('towns.residence.abroadShown')}</div> : null}</td>
            <td>{r.mode === 'agency' ? r.agency : t('assessment.mode.in_house')}</td>
            <td>{r.team}</td>
            <td className="nowrap">{date(r.commissionedOn)}</td>
            <td className="nowrap">{r.daysLeft === null ? '—' : <DueLabel dueOn={r.dueOn} today={today} />}</td>
            <td className="nowrap">{r.reportOn ? date(r.reportOn) : '—'}</td>
            <td>{r.conclusion ? t(`ledger.reg.conclusion.${r.conclusion}`) : '—'}</td>
          </tr>
        ))}
      </DataTable>
      <Pager param="after" next={next} />
    </section>
  )
}

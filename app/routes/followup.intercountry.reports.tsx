// The register of post-placement reports (安置后报告台账): every expected report of the earlier
// intercountry adoptions, by state, receiving country and due period; sortable by registration
// number, country, due date, state and the day received; paged by key; exported as filtered and sorted.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { logRegisterView } from '#app/platform/record-access.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { placementLedger, placementSort, PLACEMENT_STATES } from '#app/followup/placement-ledger.server.ts'
import { effectiveSort } from '#app/ledgers/sorting.ts'
import { SortError, SortFields, useSortHeadings } from '#app/components/sort-header.tsx'
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
  const user = await requireUser(request, context, 'followup.read')
  await logRegisterView(context.db, viewerOf(user), 'placement_reports', request.url, context.ip)
  const ledger = await placementLedger(context.db, viewerOf(user), new URL(request.url).searchParams, todayInShanghai())
  return { ...ledger, states: PLACEMENT_STATES, sort: effectiveSort(placementSort, ledger.filter), sortColumns: placementSort.columns }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'followup.read')
  return exportFromPage(context, user, 'placement_reports', await request.formData())
}

const badge = { accepted: 'ok', received: 'warn', returned: 'warn', overdue: 'outcome-fail', expected: 'muted', cancelled: 'muted' } as const

export default function PlacementReports() {
  const { rows, next, filter, errors, countries, states, sort, sortColumns } = useLoaderData<typeof loader>()
  const heading = useSortHeadings(sort, sortColumns)
  const { t, date } = useI18n()
  const errorOf = useFilterErrors(errors)
  return (
    <section>
      <div className="page-head">
        <h1>{t('ledger.reg.placement.title')}</h1>
        <div className="actions"><Link className="button secondary" to="/followup/intercountry">{t('followup.ic.title')}</Link></div>
      </div>
      <Form method="get" className="filters" role="search">
        <FilterSelect name="state" label={t('ledger.reg.placement.state')} value={filter.state} allLabel={t('common.all')} error={errorOf('state')}
          options={states.map((s) => ({ value: s, label: t(`followup.ic.status.${s}`) }))} />
        <FilterSelect name="country" label={t('followup.ic.country')} value={filter.country} allLabel={t('common.all')} error={errorOf('country')}
          options={countries.map((c) => ({ value: c, label: c }))} />
        <DateFilter name="from" label={t('ledger.reg.placement.from')} value={filter.from} error={errorOf('from')} />
        <DateFilter name="to" label={t('ledger.filter.to')} value={filter.to} error={errorOf('to')} />
        <SortFields sort={filter.sort} dir={filter.dir} />
        <FilterActions resetTo="/followup/intercountry/reports" />
      </Form>
      <ExportForm filter={filter} />
      <SortError errors={errors} />
      <DataTable label={t('ledger.reg.placement.title')} empty={rows.length === 0}
        columns={[heading('number', t('followup.ic.registrationNumber')), t('followup.child'), heading('country', t('followup.ic.countryAgency')), t('followup.ic.reports'),
          heading('due', t('ledger.reg.placement.dueOn')), heading('state', t('ledger.reg.placement.state')), heading('received', t('ledger.reg.placement.receivedOn'))]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="nowrap"><Link to={`/followup/intercountry/${r.adoptionId}`} className="mono">{r.registrationNumber}</Link><div className="hint">{date(r.registeredOn)}</div></td>
            <td>{r.childName}</td>
            <td>{r.country}<div className="hint">{r.agency}</div></td>
            <td>{t('followup.ic.reportN', { n: r.sequence })}</td>
            <td className="nowrap">{date(r.dueOn)}<div className="hint">{date(r.windowFrom)} – {date(r.windowTo)}</div></td>
            <td><span className={`badge ${badge[r.state]}`}>{t(`followup.ic.status.${r.state}`)}</span></td>
            <td className="nowrap">{r.receivedOn ? date(r.receivedOn) : '—'}</td>
          </tr>
        ))}
      </DataTable>
      <Pager param="after" next={next} />
    </section>
  )
}

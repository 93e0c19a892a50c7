// The register of root-seeking requests (寻根回访台账): by state, country, period received,
// the staff member receiving the family and late replies; sortable by the days received, due and
// visited, country and state; paged by key; exported as filtered and sorted.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { logRegisterView } from '#app/platform/record-access.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { rootseekingLedger, rootseekingSort, ROOTSEEKING_STATES } from '#app/rootseeking/ledger.server.ts'
import { effectiveSort } from '#app/ledgers/sorting.ts'
import { SortError, SortFields, useSortHeadings } from '#app/components/sort-header.tsx'
import { formatReference } from '#app/rootseeking/reference.ts'
import { exportFromPage } from '#app/ledgers/page.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { FilterSelect } from '#app/components/filters.tsx'
import { Pager } from '#app/components/pager.tsx'
import { DueCell } from '#app/rootseeking/components/due.tsx'
import { ExportForm } from '#app/ledgers/components/export-form.tsx'
import { DateFilter, useFilterErrors, FilterActions } from '#app/ledgers/components/filter-fields.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'rootseeking.read')
  await logRegisterView(context.db, viewerOf(user), 'rootseeking', request.url, context.ip)
  const ledger = await rootseekingLedger(context.db, viewerOf(user), new URL(request.url).searchParams, todayInShanghai())
  return { ...ledger, states: ROOTSEEKING_STATES, me: user.id, mayWrite: can(user.roles, 'rootseeking.write'),
    sort: effectiveSort(rootseekingSort, ledger.filter), sortColumns: rootseekingSort.columns }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'rootseeking.read')
  return exportFromPage(context, user, 'rootseeking', await request.formData())
}

export default function RootSeekingList() {
  const { rows, next, filter, errors, choices, me, mayWrite, states, sort, sortColumns } = useLoaderData<typeof loader>()
  const heading = useSortHeadings(sort, sortColumns)
  const { t, date } = useI18n()
  const errorOf = useFilterErrors(errors)
  const staff = choices.caseworkers.some((c) => c.id === me) ? choices.caseworkers : [...choices.caseworkers, { id: me, name: t('rootseeking.filter.mine') }]
  return (
    <section>
      <div className="page-head">
        <h1>{t('rootseeking.title')}</h1>
        <div className="actions">
          {mayWrite ? <Link className="button primary" to="/rootseeking/new">{t('rootseeking.new')}</Link> : null}
          <Link className="button secondary" to="/rootseeking/statistics">{t('rootseeking.statistics')}</Link>
        </div>
      </div>
      <Form method="get" className="filters" role="search">
        <FilterSelect name="state" label={t('rootseeking.col.state')} value={filter.state} allLabel={t('common.all')} error={errorOf('state')}
          options={states.map((s) => ({ value: s, label: t(`rootseeking.state.${s}`) }))} />
        <FilterSelect name="country" label={t('rootseeking.col.country')} value={filter.country} allLabel={t('common.all')} error={errorOf('country')}
          options={choices.countries.map((c) => ({ value: c, label: c }))} />
        <DateFilter name="from" label={t('ledger.reg.rootseeking.from')} value={filter.from} error={errorOf('from')} />
        <DateFilter name="to" label={t('ledger.filter.to')} value={filter.to} error={errorOf('to')} />
        <FilterSelect name="caseworker" label={t('rootseeking.col.caseworker')} value={filter.caseworker} allLabel={t('common.all')} error={errorOf('caseworker')}
          options={staff.map((c) => ({ value: c.id, label: c.name }))} />
        <FilterSelect name="due" label={t('rootseeking.col.due')} value={filter.due} allLabel={t('common.all')} error={errorOf('due')}
          options={[{ value: 'late', label: t('rootseeking.filter.late') }]} />
        <SortFields sort={filter.sort} dir={filter.dir} />
        <FilterActions resetTo="/rootseeking" />
      </Form>
      <ExportForm filter={filter} />
      <SortError errors={errors} />
      <DataTable label={t('rootseeking.title')} empty={rows.length === 0} columns={[t('rootseeking.col.reference'), t('rootseeking.col.family'), heading('country', t('rootseeking.col.country')), t('rootseeking.col.adoptee'),
        heading('received', t('rootseeking.col.received')), heading('due', t('rootseeking.col.due')), heading('state', t('rootseeking.col.state')), heading('visit', t('rootseeking.col.visit')), t('rootseeking.col.caseworker')]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="mono nowrap"><Link to={`/rootseeking/${r.id}`}>{formatReference(r.reference)}</Link></td>
            <td>{r.applicantName}{r.emailBouncedAt ? <span className="badge warn">{t('rootseeking.bounced')}</span> : null}</td>
            <td>{r.country}</td>
            <td>{r.adopteeName}</td>
            <td className="nowrap">{date(r.receivedOn)}<div className="hint">{t(`rootseeking.channel.${r.channel}`)}</div></td>
            <td className="nowrap"><DueCell dueOn={r.replyDueOn} clock={r.clock} /></td>
            <td><span className={`badge ${r.state === 'received' ? 'warn' : r.state === 'declined' ? 'muted' : 'ok'}`}>{t(`rootseeking.state.${r.state}`)}</span></td>
            <td className="nowrap">{r.visitOn ? date(r.visitOn) : '—'}</td>
            <td>{r.caseworkerName ?? '—'}</td>
          </tr>
        ))}
      </DataTable>
      <Pager param="after" next={next} />
    </section>
  )
}

// The register of access requests (档案利用登记): filters by state, requester kind, approver,
// staff member and period; sortable by the days requested and decided, state, file number and
// requester; paged by key; exported as filtered and sorted.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { logRegisterView } from '#app/platform/record-access.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { accessLedger, accessSort, ACCESS_STATES, REQUESTER_KINDS } from '#app/archive/access-ledger.server.ts'
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
  const user = await requireUser(request, context, 'archive.read')
  await logRegisterView(context.db, viewerOf(user), 'access_requests', request.url, context.ip)
  const ledger = await accessLedger(context.db, viewerOf(user), new URL(request.url).searchParams, todayInShanghai())
  return { ...ledger, states: ACCESS_STATES, kinds: REQUESTER_KINDS, mayLog: can(user.roles, 'archive.manage') || can(user.roles, 'archive.approve'),
    sort: effectiveSort(accessSort, ledger.filter), sortColumns: accessSort.columns }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'archive.read')
  return exportFromPage(context, user, 'access_requests', await request.formData())
}

const badge = { approved: 'ok', pending: 'warn', expired: 'muted', refused: 'muted', withdrawn: 'muted' } as const

export default function AccessRequests() {
  const { rows, next, filter, errors, choices, mayLog, states, kinds, sort, sortColumns } = useLoaderData<typeof loader>()
  const heading = useSortHeadings(sort, sortColumns)
  const { t, dateTime } = useI18n()
  const errorOf = useFilterErrors(errors)
  return (
    <section>
      <div className="page-head">
        <h1>{t('access.requests')}</h1>
        {mayLog ? <Link className="button secondary" to="/archive/access-log">{t('access.log')}</Link> : null}
      </div>
      <Form method="get" className="filters" role="search">
        <FilterSelect name="state" label={t('archive.col.state')} value={filter.state} allLabel={t('common.all')} error={errorOf('state')}
          options={states.map((s) => ({ value: s, label: t(`ledger.reg.access.state.${s}`) }))} />
        <FilterSelect name="kind" label={t('access.kind')} value={filter.kind} allLabel={t('common.all')} error={errorOf('kind')}
          options={kinds.map((k) => ({ value: k, label: t(`access.kind.${k}`) }))} />
        <FilterSelect name="approver" label={t('ledger.reg.access.approver')} value={filter.approver} allLabel={t('common.all')} error={errorOf('approver')}
          options={choices.approvers.map((u) => ({ value: u.id, label: u.name }))} />
        <FilterSelect name="staff" label={t('access.staff')} value={filter.staff} allLabel={t('common.all')} error={errorOf('staff')}
          options={choices.staff.map((u) => ({ value: u.id, label: u.name }))} />
        <DateFilter name="from" label={t('ledger.reg.access.from')} value={filter.from} error={errorOf('from')} />
        <DateFilter name="to" label={t('ledger.filter.to')} value={filter.to} error={errorOf('to')} />
        <SortFields sort={filter.sort} dir={filter.dir} />
        <FilterActions resetTo="/archive/requests" />
      </Form>
      <ExportForm filter={filter} />
      <SortError errors={errors} />
      <DataTable label={t('access.requests')} empty={rows.length === 0}
        columns={[heading('id', t('access.log.request')), heading('number', t('archive.col.number')), t('access.kind'), heading('requester', t('access.name')), t('access.purpose'), t('access.staff'),
          heading('requested', t('ledger.reg.access.requestedOn')), heading('state', t('archive.col.state')), heading('decided', t('ledger.reg.access.decidedOn'))]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="mono"><Link to={`/archive/requests/${r.id}`}>{r.id}</Link></td>
            <td className="mono nowrap">{r.archiveNumber}{r.confidential ? <span className="badge warn">{t('ledger.secrecy')}</span> : null}</td>
            <td>{t(`access.kind.${r.kind}`)}</td>
            <td>{r.requester}{r.unit ? <div className="hint">{r.unit}</div> : null}</td>
            <td className="text-cell">{r.purpose}</td>
            <td>{r.staffName}</td>
            <td className="when">{dateTime(r.createdAt)}</td>
            <td>
              <span className={`badge ${badge[r.shown]}`}>{t(`ledger.reg.access.state.${r.shown}`)}</span>
              {r.approverName ? <div className="hint">{r.approverName}</div> : null}
              {r.validUntil ? <div className="hint">{t('access.validUntil', { at: dateTime(r.validUntil) })}</div> : null}
            </td>
            <td className="when">{r.decidedAt ? dateTime(r.decidedAt) : '—'}</td>
          </tr>
        ))}
      </DataTable>
      <Pager param="after" next={next} />
    </section>
  )
}

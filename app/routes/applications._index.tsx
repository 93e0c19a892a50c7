import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { Pager } from '#app/components/pager.tsx'
import { logRegisterView } from '#app/platform/record-access.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { applicationSort, listApplications, parseLedgerFilter, registrarsOf } from '#app/registration/ledger.server.ts'
import { effectiveSort } from '#app/ledgers/sorting.ts'
import { SortError, SortFields, useSortHeadings } from '#app/components/sort-header.tsx'
import { listTowns, townFilterValid } from '#app/residence/towns.server.ts'
import { TownFilter } from '#app/residence/components/town-filter.tsx'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { states } from '#app/registration/workflow.ts'
import { DueLabel, StateBadge } from '#app/registration/components/state.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { FilterSelect } from '#app/components/filters.tsx'
import { ExportForm } from '#app/ledgers/components/export-form.tsx'
import { FilterActions } from '#app/ledgers/components/filter-fields.tsx'
import { exportOrErrors, limitsOf } from '#app/ledgers/exports.server.ts'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  await logRegisterView(context.db, viewerOf(user), 'applications', request.url, context.ip)
  const { filter, errors } = parseLedgerFilter(new URL(request.url).searchParams)
  const today = todayInShanghai()
  // One round trip: the list with the town filter as given; in the rare case the town is not one
  // of the registry's, the list again without it (the value named next to the field).
  const [first, registrars, towns] = await Promise.all([
    listApplications(context.db, context.cipher, viewerOf(user), filter, today),
    registrarsOf(context.db, user.registryCode),
    listTowns(context.db, user.registryCode),
  ])
  let page = first
  if (!townFilterValid(towns, filter.town)) {
    errors.town = 'ledger.filter.notInList'
    delete filter.town
    page = await listApplications(context.db, context.cipher, viewerOf(user), filter, today)
  }
  const sort = effectiveSort(applicationSort, filter)
  return { ...page, registrars, towns, filter, errors, today, sort, sortColumns: applicationSort.columns, mayCreate: can(user.roles, 'case.write') }
}

/** Export of the list as filtered (a job; its page shows the progress). */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  const form = Object.fromEntries(await request.formData())
  const { format, intent: _intent, ...params } = form
  const result = await exportOrErrors(context.db, viewerOf(user), { ledger: 'applications', params, format: format === 'csv' ? 'csv' : 'xlsx', locale: user.locale }, limitsOf(context.env))
  return 'id' in result ? redirect(`/ledgers/exports/${result.id}`) : data(result, { status: 400 })
}

export default function Ledger() {
  const { rows, next, registrars, towns, filter, errors: filterErrors, today, sort, sortColumns, mayCreate } = useLoaderData<typeof loader>()
  const heading = useSortHeadings(sort, sortColumns)
  const refused = useActionData<typeof action>()
  const { t, date } = useI18n()
  const year = Number(today.slice(0, 4))
  const errors: Partial<Record<string, MessageKey>> = { ...filterErrors, ...(refused && 'errors' in refused ? refused.errors : {}) }
  const fieldError = (name: string) => (errors[name] ? <p className="field-error" id={`f-${name}-error`}>{t(errors[name]!)}</p> : null)
  return (
    <section>
      <div className="page-head">
        <h1>{t('ledger.title')}</h1>
        {mayCreate ? <Link className="button primary" to="/applications/new">{t('ledger.new')}</Link> : null}
      </div>
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="f-q">{t('ledger.filter.q')}</label>
          <input id="f-q" name="q" type="search" defaultValue={filter.q ?? ''} />
          {fieldError('q')}
        </div>
        <FilterSelect name="state" label={t('ledger.filter.state')} value={filter.state} allLabel={t('common.all')} error={errors.state && t(errors.state)}
          options={states.map((s) => ({ value: s, label: t(`state.${s}` as MessageKey) }))} />
        <FilterSelect name="year" label={t('ledger.filter.year')} value={filter.year} allLabel={t('common.all')} error={errors.year && t(errors.year)}
          options={Array.from({ length: 6 }, (_, i) => ({ value: year - i, label: String(year - i) }))} />
        <div className="field">
          <label htmlFor="f-from">{t('ledger.filter.from')}</label>
          <input id="f-from" name="from" type="date" defaultValue={filter.from ?? ''} aria-invalid={errors.from ? true : undefined} />
          {fieldError('from')}
        </div>
        <div className="field">
          <label htmlFor="f-to">{t('ledger.filter.to')}</label>
          <input id="f-to" name="to" type="date" defaultValue={filter.to ?? ''} aria-invalid={errors.to ? true : undefined} />
          {fieldError('to')}
        </div>
        <FilterSelect name="registrar" label={t('ledger.filter.registrar')} value={filter.registrar} allLabel={t('common.all')} error={errors.registrar && t(errors.registrar)}
          options={registrars.map((r) => ({ value: r.id, label: r.name }))} />
        <TownFilter towns={towns} value={filter.town} error={errors.town && t(errors.town)} />
        <FilterSelect name="due" label={t('ledger.filter.due')} value={filter.due} allLabel={t('common.all')} error={errors.due && t(errors.due)}
          options={[{ value: 'soon', label: t('ledger.filter.dueSoon') }, { value: 'late', label: t('ledger.filter.late') }]} />
        <SortFields sort={filter.sort} dir={filter.dir} />
        <FilterActions resetTo="/applications" />
      </Form>
      <ExportForm filter={filter} idNumbers />
      <SortError errors={errors} />
      <DataTable label={t('ledger.title')} empty={rows.length === 0} columns={[heading('id', t('ledger.col.id')), heading('state', t('ledger.col.state')), t('ledger.col.kind'), t('ledger.col.adopters'), t('ledger.col.child'),
        heading('received', t('ledger.col.received')), heading('due', t('ledger.col.due')), heading('number', t('ledger.col.number')), heading('registered', t('export.col.registeredOn')), t('ledger.col.registrar')]}>
        {rows.map((r) => (
              <tr key={r.id}>
                <td className="mono"><Link to={`/applications/${r.id}`}>{r.id}</Link></td>
                <td className="nowrap"><StateBadge state={r.state} /></td>
                <td>
                  {t(`relation.${r.relation}` as MessageKey)}
                  {r.secrecy ? <span className="badge warn">{t('ledger.secrecy')}</span> : null}
                  {r.deFactoSince ? <span className="badge muted">{t('ledger.deFacto')}</span> : null}
                </td>
                <td>{r.adopters}{r.town || r.residesAbroad ? <div className="hint">{r.town ?? t('towns.residence.abroadShown')}</div> : null}</td>
                <td>{r.child}</td>
                <td className="nowrap">{date(r.receivedOn)}</td>
                <td className="nowrap"><DueLabel dueOn={r.dueOn} today={today} /></td>
                <td className="nowrap">{r.registrationNumber ?? ''}</td>
                <td className="nowrap">{r.registeredOn ? date(r.registeredOn) : ''}</td>
                <td>{r.registrarName}</td>
              </tr>
            ))}
      </DataTable>
      <Pager param="after" next={next} />
    </section>
  )
}

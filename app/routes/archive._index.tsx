import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { logRegisterView } from '#app/platform/record-access.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { ARCHIVE_STATES, ARCHIVE_TYPES, fileSort, listFiles, parseFileFilter } from '#app/archive/files.server.ts'
import { effectiveSort } from '#app/ledgers/sorting.ts'
import { SortError, SortFields, useSortHeadings } from '#app/components/sort-header.tsx'
import { exportOrErrors, limitsOf } from '#app/ledgers/exports.server.ts'
import { ExportForm } from '#app/ledgers/components/export-form.tsx'
import { Pager } from '#app/components/pager.tsx'
import { FilterSelect } from '#app/components/filters.tsx'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { DueLabel } from '#app/registration/components/state.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  await logRegisterView(context.db, viewerOf(user), 'archive_files', request.url, context.ip)
  const { filter, errors } = parseFileFilter(Object.fromEntries(new URL(request.url).searchParams))
  const today = todayInShanghai()
  const page = await listFiles(context.db, viewerOf(user), filter, today)
  return { ...page, filter, errors, today, states: ARCHIVE_STATES, types: ARCHIVE_TYPES, sort: effectiveSort(fileSort, filter), sortColumns: fileSort.columns }
}

/** Export of the list as filtered (a job; its page shows the progress). */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  const { format, intent: _intent, ...params } = Object.fromEntries(await request.formData())
  const result = await exportOrErrors(context.db, viewerOf(user), { ledger: 'archive_files', params, format: format === 'csv' ? 'csv' : 'xlsx', locale: user.locale }, limitsOf(context.env))
  return 'id' in result ? redirect(`/ledgers/exports/${result.id}`) : data(result, { status: 400 })
}

export default function Archive() {
  const { rows, next, filter, errors: filterErrors, today, states, types, sort, sortColumns } = useLoaderData<typeof loader>()
  const heading = useSortHeadings(sort, sortColumns)
  const refused = useActionData<typeof action>()
  const { t } = useI18n()
  const errors: Partial<Record<string, MessageKey>> = { ...filterErrors, ...(refused && 'errors' in refused ? refused.errors : {}) }
  const fieldError = (name: string) => (errors[name] ? <p className="field-error">{t(errors[name]!)}</p> : null)
  const year = Number(today.slice(0, 4))
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
          <input id="f-q" name="q" type="search" defaultValue={filter.q ?? ''} />
          {fieldError('q')}
        </div>
        <FilterSelect name="state" label={t('archive.col.state')} value={filter.state} allLabel={t('common.all')} error={errors.state && t(errors.state)}
          options={states.map((s) => ({ value: s, label: t(`archive.state.${s}` as MessageKey) }))} />
        <FilterSelect name="type" label={t('archive.col.type')} value={filter.type} allLabel={t('common.all')} error={errors.type && t(errors.type)}
          options={types.map((ty) => ({ value: ty, label: t(`archive.type.${ty}` as MessageKey) }))} />
        <FilterSelect name="year" label={t('ledger.filter.year')} value={filter.year} allLabel={t('common.all')} error={errors.year && t(errors.year)}
          options={Array.from({ length: 12 }, (_, i) => ({ value: year - i, label: String(year - i) }))} />
        <label className="checkbox"><input type="checkbox" name="overdue" value="1" defaultChecked={filter.overdue ?? false} />{t('archive.list.overdue')}</label>
        <SortFields sort={filter.sort} dir={filter.dir} />
        <div className="filter-actions"><button type="submit" className="button primary">{t('action.filter')}</button></div>
      </Form>
      <ExportForm filter={{ q: filter.q, state: filter.state, type: filter.type, year: filter.year, overdue: filter.overdue ? '1' : undefined, sort: filter.sort, dir: filter.dir }} />
      <SortError errors={errors} />
      <DataTable label={t('archive.list.title')} empty={rows.length === 0} columns={[heading('number', t('archive.col.number')), t('archive.col.title'), t('archive.col.type'), heading('year', t('ledger.filter.year')),
        heading('state', t('archive.col.state')), t('archive.col.documents'), heading('due', t('archive.col.due')), t('archive.col.location')]}>
        {rows.map((r) => (
              <tr key={r.id}>
                <td className="mono nowrap"><Link to={`/archive/${r.id}`}>{r.archiveNumber}</Link></td>
                <td>{r.title}{r.confidential ? <span className="badge warn">{t('ledger.secrecy')}</span> : null}</td>
                <td>{t(`archive.type.${r.type}` as MessageKey)}</td>
                <td>{r.year}</td>
                <td><span className={`badge ${r.state === 'open' ? 'warn' : 'ok'}`}>{t(`archive.state.${r.state}` as MessageKey)}</span></td>
                <td>{r.documents}</td>
                <td className="nowrap">{r.state === 'open' ? <DueLabel dueOn={r.dueOn} today={today} /> : '—'}</td>
                <td>{r.location || '—'}</td>
              </tr>
            ))}
      </DataTable>
      <Pager param="after" next={next} />
    </section>
  )
}

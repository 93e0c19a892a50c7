// The register of refusals, dissolutions and revocations (不予登记、解除、撤销登记台账): by kind,
// refusal ground, year or period of the decision, registrar and town of residence; sortable by the
// decision's date, kind and document number; paged by key; exported as filtered and sorted.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { refusalGrounds } from '#db/schema.ts'
import { logRegisterView } from '#app/platform/record-access.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { decisionLedger, decisionSort, DECISION_KINDS } from '#app/registration/decisions-ledger.server.ts'
import { effectiveSort } from '#app/ledgers/sorting.ts'
import { SortError, SortFields, useSortHeadings } from '#app/components/sort-header.tsx'
import { TownFilter } from '#app/residence/components/town-filter.tsx'
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
  const user = await requireUser(request, context, 'case.read')
  await logRegisterView(context.db, viewerOf(user), 'decisions', request.url, context.ip)
  const today = todayInShanghai()
  const ledger = await decisionLedger(context.db, viewerOf(user), new URL(request.url).searchParams, today)
  return { ...ledger, today, kinds: DECISION_KINDS, sort: effectiveSort(decisionSort, ledger.filter), sortColumns: decisionSort.columns }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  return exportFromPage(context, user, 'decisions', await request.formData())
}

export default function Decisions() {
  const { rows, next, filter, errors, registrars, towns, today, kinds, sort, sortColumns } = useLoaderData<typeof loader>()
  const heading = useSortHeadings(sort, sortColumns)
  const { t, date } = useI18n()
  const errorOf = useFilterErrors(errors)
  const year = Number(today.slice(0, 4))
  return (
    <section>
      <div className="page-head">
        <h1>{t('ledger.reg.decision.title')}</h1>
        <div className="actions"><Link className="button secondary" to="/applications">{t('ledger.title')}</Link></div>
      </div>
      <Form method="get" className="filters" role="search">
        <FilterSelect name="kind" label={t('ledger.reg.decision.kind')} value={filter.kind} allLabel={t('common.all')} error={errorOf('kind')}
          options={kinds.map((k) => ({ value: k, label: t(`ledger.reg.decision.kind.${k}`) }))} />
        <FilterSelect name="ground" label={t('ledger.reg.decision.ground')} value={filter.ground} allLabel={t('common.all')} error={errorOf('ground')}
          options={refusalGrounds.map((g) => ({ value: g, label: t(`refusalGround.${g}`) }))} />
        <FilterSelect name="year" label={t('ledger.reg.decision.year')} value={filter.year} allLabel={t('common.all')} error={errorOf('year')}
          options={Array.from({ length: 8 }, (_, i) => ({ value: year - i, label: String(year - i) }))} />
        <DateFilter name="from" label={t('ledger.filter.from')} value={filter.from} error={errorOf('from')} />
        <DateFilter name="to" label={t('ledger.filter.to')} value={filter.to} error={errorOf('to')} />
        <FilterSelect name="registrar" label={t('ledger.filter.registrar')} value={filter.registrar} allLabel={t('common.all')} error={errorOf('registrar')}
          options={registrars.map((r) => ({ value: r.id, label: r.name }))} />
        <TownFilter towns={towns} value={filter.town} error={errorOf('town')} />
        <SortFields sort={filter.sort} dir={filter.dir} />
        <FilterActions resetTo="/ledgers/decisions" />
      </Form>
      <ExportForm filter={filter} idNumbers />
      <SortError errors={errors} />
      <DataTable label={t('ledger.reg.decision.title')} empty={rows.length === 0}
        columns={[heading('id', t('ledger.col.id')), heading('kind', t('ledger.reg.decision.kind')), heading('decided', t('ledger.reg.decision.on')), heading('number', t('ledger.reg.decision.number')), t('ledger.reg.decision.groundOrReason'), t('ledger.col.adopters'), t('ledger.col.child'), t('ledger.col.registrar')]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="mono"><Link to={`/applications/${r.id}`}>{r.id}</Link></td>
            <td className="nowrap">{t(`ledger.reg.decision.kind.${r.kind}`)}{r.secrecy ? <span className="badge warn">{t('ledger.secrecy')}</span> : null}</td>
            <td className="nowrap">{date(r.decidedOn)}</td>
            <td className="nowrap">{r.number ?? '—'}</td>
            <td>{r.kind === 'refused' ? t(`refusalGround.${r.ground ?? 'other'}`) : r.kind === 'revoked' ? r.revocationReason : '—'}</td>
            <td>{r.adopters}{r.town || r.residesAbroad ? <div className="hint">{r.town ?? t('towns.residence.abroadShown')}</div> : null}</td>
            <td>{r.child}</td>
            <td>{r.registrarName}</td>
          </tr>
        ))}
      </DataTable>
      <Pager param="after" next={next} />
    </section>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Pager } from '#app/components/pager.tsx'
import { requireUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { listApplications, parseLedgerFilter, registrarsOf } from '#app/registration/ledger.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { states } from '#app/registration/workflow.ts'
import { DueLabel, StateBadge } from '#app/registration/components/state.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  const filter = parseLedgerFilter(new URL(request.url).searchParams)
  const today = todayInShanghai()
  const [page, registrars] = await Promise.all([
    listApplications(context.db, context.cipher, viewerOf(user), filter, today),
    registrarsOf(context.db, user.registryCode),
  ])
  return { ...page, registrars, filter, today, mayCreate: can(user.roles, 'case.write') }
}

export default function Ledger() {
  const { rows, next, registrars, filter, today, mayCreate } = useLoaderData<typeof loader>()
  const { t, date } = useI18n()
  const year = Number(today.slice(0, 4))
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
        </div>
        <div className="field">
          <label htmlFor="f-state">{t('ledger.filter.state')}</label>
          <select id="f-state" name="state" defaultValue={filter.state ?? ''}>
            <option value="">{t('common.all')}</option>
            {states.map((s) => <option key={s} value={s}>{t(`state.${s}` as MessageKey)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-year">{t('ledger.filter.year')}</label>
          <select id="f-year" name="year" defaultValue={filter.year ? String(filter.year) : ''}>
            <option value="">{t('common.all')}</option>
            {Array.from({ length: 6 }, (_, i) => year - i).map((y) => <option key={y} value={y}>{y}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-registrar">{t('ledger.filter.registrar')}</label>
          <select id="f-registrar" name="registrar" defaultValue={filter.registrar ?? ''}>
            <option value="">{t('common.all')}</option>
            {registrars.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-due">{t('ledger.filter.due')}</label>
          <select id="f-due" name="due" defaultValue={filter.due ?? ''}>
            <option value="">{t('common.all')}</option>
            <option value="soon">{t('ledger.filter.dueSoon')}</option>
            <option value="late">{t('ledger.filter.late')}</option>
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="button primary">{t('action.filter')}</button>
          <Link to="/applications" className="button secondary">{t('action.reset')}</Link>
        </div>
      </Form>
      <DataTable label={t('ledger.title')} empty={rows.length === 0} columns={[t('ledger.col.id'), t('ledger.col.state'), t('ledger.col.kind'), t('ledger.col.adopters'), t('ledger.col.child'), t('ledger.col.received'), t('ledger.col.due'), t('ledger.col.number'), t('ledger.col.registrar')]}>
        {rows.map((r) => (
              <tr key={r.id}>
                <td className="mono"><Link to={`/applications/${r.id}`}>{r.id}</Link></td>
                <td className="nowrap"><StateBadge state={r.state} /></td>
                <td>
                  {t(`relation.${r.relation}` as MessageKey)}
                  {r.secrecy ? <span className="badge warn">{t('ledger.secrecy')}</span> : null}
                  {r.deFactoSince ? <span className="badge muted">{t('ledger.deFacto')}</span> : null}
                </td>
                <td>{r.adopters}</td>
                <td>{r.child}</td>
                <td className="nowrap">{date(r.receivedOn)}</td>
                <td className="nowrap"><DueLabel dueOn={r.dueOn} today={today} /></td>
                <td className="nowrap">{r.registrationNumber ?? ''}</td>
                <td>{r.registrarName}</td>
              </tr>
            ))}
      </DataTable>
      <Pager param="after" next={next} />
    </section>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Pager } from '#app/components/pager.tsx'
import { requireUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { auditActions, listAudit, parseAuditFilter } from '#app/audit/log.server.ts'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { requestLocale } from '#app/platform/i18n/locale.server.ts'
import { ENTITY_TYPES, presentAuditRows } from '#app/audit/present.server.ts'
import { chainAlert } from '#app/platform/audit-chain.server.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'audit.read')
  const filter = parseAuditFilter(new URL(request.url).searchParams)
  const locale = await requestLocale(request, user.locale)
  const [page, actions, alert] = await Promise.all([
    listAudit(context.db, user.registryCode, filter),
    auditActions(context.db, user.registryCode),
    chainAlert(context.db, user.registryCode),
  ])
  const search = new URL(request.url).searchParams
  search.delete('before')
  const chain = alert ? { checkedAt: alert.checkedAt, breaks: alert.breaks.slice(0, 20) } : null
  return {
    rows: presentAuditRows(locale, user.roles, page.rows), nextBefore: page.nextBefore, actions, filter, entityTypes: ENTITY_TYPES,
    exportHref: can(user.roles, 'audit.export') ? `/audit.csv${search.size ? `?${search}` : ''}` : null,
    chain,
  }
}

export default function AuditLog() {
  const { rows, nextBefore, actions, filter, entityTypes, exportHref, chain } = useLoaderData<typeof loader>()
  const { t, dateTime } = useI18n()
  const actionLabel = (action: string) => {
    const key = `audit.action.${action}` as MessageKey
    const label = t(key)
    return label === key ? action : label
  }
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      <p className="lead">{t('audit.lead')}</p>
      {chain ? (
        <div className="alert error" role="alert">
          <p>{t('audit.chain.broken', { at: dateTime(chain.checkedAt), count: chain.breaks.length })}</p>
          <ul>
            {chain.breaks.map((b, i) => (
              <li key={i}>{t(`audit.chain.kind.${b.kind}` as MessageKey, { id: b.id ?? '—', seq: b.seq ?? '—' })}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="f-actor">{t('audit.filter.actor')}</label>
          <input id="f-actor" name="actor" defaultValue={filter.actor ?? ''} placeholder={t('audit.filter.actorHint')} />
        </div>
        <div className="field">
          <label htmlFor="f-kind">{t('audit.filter.kind')}</label>
          <select id="f-kind" name="kind" defaultValue={filter.kind ?? ''}>
            <option value="">{t('common.all')}</option>
            <option value="security">{t('audit.filter.kind.security')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-action">{t('audit.filter.action')}</label>
          <select id="f-action" name="action" defaultValue={filter.action ?? ''}>
            <option value="">{t('common.all')}</option>
            {actions.map((a) => (
              <option key={a} value={a}>{actionLabel(a)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-entity-type">{t('audit.filter.entityType')}</label>
          <select id="f-entity-type" name="entityType" defaultValue={filter.entityType ?? ''}>
            <option value="">{t('common.all')}</option>
            {entityTypes.map((type) => (
              <option key={type} value={type}>{t(`audit.entity.${type}` as MessageKey)}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-entity-id">{t('audit.filter.entityId')}</label>
          <input id="f-entity-id" name="entityId" defaultValue={filter.entityId ?? ''} inputMode="numeric" className="short-input" />
        </div>
        <div className="field">
          <label htmlFor="f-from">{t('audit.filter.from')}</label>
          <input id="f-from" name="from" type="date" defaultValue={filter.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t('audit.filter.to')}</label>
          <input id="f-to" name="to" type="date" defaultValue={filter.to ?? ''} />
        </div>
        <div className="filter-actions">
          <button type="submit" className="button primary">{t('action.filter')}</button>
          <Link to="/audit" className="button secondary">{t('action.reset')}</Link>
          {exportHref ? <a href={exportHref} className="button secondary" download>{t('audit.export')}</a> : null}
        </div>
      </Form>
      <DataTable label={t('common.table')} empty={rows.length === 0} columns={[t('audit.col.at'), t('audit.col.actor'), t('audit.col.action'), t('audit.col.entity'), t('audit.col.summary'), t('audit.col.reason'), t('audit.col.ip')]}>
        {rows.map((row) => (
          <tr key={row.id}>
            <td className="when">{dateTime(row.at)}</td>
            <td className="name">
              {row.actor.name}
              {row.actor.hint ? <span className="audit-hint">{row.actor.hint}</span> : null}
            </td>
            <td>{actionLabel(row.action)}</td>
            <td className="audit-entity">
              {!row.entity ? '—' : row.entity.href ? <Link to={row.entity.href}>{row.entity.label}</Link> : row.entity.label}
            </td>
            <td>
              {row.summary.length ? (
                <dl className="audit-summary">
                  {row.summary.map((e) => (
                    <div key={e.key}><dt>{e.label}</dt><dd>{e.value}</dd></div>
                  ))}
                </dl>
              ) : null}
            </td>
            <td className="text-cell audit-reason">{row.reason ?? ''}</td>
            <td className="mono">{row.ip ?? ''}</td>
          </tr>
        ))}
      </DataTable>
      <Pager param="before" next={nextBefore} />
    </section>
  )
}

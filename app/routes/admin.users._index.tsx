import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { Pager } from '#app/components/pager.tsx'
import { requireUser } from '#app/platform/guard.server.ts'
import { listUsers } from '#app/staff/users.server.ts'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'users.manage')
  const params = new URL(request.url).searchParams
  const q = (params.get('q') ?? '').trim().slice(0, 60)
  const after = (params.get('after') ?? '').slice(0, 60) || undefined
  const page = await listUsers(context.db, user.registryCode, { q: q || undefined, after })
  return { ...page, q, now: Date.now() }
}

export default function Users() {
  const { rows, next, q, now } = useLoaderData<typeof loader>()
  const { t } = useI18n()
  return (
    <section>
      <div className="page-head">
        <h1>{t('users.title')}</h1>
        <Link className="button primary" to="/admin/users/new">{t('users.new')}</Link>
      </div>
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="q">{t('users.search')}</label>
          <input id="q" name="q" type="search" defaultValue={q} />
        </div>
        <div className="filter-actions">
          <button type="submit" className="button primary">{t('action.search')}</button>
        </div>
      </Form>
      <DataTable label={t('common.table')} empty={rows.length === 0} columns={[t('users.username'), t('users.displayName'), t('users.roles'), t('users.status'), t('account.totp')]}>
        {rows.map((u) => (
              <tr key={u.id}>
                <td className="mono"><Link to={`/admin/users/${u.id}`}>{u.username}</Link></td>
                <td>{u.displayName}</td>
                <td>{u.roles.map((r) => t(`role.${r}` as MessageKey)).join('、') || '—'}</td>
                <td>
                  {!u.active ? <span className="badge muted">{t('users.status.inactive')}</span>
                    : u.lockedUntil && new Date(u.lockedUntil).getTime() > now ? <span className="badge warn">{t('users.status.locked')}</span>
                    : <span className="badge ok">{t('users.status.active')}</span>}
                  {u.mustChangePassword ? <span className="badge muted">{t('users.status.mustChange')}</span> : null}
                </td>
                <td>{u.totpEnabled ? t('account.totp.on') : t('account.totp.off')}</td>
              </tr>
            ))}
      </DataTable>
      <Pager param="after" next={next} />
    </section>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { lastLogins } from '#app/staff/home.server.ts'
import { navFor } from '#app/components/nav.ts'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, null)
  const logins = await lastLogins(context.db, user.id)
  return { roles: user.roles, displayName: user.displayName, logins }
}

export default function Home() {
  const { roles, displayName, logins } = useLoaderData<typeof loader>()
  const { t, dateTime } = useI18n()
  const sections = navFor(roles).filter((item) => item.to !== '/')
  const previous = logins[1]
  return (
    <section>
      <h1>{t('home.welcome', { name: displayName })}</h1>
      <p className="lead">
        {t('home.roles')}: {roles.map((r) => t(`role.${r}` as MessageKey)).join('、')}
      </p>
      {previous ? (
        <p className="hint">{t('home.lastLogin', { at: dateTime(previous.at), ip: previous.ip ?? '—' })}</p>
      ) : null}
      {sections.length ? (
        <ul className="cards">
          {sections.map((item) => (
            <li key={item.to} className="card">
              <Link to={item.to}>{t(item.label)}</Link>
              <p>{t(`home.section.${item.to}` as MessageKey)}</p>
            </li>
          ))}
        </ul>
      ) : null}
      <h2>{t('home.duties.title')}</h2>
      <ul className="duties">
        <li>{t('home.duties.privacy')}</li>
        <li>{t('home.duties.access')}</li>
        <li>{t('home.duties.account')}</li>
      </ul>
    </section>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, null)
  return {
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    roles: user.roles,
    registryName: user.registryName,
    totpEnabled: user.totpEnabled,
  }
}

export default function Account() {
  const u = useLoaderData<typeof loader>()
  const { t } = useI18n()
  return (
    <section>
      <h1>{t('account.title')}</h1>
      <dl className="facts">
        <dt>{t('users.username')}</dt><dd className="mono">{u.username}</dd>
        <dt>{t('users.displayName')}</dt><dd>{u.displayName}</dd>
        <dt>{t('users.email')}</dt><dd>{u.email ?? t('common.none')}</dd>
        <dt>{t('users.roles')}</dt><dd>{u.roles.map((r) => t(`role.${r}` as MessageKey)).join('、')}</dd>
        <dt>{t('account.registry')}</dt><dd>{u.registryName}</dd>
        <dt>{t('account.totp')}</dt><dd>{u.totpEnabled ? t('account.totp.on') : t('account.totp.off')}</dd>
      </dl>
      <p className="actions">
        <Link className="button secondary" to="/account/password">{t('account.changePassword')}</Link>
        <Link className="button secondary" to="/account/totp">{t('account.manageTotp')}</Link>
      </p>
    </section>
  )
}

import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { Pager } from '#app/components/pager.tsx'
import { requireUser } from '#app/platform/guard.server.ts'
import { listOutbox } from '#app/staff/outbox.server.ts'
import { Notice } from '#app/components/forms.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'outbox.read')
  const before = new URL(request.url).searchParams.get('before') ?? undefined
  const page = await listOutbox(context.db, user.registryCode, before)
  return { ...page, smtp: Boolean(context.env.SMTP_URL) }
}

export default function Outbox() {
  const { rows, nextBefore, smtp } = useLoaderData<typeof loader>()
  const { t, dateTime } = useI18n()
  return (
    <section>
      <h1>{t('outbox.title')}</h1>
      <Notice kind="info">{smtp ? t('outbox.smtpOn') : t('outbox.smtpOff')}</Notice>
      <p className="hint">{t('outbox.bodiesHidden')}</p>
      <DataTable label={t('outbox.title')} empty={rows.length === 0} columns={[t('outbox.to'), t('outbox.subject'), t('outbox.state'), t('approvals.at')]}>
        {rows.map((m) => (
          <tr key={m.id}>
            <td className="mono">{m.toAddress}</td>
            <td>{m.subject}</td>
            <td>{t('outbox.state.kept')}</td>
            <td className="nowrap">{dateTime(m.createdAt)}</td>
          </tr>
        ))}
      </DataTable>
      <Pager param="before" next={nextBefore} />
    </section>
  )
}

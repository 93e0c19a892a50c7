import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { Pager } from '#app/components/pager.tsx'
import { requireUser } from '#app/platform/guard.server.ts'
import { listOutbox } from '#app/staff/outbox.server.ts'
import { Notice } from '#app/components/forms.tsx'
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
      {rows.length === 0 ? <p>{t('common.noRows')}</p> : null}
      {rows.map((m) => (
        <article key={m.id} className="mail">
          <header>
            <h2>{m.subject}</h2>
            <p className="meta">{t('outbox.to')}: <span className="mono">{m.toAddress}</span> · {dateTime(m.createdAt)}</p>
          </header>
          <pre className="mail-body">{m.bodyText}</pre>
        </article>
      ))}
      <Pager param="before" next={nextBefore} />
    </section>
  )
}

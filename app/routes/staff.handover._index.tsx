// Staff hand-over: the registry's caseworkers and anyone else still holding open work, with their
// open work by kind. A supervisor (staff.handover) opens one to hand the work over.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { handoverOverview, openWorkKinds } from '#app/staff/handover.server.ts'
import { useI18n } from '#app/components/i18n.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

const kindLabel = (kind: string) => `handover.kind.${kind}` as MessageKey

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'staff.handover')
  return { staff: await handoverOverview(context.db, user.registryCode), kinds: openWorkKinds.map((k) => k.kind) }
}

export default function Handover() {
  const { staff, kinds } = useLoaderData<typeof loader>()
  const { t } = useI18n()
  return (
    <section>
      <h1>{t('handover.title')}</h1>
      <p className="hint">{t('handover.intro')}</p>
      <DataTable
        label={t('handover.title')}
        empty={staff.length === 0}
        columns={[t('handover.col.staff'), t('handover.col.roles'), t('handover.col.status'), ...kinds.map((k) => t(kindLabel(k))), t('handover.col.open'), '']}
      >
        {staff.map((s) => (
          <tr key={s.id}>
            <td>{s.name} <span className="mono hint">{s.username}</span></td>
            <td>{s.roles.map((r) => t(`role.${r}` as MessageKey)).join('、') || '—'}</td>
            <td>{s.active ? <span className="badge ok">{t('handover.active')}</span> : <span className="badge muted">{t('handover.inactive')}</span>}</td>
            {s.counts.map((c) => <td key={c.kind} className="num">{c.count}</td>)}
            <td className="num"><strong>{s.total}</strong></td>
            <td>{s.total > 0 ? <Link to={`/staff/handover/${s.id}`}>{t('handover.open')}</Link> : null}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  )
}

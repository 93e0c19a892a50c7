// The second person's desk (decision 027): what others asked for and only another person may
// decide — historical import batches (with their dry run's figures), certificate reissues and
// corrections of identity fields of imported registrations. Each links to its page, where the
// decision is taken. Items one asked for oneself are marked: they wait for someone else.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { batchesAwaitingApproval } from '#app/import/batches.server.ts'
import { correctionsAwaitingApproval } from '#app/import/corrections.server.ts'
import { reissuesAwaitingApproval } from '#app/registration/reissues.server.ts'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.approve')
  const viewer = viewerOf(user)
  const [batches, reissues, corrections] = await Promise.all([
    batchesAwaitingApproval(context.db, viewer), reissuesAwaitingApproval(context.db, viewer), correctionsAwaitingApproval(context.db, viewer),
  ])
  return { batches, reissues, corrections, me: user.id }
}

export default function Approvals() {
  const { batches, reissues, corrections, me } = useLoaderData<typeof loader>()
  const { t, dateTime } = useI18n()
  const own = (ids: (string | null)[]) => (ids.includes(me) ? <div className="hint">{t('approvals.own')}</div> : null)
  return (
    <section>
      <h1>{t('caseApprovals.title')}</h1>
      <p className="hint">{t('approvals.lead')}</p>

      <section className="panel">
        <h2>{t('approvals.batches')}</h2>
        <DataTable label={t('approvals.batches')} compact empty={batches.length === 0}
          columns={[t('import.batches.file'), t('approvals.dryRun'), t('caseApprovals.requestedBy'), t('approvals.requestedAt')]}>
          {batches.map((b) => (
            <tr key={b.id}>
              <td><Link to={`/admin/import/${b.id}`}>{b.filename}</Link>{own([b.requestedById, b.createdById])}</td>
              <td>{t('approvals.dryRunSummary', { total: b.totalRows, valid: b.validRows, invalid: b.invalidRows, duplicate: b.duplicateRows, existing: b.existingRows })}</td>
              <td>{b.requestedBy}</td>
              <td className="nowrap">{dateTime(b.requestedAt!)}</td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section className="panel">
        <h2>{t('approvals.reissues')}</h2>
        <DataTable label={t('approvals.reissues')} compact empty={reissues.length === 0}
          columns={[t('approvals.registration'), t('reissue.kind'), t('reissue.reason'), t('caseApprovals.requestedBy'), t('approvals.requestedAt')]}>
          {reissues.map((r) => (
            <tr key={r.id}>
              <td><Link to={`/applications/${r.applicationId}#certificates`}>{r.registrationNumber ?? r.applicationId}</Link>{own([r.requestedById])}</td>
              <td className="nowrap">{t(`reissue.kind.${r.kind}` as MessageKey)}</td>
              <td>{r.reason}</td>
              <td>{r.requestedBy}</td>
              <td className="nowrap">{dateTime(r.requestedAt)}</td>
            </tr>
          ))}
        </DataTable>
      </section>

      <section className="panel">
        <h2>{t('approvals.corrections')}</h2>
        <DataTable label={t('approvals.corrections')} compact empty={corrections.length === 0}
          columns={[t('approvals.registration'), t('approvals.fields'), t('reissue.reason'), t('caseApprovals.requestedBy'), t('approvals.requestedAt')]}>
          {corrections.map((c) => (
            <tr key={c.id}>
              <td><Link to={`/applications/${c.applicationId}#corrections`}>{c.registrationNumber ?? c.applicationId}</Link>{own([c.proposedById])}</td>
              <td>{c.fields.map((f) => t(`import.field.${f}` as MessageKey)).join('、')}</td>
              <td>{c.reason}</td>
              <td>{c.proposedBy}</td>
              <td className="nowrap">{dateTime(c.proposedAt)}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </section>
  )
}

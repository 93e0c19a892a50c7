// Transfer (移交): the files due for the county archives bureau, to be proposed as a batch, and the
// batches so far.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { listTransfers, proposeTransfer, transferCandidates } from '#app/archive/transfers.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { FormErrors } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  const viewer = viewerOf(user)
  const candidates = await transferCandidates(context.db, viewer, todayInShanghai())
  return { candidates, transfers: await listTransfers(context.db, viewer) }
}

const proposeSchema = z.object({
  fileId: z.array(z.string().regex(/^\d{1,18}$/)).max(500).default([]),
})

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  const formData = await request.formData()
  let created = ''
  const result = await runForm(formData, 'propose', proposeSchema, async (v) => {
    created = await proposeTransfer(context.db, viewerOf(user), v.fileId, todayInShanghai())
  })
  if (result.ok) throw redirect(`/archive/transfers/${created}`)
  return data(result, { status: 400 })
}

export default function Transfers() {
  const { candidates, transfers } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t, date, dateTime } = useI18n()
  const errors = result && !result.ok ? [...(result.reply.error?.[''] ?? []), ...(result.reply.error?.fileId ?? [])] : []
  const busy = navigation.state === 'submitting'
  return (
    <section>
      <div className="page-head">
        <h1>{t('transfer.title')}</h1>
        <div className="actions"><Link className="button secondary" to="/archive">{t('archive.list.title')}</Link></div>
      </div>

      <h2>{t('transfer.candidates.title', { year: candidates.lastYear })}</h2>
      <p className="hint">{t('transfer.candidates.hint', { years: candidates.years })}</p>
      <Form method="post">
        <FormErrors errors={errors} />
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('transfer.candidates.title', { year: candidates.lastYear })}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('transfer.col.select')}</th><th scope="col">{t('archive.col.number')}</th><th scope="col">{t('archive.col.title')}</th>
                <th scope="col">{t('transfer.col.year')}</th><th scope="col">{t('transfer.col.retention')}</th><th scope="col">{t('archive.col.documents')}</th>
                <th scope="col">{t('transfer.col.pages')}</th><th scope="col">{t('archive.col.location')}</th>
              </tr>
            </thead>
            <tbody>
              {candidates.files.length === 0 ? <tr><td colSpan={8} className="empty">{t('transfer.candidates.none')}</td></tr> : candidates.files.map((f) => (
                <tr key={f.id}>
                  <td><input type="checkbox" name="fileId" value={f.id} aria-label={f.archiveNumber} /></td>
                  <td className="mono nowrap"><Link to={`/archive/${f.id}`}>{f.archiveNumber}</Link></td>
                  <td>{f.title}{f.confidential ? <span className="badge warn">{t('ledger.secrecy')}</span> : null}</td>
                  <td>{f.year}</td>
                  <td>{f.retention === 'permanent' ? t('archive.retention.permanent') : f.retention}</td>
                  <td>{f.documents}</td>
                  <td>{f.pages}</td>
                  <td>{f.location ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {candidates.files.length ? (
          <div className="filter-actions">
            <button type="submit" className="button primary" disabled={busy}>{busy ? t('action.saving') : t('transfer.propose')}</button>
          </div>
        ) : null}
      </Form>

      <h2>{t('transfer.batches.title')}</h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('transfer.batches.title')}>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('transfer.col.number')}</th><th scope="col">{t('transfer.col.state')}</th><th scope="col">{t('transfer.col.files')}</th>
              <th scope="col">{t('transfer.col.heldBack')}</th><th scope="col">{t('transfer.col.proposed')}</th><th scope="col">{t('transfer.col.confirmedOn')}</th>
            </tr>
          </thead>
          <tbody>
            {transfers.length === 0 ? <tr><td colSpan={6} className="empty">{t('transfer.batches.none')}</td></tr> : transfers.map((b) => (
              <tr key={b.id}>
                <td className="nowrap"><Link to={`/archive/transfers/${b.id}`}>{b.number}</Link></td>
                <td><span className={`badge ${b.state === 'proposed' ? 'warn' : 'ok'}`}>{t(`transfer.state.${b.state}` as MessageKey)}</span></td>
                <td>{b.files}</td>
                <td>{b.heldBack || ''}</td>
                <td className="nowrap">{dateTime(b.proposedAt)}{b.proposedBy ? <div className="hint">{b.proposedBy}</div> : null}</td>
                <td className="nowrap">{b.confirmedOn ? date(b.confirmedOn) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

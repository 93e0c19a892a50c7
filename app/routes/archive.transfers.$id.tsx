// One transfer batch: its files; a supervisor's approval to hold a confidential file back; the
// archivist's confirmation; the transfer list. Supervisors hold no archive.manage, yet approve the
// holds, so the page admits both and each action checks its own right.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { text } from '#app/platform/text.ts'
import { requireUser, type CurrentUser } from '#app/platform/guard.server.ts'
import { errorResponse, ForbiddenError, orRespond } from '#app/platform/http.server.ts'
import { can } from '#app/platform/permissions.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { confirmTransfer, holdBack, loadTransfer, mayViewTransfers } from '#app/archive/transfers.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { FormErrors, Notice } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

async function guard(request: Request, context: LoaderFunctionArgs['context']): Promise<CurrentUser> {
  const user = await requireUser(request, context, null)
  if (!mayViewTransfers(user.roles)) throw errorResponse(new ForbiddenError())
  return user
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await guard(request, context)
  const batch = await orRespond(() => loadTransfer(context.db, viewerOf(user), params.id ?? ''))
  return { ...batch, mayConfirm: can(user.roles, 'archive.manage'), mayHold: user.roles.includes('supervisor') }
}

const holdSchema = z.object({
  fileId: z.string().regex(/^\d{1,18}$/),
  reason: text(500),
})
const confirmSchema = z.object({ version: z.coerce.number().int() })

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await guard(request, context)
  const viewer = viewerOf(user)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const id = params.id ?? ''
  const result = intent === 'hold'
    ? await runForm(formData, `hold-${String(formData.get('fileId') ?? '')}`, holdSchema, (v) => holdBack(context.db, viewer, id, v.fileId, v.reason))
    : await runForm(formData, 'confirm', confirmSchema, (v) => confirmTransfer(context.db, viewer, id, v.version, todayInShanghai()))
  return data(result, { status: result.ok ? 200 : 400 })
}

export default function TransferBatch() {
  const { transfer, items, version, fromUnit, toUnit, mayConfirm, mayHold } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t, date, dateTime } = useI18n()
  const formErrors = (intent: string) => (result && !result.ok && result.intent === intent ? result.reply.error?.[''] ?? [] : [])
  const fieldError = (intent: string, field: string) => (result && !result.ok && result.intent === intent ? (result.reply.error?.[field] ?? []).map((e) => t(e.split('|')[0] as MessageKey)).join(' ') : '')
  const busy = navigation.state === 'submitting'
  const proposed = transfer.state === 'proposed'
  const going = items.filter((i) => !i.heldBack).length
  return (
    <div className="case-page">
      <div className="page-head">
        <h1>{t('transfer.batch.title', { number: transfer.number })} <span className={`badge ${proposed ? 'warn' : 'ok'}`}>{t(`transfer.state.${transfer.state}` as MessageKey)}</span></h1>
        <div className="actions">
          {going > 0 ? <a className="button secondary" href={`/archive/transfers/${transfer.id}/list.pdf`}>{t('transfer.pdf')}</a> : null}
          {mayConfirm ? <Link className="button secondary" to="/archive/transfers">{t('transfer.batch.back')}</Link> : null}
        </div>
      </div>
      {result?.ok ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      {!proposed && transfer.confirmed_on ? <Notice kind="info">{t('transfer.batch.confirmed', { date: date(transfer.confirmed_on) })}</Notice> : null}
      <div className="case-grid">
        <div className="case-main">
          <section className="panel">
            <dl className="facts">
              <dt>{t('transfer.batch.from')}</dt><dd>{fromUnit}</dd>
              <dt>{t('transfer.batch.to')}</dt><dd>{toUnit}</dd>
              <dt>{t('transfer.batch.proposedBy')}</dt><dd>{transfer.proposedByName ?? '—'} · {dateTime(transfer.proposed_at)}</dd>
              {transfer.confirmedByName ? <><dt>{t('transfer.batch.confirmedBy')}</dt><dd>{transfer.confirmedByName}</dd></> : null}
            </dl>
          </section>
          <section className="panel">
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('transfer.batch.title', { number: transfer.number })}>
              <table className="data-table compact">
                <thead>
                  <tr>
                    <th scope="col">{t('archive.col.number')}</th><th scope="col">{t('archive.col.title')}</th><th scope="col">{t('transfer.col.year')}</th>
                    <th scope="col">{t('transfer.col.retention')}</th><th scope="col">{t('archive.col.documents')}</th><th scope="col">{t('transfer.col.pages')}</th>
                    <th scope="col">{t('archive.col.state')}</th><th scope="col">{t('transfer.col.hold')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((f) => (
                    <tr key={f.id}>
                      <td className="mono nowrap">{mayConfirm ? <Link to={`/archive/${f.id}`}>{f.archiveNumber}</Link> : f.archiveNumber}</td>
                      <td>{f.title}{f.confidential ? <span className="badge warn">{t('ledger.secrecy')}</span> : null}</td>
                      <td>{f.year}</td>
                      <td>{f.retention === 'permanent' ? t('archive.retention.permanent') : f.retention}</td>
                      <td>{f.documents}</td>
                      <td>{f.pages}</td>
                      <td><span className={`badge ${f.state === 'open' ? 'warn' : 'ok'}`}>{t(`archive.state.${f.state}` as MessageKey)}</span></td>
                      <td>
                        {f.heldBack ? t('transfer.hold.held', { reason: f.holdReason ?? '', by: f.holdApprovedBy ?? '' })
                          : proposed && mayHold && f.confidential ? (
                            <Form method="post" className="step-form">
                              <FormErrors errors={formErrors(`hold-${f.id}`)} />
                              <input type="hidden" name="intent" value="hold" />
                              <input type="hidden" name="fileId" value={f.id} />
                              <div className="field">
                                <label htmlFor={`hold-${f.id}`}>{t('transfer.hold.reason')}</label>
                                <textarea id={`hold-${f.id}`} name="reason" rows={2} maxLength={500} />
                                <p className="field-error">{fieldError(`hold-${f.id}`, 'reason')}</p>
                              </div>
                              <button type="submit" className="button secondary" disabled={busy}>{t('transfer.hold.submit')}</button>
                            </Form>
                          ) : ''}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </div>
        <aside className="case-side">
          {proposed && mayConfirm ? (
            <section className="panel">
              <h2>{t('transfer.confirm.title')}</h2>
              <Form method="post" className="step-form">
                <FormErrors errors={formErrors('confirm')} />
                <input type="hidden" name="intent" value="confirm" />
                <input type="hidden" name="version" value={version} />
                <p className="hint">{t('transfer.confirm.hint')}</p>
                <button type="submit" className="button primary" disabled={busy || going === 0}>{t('transfer.confirm.submit')}</button>
              </Form>
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  )
}

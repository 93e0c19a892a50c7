// One intercountry adoption: its six expected post-placement reports, each report received with its
// file, accepted or returned to the agency for correction.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { optionalText } from '#app/platform/text.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { can } from '#app/platform/permissions.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { isoDate } from '#app/registration/schemas.ts'
import { decideReceipt, loadIntercountry, recordReceipt } from '#app/followup/intercountry.server.ts'
import { ProcedureError } from '#app/platform/http.server.ts'
import { FormErrors, Notice, SubmitButton } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'followup.read')
  const today = todayInShanghai()
  const loaded = await orRespond(() => loadIntercountry(context.db, viewerOf(user), params.id ?? '', today, context.ip))
  return { ...loaded, today, mayWrite: can(user.roles, 'followup.write') }
}

const receiptSchema = z.object({ taskId: z.string().regex(/^\d{1,18}$/), receivedOn: isoDate })
const decideSchema = z.object({ receiptId: z.string().regex(/^\d{1,18}$/), taskVersion: z.coerce.number().int(), decision: z.enum(['accept', 'return']), reason: optionalText(500) })

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'followup.write')
  const viewer = viewerOf(user)
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const today = todayInShanghai()
  const result = intent === 'decide'
    ? await runForm(formData, `decide-${formData.get('receiptId')}`, decideSchema, (v) => decideReceipt(context.db, viewer, v.receiptId, { accept: v.decision === 'accept', reason: v.reason, taskVersion: v.taskVersion }))
    : await runForm(formData, `receive-${formData.get('taskId')}`, receiptSchema, async (v) => {
        const file = formData.get('file')
        if (!file || typeof file === 'string' || file.size === 0) throw new ProcedureError('followup.ic.fileRequired')
        await recordReceipt(context.db, context.cipher, viewer, v.taskId, { receivedOn: v.receivedOn, bytes: new Uint8Array(await file.arrayBuffer()) }, today)
      })
  return data(result, { status: result.ok ? 200 : 400 })
}

const badge: Record<string, string> = { accepted: 'ok', received: 'warn', returned: 'warn', overdue: 'outcome-fail', expected: 'muted', cancelled: 'muted' }

export default function IntercountryAdoption() {
  const { adoption: a, reports, today, mayWrite } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, date, dateTime } = useI18n()
  const errorsFor = (intent: string) => (result && !result.ok && result.intent === intent ? Object.values(result.reply.error ?? {}).flat().filter(Boolean) as string[] : [])
  return (
    <div className="case-page">
      <div className="page-head"><h1>{t('followup.ic.adoption', { number: a.registration_number })}</h1></div>
      {result?.ok ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <section className="panel">
        <dl className="facts">
          <dt>{t('followup.ic.registeredOn')}</dt><dd>{date(a.registered_on)}</dd>
          <dt>{t('followup.ic.approvedOn')}</dt><dd>{date(a.approved_on)} <span className="hint">{t(a.approved_on >= '2015-01-01' ? 'followup.ic.schedule2015' : 'followup.ic.scheduleBefore')}</span></dd>
          <dt>{t('followup.ic.childName')}</dt><dd>{a.child_name} <span className="hint">{t('followup.born', { date: date(a.child_birth_date) })}</span></dd>
          <dt>{t('followup.ic.adopters')}</dt><dd>{a.adopters}</dd>
          <dt>{t('followup.ic.country')}</dt><dd>{a.country}</dd>
          <dt>{t('followup.ic.agency')}</dt><dd>{a.agency}{a.agency_email ? <> · <a href={`mailto:${a.agency_email}`}>{a.agency_email}</a></> : null}</dd>
        </dl>
      </section>
      {reports.map((r) => {
        const pending = r.receipts.find((x) => x.outcome === 'received')
        return (
          <section className="panel" key={r.id}>
            <h2>
              {t('followup.ic.reportN', { n: r.sequence })}{' '}
              <span className={`badge ${badge[r.status]}`}>{t(`followup.ic.status.${r.status}` as MessageKey)}</span>
              <span className="aside"> {t('followup.due', { date: date(r.due_on) })} · {t('followup.window')} {date(r.window_from)} – {date(r.window_to)}</span>
            </h2>
            {r.receipts.length ? (
              <ul className="timeline">
                {r.receipts.map((x) => (
                  <li key={x.id}>
                    <span className="when">{date(x.received_on)}</span> <a href={`/followup/receipts/${x.id}`}>{t('followup.ic.file')}</a> · {t(`followup.ic.outcome.${x.outcome}` as MessageKey)}
                    {x.returned_reason ? <span className="hint"> — {x.returned_reason}</span> : null}
                    <span className="hint"> · {x.recordedBy} {dateTime(x.recorded_at)}</span>
                  </li>
                ))}
              </ul>
            ) : null}
            {mayWrite && r.status !== 'accepted' && r.status !== 'cancelled' ? (pending ? (
              <Form method="post" className="inline-form">
                <FormErrors errors={errorsFor(`decide-${pending.id}`)} />
                <input type="hidden" name="intent" value="decide" />
                <input type="hidden" name="receiptId" value={pending.id} />
                <input type="hidden" name="taskVersion" value={r.version} />
                <div className="field">
                  <label htmlFor={`reason-${pending.id}`}>{t('followup.ic.returnReason')}</label>
                  <input id={`reason-${pending.id}`} name="reason" maxLength={500} />
                </div>
                <SubmitButton name="decision" value="accept">{t('followup.ic.accept')}</SubmitButton>
                <SubmitButton name="decision" value="return" variant="secondary">{t('followup.ic.return')}</SubmitButton>
              </Form>
            ) : (
              <Form method="post" encType="multipart/form-data" className="inline-form">
                <FormErrors errors={errorsFor(`receive-${r.id}`).map((e) => e)} />
                <input type="hidden" name="intent" value="receive" />
                <input type="hidden" name="taskId" value={r.id} />
                <div className="field">
                  <label htmlFor={`received-${r.id}`}>{t('followup.ic.receivedOn')}</label>
                  <input id={`received-${r.id}`} name="receivedOn" type="date" max={today} defaultValue={today} />
                </div>
                <div className="field">
                  <label htmlFor={`file-${r.id}`}>{t('followup.ic.file')}</label>
                  <input id={`file-${r.id}`} name="file" type="file" accept="application/pdf,image/jpeg,image/png,image/tiff" />
                </div>
                <SubmitButton>{t('followup.ic.recordReceipt')}</SubmitButton>
              </Form>
            )) : null}
          </section>
        )
      })}
    </div>
  )
}

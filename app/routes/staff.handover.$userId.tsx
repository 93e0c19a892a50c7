// One staff member's hand-over: their open work by kind, one receiver for all (or one per kind), the
// reason, the confirmation. One call moves everything (app/staff/handover.server.ts).
import { getFormProps, getInputProps, getTextareaProps, useForm } from '@conform-to/react'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { text } from '#app/platform/text.ts'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { handOver, handoverPage, openWorkKinds } from '#app/staff/handover.server.ts'
import type { MessageKey } from '#app/platform/i18n/index.ts'

const kindLabel = (kind: string) => `handover.kind.${kind}` as MessageKey
import { FieldError, FormErrors, Notice, SelectField, SubmitButton } from '#app/components/forms.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'staff.handover')
  return orRespond(() => handoverPage(context.db, user.registryCode, params.userId ?? '', user))
}

const userId = z.string().regex(/^\d{1,18}$/, 'validation.chooseOne')

/** The form: one receiver for all and/or one per kind, the counts shown, the reason, the confirmation. */
function handoverSchema() {
  const perKind = Object.fromEntries(openWorkKinds.flatMap((k) => [
    [`receiver_${k.kind}`, userId.optional()],
    [`expected_${k.kind}`, z.coerce.number().int().min(0)],
  ])) as Record<string, z.ZodType<string | number | undefined>>
  return z.object({
    receiver: userId.optional(),
    reason: text(500),
    confirm: z.literal('on', { error: 'handover.confirmRequired' }),
    ...perKind,
  }).superRefine((value, ctx) => {
    const v = value as Record<string, unknown>
    const missing = openWorkKinds.some((k) => Number(v[`expected_${k.kind}`]) > 0 && !v[`receiver_${k.kind}`] && !v.receiver)
    if (missing) ctx.addIssue({ code: 'custom', path: ['receiver'], message: 'handover.receiverRequired' })
  })
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'staff.handover')
  const from = params.userId ?? ''
  let moved = 0
  const result = await runForm(await request.formData(), 'handover', handoverSchema(), async (value) => {
    const v = value as Record<string, string | number | undefined>
    const receivers = Object.fromEntries(openWorkKinds.map((k) => [k.kind, (v[`receiver_${k.kind}`] as string | undefined) ?? (v.receiver as string | undefined)]))
    const expected = Object.fromEntries(openWorkKinds.map((k) => [k.kind, Number(v[`expected_${k.kind}`] ?? 0)]))
    const done = await handOver(context.db, actorOf(user), { fromUserId: from, reason: String(v.reason), receivers, expected }, { publicUrl: context.env.PUBLIC_URL })
    moved = done.total
  })
  if (result.ok) return redirect(`/staff/handover/${from}?moved=${moved}`)
  return data(result, { status: 400 })
}

export default function HandoverUser() {
  const { user, counts, total, receivers, history, names } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, dateTime } = useI18n()
  const [form, fields] = useForm<Record<string, string>>({
    id: `handover-${user.id}`,
    lastResult: result && !result.ok ? result.reply : undefined,
    shouldValidate: 'onSubmit',
  })
  const moved = params.get('moved')
  const options = [{ value: '', label: t('handover.receiver.choose') }, ...receivers.map((r) => ({ value: r.id, label: `${r.name}（${r.username}）` }))]
  const open = counts.filter((c) => c.count > 0)
  return (
    <section className="narrow wide">
      <p className="actions"><Link to="/staff/handover">← {t('handover.back')}</Link></p>
      <h1>{t('handover.work', { name: user.name })} <span className="mono hint">{user.username}</span></h1>
      {moved ? <Notice kind="success">{t('handover.done', { count: moved })}</Notice> : null}
      <DataTable label={t('handover.work', { name: user.name })} empty={false} compact columns={[t('handover.col.kind'), t('handover.col.count')]}>
        {counts.map((c) => (
          <tr key={c.kind}><td>{t(kindLabel(c.kind))}</td><td className="num">{c.count}</td></tr>
        ))}
      </DataTable>

      {total === 0 ? <Notice kind="info">{t('handover.noWork')}</Notice>
        : receivers.length === 0 ? <Notice kind="warning">{t('handover.noReceivers')}</Notice>
        : (
          <Form method="post" className="step-form panel" {...getFormProps(form)}>
            <FormErrors errors={form.errors} />
            {counts.map((c) => <input key={c.kind} type="hidden" name={`expected_${c.kind}`} value={c.count} />)}
            <SelectField meta={fields.receiver} label="handover.receiver.all" options={options} />
            {open.length > 1 ? (
              <details open={open.some((c) => Boolean(fields[`receiver_${c.kind}`].initialValue))}>
                <summary>{t('handover.perKind')}</summary>
                {open.map((c) => {
                  const meta = fields[`receiver_${c.kind}`]
                  return (
                    <div className="field" key={c.kind}>
                      <label htmlFor={meta.id}>{t('handover.receiver.kind', { kind: t(kindLabel(c.kind)) })}（{c.count}）</label>
                      <select id={meta.id} name={meta.name} defaultValue={(meta.initialValue as string | undefined) ?? ''}>
                        <option value="">{t('handover.receiver.same')}</option>
                        {receivers.map((r) => <option key={r.id} value={r.id}>{r.name}（{r.username}）</option>)}
                      </select>
                      <FieldError id={meta.errorId} errors={meta.errors} />
                    </div>
                  )
                })}
              </details>
            ) : null}
            <div className="field">
              <label htmlFor={fields.reason.id}>{t('handover.reason')}</label>
              <p className="hint" id={`${fields.reason.id}-hint`}>{t('handover.reason.hint')}</p>
              <textarea {...getTextareaProps(fields.reason)} key={fields.reason.key} rows={2} maxLength={500} required={false} />
              <FieldError id={fields.reason.errorId} errors={fields.reason.errors} />
            </div>
            <div className="field checkbox-field">
              <label className="checkbox">
                <input {...getInputProps(fields.confirm, { type: 'checkbox' })} key={fields.confirm.key} />
                {t('handover.confirm')}
              </label>
              <FieldError id={fields.confirm.errorId} errors={fields.confirm.errors} />
            </div>
            <SubmitButton variant="danger">{t('handover.submit')}</SubmitButton>
          </Form>
        )}

      {history.length > 0 ? (
        <>
          <h2>{t('handover.history')}</h2>
          <DataTable label={t('handover.history')} empty={false} compact columns={[t('handover.col.at'), t('handover.col.by'), t('handover.col.reason'), t('handover.col.moved')]}>
            {history.map((h) => (
              <tr key={h.id}>
                <td>{dateTime(h.at)}</td>
                <td>{h.byName}</td>
                <td>{h.reason}</td>
                <td>
                  {Object.entries(h.moved).map(([kind, to]) => (
                    <div key={kind}>{t(kindLabel(kind))} · {Object.entries(to).map(([id, n]) => `${names[id] ?? `#${id}`} ${n}`).join('、')}</div>
                  ))}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </section>
  )
}

// The follow-up policy: the current version and its history, publishing a new version (new
// registrations use it), and — a separate, explicit step — applying it to the open tasks of
// existing registrations after a preview of what would change, case by case.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { currentPolicy } from '#app/followup/plans.server.ts'
import { applyReplan, policyHistory, previewReplan, publishPolicy } from '#app/followup/policies.server.ts'
import { policyFormSchema, rulesOfForm } from '#app/followup/policy-form.ts'
import { FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { PolicyRules } from '#app/followup/policy.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const preview = new URL(request.url).searchParams.get('preview') === '1'
  const [current, history] = await Promise.all([currentPolicy(context.db, user.registryCode), policyHistory(context.db, user.registryCode)])
  return { current, history, preview: preview && current.version !== null ? await previewReplan(context.db, viewerOf(user), todayInShanghai()) : null }
}

const applySchema = z.object({ policyVersion: z.coerce.number().int() })

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const viewer = viewerOf(user)
  const formData = await request.formData()
  if (formData.get('intent') === 'apply') {
    let outcome = { cases: 0, cancelled: 0, created: 0 }
    const result = await runForm(formData, 'apply', applySchema, async (v) => { outcome = await applyReplan(context.db, viewer, v.policyVersion, todayInShanghai()) })
    if (result.ok) return redirect(`/admin/followup-policy?applied=${outcome.cases}&cancelled=${outcome.cancelled}&created=${outcome.created}`)
    return data({ ...result, form: 'apply' as const }, { status: 400 })
  }
  let version = 0
  const result = await runForm(formData, 'publish', policyFormSchema, async (v) => {
    version = await publishPolicy(context.db, viewer, rulesOfForm(v), v.note ?? '', v.basedOn === undefined || v.basedOn === '' ? null : Number(v.basedOn))
  })
  if (result.ok) return redirect(`/admin/followup-policy?published=${version}`)
  return data({ ...result, form: 'publish' as const }, { status: 400 })
}

function RulesText({ rules }: { rules: PolicyRules }) {
  const { t } = useI18n()
  return (
    <>{t('followup.policy.rulesText', {
      months: rules.visitsAfterMonths.join('、'),
      then: rules.thenEveryMonths ? t('followup.policy.thenEvery', { n: rules.thenEveryMonths }) : t('followup.policy.thenNone'),
      age: rules.untilAge, window: rules.windowDays,
    })}</>
  )
}

export default function FollowupPolicy() {
  const { current, history, preview } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, date, dateTime } = useI18n()
  const [form, fields] = useForm({
    lastResult: result && !result.ok && result.form === 'publish' ? result.reply : undefined,
    defaultValue: {
      visitsAfterMonths: current.rules.visitsAfterMonths.join(', '), thenEveryMonths: current.rules.thenEveryMonths ? String(current.rules.thenEveryMonths) : '',
      untilAge: String(current.rules.untilAge), windowDays: String(current.rules.windowDays), basedOn: current.version === null ? '' : String(current.version),
    },
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: policyFormSchema }),
  })
  return (
    <section className="narrow">
      <h1>{t('followup.policy.title')}</h1>
      {params.get('published') ? <Notice kind="success">{t('followup.policy.published', { version: params.get('published')! })}</Notice> : null}
      {params.get('applied') ? <Notice kind="success">{t('followup.policy.applied', { cases: params.get('applied')!, cancelled: params.get('cancelled') ?? 0, created: params.get('created') ?? 0 })}</Notice> : null}
      <section className="panel">
        <h2>{current.version === null ? t('followup.policy.default') : t('followup.policy.current', { version: current.version })}</h2>
        <p><RulesText rules={current.rules} /></p>
        <p className="hint">{t('followup.policy.lead')}</p>
      </section>
      <section className="panel">
        <h2>{t('followup.policy.publish')}</h2>
        <Form method="post" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <input type="hidden" name={fields.basedOn.name} value={fields.basedOn.initialValue ?? ''} />
          <TextField meta={fields.visitsAfterMonths} label="followup.policy.months" hint="followup.policy.monthsHint" />
          <TextField meta={fields.thenEveryMonths as never} label="followup.policy.thenEveryMonths" hint="followup.policy.thenEveryHint" type="number" />
          <TextField meta={fields.untilAge as never} label="followup.policy.untilAge" type="number" />
          <TextField meta={fields.windowDays as never} label="followup.policy.windowDays" type="number" />
          <TextField meta={fields.note} label="followup.policy.note" hint="followup.policy.noteHint" />
          <SubmitButton>{t('followup.policy.publishSubmit')}</SubmitButton>
        </Form>
      </section>
      <section className="panel">
        <h2>{t('followup.policy.replan')}</h2>
        <p className="hint">{t('followup.policy.replanLead')}</p>
        {current.version === null ? <p className="hint">{t('followup.policy.noneToApply')}</p> : !preview ? (
          <Link className="button secondary" to="?preview=1">{t('followup.policy.preview')}</Link>
        ) : (
          <>
            <p>{t('followup.policy.previewTotals', { cases: preview.total, cancelled: preview.cancelled, created: preview.created })}</p>
            {preview.total > preview.cases.length ? <p className="hint">{t('followup.policy.previewFirst', { shown: preview.cases.length })}</p> : null}
            <DataTable label={t('followup.policy.replan')} compact empty={preview.cases.length === 0} columns={[t('followup.registration'), t('followup.policy.goes'), t('followup.policy.comes')]}>
              {preview.cases.map((c) => (
                <tr key={c.applicationId}>
                  <td className="mono">{c.registrationNumber ?? c.applicationId}</td>
                  <td>{c.goes.map((d) => date(d)).join('、') || '—'}</td>
                  <td>{c.comes.map((p) => date(p.dueOn)).join('、') || '—'}</td>
                </tr>
              ))}
            </DataTable>
            {preview.total > 0 ? (
              <Form method="post" className="actions">
                <FormErrors errors={result && !result.ok && result.form === 'apply' ? result.reply.error?.[''] ?? [] : []} />
                <input type="hidden" name="policyVersion" value={preview.policyVersion ?? ''} />
                <SubmitButton name="intent" value="apply" variant="danger">{t('followup.policy.apply', { cases: preview.total })}</SubmitButton>
                <Link to="/admin/followup-policy">{t('action.cancel')}</Link>
              </Form>
            ) : null}
          </>
        )}
      </section>
      <section className="panel">
        <h2>{t('followup.policy.history')}</h2>
        <DataTable label={t('followup.policy.history')} compact empty={history.length === 0} columns={[t('followup.policy.version'), t('followup.policy.rules'), t('followup.policy.note'), t('followup.policy.by')]}>
          {history.map((h) => (
            <tr key={h.version}>
              <td>{h.version}</td>
              <td><RulesText rules={h.rules} /></td>
              <td>{h.note}</td>
              <td>{h.createdBy ?? '—'}<div className="hint">{dateTime(h.createdAt)}</div></td>
            </tr>
          ))}
        </DataTable>
      </section>
    </section>
  )
}

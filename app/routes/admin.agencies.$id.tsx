import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { z } from 'zod'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { errorResponse, NotFoundError, orRespond } from '#app/platform/http.server.ts'
import {
  AssessorBusyError, CreditCodeTakenError, getAgency, listAssessorAccounts, NotAssessorError, setUserAgency, updateAgency,
} from '#app/assessment/agencies.server.ts'
import { agencySchema } from '#app/assessment/schemas.ts'
import { CheckboxField, FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

const editAgencySchema = agencySchema.safeExtend({ active: z.boolean().optional() })

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const agency = await orRespond(() => getAgency(context.db, user.registryCode, params.id ?? '', user))
  const accounts = await listAssessorAccounts(context.db, user.registryCode)
  return { agency, accounts }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const id = params.id ?? ''
  const actor = actorOf(user)
  const formData = await request.formData()

  if (formData.get('intent') === 'assign') {
    const userId = String(formData.get('userId') ?? '')
    const target = String(formData.get('agencyId') ?? '')
    try {
      await setUserAgency(context.db, actor, userId, target === '' ? null : target)
    } catch (error) {
      if (error instanceof NotAssessorError) return data({ status: 'error', userId, message: error.messageKey } as const, { status: 422 })
      if (error instanceof AssessorBusyError) return data({ status: 'error', userId, message: `${error.messageKey}|count=${error.count}` } as const, { status: 409 })
      if (error instanceof NotFoundError) throw errorResponse(error)
      throw error
    }
    return redirect(`/admin/agencies/${id}?assigned=${encodeURIComponent(userId)}`)
  }

  const submission = parseWithZod(formData, { schema: editAgencySchema })
  if (submission.status !== 'success') return data({ status: 'invalid', reply: submission.reply() } as const, { status: 400 })
  try {
    await orRespond(() => updateAgency(context.db, actor, id, { ...submission.value, active: submission.value.active ?? false }))
  } catch (error) {
    if (error instanceof CreditCodeTakenError) {
      return data({ status: 'invalid', reply: submission.reply({ fieldErrors: { creditCode: [error.messageKey] } }) } as const, { status: 409 })
    }
    throw error
  }
  return redirect(`/admin/agencies/${id}?saved=1`)
}

export default function EditAgency() {
  const { agency, accounts } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t } = useI18n()
  const [form, fields] = useForm({
    id: `agency-${agency.id}`,
    lastResult: result?.status === 'invalid' ? result.reply : undefined,
    defaultValue: {
      legalName: agency.legalName, creditCode: agency.creditCode, businessScope: agency.businessScope,
      contractFrom: agency.contractFrom, contractTo: agency.contractTo, dpaSignedOn: agency.dpaSignedOn ?? '',
      active: agency.active ? 'on' : undefined,
    },
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: editAgencySchema }),
  })
  const assigned = accounts.find((a) => a.id === params.get('assigned'))
  const belongsTo = (a: (typeof accounts)[number]) =>
    a.agencyId === null ? t('agencies.accounts.inHouse') : a.agencyId === agency.id ? t('agencies.accounts.thisAgency') : a.agencyName ?? ''
  return (
    <section className="narrow agency-edit">
      <p className="back-link"><Link to="/admin/agencies">← {t('agencies.backToList')}</Link></p>
      <h1>{t('agencies.editTitle', { name: agency.legalName })}</h1>
      {params.get('saved') ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      {assigned ? <Notice kind="success">{t('agencies.accounts.saved', { name: assigned.displayName })}</Notice> : null}
      {!agency.active ? <Notice kind="warning">{t('agencies.inactive')}</Notice> : null}
      {agency.active && !agency.dpaSignedOn ? <Notice kind="warning">{t('agencies.dpaHint')}</Notice> : null}

      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <TextField meta={fields.legalName} label="agencies.legalName" />
        <TextField meta={fields.creditCode} label="agencies.creditCode" />
        <TextField meta={fields.businessScope} label="agencies.businessScope" />
        <div className="form-grid">
          <TextField meta={fields.contractFrom} label="agencies.contractFrom" type="date" />
          <TextField meta={fields.contractTo} label="agencies.contractTo" type="date" />
        </div>
        <TextField meta={fields.dpaSignedOn} label="agencies.dpaSignedOn" type="date" hint="agencies.dpaHint" />
        <CheckboxField meta={fields.active} label="agencies.active" />
        <SubmitButton name="intent" value="update">{t('action.save')}</SubmitButton>
      </Form>

      <h2>{t('agencies.accounts.title')}</h2>
      <p className="hint">{t('agencies.accounts.lead')}</p>
      {result?.status === 'error' ? <FormErrors errors={[result.message]} /> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('agencies.accounts.title')}>
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col">{t('agencies.accounts.user')}</th>
              <th scope="col">{t('agencies.accounts.current')}</th>
              <th scope="col">{t('agencies.accounts.change')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.length === 0 ? (
              <tr><td colSpan={3} className="empty">{t('agencies.accounts.none')}</td></tr>
            ) : accounts.map((a) => (
              <tr key={a.id} className={result?.status === 'error' && result.userId === a.id ? 'row-error' : undefined}>
                <td>
                  {a.displayName} <span className="mono hint">{a.username}</span>
                  {!a.active ? <> <span className="badge muted">{t('users.status.inactive')}</span></> : null}
                </td>
                <td>
                  {a.agencyId === agency.id ? <span className="badge ok">{belongsTo(a)}</span> : belongsTo(a)}
                </td>
                <td>
                  <Form method="post" className="assign-form">
                    <input type="hidden" name="intent" value="assign" />
                    <select name="agencyId" defaultValue={a.agencyId ?? ''} key={`${a.id}-${a.agencyId ?? ''}`}
                      aria-label={t('agencies.accounts.selectLabel', { name: a.displayName })}>
                      <option value="">{t('agencies.accounts.inHouse')}</option>
                      <option value={agency.id}>{t('agencies.accounts.thisAgency')}</option>
                      {a.agencyId && a.agencyId !== agency.id ? <option value={a.agencyId}>{a.agencyName}</option> : null}
                    </select>
                    <SubmitButton name="userId" value={a.id} variant="secondary">{t('agencies.accounts.apply')}</SubmitButton>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

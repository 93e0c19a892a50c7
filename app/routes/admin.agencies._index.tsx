import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { createAgency, CreditCodeTakenError, listAgencies } from '#app/assessment/agencies.server.ts'
import { agencySchema } from '#app/assessment/schemas.ts'
import { todayInShanghai, toDay } from '#app/registration/deadlines.ts'
import { FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

/** How many days before its end a contract is flagged. */
const EXPIRY_WARNING_DAYS = 30

type ContractStatus = { kind: 'expired' | 'today' | 'expiring' | 'not_started' | 'current'; days: number }

function contractStatus(agency: { contractFrom: string; contractTo: string }, today: string): ContractStatus {
  const days = toDay(agency.contractTo) - toDay(today)
  if (days < 0) return { kind: 'expired', days }
  if (days === 0) return { kind: 'today', days }
  if (agency.contractFrom > today) return { kind: 'not_started', days }
  if (days <= EXPIRY_WARNING_DAYS) return { kind: 'expiring', days }
  return { kind: 'current', days }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const today = todayInShanghai()
  const agencies = await listAgencies(context.db, user.registryCode)
  return { agencies: agencies.map((a) => ({ ...a, contract: contractStatus(a, today) })) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const submission = parseWithZod(await request.formData(), { schema: agencySchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  try {
    await createAgency(context.db, actorOf(user), submission.value)
  } catch (error) {
    if (error instanceof CreditCodeTakenError) {
      return data(submission.reply({ fieldErrors: { creditCode: [error.messageKey] } }), { status: 409 })
    }
    throw error
  }
  return redirect('/admin/agencies?created=1')
}

function ContractBadge({ status }: { status: ContractStatus }) {
  const { t } = useI18n()
  switch (status.kind) {
    case 'expired': return <span className="badge danger">{t('agencies.expired')}</span>
    case 'today': return <span className="badge warn">{t('agencies.expiresToday')}</span>
    case 'expiring': return <span className="badge warn">{t('agencies.expiresIn', { days: status.days })}</span>
    case 'not_started': return <span className="badge muted">{t('agencies.notStarted')}</span>
    default: return null
  }
}

export default function Agencies() {
  const { agencies } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t, date } = useI18n()
  // A new id after each agency added, so the form starts empty again.
  const formId = `agency-new-${agencies.length}`
  const [form, fields] = useForm({
    id: formId,
    lastResult,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: agencySchema }),
  })
  return (
    <section className="agencies-page">
      <div className="page-head">
        <h1>{t('agencies.title')}</h1>
        <a className="button secondary" href="#new-agency">{t('agencies.new')}</a>
      </div>
      {params.get('created') ? <Notice kind="success">{t('agencies.created')}</Notice> : null}
      <p className="lead">{t('agencies.lead')}</p>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t('agencies.title')}>
        <table className="data-table agencies-table">
          <thead>
            <tr>
              <th scope="col">{t('agencies.legalName')}</th>
              <th scope="col">{t('agencies.creditCode')}</th>
              <th scope="col">{t('agencies.businessScope')}</th>
              <th scope="col">{t('agencies.contract')}</th>
              <th scope="col">{t('agencies.dpaSignedOn')}</th>
              <th scope="col" className="num">{t('agencies.assessors')}</th>
              <th scope="col"><span className="sr-only">{t('agencies.edit')}</span></th>
            </tr>
          </thead>
          <tbody>
            {agencies.length === 0 ? (
              <tr><td colSpan={7} className="empty">{t('agencies.none')}</td></tr>
            ) : agencies.map((a) => (
              <tr key={a.id} className={a.active ? undefined : 'inactive'}>
                <td>
                  <Link to={`/admin/agencies/${a.id}`}>{a.legalName}</Link>
                  {!a.active ? <> <span className="badge muted">{t('agencies.inactive')}</span></> : null}
                </td>
                <td className="mono nowrap">{a.creditCode}</td>
                <td className="scope">{a.businessScope}</td>
                <td>
                  <span className="nowrap">{date(a.contractFrom)}</span> – <span className="nowrap">{date(a.contractTo)}</span>
                  {a.contract.kind !== 'current' ? <div><ContractBadge status={a.contract} /></div> : null}
                </td>
                <td className="nowrap">
                  {a.dpaSignedOn ? date(a.dpaSignedOn) : <span className="badge danger">{t('agencies.dpaMissing')}</span>}
                </td>
                <td className="num">{a.assessors}</td>
                <td className="nowrap">
                  <Link className="button secondary small" to={`/admin/agencies/${a.id}`} aria-label={`${t('agencies.edit')} ${a.legalName}`}>{t('agencies.edit')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="new-agency">{t('agencies.new')}</h2>
      <Form method="post" key={formId} className="agency-form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <div className="form-grid">
          <div className="span-2"><TextField meta={fields.legalName} label="agencies.legalName" /></div>
          <TextField meta={fields.creditCode} label="agencies.creditCode" />
          <div className="span-3"><TextField meta={fields.businessScope} label="agencies.businessScope" /></div>
          <TextField meta={fields.contractFrom} label="agencies.contractFrom" type="date" />
          <TextField meta={fields.contractTo} label="agencies.contractTo" type="date" />
          <TextField meta={fields.dpaSignedOn} label="agencies.dpaSignedOn" type="date" />
        </div>
        <p className="hint dpa-hint">{t('agencies.dpaHint')}</p>
        <SubmitButton>{t('agencies.create')}</SubmitButton>
      </Form>
    </section>
  )
}

// Earlier intercountry adoptions and their expected post-placement reports; a form to record one by hand.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { z } from 'zod'
import { text } from '#app/platform/text.ts'
import { logRegisterView } from '#app/platform/record-access.server.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { can } from '#app/platform/permissions.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { isoDate } from '#app/registration/schemas.ts'
import { listIntercountry, recordIntercountry } from '#app/followup/intercountry.server.ts'
import { FormErrors, SubmitButton, TextField } from '#app/components/forms.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'followup.read')
  await logRegisterView(context.db, viewerOf(user), 'intercountry', request.url, context.ip)
  const overdue = new URL(request.url).searchParams.get('overdue') === '1'
  const today = todayInShanghai()
  return { rows: await listIntercountry(context.db, viewerOf(user), today, overdue ? 'overdue' : undefined), overdue, mayWrite: can(user.roles, 'followup.write') }
}

export const intercountrySchema = z.object({
  registrationNumber: text(60),
  registeredOn: isoDate,
  approvedOn: isoDate,
  childName: text(60),
  childBirthDate: isoDate,
  adopters: text(200),
  country: text(60),
  agency: text(200),
  agencyEmail: z.string().trim().email('validation.email').optional(),
}).superRefine((v, ctx) => {
  if (v.approvedOn > v.registeredOn) ctx.addIssue({ code: 'custom', path: ['approvedOn'], message: 'followup.ic.approvedAfterRegistered' })
  if (v.childBirthDate > v.registeredOn) ctx.addIssue({ code: 'custom', path: ['childBirthDate'], message: 'followup.ic.bornAfter' })
})

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'followup.write')
  let id = ''
  const result = await runForm(await request.formData(), 'record', intercountrySchema, async (v) => { id = await recordIntercountry(context.db, viewerOf(user), v, todayInShanghai()) })
  if (result.ok) return redirect(`/followup/intercountry/${id}`)
  return data(result, { status: 400 })
}

const badge: Record<string, string> = { accepted: 'ok', received: 'warn', returned: 'warn', overdue: 'outcome-fail', expected: 'muted', cancelled: 'muted' }

export default function Intercountry() {
  const { rows, overdue, mayWrite } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, date } = useI18n()
  const [form, fields] = useForm({
    lastResult: result && !result.ok ? result.reply : undefined,
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: intercountrySchema }),
  })
  return (
    <section>
      <div className="page-head">
        <h1>{t('followup.ic.title')}</h1>
        <div className="actions"><Link className="button secondary" to="/followup/intercountry/reports">{t('ledger.reg.placement.title')}</Link></div>
      </div>
      <p className="hint">{t('followup.ic.lead')}</p>
      <Form method="get" className="filters" role="search">
        <label className="checkbox"><input type="checkbox" name="overdue" value="1" defaultChecked={overdue} />{t('followup.ic.onlyOverdue')}</label>
        <div className="filter-actions"><button type="submit" className="button primary">{t('action.filter')}</button></div>
      </Form>
      <DataTable label={t('followup.ic.title')} empty={rows.length === 0} columns={[t('followup.registration'), t('followup.child'), t('followup.ic.adopters'), t('followup.ic.countryAgency'), t('followup.ic.reports')]}>
        {rows.map((r) => (
          <tr key={r.id}>
            <td className="nowrap"><Link to={`/followup/intercountry/${r.id}`} className="mono">{r.registration_number}</Link><div className="hint">{date(r.registered_on)}</div></td>
            <td>{r.child_name}</td>
            <td>{r.adopters}</td>
            <td>{r.country}<div className="hint">{r.agency}</div></td>
            <td>
              <ol className="report-strip">
                {r.reports.map((p) => (
                  <li key={p.id}><span className={`badge ${badge[p.status]}`} title={date(p.dueOn)}>{p.sequence} · {t(`followup.ic.status.${p.status}` as MessageKey)}</span></li>
                ))}
              </ol>
            </td>
          </tr>
        ))}
      </DataTable>
      {mayWrite ? (
        <section className="panel narrow-panel">
          <h2>{t('followup.ic.new')}</h2>
          <Form method="post" {...getFormProps(form)}>
            <FormErrors errors={form.errors} />
            <div className="grid">
              <TextField meta={fields.registrationNumber} label="followup.ic.registrationNumber" />
              <TextField meta={fields.registeredOn} label="followup.ic.registeredOn" type="date" />
              <TextField meta={fields.approvedOn} label="followup.ic.approvedOn" type="date" hint="followup.ic.approvedHint" />
              <TextField meta={fields.childName} label="followup.ic.childName" />
              <TextField meta={fields.childBirthDate} label="followup.ic.childBirthDate" type="date" />
              <TextField meta={fields.adopters} label="followup.ic.adopters" />
              <TextField meta={fields.country} label="followup.ic.country" />
              <TextField meta={fields.agency} label="followup.ic.agency" />
              <TextField meta={fields.agencyEmail} label="followup.ic.agencyEmail" type="email" />
            </div>
            <SubmitButton>{t('followup.ic.record')}</SubmitButton>
          </Form>
        </section>
      ) : null}
    </section>
  )
}

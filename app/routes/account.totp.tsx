import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import QRCode from 'qrcode'
import { z } from 'zod'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { generateTotpSecret, otpauthUri } from '#app/platform/auth/totp.server.ts'
import { getSetting } from '#app/platform/settings.server.ts'
import { checkTotp, disableTotp, enableTotp } from '#app/staff/users.server.ts'
import { FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

const stages = ['full', 'totp-enrolment'] as const
const schema = z.object({
  intent: z.enum(['enable', 'disable']),
  pending: z.string().optional(),
  code: z.string({ error: 'validation.required' }).trim().regex(/^\d{6}$/, 'auth.totp.codeFormat'),
})

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, null, [...stages])
  const required = (await getSetting(context.db, user.registryCode, 'totp_required_roles')).some((r) => user.roles.includes(r))
  if (user.totpEnabled) return { enabled: true as const, required }
  // The secret being enrolled travels in the form, encrypted and bound to this user, so the page
  // needs no server-side state and works without JavaScript.
  const secret = generateTotpSecret()
  const uri = otpauthUri(secret, user.username, 'Adoption Registry')
  const qr = await QRCode.toString(uri, { type: 'svg', margin: 1, width: 200 })
  return { enabled: false as const, required, secret, qr, pending: context.cipher.encrypt(`${user.id}:${secret}`, { table: 'users', column: 'totp_pending', row: user.id }) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, null, [...stages])
  const submission = parseWithZod(await request.formData(), { schema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const { intent, code, pending } = submission.value
  if (intent === 'enable') {
    let secret = ''
    try {
      const [owner, value] = context.cipher.decrypt(pending ?? '', { table: 'users', column: 'totp_pending', row: user.id }).split(':')
      if (owner === user.id) secret = value
    } catch {
      // a tampered or stale form: treated as a wrong code
    }
    if (!secret || !(await enableTotp(context.db, context.cipher, actorOf(user), secret, code))) {
      return data(submission.reply({ fieldErrors: { code: ['auth.totp.wrong'] } }), { status: 400 })
    }
    return redirect('/account')
  }
  const required = (await getSetting(context.db, user.registryCode, 'totp_required_roles')).some((r) => user.roles.includes(r))
  if (required) return data(submission.reply({ formErrors: ['account.totp.requiredCannotDisable'] }), { status: 400 })
  if (!(await checkTotp(context.db, context.cipher, user.id, code))) {
    return data(submission.reply({ fieldErrors: { code: ['auth.totp.wrong'] } }), { status: 400 })
  }
  await disableTotp(context.db, actorOf(user), user.id)
  return redirect('/account')
}

export default function TotpSettings() {
  const page = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useI18n()
  const [form, fields] = useForm({ lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema }) })
  return (
    <section className="narrow">
      <h1>{t('account.manageTotp')}</h1>
      {page.required && !page.enabled ? <Notice kind="warning">{t('account.totp.requiredNotice')}</Notice> : null}
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        {page.enabled ? (
          <>
            <p>{t('account.totp.enabledText')}</p>
            <input type="hidden" name="intent" value="disable" />
            <TextField meta={fields.code} label="auth.totp.code" autoComplete="one-time-code" />
            <SubmitButton variant="danger">{t('account.totp.disable')}</SubmitButton>
          </>
        ) : (
          <>
            <ol className="steps">
              <li>{t('account.totp.step1')}</li>
              <li>{t('account.totp.step2')}</li>
            </ol>
            <div className="qr" dangerouslySetInnerHTML={{ __html: page.qr }} role="img" aria-label={t('account.totp.qr')} />
            <p>{t('account.totp.secret')}: <code className="mono">{page.secret}</code></p>
            <input type="hidden" name="intent" value="enable" />
            <input type="hidden" name="pending" value={page.pending} />
            <TextField meta={fields.code} label="auth.totp.code" autoComplete="one-time-code" />
            <SubmitButton>{t('account.totp.enable')}</SubmitButton>
          </>
        )}
      </Form>
    </section>
  )
}

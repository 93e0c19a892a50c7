// The public page where a user sets a new password with the link mailed to them or the code a
// security administrator gave them (decision 026). It signs nobody in: after it, the user logs in
// with the new password (and their second factor).
import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ProcedureError } from '#app/platform/http.server.ts'
import { completePasswordReset } from '#app/staff/password-resets.server.ts'
import { passwordResetSchema } from '#app/staff/schemas.ts'
import { FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  const token = url.searchParams.get('token')
  return { token: token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : null, done: url.searchParams.get('done') === '1' }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: passwordResetSchema })
  const hide = { hideFields: ['password', 'confirm', 'code'] }
  if (submission.status !== 'success') return data(submission.reply(hide), { status: 400 })
  const v = submission.value
  const proof = v.token ? { token: v.token } : { username: v.username ?? '', code: v.code ?? '' }
  try {
    await completePasswordReset(context.db, proof, v.password, context.ip)
  } catch (error) {
    if (error instanceof ProcedureError) return data(submission.reply({ formErrors: [error.messageKey], ...hide }), { status: 422 })
    throw error
  }
  return redirect('/password/reset?done=1')
}

export default function PasswordReset() {
  const { token, done } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useI18n()
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: passwordResetSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="login-panel">
      <h1>{t('reset.title')}</h1>
      {done ? (
        <>
          <Notice kind="success">{t('reset.done')}</Notice>
          <p><Link to="/login">{t('reset.toLogin')}</Link></p>
        </>
      ) : (
        <>
          <p className="lead">{t(token ? 'reset.lead.link' : 'reset.lead.code')}</p>
          <Form method="post" {...getFormProps(form)}>
            <FormErrors errors={form.errors} />
            {token ? <input type="hidden" name="token" value={token} /> : (
              <>
                <TextField meta={fields.username} label="auth.login.username" autoComplete="username" />
                <TextField meta={fields.code} label="reset.code" autoComplete="one-time-code" />
              </>
            )}
            <TextField meta={fields.password} label="account.password.new" type="password" hint="auth.password.policy" autoComplete="new-password" />
            <TextField meta={fields.confirm} label="account.password.confirm" type="password" autoComplete="new-password" />
            <SubmitButton>{t('reset.submit')}</SubmitButton>
          </Form>
          <p><Link to="/login">{t('reset.toLogin')}</Link></p>
        </>
      )}
    </section>
  )
}

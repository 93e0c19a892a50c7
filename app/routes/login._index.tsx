import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react'
import { attemptLogin } from '#app/platform/auth/login.server.ts'
import { cookieFor, findSessionUser } from '#app/platform/guard.server.ts'
import { safeRedirectPath } from '#app/platform/http.server.ts'
import { loginSchema } from '#app/staff/schemas.ts'
import { FormErrors, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await findSessionUser(request, context)
  if (user?.secondFactorDone) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get('next')))
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: loginSchema })
  if (submission.status !== 'success') {
    return data(submission.reply({ hideFields: ['password'] }), { status: 400 })
  }
  const result = await attemptLogin(context.db, {
    username: submission.value.username,
    password: submission.value.password,
    ip: context.ip,
    userAgent: request.headers.get('user-agent'),
    registryCode: context.env.REGISTRY_CODE,
  })
  if (!result.ok) {
    const message = result.reason === 'locked' ? `auth.login.locked|minutes=${result.minutesLeft}` : 'auth.login.invalid'
    return data(submission.reply({ formErrors: [message], hideFields: ['password'] }), { status: 400 })
  }
  const next = safeRedirectPath(submission.value.next)
  const target = result.needsSecondFactor ? `/login/totp?next=${encodeURIComponent(next)}` : next
  return redirect(target, { headers: { 'Set-Cookie': await cookieFor(request, context).serialize(result.token) } })
}

export default function Login() {
  const lastResult = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t } = useI18n()
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: loginSchema }),
    shouldValidate: 'onSubmit',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="login-panel">
      <h1>{t('auth.login.title')}</h1>
      <p className="lead">{t('auth.login.lead')}</p>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="next" value={params.get('next') ?? '/'} />
        <TextField meta={fields.username} label="auth.login.username" autoComplete="username" />
        <TextField meta={fields.password} label="auth.login.password" type="password" autoComplete="current-password" />
        <SubmitButton pendingLabel="auth.login.pending">{t('auth.login.submit')}</SubmitButton>
      </Form>
      <p className="hint">{t('auth.login.help')}</p>
      <p><Link to="/guide">{t('auth.login.guide')}</Link></p>
      <p><Link to="/visit-request">{t('public.loginLink')}</Link></p>
    </section>
  )
}

import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { attemptLogin } from '#app/platform/auth/login.server.ts'
import { revokeSession } from '#app/platform/auth/sessions.server.ts'
import { hashGate } from '#app/platform/auth/throttle.server.ts'
import { isDemo } from '#app/platform/env.server.ts'
import { cookieFor, findSessionUser } from '#app/platform/guard.server.ts'
import { safeRedirectPath } from '#app/platform/http.server.ts'
import { loginSchema } from '#app/staff/schemas.ts'
import { FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await findSessionUser(request, context)
  if (user?.secondFactorDone) throw redirect(safeRedirectPath(new URL(request.url).searchParams.get('next')))
  // Demo mode relaxes the out-of-the-box second-factor requirement; the page says so while no
  // administrator has set the requirement explicitly.
  const demoRelaxed = isDemo(context.env) && (await context.db.selectFrom('settings').select('key').where('key', '=', 'totp_required_roles').executeTakeFirst()) === undefined
  return { demoRelaxed }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: loginSchema })
  if (submission.status !== 'success') {
    return data(submission.reply({ hideFields: ['password'] }), { status: 400 })
  }
  const result = await attemptLogin(
    context.db,
    {
      username: submission.value.username,
      password: submission.value.password,
      ip: context.ip,
      userAgent: request.headers.get('user-agent'),
      registryCode: context.env.REGISTRY_CODE,
    },
    { gate: hashGate(context.env.LOGIN_HASH_CONCURRENCY) },
  )
  if (!result.ok) {
    if (result.reason === 'busy') {
      return data(submission.reply({ formErrors: ['auth.login.busy'], hideFields: ['password'] }), { status: 503, headers: { 'Retry-After': '2' } })
    }
    if (result.reason === 'throttled') {
      return data(submission.reply({ formErrors: [`auth.login.throttled|seconds=${result.retryAfterSeconds}`], hideFields: ['password'] }), {
        status: 429,
        headers: { 'Retry-After': String(result.retryAfterSeconds) },
      })
    }
    return data(submission.reply({ formErrors: ['auth.login.invalid'], hideFields: ['password'] }), { status: 400 })
  }
  // A session this browser held before ends: a signed-in browser gets a new token, never a reused one.
  const earlier = await findSessionUser(request, context)
  if (earlier) await revokeSession(context.db, earlier.sessionId, 'replaced_by_login')
  const next = safeRedirectPath(submission.value.next)
  const target = result.needsSecondFactor ? `/login/totp?next=${encodeURIComponent(next)}` : next
  return redirect(target, { headers: { 'Set-Cookie': await cookieFor(request, context).serialize(result.token) } })
}

export default function Login() {
  const { demoRelaxed } = useLoaderData<typeof loader>()
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
      {params.get('secondFactor') === 'blocked' ? <Notice kind="error">{t('auth.totp.limitReached')}</Notice> : null}
      {demoRelaxed ? <Notice kind="warning">{t('auth.login.demoNoSecondFactor')}</Notice> : null}
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="next" value={params.get('next') ?? '/'} />
        <TextField meta={fields.username} label="auth.login.username" autoComplete="username" />
        <TextField meta={fields.password} label="auth.login.password" type="password" autoComplete="current-password" />
        <SubmitButton pendingLabel="auth.login.pending">{t('auth.login.submit')}</SubmitButton>
      </Form>
      <p className="hint">{t('auth.login.help')}</p>
      <p><Link to="/password/reset">{t('auth.login.resetLink')}</Link></p>
      <p><Link to="/guide">{t('auth.login.guide')}</Link></p>
      <p><Link to="/visit-request">{t('public.loginLink')}</Link></p>
    </section>
  )
}

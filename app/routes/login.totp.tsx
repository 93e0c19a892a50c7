import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { actorOf, cookieFor, requireUser } from '#app/platform/guard.server.ts'
import { completeSecondFactor, revokeSession } from '#app/platform/auth/sessions.server.ts'
import { checkSecondFactor } from '#app/platform/auth/second-factor.server.ts'
import { audit } from '#app/platform/audit.server.ts'
import { safeRedirectPath } from '#app/platform/http.server.ts'
import { totpCodeSchema } from '#app/staff/schemas.ts'
import { FormErrors, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, null, ['second-factor'])
  return { username: user.username }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, null, ['second-factor'])
  const submission = parseWithZod(await request.formData(), { schema: totpCodeSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const actor = actorOf(user)
  const result = await checkSecondFactor(context.db, context.cipher, actor, submission.value.code, { ip: context.ip })
  if (!result.ok) {
    if (result.reason === 'blocked' || result.limitReached) {
      // The limit: this sign-in ends (the check has ended every half-signed-in session of the user).
      await revokeSession(context.db, user.sessionId, 'second_factor_limit')
      return redirect('/login?secondFactor=blocked', {
        headers: { 'Set-Cookie': await cookieFor(request, context).serialize('', { maxAge: 0 }) },
      })
    }
    return data(submission.reply({ fieldErrors: { code: ['auth.totp.wrong'] } }), { status: 400 })
  }
  // A new token for the completed sign-in: the one issued after the password alone stops working.
  const fresh = await completeSecondFactor(context.db, user.sessionId)
  if (!fresh) return redirect('/login')
  await audit(context.db, { actor, action: 'auth.totp_passed', entityType: 'user', entityId: user.id, summary: { via: result.via }, ip: context.ip })
  return redirect(safeRedirectPath(new URL(request.url).searchParams.get('next')), {
    headers: { 'Set-Cookie': await cookieFor(request, context).serialize(fresh.token) },
  })
}

export default function LoginTotp() {
  const lastResult = useActionData<typeof action>()
  const { t } = useI18n()
  const [form, fields] = useForm({ lastResult, onValidate: ({ formData }) => parseWithZod(formData, { schema: totpCodeSchema }) })
  return (
    <section className="login-panel">
      <h1>{t('auth.totp.title')}</h1>
      <p className="lead">{t('auth.totp.lead')}</p>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <TextField meta={fields.code} label="auth.totp.code" autoComplete="one-time-code" />
        <SubmitButton pendingLabel="auth.login.pending">{t('auth.totp.submit')}</SubmitButton>
      </Form>
      <p className="hint">{t('auth.totp.recoveryHint')}</p>
      <Form method="post" action="/logout">
        <button type="submit" className="link-button">{t('nav.logout')}</button>
      </Form>
    </section>
  )
}

import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { changeOwnPassword, WrongPasswordError } from '#app/staff/users.server.ts'
import { changePasswordSchema } from '#app/staff/schemas.ts'
import { FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

const stages = ['full', 'password-change', 'totp-enrolment'] as const

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, null, [...stages])
  return { username: user.username, forced: user.mustChangePassword }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, null, [...stages])
  const submission = parseWithZod(await request.formData(), { schema: changePasswordSchema(user.username) })
  if (submission.status !== 'success') return data(submission.reply({ hideFields: ['current', 'password', 'confirm'] }), { status: 400 })
  try {
    await changeOwnPassword(context.db, user, submission.value.current, submission.value.password)
  } catch (error) {
    if (error instanceof WrongPasswordError) {
      return data(submission.reply({ fieldErrors: { current: ['auth.password.wrongCurrent'] }, hideFields: ['current', 'password', 'confirm'] }), { status: 400 })
    }
    throw error
  }
  return redirect('/?passwordChanged=1')
}

export default function ChangePassword() {
  const { username, forced } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useI18n()
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: changePasswordSchema(username) }),
    shouldValidate: 'onBlur',
  })
  return (
    <section className="narrow">
      <h1>{t('account.changePassword')}</h1>
      {forced ? <Notice kind="warning">{t('account.password.forced')}</Notice> : null}
      <p className="hint">{t('auth.password.policy')}</p>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <TextField meta={fields.current} label="account.password.current" type="password" autoComplete="current-password" />
        <TextField meta={fields.password} label="account.password.new" type="password" autoComplete="new-password" />
        <TextField meta={fields.confirm} label="account.password.confirm" type="password" autoComplete="new-password" />
        <SubmitButton>{t('action.save')}</SubmitButton>
      </Form>
    </section>
  )
}

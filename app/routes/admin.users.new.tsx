import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData } from '@remix-run/react'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { ProcedureError } from '#app/platform/http.server.ts'
import { createUser, unusablePassword, UsernameTakenError } from '#app/staff/users.server.ts'
import { newUserSchema } from '#app/staff/schemas.ts'
import { roles } from '#app/platform/permissions.ts'
import { CheckboxGroup, FormErrors, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, 'users.manage')
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'users.manage')
  const submission = parseWithZod(await request.formData(), { schema: newUserSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const v = submission.value
  const mail = Boolean(context.env.SMTP_URL)
  try {
    const id = await createUser(context.db, actorOf(user), {
      registryCode: user.registryCode,
      username: v.username,
      displayName: v.displayName,
      email: v.email ?? null,
      // Unusable: the first password comes by a link or a released code (decision 026).
      password: unusablePassword(),
      roles: v.roles,
      mustChangePassword: false,
      firstPassword: { mail },
    })
    return redirect(`/admin/users/${id}?created=${mail && v.email ? 'mail' : 'code'}`)
  } catch (error) {
    if (error instanceof UsernameTakenError) {
      return data(submission.reply({ fieldErrors: { username: ['users.username.taken'] } }), { status: 400 })
    }
    if (error instanceof ProcedureError) return data(submission.reply({ formErrors: [error.messageKey] }), { status: 422 })
    throw error
  }
}

export default function NewUser() {
  const lastResult = useActionData<typeof action>()
  const { t } = useI18n()
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newUserSchema }),
    shouldValidate: 'onBlur',
  })
  return (
    <section className="narrow">
      <h1>{t('users.new')}</h1>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <TextField meta={fields.username} label="users.username" hint="users.username.hint" autoComplete="off" />
        <TextField meta={fields.displayName} label="users.displayName" />
        <TextField meta={fields.email} label="users.email" type="email" />
        <CheckboxGroup meta={fields.roles} legend="users.roles" options={roles.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
        <p className="hint">{t('users.new.hint')}</p>
        <SubmitButton>{t('users.create')}</SubmitButton>
      </Form>
    </section>
  )
}

import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { ConflictError, DomainError, errorResponse, orRespond, ProcedureError } from '#app/platform/http.server.ts'
import { getUser, setActive, updateUser } from '#app/staff/users.server.ts'
import { requestPasswordReset } from '#app/staff/password-resets.server.ts'
import { pendingGrants, suspendedAdminRole } from '#app/staff/roles.server.ts'
import { editUserSchema } from '#app/staff/schemas.ts'
import { roles } from '#app/platform/permissions.ts'
import { CheckboxGroup, FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await requireUser(request, context, 'users.manage')
  const user = await orRespond(() => getUser(context.db, admin.registryCode, params.id ?? '', admin))
  const grants = await pendingGrants(context.db, admin.registryCode, user.id)
  return {
    user,
    self: user.id === admin.id,
    proposals: grants.filter((g) => g.origin !== 'migration').map((g) => g.role),
    suspended: suspendedAdminRole(grants, user.roles),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requireUser(request, context, 'users.manage')
  const id = params.id ?? ''
  const formData = await request.formData()
  const intent = formData.get('intent')
  const actor = actorOf(admin)
  if (intent === 'deactivate' || intent === 'reactivate') {
    if (id === admin.id) return data({ status: 'error', formErrors: ['users.cannotDeactivateSelf'] } as const, { status: 400 })
    try {
      await setActive(context.db, actor, id, intent === 'reactivate')
    } catch (error) {
      // Open work left (handover.deactivateBlocked): the refusal says so, and where a supervisor hands it over.
      if (error instanceof ProcedureError) {
        const params = Object.entries(error.params).map(([k, v]) => `|${k}=${v}`).join('')
        return data({ status: 'error', formErrors: [`${error.messageKey}${params}`] } as const, { status: 422 })
      }
      if (error instanceof DomainError) throw errorResponse(error)
      throw error
    }
    return redirect(`/admin/users/${id}?done=${intent}`)
  }
  if (intent === 'reset-password') {
    // No secret is shown here: a link goes to the user, or a security administrator releases a code.
    const result = await orRespond(() => requestPasswordReset(context.db, actor, id, { mail: Boolean(context.env.SMTP_URL) }))
    return { status: 'reset', channel: result.channel } as const
  }
  const submission = parseWithZod(formData, { schema: editUserSchema })
  if (submission.status !== 'success') return data({ status: 'invalid', reply: submission.reply() } as const, { status: 400 })
  try {
    await updateUser(context.db, actor, id, { ...submission.value, email: submission.value.email ?? null })
  } catch (error) {
    // A stale form is shown again with the values kept and the conflict explained.
    if (error instanceof ConflictError) {
      return data({ status: 'invalid', reply: submission.reply({ formErrors: ['error.conflict'] }) } as const, { status: 409 })
    }
    // Own roles, or roles that may not be held together: refused, the form kept.
    if (error instanceof ProcedureError) {
      return data({ status: 'invalid', reply: submission.reply({ formErrors: [error.messageKey] }) } as const, { status: 422 })
    }
    if (error instanceof DomainError) throw errorResponse(error)
    throw error
  }
  return redirect(`/admin/users/${id}?done=saved`)
}

export default function EditUser() {
  const { user, self, proposals, suspended } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t } = useI18n()
  const [form, fields] = useForm({
    id: `user-${user.id}-${user.version}`,
    lastResult: result?.status === 'invalid' ? result.reply : undefined,
    defaultValue: { intent: 'update', version: String(user.version), displayName: user.displayName, email: user.email ?? '', roles: [...user.roles, ...proposals] },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: editUserSchema }),
    shouldValidate: 'onBlur',
  })
  const done = params.get('done')
  return (
    <section className="narrow">
      <h1>{t('users.edit')}: <span className="mono">{user.username}</span></h1>
      {params.get('created') ? <Notice kind="success">{t('users.created')} {t(params.get('created') === 'mail' ? 'users.reset.mailed' : 'users.reset.code')}</Notice> : null}
      {suspended ? <Notice kind="warning">{t('roles.suspended', { role: t(`role.${suspended}` as MessageKey) })}</Notice> : null}
      {proposals.length ? (
        <Notice kind="info">{t('roles.pending', { roles: proposals.map((r) => t(`role.${r}` as MessageKey)).join(t('roles.separator')) })}</Notice>
      ) : null}
      {self ? <p className="hint">{t('roles.ownHint')}</p> : null}
      {done === 'saved' ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      {done === 'deactivate' ? <Notice kind="success">{t('users.deactivated')}</Notice> : null}
      {done === 'reactivate' ? <Notice kind="success">{t('users.reactivated')}</Notice> : null}
      {result?.status === 'reset' ? (
        <Notice kind="success">{t(result.channel === 'mail' ? 'users.reset.mailed' : 'users.reset.code')}</Notice>
      ) : null}
      {result?.status === 'error' ? <FormErrors errors={[...result.formErrors]} /> : null}
      {!user.active ? <Notice kind="warning">{t('users.status.inactive')}</Notice> : null}

      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="version" value={user.version} />
        <TextField meta={fields.displayName} label="users.displayName" />
        <TextField meta={fields.email} label="users.email" type="email" />
        <CheckboxGroup meta={fields.roles} legend="users.roles" options={roles.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
        <SubmitButton name="intent" value="update">{t('action.save')}</SubmitButton>
      </Form>

      <h2>{t('users.accountActions')}</h2>
      <div className="actions">
        <Form method="post">
          <SubmitButton name="intent" value="reset-password" variant="secondary" pendingLabel="action.saving">{t('users.reset')}</SubmitButton>
        </Form>
        {!self ? (
          <Form method="post">
            {user.active ? (
              <SubmitButton name="intent" value="deactivate" variant="danger">{t('users.deactivate')}</SubmitButton>
            ) : (
              <SubmitButton name="intent" value="reactivate" variant="secondary">{t('users.reactivate')}</SubmitButton>
            )}
          </Form>
        ) : null}
      </div>
      <p className="hint">{t('users.deactivate.hint')}</p>
    </section>
  )
}

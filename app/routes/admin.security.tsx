import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { getSetting, setTotpRequiredRoles } from '#app/platform/settings.server.ts'
import { roles } from '#app/platform/permissions.ts'
import { securitySettingsSchema } from '#app/staff/schemas.ts'
import { CheckboxGroup, FormErrors, Notice, SubmitButton } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  return { totpRequiredRoles: await getSetting(context.db, user.registryCode, 'totp_required_roles'), idleMinutes: context.env.SESSION_IDLE_MINUTES }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const submission = parseWithZod(await request.formData(), { schema: securitySettingsSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  await setTotpRequiredRoles(context.db, actorOf(user), submission.value.totpRequiredRoles)
  return redirect('/admin/security?saved=1')
}

export default function SecuritySettings() {
  const { totpRequiredRoles, idleMinutes } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t } = useI18n()
  const [form, fields] = useForm({ lastResult, defaultValue: { totpRequiredRoles } })
  return (
    <section className="narrow">
      <h1>{t('security.title')}</h1>
      {params.get('saved') ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <dl className="facts">
        <dt>{t('security.passwordPolicy')}</dt><dd>{t('auth.password.policy')}</dd>
        <dt>{t('security.lockout')}</dt><dd>{t('security.lockoutText')}</dd>
        <dt>{t('security.idle')}</dt><dd>{t('security.idleText', { minutes: idleMinutes })}</dd>
      </dl>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <CheckboxGroup meta={fields.totpRequiredRoles} legend="security.totpRequired" options={roles.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
        <p className="hint">{t('security.totpRequiredHint')}</p>
        <SubmitButton>{t('action.save')}</SubmitButton>
      </Form>
    </section>
  )
}

import { getFormProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react'
import { actorOf, requireUser } from '#app/platform/guard.server.ts'
import { registrySettings, updateRegistrySettings } from '#app/registration/registry.server.ts'
import { registrySettingsSchema } from '#app/registration/schemas.ts'
import { formatNumber } from '#app/registration/numbering.ts'
import { FormErrors, Notice, SubmitButton, TextField } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  return { settings: await registrySettings(context.db, user.registryCode), code: user.registryCode }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'settings.manage')
  const submission = parseWithZod(await request.formData(), { schema: registrySettingsSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  await updateRegistrySettings(context.db, actorOf(user), submission.value)
  return redirect('/admin/registry?saved=1')
}

export default function RegistrySettingsPage() {
  const { settings, code } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [params] = useSearchParams()
  const { t } = useI18n()
  const [form, fields] = useForm({
    lastResult,
    // Numbers travel as form text.
    defaultValue: Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, v === null ? '' : String(v)])),
    shouldValidate: 'onBlur',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: registrySettingsSchema }),
  })
  const example = (pattern: string) => formatNumber(pattern, { year: new Date().getFullYear(), prefix: settings.numberPrefix, seq: 1 })
  return (
    <section className="narrow">
      <h1>{t('registry.title')} <span className="mono hint">{code}</span></h1>
      {params.get('saved') ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <p className="hint">{t('registry.lead')}</p>
      <Form method="post" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <TextField meta={fields.name} label="registry.name" />
        <TextField meta={fields.nameEn} label="registry.nameEn" />
        <TextField meta={fields.numberPrefix} label="registry.numberPrefix" hint="registry.numberPrefix.hint" />
        <TextField meta={fields.numberPattern} label="registry.numberPattern" hint="registry.pattern.hint" />
        <p className="hint">{t('registry.example', { example: example(settings.numberPattern) })}</p>
        <TextField meta={fields.dissolutionNumberPattern} label="registry.dissolutionNumberPattern" />
        <TextField meta={fields.refusalNumberPattern} label="registry.refusalNumberPattern" />
        <TextField meta={fields.reconsiderationBody} label="registry.reconsiderationBody" />
        <TextField meta={fields.court} label="registry.court" />
        <h2>{t('registry.archive')}</h2>
        <TextField meta={fields.archiveNumberPattern} label="registry.archiveNumberPattern" hint="registry.archivePattern.hint" />
        <TextField meta={fields.archiveFilingDays as never} label="registry.archiveFilingDays" type="number" />
        <TextField meta={fields.archiveUploadMaxMb as never} label="registry.archiveUploadMaxMb" type="number" />
        <TextField meta={fields.archiveAccessDays as never} label="registry.archiveAccessDays" type="number" />
        <TextField meta={fields.archiveTransferYears as never} label="registry.archiveTransferYears" type="number" />
        <TextField meta={fields.archivesBureau} label="registry.archivesBureau" />
        <TextField meta={fields.followupEscalationDays as never} label="registry.followupEscalationDays" type="number" />
        <h2>{t('registry.import')}</h2>
        <TextField meta={fields.goLiveOn as never} label="registry.goLiveOn" type="date" hint="registry.goLiveOn.hint" />
        <SubmitButton>{t('action.save')}</SubmitButton>
      </Form>
    </section>
  )
}

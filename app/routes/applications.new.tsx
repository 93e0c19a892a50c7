import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { applicationSchema, pruneApplicationForm } from '#app/registration/schemas.ts'
import { createApplication } from '#app/registration/applications.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { ApplicationForm } from '#app/registration/components/application-form.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { townChoices, TownFieldError } from '#app/residence/towns.server.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.write')
  return { towns: await townChoices(context.db, user.registryCode) }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'case.write')
  const submission = parseWithZod(pruneApplicationForm(await request.formData()), { schema: applicationSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  try {
    const id = await createApplication(context.db, context.cipher, viewerOf(user), submission.value)
    return redirect(`/applications/${id}`)
  } catch (error) {
    // The town is checked against the registry's list on the server: refused next to its field.
    if (error instanceof TownFieldError) return data(submission.reply({ fieldErrors: { [error.field]: [error.messageKey] } }), { status: 400 })
    throw error
  }
}

export default function NewApplication() {
  const lastResult = useActionData<typeof action>()
  const { towns } = useLoaderData<typeof loader>()
  const { t } = useI18n()
  return (
    <section>
      <h1>{t('form.new.title')}</h1>
      <ApplicationForm lastResult={lastResult} submitLabel="form.create" towns={towns} defaultValue={{ relation: 'none', consentOfSupporters: 'unknown', child: { consents: 'unknown' } }} />
    </section>
  )
}

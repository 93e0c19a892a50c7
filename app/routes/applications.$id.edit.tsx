import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { ConflictError, orRespond } from '#app/platform/http.server.ts'
import { applicationSchema, pruneApplicationForm } from '#app/registration/schemas.ts'
import { loadApplication, logRead, updateApplication } from '#app/registration/applications.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { ApplicationForm, formDefaults } from '#app/registration/components/application-form.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { townChoices, TownFieldError } from '#app/residence/towns.server.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.write')
  const loaded = await orRespond(() => loadApplication(context.db, context.cipher, viewerOf(user), params.id ?? ''))
  // The form holds the full ID numbers: that is a read of them, logged as such.
  await logRead(context.db, viewerOf(user), loaded.app.id, 'edit', context.ip)
  const { app } = loaded
  return {
    id: app.id,
    version: app.version,
    towns: await townChoices(context.db, user.registryCode, app.residence_town_id),
    defaults: formDefaults({
      app: {
        relation: app.relation, placingKind: app.placing_kind, foundling: app.foundling, secrecy: app.secrecy,
        secrecyRequestedBy: app.secrecy_requested_by, deFactoSince: app.de_facto_since,
        otherParentUnknownOrMissing: app.other_parent_unknown_or_missing, otherParentDeceased: app.other_parent_deceased,
        deceasedParentsParents: app.deceased_parents_parents, consentOfSupporters: app.consent_of_supporters,
        residenceTownId: app.residence_town_id, residesAbroad: app.resides_abroad,
      },
      parties: loaded.parties,
    }),
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'case.write')
  const formData = await request.formData()
  const version = Number(formData.get('version'))
  const submission = parseWithZod(pruneApplicationForm(formData), { schema: applicationSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  let refused: TownFieldError | undefined // the town, checked on the server: shown next to its field
  try {
    await orRespond(() => updateApplication(context.db, context.cipher, viewerOf(user), params.id ?? '', version, submission.value)
      .catch((error: unknown) => { if (error instanceof TownFieldError) refused = error; else throw error }))
  } catch (error) {
    if (error instanceof Response && error.status === 409) {
      return data(submission.reply({ formErrors: [new ConflictError().messageKey] }), { status: 409 })
    }
    throw error
  }
  if (refused) return data(submission.reply({ fieldErrors: { [refused.field]: [refused.messageKey] } }), { status: 400 })
  return redirect(`/applications/${params.id}`)
}

export default function EditApplication() {
  const { defaults, version, towns } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useI18n()
  return (
    <section>
      <h1>{t('form.edit.title')}</h1>
      <ApplicationForm lastResult={lastResult} defaultValue={defaults} version={version} towns={towns} submitLabel="form.save" />
    </section>
  )
}

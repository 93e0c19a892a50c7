// Correcting an imported registration (app/import/corrections.server.ts, decision 012): the fields
// as they stand, changed ones saved with a mandatory reason, refusals next to their field; the
// adopters' town of residence with the application form's own fields and checks (decision 022).
// A registration made in the system before the town became a rule gets the residence part only.
import { getFormProps, getInputProps, getTextareaProps, useForm, type FieldMetadata } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { ConflictError, orRespond, ProcedureError } from '#app/platform/http.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { logRead } from '#app/registration/applications.server.ts'
import { correctImported, correctionFields, correctionForm, CorrectionFieldError } from '#app/import/corrections.server.ts'
import { FieldError, FormErrors, Notice, SubmitButton } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { residenceFields, withoutTownIfAbroad } from '#app/residence/schemas.ts'
import { ResidenceFields } from '#app/residence/components/residence-fields.tsx'

const schema = z.object({
  version: z.coerce.number().int(),
  reason: z.string({ error: 'import.correction.reasonRequired' }).trim().min(2, 'import.correction.reasonRequired').max(500, 'validation.tooLong|max=500'),
  ...residenceFields,
})

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.write')
  const form = await orRespond(() => correctionForm(context.db, context.cipher, viewerOf(user), params.id ?? ''))
  // A read of the registration (its parties, ID numbers masked), audited as the page's own.
  await logRead(context.db, viewerOf(user), form.id, null, context.ip)
  return form
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'case.write')
  const id = params.id ?? ''
  const formData = await request.formData()
  const pruned = new FormData()
  for (const [key, value] of formData) if (!withoutTownIfAbroad(formData, key)) pruned.append(key, value)
  const submission = parseWithZod(pruned, { schema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  // The fields as typed (an emptied field is a value too: the service decides what may be empty).
  const values = Object.fromEntries(correctionFields.flatMap((f) => {
    const v = formData.get(f)
    return typeof v === 'string' ? [[f, v.slice(0, 200)]] : []
  }))
  // The town's select is always sent by the form (empty: none chosen); a request without it leaves the town alone.
  const residence = formData.has('residenceTown') || formData.has('residesAbroad')
    ? { townId: submission.value.residenceTown ?? null, abroad: submission.value.residesAbroad }
    : undefined
  let outcome: Awaited<ReturnType<typeof correctImported>>
  try {
    outcome = await correctImported(context.db, context.cipher, viewerOf(user), id, { version: submission.value.version, reason: submission.value.reason, values, residence }, todayInShanghai())
  } catch (error) {
    if (error instanceof CorrectionFieldError) {
      const params = Object.entries(error.params).map(([k, v]) => `|${k}=${v}`).join('')
      return data(submission.reply({ fieldErrors: { [error.field]: [`${error.messageKey}${params}`] } }), { status: 400 })
    }
    if (error instanceof ProcedureError || error instanceof ConflictError) {
      return data(submission.reply({ formErrors: [error.messageKey] }), { status: error instanceof ConflictError ? 409 : 400 })
    }
    return orRespond(() => Promise.reject(error))
  }
  // Identity fields wait for a second person (decision 027): the page shows the proposal.
  return redirect(`/applications/${id}${outcome.proposal ? '#pending-correction' : '#corrections'}`)
}

const dateField = (f: string) => f.endsWith('On') || f.endsWith('BirthDate')
const recordFields = new Set<string>(['registrationNumber', 'registeredOn', 'archiveNumber'])

export default function CorrectImported() {
  const page = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const { t } = useI18n()
  const [form, fields] = useForm({
    id: `correct-${page.id}-${page.version}`,
    lastResult,
    defaultValue: {
      ...page.values, version: String(page.version), reason: '',
      residenceTown: page.residence.townId ?? '', residesAbroad: page.residence.abroad ? 'on' : undefined,
    },
    shouldValidate: 'onSubmit',
  })
  const meta = fields as unknown as Record<string, Parameters<typeof getInputProps>[0]>
  const unrecorded = !page.residence.townId && !page.residence.abroad
  const field = (f: (typeof page.fields)[number]) => {
    const m = meta[f]
    const secret = f.endsWith('IdNumber')
    return (
      <div className="field" key={f}>
        <label htmlFor={m.id}>{t(`import.field.${f}` as MessageKey)}</label>
        <input {...getInputProps(m, { type: dateField(f) ? 'date' : 'text', ariaDescribedBy: secret ? `${m.id}-hint` : undefined })} autoComplete="off" />
        {secret ? <p className="hint" id={`${m.id}-hint`}>{t('import.correction.idHint', { current: page.masked[f] ?? t('import.correction.idNone') })}</p> : null}
        <FieldError id={m.errorId} errors={m.errors} />
      </div>
    )
  }
  return (
    <section className="correction-page">
      <div className="page-head">
        <h1>{t(page.imported ? 'import.correction.title' : 'import.correction.residenceOnlyTitle')}</h1>
        <div className="actions"><Link className="button secondary" to={`/applications/${page.id}`}>{t('import.correction.back')}</Link></div>
      </div>
      {!page.imported && !page.residenceOnly ? <Notice kind="warning">{t('import.correction.systemRoute')}</Notice> : <>
        <p className="lead">{t(page.imported ? 'import.correction.lead' : 'import.correction.residenceOnlyLead')}</p>
        {page.imported ? <Notice kind={page.pending ? 'warning' : 'info'}>{t(page.pending ? 'import.correction.pendingExists' : 'import.correction.fourEyesHint')}</Notice> : null}
        <Form method="post" className="correction-form" {...getFormProps(form)}>
          <FormErrors errors={form.errors} />
          <input type="hidden" name="version" value={page.version} />
          {page.imported ? <>
            <fieldset className="section">
              <legend>{t('import.correction.section.record')}</legend>
              <div className="form-grid">{page.fields.filter((f) => recordFields.has(f)).map(field)}</div>
            </fieldset>
            <fieldset className="section">
              <legend>{t('import.correction.section.people')}</legend>
              <div className="form-grid">{page.fields.filter((f) => !recordFields.has(f)).map(field)}</div>
              <p className="hint">{t('import.correction.replanHint')}</p>
            </fieldset>
          </> : null}
          <fieldset className="section" id="residence">
            <legend>{t('import.correction.section.residence')}</legend>
            {unrecorded ? <Notice kind="info">{t('import.correction.townCurrentNone')}</Notice> : null}
            <ResidenceFields town={fields.residenceTown} abroad={fields.residesAbroad as unknown as FieldMetadata<boolean | undefined>} towns={page.towns} hint={page.imported ? 'import.correction.townHint' : undefined}
              emptyLabel={unrecorded ? t('towns.residence.none') : t('form.choose')} />
          </fieldset>
          <div className="field">
            <label htmlFor={fields.reason.id}>{t('import.correction.reason')}<span className="req" aria-hidden="true"> *</span></label>
            <textarea {...getTextareaProps(fields.reason, { ariaDescribedBy: `${fields.reason.id}-hint` })} rows={2} maxLength={500} required />
            <p className="hint" id={`${fields.reason.id}-hint`}>{t('import.correction.reasonHint')}</p>
            <FieldError id={fields.reason.errorId} errors={fields.reason.errors} />
          </div>
          <SubmitButton>{t('import.correction.submit')}</SubmitButton>
        </Form>
      </>}
    </section>
  )
}

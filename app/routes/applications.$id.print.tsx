// The reason asked before a document with full ID numbers is printed or downloaded (decision 028).
// A plain form (no JavaScript needed): the reason goes into the audit log, and the browser is sent
// on to the document with a short-lived grant for exactly this print.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { notFound, orRespond } from '#app/platform/http.server.ts'
import { loadApplication } from '#app/registration/applications.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { documentUrl, grantPrint, isPrintDocument, printOptions } from '#app/registration/print.server.ts'
import { FieldError, RequiredMark } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

function targetOf(params: URLSearchParams) {
  const document = params.get('document')
  if (!isPrintDocument(document)) notFound()
  return { document, options: printOptions(document, params) }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  const { document, options } = targetOf(new URL(request.url).searchParams)
  const loaded = await orRespond(() => loadApplication(context.db, context.cipher, viewerOf(user), params.id ?? ''))
  const mode = new URLSearchParams(options).get('mode')
  const readingQuery = new URLSearchParams(options)
  readingQuery.set('mode', 'read')
  return {
    appId: loaded.app.id, document, options, mode,
    readingCopy: documentUrl(loaded.app.id, document, readingQuery.toString()),
  }
}

const reasonSchema = z.string().trim().min(1, 'print.reasonRequired').max(1000, 'print.reasonTooLong')

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  const form = await request.formData()
  const { document, options } = targetOf(new URLSearchParams(form.has('document') ? { document: String(form.get('document')), ...Object.fromEntries(new URLSearchParams(String(form.get('options') ?? ''))) } : {}))
  const reason = reasonSchema.safeParse(String(form.get('reason') ?? ''))
  if (!reason.success) return data({ error: reason.error.issues[0].message, reason: String(form.get('reason') ?? '') }, { status: 400 })
  return orRespond(() => grantPrint(context, user, params.id ?? '', document, options, reason.data))
}

export default function PrintReason() {
  const { appId, document, options, mode, readingCopy } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t } = useI18n()
  return (
    <section className="narrow">
      <p><Link to={`/applications/${appId}`}>← {t('action.back')}</Link></p>
      <h1>{t('print.title')}</h1>
      <p>{t(`print.document.${document}` as MessageKey)}{mode ? `：${t(`print.mode.${mode}` as MessageKey)}` : ''}</p>
      <p className="hint">{t('print.lead')}</p>
      <Form method="post" reloadDocument className="step-form panel" noValidate>
        <input type="hidden" name="document" value={document} />
        <input type="hidden" name="options" value={options} />
        <div className="field">
          <label htmlFor="print-reason">{t('print.reason')}<RequiredMark /></label>
          <textarea id="print-reason" name="reason" rows={2} maxLength={1000} required defaultValue={result?.reason ?? ''}
            aria-invalid={result?.error ? true : undefined} aria-describedby="print-reason-error" />
          <FieldError id="print-reason-error" errors={result?.error ? [result.error] : undefined} />
        </div>
        <button type="submit" className="button primary">{t('print.submit')}</button>
      </Form>
      <p><a href={readingCopy}>{t('print.readingCopy')}</a></p>
    </section>
  )
}

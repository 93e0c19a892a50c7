// The reason asked before an archivist reads a document of a secrecy file (收养秘密). A plain form
// posting to the document's own address, which serves the document once the reason is logged.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { errorResponse, NotFoundError, orRespond } from '#app/platform/http.server.ts'
import { loadFile } from '#app/archive/files.server.ts'
import { READ_REASON_MAX } from '#app/archive/contents.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { Notice } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

const ERRORS: Record<string, MessageKey> = { required: 'archive.read.reasonRequired', tooLong: 'archive.read.reasonTooLong' }

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  const { file, documents } = await orRespond(() => loadFile(context.db, viewerOf(user), params.id ?? ''))
  const doc = documents.find((d) => d.id === params.documentId)
  if (!doc) throw errorResponse(new NotFoundError('document'))
  const error = ERRORS[new URL(request.url).searchParams.get('error') ?? ''] ?? null
  return { file: { id: file.id, archiveNumber: file.archive_number, title: file.title, confidential: file.confidential }, doc: { id: doc.id, title: doc.title, category: doc.category }, error }
}

export default function ReadReason() {
  const { file, doc, error } = useLoaderData<typeof loader>()
  const { t } = useI18n()
  const action = `/archive/${file.id}/documents/${doc.id}`
  return (
    <section className="narrow">
      <p className="actions"><Link to={`/archive/${file.id}`}>← {file.archiveNumber}</Link></p>
      <h1>{t('archive.read.title')}</h1>
      <dl className="facts">
        <dt>{t('archive.col.number')}</dt><dd className="mono">{file.archiveNumber}</dd>
        <dt>{t('archive.col.title')}</dt><dd>{file.title}</dd>
        <dt>{t('access.log.document')}</dt><dd>{doc.title}{t(`archive.category.${doc.category}` as MessageKey) !== doc.title ? <span className="hint"> {t(`archive.category.${doc.category}` as MessageKey)}</span> : null}</dd>
      </dl>
      {file.confidential ? <Notice kind="warning">{t('archive.read.intro')}</Notice> : null}
      <Form method="post" action={action} reloadDocument className="step-form panel">
        <div className="field">
          <label htmlFor="read-reason">{t('archive.read.reason')}<span className="req" aria-hidden="true"> *</span></label>
          <textarea id="read-reason" name="reason" rows={3} maxLength={READ_REASON_MAX} required={file.confidential} aria-invalid={error ? true : undefined} aria-describedby="read-reason-error" />
          <p className="field-error" id="read-reason-error" aria-live="polite">{error ? t(error) : ''}</p>
        </div>
        <button type="submit" className="button primary">{t('archive.read.submit')}</button>
      </Form>
    </section>
  )
}

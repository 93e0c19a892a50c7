import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { optionalText, text } from '#app/platform/text.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond, ProcedureError } from '#app/platform/http.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { addDocument, fileIt, loadFile, uploadLimitBytes } from '#app/archive/files.server.ts'
import { withUploadForm } from '#app/platform/uploads.server.ts'
import { listRequests, requestAccess } from '#app/archive/access.server.ts'
import { activeStaff } from '#app/staff/users.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { isoDate } from '#app/registration/schemas.ts'
import { FormErrors, Notice } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  const loaded = await orRespond(() => loadFile(context.db, viewerOf(user), params.id ?? ''))
  const [staff, requests] = await Promise.all([
    activeStaff(context.db, user.registryCode),
    listRequests(context.db, viewerOf(user)).then((rows) => rows.filter((r) => r.fileId === loaded.file.id)),
  ])
  return { ...loaded, staff, requests }
}

const requestSchema = z.object({
  kind: z.enum(['party', 'court', 'police', 'other'], { error: 'validation.chooseOne' }),
  name: text(100),
  unit: optionalText(100),
  idChecked: z.boolean().default(false),
  letterReference: optionalText(100),
  purpose: text(500),
  staffId: z.string({ error: 'validation.chooseOne' }).regex(/^\d{1,18}$/, 'validation.chooseOne'),
})

const uploadSchema = z.object({
  category: z.string({ error: 'validation.chooseOne' }).min(1, 'validation.chooseOne').max(40),
  title: text(200),
  author: text(100),
  docDate: isoDate,
  reason: optionalText(500),
  pages: z.coerce.number({ error: 'validation.number' }).int('validation.number').min(1, 'validation.number').max(100000).optional(),
})
const fileSchema = z.object({
  version: z.coerce.number().int(),
  location: text(100),
  retention: z.string().trim().min(1).max(40).default('permanent'),
})

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'archive.manage')
  const viewer = viewerOf(user)
  const id = params.id ?? ''
  const maxBytes = await uploadLimitBytes(context.db, user.registryCode)
  const result = await withUploadForm(request, context.db, context.cipher, { fileFields: ['upload', 'letter'], maxBytes }, async ({ formData, uploads, tooLarge }) => {
    const intent = String(formData.get('intent') ?? '')
    const tooLargeError = () => new ProcedureError('archive.upload.tooLarge', { mb: maxBytes / 1024 / 1024 })
    return intent === 'file'
      ? runForm(formData, intent, fileSchema, (v) => fileIt(context.db, viewer, id, v.version, v))
      : intent === 'request'
      ? runForm(formData, intent, requestSchema, async (v) => {
          if (tooLarge.has('letter')) throw tooLargeError()
          await requestAccess(context.db, context.cipher, viewer, id, { ...v, letter: uploads.get('letter') })
        })
      : runForm(formData, 'upload', uploadSchema, async (v) => {
          if (tooLarge.has('upload')) throw tooLargeError()
          const staged = uploads.get('upload')
          if (!staged) throw new ProcedureError('archive.upload.required')
          await addDocument(context.db, context.cipher, viewer, id, { ...v, staged, pages: v.pages })
        })
  })
  return data(result, { status: result.ok ? 200 : 400 })
}

export default function ArchiveFile() {
  const { file, documents, missing, categories, staff, requests } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const navigation = useNavigation()
  const { t, date } = useI18n()
  const formErrors = (intent: string) => (result && !result.ok && result.intent === intent ? result.reply.error?.[''] ?? [] : [])
  const fieldError = (intent: string, field: string) => (result && !result.ok && result.intent === intent ? (result.reply.error?.[field] ?? []).map((e) => t(e.split('|')[0] as MessageKey)).join(' ') : '')
  // Without JavaScript a refused form comes back as a new page: its values come from the reply.
  const valueOf = (intent: string, field: string) => {
    const initial = result && !result.ok && result.intent === intent ? (result.reply.initialValue as Record<string, unknown> | null | undefined)?.[field] : undefined
    return typeof initial === 'string' ? initial : undefined
  }
  const busy = navigation.state === 'submitting'
  return (
    <div className="case-page">
      <div className="page-head">
        <h1>{t('archive.file.title', { number: file.archive_number })} <span className={`badge ${file.state === 'open' ? 'warn' : 'ok'}`}>{t(`archive.state.${file.state}` as MessageKey)}</span></h1>
        <div className="actions">
          <a className="button secondary" href={`/archive/${file.id}/cover.pdf`}>{t('archive.file.cover')}</a>
          <Link className="button secondary" to={`/applications/${file.application_id}`}>{t('archive.file.application', { id: file.application_id })}</Link>
        </div>
      </div>
      {result?.ok ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <div className="case-grid">
        <div className="case-main">
          <section className="panel">
            <h2>{file.title}</h2>
            <dl className="facts">
              <dt>{t('archive.col.type')}</dt><dd>{t(`archive.type.${file.type}` as MessageKey)}</dd>
              <dt>{t('archive.file.retention')}</dt><dd>{file.retention === 'permanent' ? t('archive.retention.permanent') : file.retention}</dd>
              <dt>{t('archive.col.location')}</dt><dd>{file.location ?? '—'}</dd>
              <dt>{t('archive.col.due')}</dt><dd>{date(file.due_on)}</dd>
            </dl>
            {file.confidential ? <Notice kind="warning">{t('archive.file.confidential')}</Notice> : null}
            {missing.length ? <Notice kind="warning">{t('archive.file.missing', { list: missing.map((m) => t(`archive.category.${m}` as MessageKey)).join('、') })}</Notice>
              : file.state === 'open' ? <Notice kind="success">{t('archive.file.complete')}</Notice> : null}
          </section>
          <section className="panel">
            <h2>{t('archive.docs.title')}</h2>
            <div className="table-wrap" tabIndex={0} role="region" aria-label={t('archive.docs.title')}>
              <table className="data-table compact">
                <thead><tr><th scope="col">{t('archive.docs.seq')}</th><th scope="col">{t('archive.docs.name')}</th><th scope="col">{t('archive.docs.author')}</th><th scope="col">{t('archive.docs.date')}</th><th scope="col">{t('archive.docs.pages')}</th><th scope="col">{t('archive.docs.note')}</th></tr></thead>
                <tbody>
                  {documents.length === 0 ? <tr><td colSpan={6} className="empty">{t('common.noRows')}</td></tr> : documents.map((d, i) => (
                    <tr key={d.id}>
                      <td>{i + 1}</td>
                      <td>
                        <a href={file.confidential ? `/archive/${file.id}/read/${d.id}` : `/archive/${file.id}/documents/${d.id}`}>{d.title}</a>
                        <div className="hint">{t(`archive.category.${d.category}` as MessageKey)}</div>
                      </td>
                      <td>{d.author}</td>
                      <td className="nowrap">{date(d.docDate)}</td>
                      <td className="nowrap">{d.from === d.to ? d.from : `${d.from}–${d.to}`}</td>
                      <td>
                        {t(d.source === 'generated' ? 'archive.docs.generated' : 'archive.docs.scan')}
                        {d.addedReason ? <div className="hint">{t('archive.docs.added', { reason: d.addedReason })}</div> : null}
                        {d.checkOk === false ? <span className="badge outcome-fail">{t('archive.docs.checkFailed')}</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </div>
        <aside className="case-side">
          {file.state !== 'transferred' ? (
            <section className="panel">
              <h2>{t('archive.upload.title')}</h2>
              <Form method="post" encType="multipart/form-data" className="step-form" key={documents.length}>
                <FormErrors errors={formErrors('upload')} />
                <input type="hidden" name="intent" value="upload" />
                <div className="field">
                  <label htmlFor="up-category">{t('archive.upload.category')}</label>
                  <select id="up-category" name="category" defaultValue={valueOf('upload', 'category') ?? ''}>
                    <option value="">{t('form.choose')}</option>
                    {categories.map((c) => <option key={c.code} value={c.code}>{t(`archive.category.${c.code}` as MessageKey)}</option>)}
                  </select>
                  <p className="field-error">{fieldError('upload', 'category')}</p>
                </div>
                <div className="field">
                  <label htmlFor="up-title">{t('archive.upload.name')}</label>
                  <input id="up-title" name="title" maxLength={200} defaultValue={valueOf('upload', 'title')} />
                  <p className="field-error">{fieldError('upload', 'title')}</p>
                </div>
                <div className="field">
                  <label htmlFor="up-author">{t('archive.upload.author')}</label>
                  <input id="up-author" name="author" maxLength={100} defaultValue={valueOf('upload', 'author')} />
                  <p className="field-error">{fieldError('upload', 'author')}</p>
                </div>
                <div className="field">
                  <label htmlFor="up-date">{t('archive.upload.date')}</label>
                  <input id="up-date" name="docDate" type="date" defaultValue={valueOf('upload', 'docDate')} />
                  <p className="field-error">{fieldError('upload', 'docDate')}</p>
                </div>
                <div className="field">
                  <label htmlFor="up-file">{t('archive.upload.file')}</label>
                  <input id="up-file" name="upload" type="file" accept="application/pdf,image/jpeg,image/png,image/tiff" />
                </div>
                <div className="field">
                  <label htmlFor="up-pages">{t('archive.upload.pages')}</label>
                  <input id="up-pages" name="pages" type="number" min={1} inputMode="numeric" defaultValue={valueOf('upload', 'pages')} />
                  <p className="field-error">{fieldError('upload', 'pages')}</p>
                </div>
                {file.state === 'filed' ? (
                  <div className="field">
                    <label htmlFor="up-reason">{t('archive.upload.reason')}</label>
                    <textarea id="up-reason" name="reason" rows={2} maxLength={500} defaultValue={valueOf('upload', 'reason')} />
                  </div>
                ) : null}
                <button type="submit" className="button primary" disabled={busy}>{busy ? t('action.saving') : t('archive.upload.submit')}</button>
              </Form>
            </section>
          ) : null}
          <section className="panel">
            <h2>{t('access.requests')}</h2>
            {requests.length ? (
              <ul className="certificates">
                {requests.map((r) => (
                  <li key={r.id}>
                    <Link to={`/archive/requests/${r.id}`}>{t('access.log.request')} {r.id}</Link>{' '}
                    {r.requester} · {t(`access.kind.${r.kind}` as MessageKey)}{' '}
                    <span className={`badge ${r.state === 'approved' ? 'ok' : r.state === 'pending' ? 'warn' : 'muted'}`}>{t(`access.state.${r.state}` as MessageKey)}</span>
                  </li>
                ))}
              </ul>
            ) : null}
            <details className="step" open={formErrors('request').length > 0}>
              <summary>{t('access.new')}</summary>
              <Form method="post" encType="multipart/form-data" className="step-form" key={requests.length}>
                <FormErrors errors={formErrors('request')} />
                <input type="hidden" name="intent" value="request" />
                <div className="field">
                  <label htmlFor="rq-kind">{t('access.kind')}</label>
                  <select id="rq-kind" name="kind" defaultValue="">
                    <option value="">{t('form.choose')}</option>
                    {['party', 'court', 'police', 'other'].map((k) => <option key={k} value={k}>{t(`access.kind.${k}` as MessageKey)}</option>)}
                  </select>
                  <p className="field-error">{fieldError('request', 'kind')}</p>
                </div>
                <div className="field">
                  <label htmlFor="rq-name">{t('access.name')}</label>
                  <input id="rq-name" name="name" maxLength={100} />
                  <p className="field-error">{fieldError('request', 'name')}</p>
                </div>
                <div className="field">
                  <label htmlFor="rq-unit">{t('access.unit')}</label>
                  <input id="rq-unit" name="unit" maxLength={100} />
                </div>
                <label className="checkbox"><input type="checkbox" name="idChecked" />{t('access.idChecked')}</label>
                <div className="field">
                  <label htmlFor="rq-letter-ref">{t('access.letterReference')}</label>
                  <input id="rq-letter-ref" name="letterReference" maxLength={100} />
                </div>
                <div className="field">
                  <label htmlFor="rq-letter">{t('access.letter')}</label>
                  <input id="rq-letter" name="letter" type="file" accept="application/pdf,image/jpeg,image/png,image/tiff" />
                </div>
                <div className="field">
                  <label htmlFor="rq-purpose">{t('access.purpose')}</label>
                  <textarea id="rq-purpose" name="purpose" rows={2} maxLength={500} />
                  <p className="field-error">{fieldError('request', 'purpose')}</p>
                </div>
                <div className="field">
                  <label htmlFor="rq-staff">{t('access.staff')}</label>
                  <select id="rq-staff" name="staffId" defaultValue="">
                    <option value="">{t('form.choose')}</option>
                    {staff.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
                  </select>
                  <p className="field-error">{fieldError('request', 'staffId')}</p>
                </div>
                <button type="submit" className="button primary" disabled={busy}>{t('access.submit')}</button>
              </Form>
            </details>
          </section>
          {file.state === 'open' ? (
            <section className="panel">
              <h2>{t('archive.file.fileIt')}</h2>
              <Form method="post" className="step-form">
                <FormErrors errors={formErrors('file')} />
                <input type="hidden" name="intent" value="file" />
                <input type="hidden" name="version" value={file.version} />
                <div className="field">
                  <label htmlFor="file-location">{t('archive.file.location')}</label>
                  <input id="file-location" name="location" maxLength={100} defaultValue={file.location ?? ''} />
                  <p className="field-error">{fieldError('file', 'location')}</p>
                </div>
                <input type="hidden" name="retention" value="permanent" />
                <button type="submit" className="button primary" disabled={busy || missing.length > 0}>{t('archive.file.fileIt')}</button>
              </Form>
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  )
}

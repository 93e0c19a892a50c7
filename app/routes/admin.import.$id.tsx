// One import: the column mapping (saved, reused), the dry run's progress and row-by-row report,
// the import's progress and result, the download of the rows not imported. The progress refreshes
// itself with a meta refresh (works with and without JavaScript), with a link to refresh by hand.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { errorResponse, ForbiddenError, orRespond } from '#app/platform/http.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { decideApproval, loadBatch, requestApproval, startDryRun, startImport } from '#app/import/batches.server.ts'
import { can } from '#app/platform/permissions.ts'
import { fileFailures } from '#app/import/failures.ts'
import { importFields, requiredFields, type Mapping } from '#app/import/fields.ts'
import { describe, isNote, reportFilters, type ReportFilter } from '#app/import/report.ts'
import { FormErrors, Notice, SubmitButton } from '#app/components/forms.tsx'
import { DataTable } from '#app/components/data-table.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

const REFRESH_SECONDS = 3

// The importer (import.run) and the second person who approves the dry run (case.approve, decision 027).
async function importerOrApprover(request: Request, context: LoaderFunctionArgs['context']) {
  const user = await requireUser(request, context, null)
  if (!can(user.roles, 'import.run') && !can(user.roles, 'case.approve')) throw errorResponse(new ForbiddenError())
  return user
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await importerOrApprover(request, context)
  const url = new URL(request.url)
  const filterParam = url.searchParams.get('show') ?? 'problems'
  const filter: ReportFilter = (reportFilters as readonly string[]).includes(filterParam) ? (filterParam as ReportFilter) : 'problems'
  const after = /^\d{1,9}$/.test(url.searchParams.get('after') ?? '') ? Number(url.searchParams.get('after')) : null
  const loaded = await orRespond(() => loadBatch(context.db, viewerOf(user), params.id ?? '', filter, after))
  return { ...loaded, filter, after, mayImport: can(user.roles, 'import.run'), mayApprove: can(user.roles, 'case.approve'), me: user.id }
}

// The root's title and the rest kept; the refresh added while a job runs.
export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  ...matches.flatMap((m) => m.meta ?? []),
  ...(data && ['checking', 'importing'].includes(data.batch.state) ? [{ httpEquiv: 'refresh', content: String(REFRESH_SECONDS) }] : []),
]

const mappingSchema = z.object({
  version: z.coerce.number().int(),
  pastVisits: z.enum(['skip', 'not_done']).default('skip'),
  ...Object.fromEntries(importFields.map((f) => [f, z.string().max(200).optional()])),
})

const decisionSchema = z.object({
  version: z.coerce.number().int(),
  decision: z.enum(['approve', 'refuse']),
  reason: z.string().trim().max(500, 'validation.tooLong|max=500').optional(),
})

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await importerOrApprover(request, context)
  const viewer = viewerOf(user)
  const id = params.id ?? ''
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  if (intent === 'decide') {
    if (!can(user.roles, 'case.approve')) throw errorResponse(new ForbiddenError())
    const result = await runForm(formData, intent, decisionSchema, (v) => decideApproval(context.db, viewer, id, { version: v.version, decision: v.decision, reason: v.reason }))
    return data(result, { status: result.ok ? 200 : 400 })
  }
  if (!can(user.roles, 'import.run')) throw errorResponse(new ForbiddenError())
  const result = intent === 'import'
    ? await runForm(formData, intent, z.object({ version: z.coerce.number().int() }), (v) => startImport(context.db, viewer, id, v.version))
    : intent === 'request_approval'
    ? await runForm(formData, intent, z.object({ version: z.coerce.number().int() }), (v) => requestApproval(context.db, viewer, id, v.version))
    : await runForm(formData, 'check', mappingSchema, (v) => {
        const mapping: Mapping = {}
        for (const f of importFields) { const header = (v as Record<string, unknown>)[f]; if (typeof header === 'string' && header) mapping[f] = header }
        return startDryRun(context.db, viewer, id, { version: v.version, mapping, pastVisits: v.pastVisits })
      })
  return data(result, { status: result.ok ? 200 : 400 })
}

export default function ImportBatch() {
  const { batch, rows, next, mdyRows, townUnknownRows, kept, filter, people, goLive, mayImport, mayApprove, me } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, locale, date, dateTime } = useI18n()
  const formErrors = (intent: string) => (result && !result.ok && result.intent === intent ? result.reply.error?.[''] ?? [] : [])
  const busy = batch.state === 'checking' || batch.state === 'importing'
  const failureText = batch.failure
    ? t(((fileFailures as readonly string[]).includes(batch.failure) ? `import.file.${batch.failure}` : `import.failure.${batch.failure}`) as MessageKey)
    : ''
  const reported = ['checked', 'approval_requested', 'approved', 'imported'].includes(batch.state)
  const mine = batch.created_by === me || batch.approval_requested_by === me
  const sizeText = batch.size >= 1024 * 1024 ? `${(batch.size / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(batch.size / 1024))} KB`
  const percent = batch.state === 'importing' && batch.total_rows > 0 ? Math.min(100, Math.round((batch.processed_rows / batch.total_rows) * 100)) : null

  const mappingForm = (
    <Form method="post" className="step-form">
      <FormErrors errors={formErrors('check')} />
      <input type="hidden" name="intent" value="check" />
      <input type="hidden" name="version" value={batch.version} />
      <p className="hint">{t('import.mapping.hint')}</p>
      <div className="form-grid">
        {importFields.map((f) => (
          <div className="field" key={f}>
            <label htmlFor={`map-${f}`}>{t(`import.field.${f}` as MessageKey)}{requiredFields.includes(f) ? <span className="req" aria-hidden="true"> *</span> : null}</label>
            <select id={`map-${f}`} name={f} defaultValue={batch.mapping[f] ?? ''} required={requiredFields.includes(f)}>
              <option value="">{t('import.mapping.none')}</option>
              {batch.headers.map((h) => <option key={h} value={h}>{h}</option>)}
            </select>
          </div>
        ))}
      </div>
      <fieldset className="field">
        <legend>{t('import.mapping.pastVisits')}</legend>
        {(['skip', 'not_done'] as const).map((v) => (
          <label className="checkbox" key={v}>
            <input type="radio" name="pastVisits" value={v} defaultChecked={batch.past_visits === v} /> {t(`import.mapping.pastVisits.${v}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <div className="form-actions"><SubmitButton>{t('import.mapping.submit')}</SubmitButton></div>
    </Form>
  )

  return (
    <section>
      <div className="page-head">
        <h1>{t('import.batch.title', { file: batch.filename })} <span className={`badge ${batch.state === 'imported' ? 'ok' : batch.state === 'failed' ? 'outcome-fail' : 'warn'}`}>{t(`import.state.${batch.state}` as MessageKey)}</span></h1>
        <div className="actions"><Link className="button secondary" to="/admin/import">{t('import.batch.back')}</Link></div>
      </div>
      <p className="hint">{t('import.batch.meta', { format: batch.format.toUpperCase() + (batch.encoding ? ` (${batch.encoding})` : ''), size: sizeText, columns: batch.headers.length })}</p>
      {result?.ok && !busy ? <Notice kind="success">{t('common.saved')}</Notice> : null}

      {batch.state === 'failed' ? (
        <Notice kind="error">{(fileFailures as readonly string[]).includes(batch.failure ?? '')
          ? batch.failure_row !== null
            ? t('import.report.failedAtRow', { row: batch.failure_row, reason: t(`import.file.${batch.failure}` as MessageKey) })
            : t('import.report.failed', { reason: t(`import.file.${batch.failure}` as MessageKey) })
          : t('import.report.checkStopped', { reason: failureText })}</Notice>
      ) : null}
      {batch.state === 'approved' && batch.failure ? (
        <Notice kind="error">
          <p>{batch.failure_row !== null
            ? t('import.report.importStopped', { row: batch.failure_row, reason: failureText })
            : (fileFailures as readonly string[]).includes(batch.failure) ? t('import.report.failed', { reason: failureText }) : t('import.report.checkStopped', { reason: failureText })}</p>
          <p>{t('import.report.importStoppedKept', { created: kept })}</p>
        </Notice>
      ) : null}

      {busy ? (
        <div className="panel" role="status" aria-live="polite">
          <p>{batch.state === 'checking'
            ? t('import.progress.checking', { done: batch.processed_rows })
            : t('import.progress.importing', { done: batch.processed_rows, total: batch.total_rows })}</p>
          {percent !== null ? <progress max={100} value={percent} aria-label={t('import.progress.importing', { done: batch.processed_rows, total: batch.total_rows })}>{percent}%</progress> : null}
          <p className="hint">{t('import.progress.auto')} <a href={`/admin/import/${batch.id}`}>{t('import.progress.reload')}</a></p>
        </div>
      ) : null}

      {batch.state === 'mapping' || batch.state === 'failed' ? (
        <section className="panel">
          <h2>{t('import.mapping.title')}</h2>
          {mappingForm}
        </section>
      ) : null}

      {reported ? (
        <section className="panel">
          <h2>{batch.state === 'imported' ? t('import.report.resultTitle') : t('import.report.title')}</h2>
          <ul className="due-summary">
            <li>{t('import.report.total', { count: batch.total_rows })}</li>
            {batch.state === 'imported'
              ? <li><strong>{t('import.report.created', { count: batch.created_rows })}</strong></li>
              : <li><strong>{t('import.report.valid', { count: batch.valid_rows })}</strong></li>}
            <li>{t('import.report.invalid', { count: batch.invalid_rows })}</li>
            <li>{t('import.report.duplicate', { count: batch.duplicate_rows })}</li>
            <li>{t('import.report.existing', { count: batch.existing_rows })}</li>
          </ul>
          <p className="hint">{t('import.report.dates')}</p>
          {mdyRows > 0 ? <Notice kind="warning">{t('import.report.mdy', { count: mdyRows })}</Notice> : null}
          {townUnknownRows > 0 ? <Notice kind="warning">{t('import.report.townUnknown', { count: townUnknownRows })}</Notice> : null}
          {!goLive && batch.state !== 'imported' ? <Notice kind="warning">{t('import.goLive.unset')}</Notice> : goLive && batch.state !== 'imported' ? <p className="hint">{t('import.goLive.rule', { date: date(goLive) })}</p> : null}
          {batch.state === 'checked' && batch.approval_refused_at ? (
            <Notice kind="warning">{t('import.approval.refusedBy', { name: people.refusedBy ?? '', reason: batch.approval_refusal_reason ?? '' })}</Notice>
          ) : null}
          {batch.state === 'approval_requested' ? (
            <Notice kind="info">{t('import.approval.waiting', { name: people.requestedBy ?? '', at: dateTime(batch.approval_requested_at!) })}</Notice>
          ) : null}
          {batch.state === 'approved' || (batch.state === 'imported' && batch.approved_by) ? (
            <Notice kind="success">{t('import.approval.approvedBy', { name: people.approvedBy ?? '', at: dateTime(batch.approved_at!) })}</Notice>
          ) : null}
          <div className="actions">
            {/* Four eyes (decision 027): the importer asks, another person approves this dry run, then the import runs. */}
            {batch.state === 'checked' && !batch.failure && batch.valid_rows > 0 && mayImport ? (
              <Form method="post" className="inline-form">
                <FormErrors errors={formErrors('request_approval')} />
                <input type="hidden" name="intent" value="request_approval" />
                <input type="hidden" name="version" value={batch.version} />
                <SubmitButton>{t('import.approval.request', { count: batch.valid_rows })}</SubmitButton>
              </Form>
            ) : null}
            {batch.state === 'approved' && batch.valid_rows > 0 && mayImport ? (
              <Form method="post" className="inline-form">
                <FormErrors errors={formErrors('import')} />
                <input type="hidden" name="intent" value="import" />
                <input type="hidden" name="version" value={batch.version} />
                <SubmitButton>{t('import.report.import', { count: batch.valid_rows })}</SubmitButton>
              </Form>
            ) : null}
            {batch.invalid_rows + batch.duplicate_rows > 0 ? <a className="button secondary" href={`/admin/import/${batch.id}/errors.xlsx`} download>{t('import.report.errors')}</a> : null}
          </div>
          {batch.invalid_rows + batch.duplicate_rows > 0 ? <p className="hint">{t('import.report.errorsHint')}</p> : null}
          {batch.state === 'approval_requested' && mayApprove ? (
            <section className="step" aria-labelledby="approval-title">
              <h3 id="approval-title">{t('import.approval.title')}</h3>
              {mine ? <p className="hint">{t('import.approval.notYours')}</p> : <p className="hint">{t('import.approval.hint')}</p>}
              <FormErrors errors={formErrors('decide')} />
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="decide" />
                <input type="hidden" name="decision" value="approve" />
                <input type="hidden" name="version" value={batch.version} />
                <SubmitButton>{t('import.approval.approve', { count: batch.valid_rows })}</SubmitButton>
              </Form>
              <Form method="post" className="step-form">
                <input type="hidden" name="intent" value="decide" />
                <input type="hidden" name="decision" value="refuse" />
                <input type="hidden" name="version" value={batch.version} />
                <div className="field"><label htmlFor="refuse-reason">{t('import.approval.reason')}</label><input id="refuse-reason" name="reason" maxLength={500} /></div>
                <button type="submit" className="button secondary">{t('import.approval.refuse')}</button>
              </Form>
            </section>
          ) : null}
          <nav className="filters" aria-label={t('import.report.filter')}>
            {reportFilters.filter((f) => f !== 'townUnknown' || townUnknownRows > 0 || filter === f).map((f) => (
              f === filter ? <strong key={f}>{t(`import.report.filter.${f}` as MessageKey)}</strong>
                : <Link key={f} to={`?show=${f}`}>{t(`import.report.filter.${f}` as MessageKey)}</Link>
            )).reduce<React.ReactNode[]>((acc, el, i) => (i ? [...acc, ' · ', el] : [el]), [])}
          </nav>
          <DataTable
            label={t('import.report.title')}
            compact
            empty={rows.length === 0}
            columns={[t('import.report.row'), t('import.report.status'), t('import.report.number'), t('import.report.kind'), t('import.report.messages')]}
          >
            {rows.map((r) => (
              <tr key={r.row}>
                <td className="num">{r.row}</td>
                <td className="nowrap"><span className={`badge ${r.status === 'invalid' ? 'outcome-fail' : r.status === 'duplicate' ? 'warn' : 'ok'}`}>{t(`import.status.${r.status}` as MessageKey)}</span></td>
                <td>{r.applicationId ? <Link to={`/applications/${r.applicationId}`}>{r.registrationNumber}</Link> : r.registrationNumber || '—'}</td>
                <td className="nowrap">{r.kind ? t(`import.kind.${r.kind}` as MessageKey) : '—'}</td>
                <td>
                  {r.messages.filter((m) => !isNote(m)).map((m, i) => <div key={i}>{describe(locale, m, batch.mapping)}</div>)}
                  {r.messages.filter(isNote).map((m, i) => <div key={`n${i}`} className="hint">{describe(locale, m, batch.mapping)}</div>)}
                </td>
              </tr>
            ))}
          </DataTable>
          {next !== null ? <nav className="pager" aria-label={t('common.pages')}><span /><Link to={`?show=${filter}&after=${next}`}>{t('import.report.more')}</Link></nav> : null}
          {['checked', 'approval_requested', 'approved'].includes(batch.state) && mayImport ? (
            <details>
              <summary>{t('import.report.remap')}</summary>
              {batch.state !== 'checked' ? <p className="hint">{t('import.approval.remapVoids')}</p> : null}
              {mappingForm}
            </details>
          ) : null}
        </section>
      ) : null}
    </section>
  )
}

// One follow-up task: the family and the previous visit, the visit report form (draft, submit =
// sign), its versions, the supervisor's review and the assignment.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { loadTask, reportContext, reviewReport, saveReport, type ReportView } from '#app/followup/reports.server.ts'
import { assignTasks, caseworkers } from '#app/followup/assign.server.ts'
import { AUTHORITIES, CONCERN_LEVELS, MAX_PHOTOS, reportSchema, SUPPORT_NEEDS } from '#app/followup/report-rules.ts'
import { can } from '#app/platform/permissions.ts'
import { FormErrors, Notice, RequiredMark, SubmitButton } from '#app/components/forms.tsx'
import { errorSummaryItems } from '#app/components/error-summary.ts'
import { useI18n } from '#app/components/i18n.tsx'
import { TaskBadge, useAuthority } from '#app/followup/components/labels.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'followup.read')
  const viewer = viewerOf(user)
  const loaded = await orRespond(() => loadTask(context.db, context.cipher, viewer, params.id ?? ''))
  const staff = loaded.maySupervise && loaded.task.status === 'open' ? await caseworkers(context.db, user.registryCode) : []
  return { ...loaded, staff, today: todayInShanghai(), mayReadCase: can(user.roles, 'case.read') }
}

const reviewSchema = z.object({ rowVersion: z.coerce.number().int(), note: z.string().trim().max(1000).optional() })
const assignSchema = z.object({ version: z.coerce.number().int(), caseworkerId: z.string({ error: 'validation.chooseOne' }).min(1, 'validation.chooseOne') })

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'followup.read')
  const viewer = viewerOf(user)
  const id = params.id ?? ''
  const formData = await request.formData()
  const intent = String(formData.get('intent') ?? '')
  const today = todayInShanghai()
  let result
  if (intent === 'review') {
    result = await runForm(formData, 'review', reviewSchema, (v) => reviewReport(context.db, viewer, String(formData.get('reportId') ?? ''), v.rowVersion, v.note ?? ''))
  } else if (intent === 'assign') {
    result = await runForm(formData, 'assign', assignSchema, (v) => assignTasks(context.db, viewer, [{ id, version: v.version }], v.caseworkerId === 'none' ? null : v.caseworkerId))
  } else {
    if (!can(user.roles, 'followup.write')) throw new Response('Forbidden', { status: 403 })
    const submit = intent === 'submit'
    const ctx = await orRespond(() => reportContext(context.db, viewer, id))
    const schema = reportSchema({ today, windowFrom: ctx.windowFrom, windowTo: ctx.windowTo, submit }, ctx.isCorrection)
    result = await runForm(formData, 'report', schema, async (v) => {
      const photos: Uint8Array[] = []
      for (const f of formData.getAll('photos')) if (typeof f !== 'string' && f.size > 0) photos.push(new Uint8Array(await f.arrayBuffer()))
      await saveReport(context.db, context.cipher, viewer, id, { ...v, photos }, { submit, today, rowVersion: v.rowVersion })
    })
    return data({ ...result, submitted: submit }, { status: result.ok ? 200 : 400 })
  }
  return data({ ...result, submitted: false }, { status: result.ok ? 200 : 400 })
}

export default function TaskPage() {
  const { task, caseworker, family, reports, previous, mayFile, maySupervise, staff, today, mayReadCase } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, date } = useI18n()
  const latest = reports.at(-1) ?? null
  const formErrors = (intent: string) => (result && !result.ok && result.intent === intent ? result.reply.error?.[''] ?? [] : [])
  const editable = mayFile && task.kind === 'visit' && (latest === null ? task.status === 'open' : latest.status !== 'submitted')
  const isCorrection = latest !== null && (latest.status === 'reviewed' || (latest.status === 'draft' && latest.version > 1))
  return (
    <div className="case-page task-page">
      <div className="page-head">
        <h1>
          {t(`followup.kind.${task.kind}` as MessageKey)} {t('followup.sequence', { n: task.sequence })}{' '}
          <TaskBadge status={task.status} windowTo={task.window_to} today={today} />
        </h1>
        <div className="actions">
          {mayFile ? <Link className="button secondary" to="/followup">{t('followup.my.title')}</Link> : null}
          {maySupervise ? <Link className="button secondary" to="/followup/tasks">{t('followup.assign.title')}</Link> : null}
          {latest && latest.status !== 'draft' ? <a className="button secondary" href={`/followup/tasks/${task.id}/record.pdf`}>{t('followup.record.pdf')}</a> : null}
        </div>
      </div>
      {result?.ok ? <Notice kind="success">{result.submitted ? t('followup.report.submittedNotice') : result.intent === 'review' ? t('followup.review.done') : result.intent === 'assign' ? t('followup.assign.done') : t('common.saved')}</Notice> : null}
      <div className="case-grid">
        <div className="case-main">
          <section className="panel">
            <h2>{t('followup.family')}</h2>
            <dl className="facts">
              <dt>{t('followup.child')}</dt><dd>{family.child}{family.childBirthDate ? <span className="hint"> {t('followup.born', { date: date(family.childBirthDate) })}</span> : null}</dd>
              <dt>{t('followup.registration')}</dt><dd className="mono">{family.registrationNumber ?? '—'} {family.registeredOn ? <span className="hint">{date(family.registeredOn)}</span> : null}</dd>
              {family.adopters.map((a, i) => (
                <FamilyRow key={i} name={a.name} phone={a.phone} address={a.address} />
              ))}
              {family.country ? <><dt>{t('followup.ic.country')}</dt><dd>{family.country}</dd><dt>{t('followup.ic.agency')}</dt><dd>{family.agency} {family.agencyEmail ?? ''}</dd></> : null}
              <dt>{t('followup.due.label')}</dt><dd>{date(task.due_on)}</dd>
              <dt>{t('followup.window')}</dt><dd>{date(task.window_from)} – {date(task.window_to)}</dd>
              <dt>{t('followup.caseworker')}</dt><dd>{caseworker?.display_name ?? t('followup.unassigned')}</dd>
              {task.cancel_reason ? <><dt>{t('followup.cancelReason')}</dt><dd>{t(`followup.cancel.${task.cancel_reason}` as MessageKey)}</dd></> : null}
            </dl>
            {task.application_id && mayReadCase ? <Link to={`/applications/${task.application_id}`}>{t('followup.application', { id: task.application_id })}</Link> : null}
            {task.intercountry_id ? <Link to={`/followup/intercountry/${task.intercountry_id}`}>{t('followup.ic.open')}</Link> : null}
          </section>
          {previous ? (
            <section className="panel">
              <h2>{t('followup.previousTitle', { n: previous.sequence, date: date(previous.visitedOn) })}</h2>
              <ReportFacts report={previous} />
            </section>
          ) : null}
          {editable ? <ReportForm task={task} latest={latest} isCorrection={isCorrection} today={today} result={result} formErrors={formErrors('report')} /> : null}
          {reports.filter((r) => r.status !== 'draft' || !editable).slice().reverse().map((r) => (
            <section className="panel" key={r.id}>
              <h2>
                {t('followup.report.version', { n: r.version })}{' '}
                <span className={`badge ${r.status === 'reviewed' ? 'ok' : r.status === 'submitted' ? 'warn' : 'muted'}`}>{t(`followup.report.status.${r.status}` as MessageKey)}</span>
              </h2>
              <ReportFacts report={r} />
              {maySupervise && r.status === 'submitted' ? (
                <Form method="post" className="step-form">
                  <FormErrors errors={formErrors('review')} />
                  <input type="hidden" name="reportId" value={r.id} />
                  <input type="hidden" name="rowVersion" value={r.rowVersion} />
                  <div className="field">
                    <label htmlFor={`review-${r.id}`}>{t('followup.review.note')}</label>
                    <textarea id={`review-${r.id}`} name="note" rows={3} maxLength={1000} />
                  </div>
                  <SubmitButton name="intent" value="review">{t('followup.review.submit')}</SubmitButton>
                </Form>
              ) : null}
            </section>
          ))}
          {!editable && reports.length === 0 ? (
            <section className="panel">
              <h2>{t('followup.report.title')}</h2>
              <p className="hint empty-state">{task.status === 'open' ? t('followup.report.noneYet') : t('followup.report.none')}</p>
            </section>
          ) : null}
        </div>
        <aside className="case-side">
          {maySupervise && task.status === 'open' ? (
            <section className="panel">
              <h2>{t('followup.assign.one')}</h2>
              <Form method="post" className="step-form">
                <FormErrors errors={formErrors('assign')} />
                <input type="hidden" name="version" value={task.version} />
                <div className="field">
                  <label htmlFor="assign-to">{t('followup.caseworker')}</label>
                  <select id="assign-to" name="caseworkerId" defaultValue={task.caseworker_id ?? ''}>
                    <option value="">{t('form.choose')}</option>
                    <option value="none">{t('followup.unassign')}</option>
                    {staff.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
                  </select>
                </div>
                <SubmitButton name="intent" value="assign">{t('followup.assign.submit')}</SubmitButton>
              </Form>
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  )
}

function FamilyRow({ name, phone, address }: { name: string; phone: string | null; address: string | null }) {
  const { t } = useI18n()
  return (
    <>
      <dt>{t('followup.adopter')}</dt>
      <dd>
        {name}
        {phone ? <> · <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</a></> : null}
        {address ? <div>{address}</div> : null}
      </dd>
    </>
  )
}

function ReportFacts({ report: r }: { report: Omit<ReportView, 'reportedAt' | 'signedAt' | 'reviewedAt'> & { reportedAt: string | Date | null; signedAt: string | Date | null; reviewedAt: string | Date | null } }) {
  const { t, date, dateTime } = useI18n()
  const authority = useAuthority()
  return (
    <dl className="facts report-facts">
      <dt>{t('followup.report.visitedOn')}</dt><dd>{date(r.visitedOn)}{r.outsideWindowReason ? <div className="hint">{t('followup.report.outsideWindowReason')}: {r.outsideWindowReason}</div> : null}</dd>
      <dt>{t('followup.report.met')}</dt><dd className="pre">{r.met}</dd>
      <dt>{t('followup.report.dailyCare')}</dt><dd className="pre">{r.dailyCare}</dd>
      <dt>{t('followup.report.health')}</dt><dd className="pre">{r.health}</dd>
      <dt>{t('followup.report.schooling')}</dt><dd className="pre">{r.schooling}</dd>
      <dt>{t('followup.report.bonding')}</dt><dd className="pre">{r.bonding}</dd>
      <dt>{t('followup.report.support')}</dt><dd>{r.supportNeeds.length ? r.supportNeeds.map((s) => t(`followup.support.${s}` as MessageKey)).join('、') : t('common.none')}{r.referral ? <div className="pre">{t('followup.report.referral')}: {r.referral}</div> : null}</dd>
      <dt>{t('followup.report.concern')}</dt>
      <dd>
        <span className={`badge ${r.concernLevel === 'serious' ? 'outcome-fail' : r.concernLevel === 'none' ? 'ok' : 'warn'}`}>{t(`followup.concern.${r.concernLevel}` as MessageKey)}</span>
        {r.concernDetails ? <div className="pre">{r.concernDetails}</div> : null}
      </dd>
      {r.reportedTo ? <><dt>{t('followup.report.mandatory')}</dt><dd>{authority(r.reportedTo)} · {dateTime(r.reportedAt)}</dd></> : null}
      {r.photos.length ? (
        <><dt>{t('followup.report.photos')}</dt><dd className="photos">{r.photos.map((p, i) => <a key={p.id} href={`/followup/photos/${p.id}`}>{t('followup.photo', { n: i + 1 })}</a>)}</dd></>
      ) : null}
      {r.correctionReason ? <><dt>{t('followup.report.correctionReason')}</dt><dd>{r.correctionReason}</dd></> : null}
      {r.signedByName ? <><dt>{t('followup.report.signed')}</dt><dd>{r.signedByName} · {dateTime(r.signedAt)}</dd></> : null}
      {r.reviewedByName ? <><dt>{t('followup.report.reviewed')}</dt><dd>{r.reviewedByName} · {dateTime(r.reviewedAt)}{r.reviewNote ? <div className="pre">{r.reviewNote}</div> : null}</dd></> : null}
    </dl>
  )
}

type Values = Record<string, string | string[] | undefined>

/** The report form's fields in the order they show, for the error summary's links. */
const REPORT_FIELDS: [string, MessageKey][] = [
  ['correctionReason', 'followup.report.correctionReason'], ['visitedOn', 'followup.report.visitedOn'],
  ['outsideWindowReason', 'followup.report.outsideWindowReason'], ['met', 'followup.report.met'], ['dailyCare', 'followup.report.dailyCare'],
  ['health', 'followup.report.health'], ['schooling', 'followup.report.schooling'], ['bonding', 'followup.report.bonding'],
  ['supportNeeds', 'followup.report.support'], ['referral', 'followup.report.referral'], ['concernLevel', 'followup.report.concern'],
  ['concernDetails', 'followup.report.concernDetails'], ['reportedTo', 'followup.report.reportedTo'],
  ['reportedToOther', 'followup.report.reportedToOther'], ['reportedAt', 'followup.report.reportedAt'],
]

function ReportForm({ task, latest, isCorrection, today, result, formErrors }: {
  task: { id: string; window_from: string; window_to: string }
  latest: (Omit<ReportView, 'reportedAt' | 'signedAt' | 'reviewedAt'> & { reportedAt: string | Date | null }) | null
  isCorrection: boolean
  today: string
  result: { intent: string; ok: boolean; reply?: { initialValue?: unknown; error?: Record<string, string[] | null> | null } } | undefined
  formErrors: string[]
}) {
  const { t, tError, date } = useI18n()
  const failed = result && !result.ok && result.intent === 'report' ? result.reply : null
  const fromLatest: Values = latest ? {
    visitedOn: latest.visitedOn, outsideWindowReason: latest.outsideWindowReason ?? '', met: latest.met, dailyCare: latest.dailyCare, health: latest.health,
    schooling: latest.schooling, bonding: latest.bonding, supportNeeds: latest.supportNeeds, referral: latest.referral ?? '', concernLevel: latest.concernLevel,
    concernDetails: latest.concernDetails ?? '',
    reportedTo: latest.reportedTo ? (latest.reportedTo.startsWith('other:') ? 'other' : latest.reportedTo) : '',
    reportedToOther: latest.reportedTo?.startsWith('other:') ? latest.reportedTo.slice(6) : '',
    reportedAt: latest.reportedAt ? shanghaiLocal(latest.reportedAt) : '',
    correctionReason: latest.status === 'draft' ? latest.correctionReason ?? '' : '',
  } : { visitedOn: today, concernLevel: 'none', supportNeeds: [] }
  const v: Values = failed ? (failed.initialValue as Values) ?? {} : fromLatest
  const err = (field: string) => {
    const e = failed?.error?.[field]
    return e?.length ? tError(e[0]) : ''
  }
  const val = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '')
  const needs = new Set(Array.isArray(v.supportNeeds) ? v.supportNeeds : v.supportNeeds ? [v.supportNeeds] : [])
  const text = (name: string, label: MessageKey, rows = 3, max = 2000, hint?: MessageKey, required = false) => (
    <div className="field">
      <label htmlFor={`r-${name}`}>{t(label)}{required ? <RequiredMark /> : null}</label>
      {hint ? <p className="hint" id={`r-${name}-hint`}>{t(hint)}</p> : null}
      <textarea id={`r-${name}`} name={name} rows={rows} maxLength={max} defaultValue={val(name)} aria-invalid={err(name) ? true : undefined} aria-required={required || undefined}
        aria-describedby={[hint ? `r-${name}-hint` : '', `r-${name}-error`].filter(Boolean).join(' ')} />
      <p className="field-error" id={`r-${name}-error`} aria-live="polite">{err(name)}</p>
    </div>
  )
  return (
    <section className="panel report-form">
      <h2>{isCorrection ? t('followup.report.correctionTitle') : t('followup.report.title')}</h2>
      <p className="hint">{t('followup.report.windowHint', { from: date(task.window_from), to: date(task.window_to) })}</p>
      <Form method="post" encType="multipart/form-data" key={JSON.stringify(result ?? null)} noValidate>
        <FormErrors errors={formErrors} fields={errorSummaryItems(failed?.error, REPORT_FIELDS.map(([name, label]) => ({ name, id: `r-${name}`, label: t(label) })))} />
        <p className="hint required-note">{t('form.requiredNote')}</p>
        {latest?.status === 'draft' ? <input type="hidden" name="rowVersion" value={latest.rowVersion} /> : null}
        {isCorrection ? text('correctionReason', 'followup.report.correctionReason', 2, 500, undefined, true) : null}
        <div className="field">
          <label htmlFor="r-visitedOn">{t('followup.report.visitedOn')}<RequiredMark /></label>
          <input id="r-visitedOn" name="visitedOn" type="date" max={today} defaultValue={val('visitedOn')} aria-required aria-invalid={err('visitedOn') ? true : undefined} aria-describedby="r-visitedOn-error" />
          <p className="field-error" id="r-visitedOn-error" aria-live="polite">{err('visitedOn')}</p>
        </div>
        {text('outsideWindowReason', 'followup.report.outsideWindowReason', 2, 500, 'followup.report.outsideWindowHint')}
        {text('met', 'followup.report.met', 2, 500, 'followup.report.metHint', true)}
        {text('dailyCare', 'followup.report.dailyCare', 3, 2000, undefined, true)}
        {text('health', 'followup.report.health', 3, 2000, undefined, true)}
        {text('schooling', 'followup.report.schooling', 3, 2000, undefined, true)}
        {text('bonding', 'followup.report.bonding', 3, 2000, undefined, true)}
        <fieldset className="field checkbox-group" id="r-supportNeeds">
          <legend>{t('followup.report.support')}</legend>
          {SUPPORT_NEEDS.map((s) => (
            <label key={s} className="checkbox tap"><input type="checkbox" name="supportNeeds" value={s} defaultChecked={needs.has(s)} />{t(`followup.support.${s}` as MessageKey)}</label>
          ))}
        </fieldset>
        {text('referral', 'followup.report.referral', 2, 1000, 'followup.report.referralHint')}
        <fieldset className="field radio-group" id="r-concernLevel" aria-describedby="r-concernLevel-error">
          <legend>{t('followup.report.concern')}<RequiredMark /></legend>
          {CONCERN_LEVELS.map((c) => (
            <label key={c} className="checkbox tap"><input type="radio" name="concernLevel" value={c} defaultChecked={val('concernLevel') === c} />{t(`followup.concern.${c}` as MessageKey)}</label>
          ))}
          <p className="field-error" id="r-concernLevel-error" aria-live="polite">{err('concernLevel')}</p>
        </fieldset>
        {text('concernDetails', 'followup.report.concernDetails', 3, 2000, 'followup.report.concernHint')}
        <fieldset className="field mandatory">
          <legend>{t('followup.report.mandatory')}</legend>
          <p className="hint">{t('followup.report.mandatoryHint')}</p>
          <div className="field">
            <label htmlFor="r-reportedTo">{t('followup.report.reportedTo')}</label>
            <select id="r-reportedTo" name="reportedTo" defaultValue={val('reportedTo')} aria-describedby="r-reportedTo-error">
              <option value="">{t('form.choose')}</option>
              {AUTHORITIES.map((a) => <option key={a} value={a}>{t(`followup.authority.${a}` as MessageKey)}</option>)}
            </select>
            <p className="field-error" id="r-reportedTo-error" aria-live="polite">{err('reportedTo')}</p>
          </div>
          <div className="field">
            <label htmlFor="r-reportedToOther">{t('followup.report.reportedToOther')}</label>
            <input id="r-reportedToOther" name="reportedToOther" maxLength={100} defaultValue={val('reportedToOther')} aria-describedby="r-reportedToOther-error" />
            <p className="field-error" id="r-reportedToOther-error" aria-live="polite">{err('reportedToOther')}</p>
          </div>
          <div className="field">
            <label htmlFor="r-reportedAt">{t('followup.report.reportedAt')}</label>
            <input id="r-reportedAt" name="reportedAt" type="datetime-local" defaultValue={val('reportedAt')} aria-describedby="r-reportedAt-error" />
            <p className="field-error" id="r-reportedAt-error" aria-live="polite">{err('reportedAt')}</p>
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="r-photos">{t('followup.report.addPhotos', { max: MAX_PHOTOS })}</label>
          <input id="r-photos" name="photos" type="file" multiple accept="image/jpeg,image/png" />
          {latest?.photos.length ? <p className="hint">{t('followup.report.photosKept', { count: latest.photos.length })}</p> : null}
        </div>
        <div className="form-actions actions">
          <SubmitButton name="intent" value="save" variant="secondary">{t('followup.report.saveDraft')}</SubmitButton>
          <SubmitButton name="intent" value="submit">{t('followup.report.submit')}</SubmitButton>
        </div>
        <p className="hint">{t('followup.report.submitHint')}</p>
      </Form>
    </section>
  )
}

function shanghaiLocal(at: string | Date): string {
  const d = new Date(new Date(at).getTime() + 8 * 3_600_000)
  return d.toISOString().slice(0, 16)
}

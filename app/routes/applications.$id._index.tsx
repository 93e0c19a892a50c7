import { data, redirect, type ActionFunctionArgs, type AppLoadContext, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { requireUser, type CurrentUser } from '#app/platform/guard.server.ts'
import { can } from '#app/platform/permissions.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { commissionSchema } from '#app/assessment/schemas.ts'
import { commissionAssessment } from '#app/assessment/assessments.server.ts'
import { assessorViewer } from '#app/assessment/page.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { requestLocale } from '#app/platform/i18n/locale.server.ts'
import { applicationAction, applicationPage, type ApplicationPage } from '#app/registration/page.server.ts'
import { assessmentOfApplication, commissionOptions } from '#app/assessment/assessments.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { DueLabel, StateBadge } from '#app/registration/components/state.tsx'
import { FormErrors, Notice } from '#app/components/forms.tsx'
import { ApproveOrRefuseForms } from '#app/components/decision-forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import { refusalGrounds } from '#db/schema.ts'
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { correctionHistory, decideCorrection, pendingCorrection } from '#app/import/corrections.server.ts'
import { CorrectionsHistory, PendingCorrectionPanel } from '#app/import/components/corrections.tsx'
import { viewerOf } from '#app/registration/page.server.ts'
import { z } from 'zod'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  const locale = await requestLocale(request, user.locale)
  const today = todayInShanghai()
  const page = await orRespond(() => applicationPage(context, user, params.id ?? '', locale, today, null))
  // The assessment capability, composed here: the application's assessment, and what a registrar
  // chooses from to commission one.
  const assessment = await assessmentOfApplication(context.db, page.app.id)
  const commission = page.assessable && !assessment ? await commissionOptions(context.db, user.registryCode, today) : null
  // Corrections (app/import): of imported registrations, and the town recorded later on one made
  // before the town was a rule; who may make one.
  const corrections = await correctionHistory(context.db, context.cipher, page.app.id)
  // A correction of identity fields waits for a second person (decision 027).
  const pending = page.app.imported ? await pendingCorrection(context.db, context.cipher, page.app.id) : null
  return { ...page, assessment: assessment ?? null, commission, corrections, pending, me: user.id, mayCorrect: page.app.imported && can(user.roles, 'case.write'),
    mayRecordTown: (page.app.imported || page.app.recordedBeforeTownRule) && can(user.roles, 'case.write') }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  const formData = await request.formData()
  if (formData.get('intent') === 'commission') return commission(context, user, params.id ?? '', formData)
  if (formData.get('intent') === 'decide_correction') return decideCorrectionForm(context, user, formData)
  const result = await orRespond(async () => applicationAction(context, user, params.id ?? '', formData, todayInShanghai()))
  if (result.ok && result.reveal) {
    // Full ID numbers are shown in this one response, after the reason was logged.
    const locale = await requestLocale(request, user.locale)
    return { ...result, page: await applicationPage(context, user, params.id ?? '', locale, todayInShanghai(), result.reveal) }
  }
  return data({ ...result, page: null }, { status: result.ok ? 200 : 400 })
}

const correctionDecision = z.object({
  proposal: z.string().regex(/^\d{1,18}$/),
  version: z.coerce.number().int(),
  decision: z.enum(['approve', 'refuse']),
  note: z.string().trim().max(500, 'validation.tooLong|max=500').optional(),
})

/** The second person's decision on a proposed correction (app/import, decision 027). */
async function decideCorrectionForm(context: AppLoadContext, user: CurrentUser, formData: FormData) {
  if (!can(user.roles, 'case.approve')) throw new Response('error.forbidden', { status: 403 })
  const result = await runForm(formData, 'decide_correction', correctionDecision, (v) =>
    decideCorrection(context.db, context.cipher, viewerOf(user), v.proposal, { version: v.version, decision: v.decision, note: v.note }, todayInShanghai()))
  return data({ ...result, reveal: undefined as string | undefined, page: null }, { status: result.ok ? 200 : 400 })
}

/** Commissioning the assessment: created by the assessment capability, which pauses this application in the same transaction. */
async function commission(context: AppLoadContext, user: CurrentUser, id: string, formData: FormData) {
  if (!can(user.roles, 'case.write')) throw new Response('error.forbidden', { status: 403 })
  const result = await runForm(formData, 'commission', commissionSchema, async (v) =>
    commissionAssessment(context.db, await assessorViewer(context, user), id, v, todayInShanghai()))
  return result.ok ? redirect(`/applications/${id}`) : data({ ...result, page: null }, { status: 400 })
}

export default function ApplicationView() {
  const loaded = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const page: ApplicationPage = (result?.page as ApplicationPage | null) ?? loaded
  const { assessment, commission, corrections, mayCorrect, mayRecordTown, pending, me } = loaded
  const { t, date, dateTime } = useI18n()
  const { app } = page
  const errorsFor = (intent: string) => (result && !result.ok && result.intent === intent ? result.reply?.error?.[''] ?? [] : [])
  const fieldErrors = (intent: string, field: string) => (result && !result.ok && result.intent === intent ? result.reply?.error?.[field] ?? [] : [])
  // A refused form comes back with what was sent (a file cannot be: the browser asks for it again).
  const sentValue = (intent: string, field: string) => {
    const value = result && !result.ok && result.intent === intent ? (result.reply?.initialValue as Record<string, unknown> | null | undefined)?.[field] : undefined
    return typeof value === 'string' ? value : undefined
  }
  return (
    <div className="case-page">
      <div className="page-head">
        <h1>
          {t('app.title', { id: app.id })} <StateBadge state={app.state} />
        </h1>
        <div className="actions">
          {page.canEditFacts ? <Link className="button secondary" to="edit">{t('app.edit')}</Link> : null}
          {app.decision ? <Link className="button secondary" to="approval">{t('app.approvalForm')}</Link> : null}
          {mayCorrect ? <Link className="button secondary" to="correct">{t('import.correction.link')}</Link> : null}
        </div>
      </div>
      {result?.ok && !result.reveal ? <Notice kind="success">{t('step.done', { step: t(`event.${result.intent}` as MessageKey) })}</Notice> : null}
      <div className="case-grid">
        <div className="case-main">
          <Panel title={t('app.summary')}>
            <dl className="facts">
              <dt>{t('app.state')}</dt><dd><StateBadge state={app.state} /> {app.registrationNumber ? <strong className="mono">{app.registrationNumber}</strong> : null}</dd>
              <dt>{t('app.kind')}</dt><dd>{t(`relation.${app.relation}` as MessageKey)}</dd>
              <dt>{t('app.placing')}</dt><dd>{t(`placing.${app.placingKind}` as MessageKey)}</dd>
              <dt>{t('app.received')}</dt><dd>{app.receivedOn ? date(app.receivedOn) : t('clock.notStarted')}</dd>
              <dt>{t('app.registrar')}</dt><dd>{app.registrarName}</dd>
              <dt>{t('towns.residence')}</dt>
              <dd>
                {app.residenceTown
                  ? <>{app.residenceTown.name} <span className="mono hint">{app.residenceTown.code}</span>{app.residenceTown.retiredOn ? <span className="badge muted">{t('towns.retiredOn', { date: date(app.residenceTown.retiredOn) })}</span> : null}</>
                  : t(app.residesAbroad ? 'towns.residence.abroadShown' : 'towns.residence.none')}
                {/* An imported registration without a town: set on its correction page (decision 022). */}
                {mayRecordTown && !app.residenceTown && !app.residesAbroad ? <> <Link to="correct#residence">{t('import.correction.setTown')}</Link></> : null}
              </dd>
              <dt>{t('app.assessment')}</dt>
              <dd>{t(`app.assessment.${app.assessment}` as MessageKey, { date: date(app.assessmentReportOn), ref: app.assessmentReference ?? '' })}</dd>
              {app.registeredOn ? <><dt>{t('step.approve.registeredOn')}</dt><dd>{date(app.registeredOn)}</dd></> : null}
            </dl>
            {app.secrecy ? <Notice kind="warning">{t('app.secrecy.on', { by: !app.secrecyRequestedBy && app.imported ? t('import.unknownInLedger') : t(`secrecyBy.${app.secrecyRequestedBy ?? 'both'}` as MessageKey) })}</Notice> : null}
            {app.deFactoSince ? <Notice kind="info">{t('app.deFacto', { date: date(app.deFactoSince) })}</Notice> : null}
          </Panel>

          <Panel title={t('app.parties')}>
            <PartiesTable page={page} />
            {!page.revealed ? (
              <Form method="post" className="inline-form reveal-form">
                <input type="hidden" name="intent" value="reveal" />
                <div className="field">
                  <label htmlFor="reveal-reason">{t('app.reveal.reason')}</label>
                  <input id="reveal-reason" name="reason" maxLength={1000} />
                  <p className="field-error">{fieldErrors('reveal', 'reason').map((e) => t(e.split('|')[0] as MessageKey))}</p>
                </div>
                <button type="submit" className="button secondary">{t('app.reveal')}</button>
                <p className="hint">{t('app.reveal.hint')}</p>
              </Form>
            ) : null}
            {page.parties.filter((p) => p.role === 'adopter').map((p) => (
              <FindingsForm key={p.position} page={page} position={p.position} name={p.name} errors={errorsFor('findings')} />
            ))}
          </Panel>

          {app.imported ? <Notice kind="info">{t('import.application.notice')}</Notice> : <>
          <Panel title={t('app.eligibility')} aside={t('app.eligibility.asOf', { date: date(page.asOf) })}>
            <table className="data-table compact">
              <thead><tr><th scope="col">{t('app.eligibility.col.rule')}</th><th scope="col">{t('app.eligibility.col.outcome')}</th><th scope="col">{t('app.eligibility.col.reason')}</th></tr></thead>
              <tbody>
                {page.evaluation.findings.map((f) => (
                  <tr key={f.rule} className={`outcome-${f.outcome}`}>
                    <td className="nowrap">{f.rule}</td>
                    <td className="nowrap"><span className={`badge outcome-${f.outcome}`}>{t(`outcome.${f.outcome}` as MessageKey)}</span></td>
                    <td>{f.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>

          <Panel title={t('app.documents')}>
            <DocumentsTable page={page} />
          </Panel>
          </>}

          {pending ? <PendingCorrectionPanel pending={pending} mayDecide={page.mayApprove} me={me} errors={errorsFor('decide_correction')} /> : null}
          {app.imported || corrections.length ? <CorrectionsHistory rows={corrections} /> : null}

          <Panel title={t('app.timeline')}>
            <ol className="timeline">
              {page.events.map((e) => (
                <li key={e.id}>
                  <span className="when">{dateTime(e.at)}</span> <strong>{t(`event.${e.kind}` as MessageKey)}</strong> — {e.actorName ?? ''}
                  {e.note ? <span className="note">：{e.note}</span> : null}
                </li>
              ))}
            </ol>
          </Panel>
        </div>

        <aside className="case-side">
          {page.clock ? (
            <Panel title={t('app.clock')}>
              {page.clock.status === 'not_started' ? <p>{t('clock.notStarted')}</p>
                : page.clock.status === 'paused' ? <DueLabel dueOn={null} today={page.today} paused usedDays={page.clock.usedDays} />
                : <DueLabel dueOn={page.clock.dueOn} today={page.today} />}
            </Panel>
          ) : null}
          {page.notice ? <NoticePanel notice={page.notice} applicationId={app.id} today={page.today} /> : null}
          {['received', 'assessment', 'public_notice', 'draft'].includes(app.state) ? (
            <Panel title={t('app.blockers')}>
              {page.blockers.length === 0 ? <p className="ok-text">{t('app.blockers.none')}</p> : (
                <ul className="blockers">
                  {page.blockers.map((b, i) => (
                    <li key={i}>{t(b.key as MessageKey, b.key === 'registration.blocker.document' ? { code: t(`checklist.doc.${b.params?.code}` as MessageKey) } : b.params)}</li>
                  ))}
                </ul>
              )}
            </Panel>
          ) : null}
          {assessment ? (
            <Panel title={t('app.assessment')}>
              <p><Link to={`/assessments/${assessment.id}`}>{t('assessment.onApplication', { id: assessment.id, state: t(`assessment.state.${assessment.state}` as MessageKey) })}</Link></p>
              {assessment.dueOn && assessment.state !== 'signed' ? <DueLabel dueOn={assessment.dueOn} today={page.today} /> : null}
            </Panel>
          ) : null}
          {commission ? <CommissionForm options={commission} today={page.today} /> : null}
          {page.steps.length ? (
            <Panel title={t('app.actions')}>
              {page.steps.filter((step) => !(step === 'end_assessment' && assessment)).map((step) => <StepForm key={`${step}-${app.version}`} step={step} page={page} errors={errorsFor(step)} fieldErrors={(f) => fieldErrors(step, f)} sent={(f) => sentValue(step, f)} />)}
            </Panel>
          ) : null}
          <CertificatesPanel page={page} me={me} errors={[...errorsFor('request_reissue'), ...errorsFor('decide_reissue'), ...errorsFor('issue_reissue'), ...errorsFor('register_dissolution'), ...errorsFor('revoke')]} />
        </aside>
      </div>
    </div>
  )
}

/**
 * The notice seeking the birth parents: where and when it was published, and from which day the
 * registration may follow (public-notice.ts: arts. 201 and 203).
 */
function NoticePanel({ notice, applicationId, today }: { notice: NonNullable<ApplicationPage['notice']>; applicationId: string; today: string }) {
  const { t, date } = useI18n()
  const d = notice.details
  return (
    <Panel title={t('notice.title')}>
      <dl className="facts">
        <dt>{t('notice.publishedOn')}</dt><dd>{date(notice.publishedOn)}</dd>
        {d ? <><dt>{t('notice.where')}</dt><dd>{t(`notice.medium.${d.medium}` as MessageKey)} · {d.outlet} · {d.reference}</dd></> : null}
        <dt>{t('notice.lastDay')}</dt><dd>{date(notice.lastDay)}</dd>
        <dt>{t('notice.earliestRegistration')}</dt><dd>{date(notice.earliestRegistration)}</dd>
        {notice.endedOn ? <><dt>{t('notice.endedOn')}</dt><dd>{date(notice.endedOn)}</dd></> : null}
      </dl>
      {!notice.endedOn ? (
        <p className="hint">{today >= notice.earliestRegistration ? t('notice.complete') : t('notice.running', { date: date(notice.earliestRegistration) })}</p>
      ) : null}
      {notice.provisional ? <Notice kind="warning">{t('notice.provisional')}</Notice> : null}
      {d ? (
        <details>
          <summary>{t('notice.text')}</summary>
          <p className="pre">{d.text}</p>
          <p><a href={`/applications/${applicationId}/notice-photo`} target="_blank" rel="noreferrer">{t('notice.photo.open')}</a></p>
        </details>
      ) : <p className="hint">{t('notice.noDetails')}</p>}
    </Panel>
  )
}

/** Commissioning the assessment: an in-house team of at least two, or an entrusted agency's assessors. */
function CommissionForm({ options, today }: { options: NonNullable<Awaited<ReturnType<typeof loader>>['commission']>; today: string }) {
  const { t } = useI18n()
  const result = useActionData<{ intent?: string; ok?: boolean; reply?: { error?: Record<string, string[]> } }>()
  const errors = result?.intent === 'commission' && !result.ok ? result.reply?.error ?? {} : {}
  return (
    <section className="panel">
      <h2>{t('assessment.commission.title')}</h2>
      <Form method="post" className="step-form">
        <FormErrors errors={errors[''] ?? []} />
        <input type="hidden" name="intent" value="commission" />
        <div className="field">
          <label htmlFor="commission-on">{t('step.date')}</label>
          <input type="date" id="commission-on" name="on" defaultValue={today} max={today} />
        </div>
        <fieldset className="field radio-group">
          <legend>{t('assessment.commission.mode')}</legend>
          <label className="checkbox"><input type="radio" name="mode" value="in_house" defaultChecked />{t('assessment.mode.in_house')}</label>
          {options.agencies.length ? <label className="checkbox"><input type="radio" name="mode" value="agency" />{t('assessment.mode.agency')}</label> : null}
        </fieldset>
        {options.agencies.length ? (
          <div className="field">
            <label htmlFor="commission-agency">{t('assessment.commission.agency')}</label>
            <select id="commission-agency" name="agencyId" defaultValue="">
              <option value="">{t('form.choose')}</option>
              {options.agencies.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select>
          </div>
        ) : null}
        <fieldset className="field checkbox-group">
          <legend>{t('assessment.commission.members')}</legend>
          {options.inHouse.length === 0 && options.agencies.every((a) => a.assessors.length === 0) ? <p className="hint">{t('assessment.commission.noAssessors')}</p> : null}
          {options.inHouse.map((u) => <label key={u.id} className="checkbox"><input type="checkbox" name="members" value={u.id} />{u.name}</label>)}
          {options.agencies.flatMap((a) => a.assessors.map((u) => (
            <label key={u.id} className="checkbox"><input type="checkbox" name="members" value={u.id} />{u.name}（{a.name}）</label>
          )))}
          <p className="field-error">{(errors['members'] ?? []).map((e) => t(e as MessageKey)).join(' ')}</p>
        </fieldset>
        <button type="submit" className="button primary">{t('assessment.commission.submit')}</button>
      </Form>
    </section>
  )
}

function Panel({ title, aside, children }: { title: string; aside?: string; children: ReactNode }) {
  return (
    <section className="panel">
      <h2>{title}{aside ? <span className="aside"> · {aside}</span> : null}</h2>
      {children}
    </section>
  )
}

function PartiesTable({ page }: { page: ApplicationPage }) {
  const { t, date } = useI18n()
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('app.parties')}>
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">{t('ledger.col.kind')}</th><th scope="col">{t('form.name')}</th><th scope="col">{t('form.sex')}</th>
            <th scope="col">{t('form.birthDate')}</th><th scope="col">{t('form.idNumber')}</th><th scope="col">{t('form.hukouAddress')}</th>
            <th scope="col">{t('form.maritalStatus')}</th><th scope="col">{t('form.children')}</th>
          </tr>
        </thead>
        <tbody>
          {page.parties.map((p) => (
            <tr key={`${p.role}-${p.position}`}>
              <td className="nowrap">{t(`app.role.${p.role}` as MessageKey)}</td>
              <td className="name">
                {p.name}
                {p.nameAfterAdoption ? <span className="hint"> → {p.nameAfterAdoption}</span> : null}
                {p.role === 'child' && p.situation ? <div className="hint">{t(`situation.${p.situation}` as MessageKey)}{p.disabled ? ` · ${t('form.disabled')}` : ''}{p.consents !== null ? ` · ${t('form.consents')}: ${t(p.consents ? 'tri.yes' : 'tri.no')}` : ''}</div> : null}
              </td>
              <td>{p.sex ? t(`sex.${p.sex}` as MessageKey) : ''}</td>
              <td className="nowrap">{date(p.birthDate)}</td>
              <td className="mono nowrap">{p.idNumber ?? p.idNumberMasked ?? '—'}</td>
              <td className="text-cell">{p.hukouAddress}</td>
              <td>{p.maritalStatus ? t(`marital.${p.maritalStatus}` as MessageKey) : ''}</td>
              <td>{p.role === 'adopter' ? `${p.children ?? 0}（${p.adoptedChildren ?? 0}）` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function FindingsForm({ page, position, name, errors }: { page: ApplicationPage; position: number; name: string; errors: string[] }) {
  const { t } = useI18n()
  const adopter = page.parties.find((p) => p.role === 'adopter' && p.position === position)
  const f = adopter?.findings
  const tri = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : 'unknown')
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'findings' && navigation.formData?.get('position') === String(position)
  if (!page.canEditFacts) return null
  return (
    <Form method="post" className="findings-form">
      <h3>{t('app.findings')}：{name}</h3>
      <FormErrors errors={errors} />
      <input type="hidden" name="intent" value="findings" />
      <input type="hidden" name="position" value={position} />
      <div className="grid">
        <div className="field">
          <label htmlFor={`disease-${position}`}>{t('app.findings.disease')}</label>
          <select id={`disease-${position}`} name="disqualifyingDisease" defaultValue={tri(f?.disqualifyingDisease)}>
            {['unknown', 'no', 'yes'].map((v) => <option key={v} value={v}>{t(`tri.${v}` as MessageKey)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`record-${position}`}>{t('app.findings.record')}</label>
          <select id={`record-${position}`} name="harmfulRecord" defaultValue={tri(f?.harmfulRecord)}>
            {['unknown', 'no', 'yes'].map((v) => <option key={v} value={v}>{t(`tri.${v}` as MessageKey)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`note-${position}`}>{t('app.findings.note')}</label>
          <input id={`note-${position}`} name="note" defaultValue={f?.note ?? ''} maxLength={500} />
        </div>
      </div>
      <button type="submit" className="button secondary" disabled={busy}>{busy ? t('action.saving') : t('app.findings.save')}</button>
    </Form>
  )
}

function DocumentsTable({ page }: { page: ApplicationPage }) {
  const { t, dateTime } = useI18n()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting' && navigation.formData?.get('intent') === 'document'
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t('app.documents')}>
      <table className="data-table compact">
        <thead>
          <tr>
            <th scope="col">{t('app.documents.col.doc')}</th><th scope="col">{t('app.documents.col.party')}</th>
            <th scope="col">{t('app.documents.col.status')}</th>{page.canEditFacts ? <th scope="col">{t('app.documents.col.action')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {page.checklist.map((item) => (
            <tr key={item.code} className={item.verifiedAt ? 'doc-verified' : item.providedAt ? 'doc-provided' : 'doc-missing'}>
              <td>{t(item.label)}<div className="hint">{t(item.basis)}</div></td>
              <td className="nowrap">{t(`app.documents.party.${item.party}` as MessageKey)}</td>
              <td>
                {item.verifiedAt ? <span className="badge ok">{t('app.documents.verified', { by: item.verifiedBy ?? '', at: dateTime(item.verifiedAt) })}</span>
                  : item.providedAt ? <span className="badge warn">{t('app.documents.provided', { by: item.providedBy ?? '' })}</span>
                  : <span className="badge muted">{t('app.documents.missing')}</span>}
              </td>
              {page.canEditFacts ? (
                <td className="nowrap">
                  <Form method="post" className="row-actions">
                    <input type="hidden" name="intent" value="document" />
                    <input type="hidden" name="code" value={item.code} />
                    {!item.providedAt ? <button type="submit" name="op" value="provide" className="button small secondary" disabled={busy}>{t('app.documents.provide')}</button> : null}
                    {!item.verifiedAt ? <button type="submit" name="op" value="verify" className="button small primary" disabled={busy}>{t('app.documents.verify')}</button> : null}
                    {item.providedAt ? <button type="submit" name="op" value="unprovide" className="button small link" disabled={busy}>{t('app.documents.unprovide')}</button> : null}
                  </Form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** One step of the procedure, with the fields it needs. */
function StepForm({ step, page, errors, fieldErrors, sent }: { step: string; page: ApplicationPage; errors: string[]; fieldErrors: (field: string) => string[]; sent: (field: string) => string | undefined }) {
  const { t, date, dateTime } = useI18n()
  const navigation = useNavigation()
  const pending = navigation.state === 'submitting' && navigation.formData?.get('intent') === step
  const { app } = page
  const field = (name: string, label: MessageKey, input: ReactNode) => (
    <div className="field">
      <label htmlFor={`${step}-${name}`}>{t(label)}</label>
      {input}
      <p className="field-error" id={`${step}-${name}-error`}>{fieldErrors(name).map((e) => tErrorText(t, e)).join(' ')}</p>
    </div>
  )
  const dateInput = (name = 'on') => field(name, 'step.date', <input type="date" id={`${step}-${name}`} name={name} defaultValue={page.today} max={page.today} required />)
  const reason = field('reason', 'step.reason', <textarea id={`${step}-reason`} name="reason" rows={2} maxLength={1000} />)
  const danger = ['withdraw', 'revoke', 'return_decision'].includes(step)
  const title: MessageKey = step === 'approve_registration' || step === 'approve_refusal' ? 'step.approve' : (`step.${step}` as MessageKey)
  let body: ReactNode = null
  switch (step) {
    case 'receive':
      body = <><p className="hint">{t('step.receive.hint')}</p>{dateInput()}</>
      break
    case 'start_assessment':
      body = <><p className="hint">{t('step.start_assessment.hint')}</p>{dateInput()}</>
      break
    case 'end_assessment':
      body = (
        <>
          {field('conclusion', 'step.report.conclusion', (
            <select id={`${step}-conclusion`} name="conclusion" defaultValue="">
              <option value="">{t('form.choose')}</option>
              <option value="recommended">{t('step.report.conclusion.recommended')}</option>
              <option value="not_recommended">{t('step.report.conclusion.not_recommended')}</option>
            </select>
          ))}
          {field('reportOn', 'step.report.on', <input type="date" id={`${step}-reportOn`} name="reportOn" defaultValue={page.today} max={page.today} />)}
          {field('reference', 'step.report.reference', <input id={`${step}-reference`} name="reference" maxLength={100} />)}
        </>
      )
      break
    case 'start_public_notice':
      body = (
        <>
          <p className="hint">{t('step.start_public_notice.hint')}</p>
          {field('on', 'step.date', <input type="date" id={`${step}-on`} name="on" defaultValue={sent('on') ?? page.today} max={page.today} required />)}
          {field('medium', 'notice.medium', (
            <select id={`${step}-medium`} name="medium" defaultValue={sent('medium') ?? ''} required>
              <option value="">{t('form.choose')}</option>
              <option value="newspaper">{t('notice.medium.newspaper')}</option>
              <option value="website">{t('notice.medium.website')}</option>
            </select>
          ))}
          {field('outlet', 'notice.outlet', <input id={`${step}-outlet`} name="outlet" maxLength={200} defaultValue={sent('outlet')} required />)}
          {field('reference', 'notice.reference', <input id={`${step}-reference`} name="reference" maxLength={500} defaultValue={sent('reference')} required />)}
          {field('text', 'notice.text', <textarea id={`${step}-text`} name="text" rows={4} maxLength={5000} defaultValue={sent('text')} required />)}
          {field('photo', 'notice.photo', <input type="file" id={`${step}-photo`} name="photo" accept="image/jpeg,image/png" required />)}
        </>
      )
      break
    case 'end_public_notice':
      body = dateInput()
      break
    case 'propose_decision':
      body = (
        <>
          <fieldset className="field radio-group">
            <legend>{t('step.decision')}</legend>
            <label className="checkbox"><input type="radio" name="decision" value="register" />{t('step.decision.register')}</label>
            <label className="checkbox"><input type="radio" name="decision" value="refuse" />{t('step.decision.refuse')}</label>
            <p className="field-error">{fieldErrors('decision').map((e) => tErrorText(t, e)).join(' ')}</p>
          </fieldset>
          {field('facts', 'step.decision.facts', <textarea id={`${step}-facts`} name="facts" rows={3} maxLength={4000} />)}
          {field('ground', 'step.decision.ground', (
            <select id={`${step}-ground`} name="ground" defaultValue="">
              <option value="">{t('form.choose')}</option>
              {refusalGrounds.map((g) => <option key={g} value={g}>{t(`refusalGround.${g}`)}</option>)}
            </select>
          ))}
          {field('basis', 'step.decision.basis', <textarea id={`${step}-basis`} name="basis" rows={2} maxLength={2000} />)}
        </>
      )
      break
    case 'approve_registration':
    case 'approve_refusal':
      body = (
        <>
          <p>{t('step.approve.proposal', { who: app.proposerName ?? '', at: app.proposedAt ? dateTime(app.proposedAt) : '', decision: t(app.decision === 'refuse' ? 'step.decision.refuse' : 'step.decision.register') })}</p>
          {app.decisionFacts ? <p className="quote">{app.decisionFacts}</p> : null}
          {app.refusalGround ? <p>{t('step.decision.ground')}：{t(`refusalGround.${app.refusalGround}`)}</p> : null}
          {app.decisionBasis ? <p className="quote">{app.decisionBasis}</p> : null}
          <p className="hint">{t(step === 'approve_registration' ? 'step.approve.hint.register' : 'step.approve.hint.refuse')}</p>
          {step === 'approve_registration' ? (
            <>
              {field('serial', 'step.approve.serial', <input id={`${step}-serial`} name="serial" maxLength={40} />)}
              {/* The adoption takes effect on the day of registration (Civil Code art. 1105 para. 1): the day of approval, never backdated. */}
              <p className="hint">{t('step.approve.registeredOnToday', { date: date(page.today) })}</p>
            </>
          ) : null}
          {app.proposedByMe ? <Notice kind="warning">{t('error.forbidden')}</Notice> : null}
        </>
      )
      break
    case 'return_decision':
    case 'withdraw':
      body = reason
      break
    case 'register_dissolution':
      body = (
        <>
          {field('agreementOn', 'step.dissolution.agreementOn', <input type="date" id={`${step}-agreementOn`} name="agreementOn" defaultValue={page.today} max={page.today} />)}
          {field('childConsents', 'step.dissolution.childConsents', (
            <select id={`${step}-childConsents`} name="childConsents" defaultValue="unknown">
              {['unknown', 'yes', 'no'].map((v) => <option key={v} value={v}>{t(`tri.${v}` as MessageKey)}</option>)}
            </select>
          ))}
          <label className="checkbox"><input type="checkbox" name="certificateReturned" defaultChecked />{t('step.dissolution.certificateReturned')}</label>
          {field('note', 'step.dissolution.note', <textarea id={`${step}-note`} name="note" rows={2} maxLength={1000} />)}
        </>
      )
      break
    case 'revoke':
      body = (
        <>
          {field('reason', 'step.reason', <textarea id={`${step}-reason`} name="reason" rows={3} maxLength={2000} />)}
          <label className="checkbox"><input type="checkbox" name="certificateConfiscated" />{t('step.revoke.confiscated')}</label>
          {field('notRecoveredNote', 'step.revoke.notRecovered', <textarea id={`${step}-notRecoveredNote`} name="notRecoveredNote" rows={2} maxLength={1000} />)}
        </>
      )
      break
  }
  return (
    <details className={`step ${danger ? 'danger' : ''}`} open={errors.length > 0 || ['reason', 'medium', 'outlet', 'reference', 'text', 'photo'].some((f) => fieldErrors(f).length > 0) || ['receive', 'propose_decision', 'approve_registration', 'approve_refusal', 'end_assessment'].includes(step)}>
      <summary>{t(title)}</summary>
      <Form method="post" className="step-form" encType={step === 'start_public_notice' ? 'multipart/form-data' : undefined}>
        <FormErrors errors={errors} />
        <input type="hidden" name="intent" value={step} />
        <input type="hidden" name="version" value={app.version} />
        {body}
        <button type="submit" className={`button ${danger ? 'danger' : 'primary'}`} disabled={pending} aria-disabled={pending}>
          {pending ? t('action.saving') : t(title)}
        </button>
      </Form>
    </details>
  )
}

function tErrorText(t: (key: MessageKey, params?: Record<string, string>) => string, message: string) {
  const [key, ...pairs] = message.split('|')
  return t(key as MessageKey, Object.fromEntries(pairs.map((p) => p.split('=') as [string, string])))
}

function CertificatesPanel({ page, errors, me }: { page: ApplicationPage; errors: string[]; me: string }) {
  const { t, date } = useI18n()
  const { app } = page
  if (!page.certificates.length && app.state !== 'refused') return null
  return (
    <section className="panel" id="certificates">
      <h2>{t('app.certificates')}</h2>
      <FormErrors errors={errors} />
      {app.state === 'refused' ? (
        <p><a href={`/applications/${app.id}/refusal-notice.pdf`}>{t('app.refusalNotice')}</a> <span className="mono">{app.refusalNumber}</span></p>
      ) : null}
      <ul className="certificates">
        {page.certificates.map((c) => (
          <li key={c.id}>
            <strong>{t(c.kind === 'adoption' ? 'app.certificate.adoption' : 'app.certificate.dissolution')}</strong>{' '}
            <span className="mono">{c.number}</span> {c.serial ? <span className="mono hint">{c.serial}</span> : null}{' '}
            <span className={`badge ${c.status === 'valid' ? 'ok' : 'muted'}`}>{t(`app.certificate.status.${c.status}` as MessageKey)}</span>{' '}
            <span className="hint">{date(c.issuedOn)}</span>
            {c.reason ? <div className="hint">{c.reason}</div> : null}
            {c.kind === 'adoption' && c.status === 'valid' ? (
              <div className="cert-links">
                <a href={`/applications/${app.id}/certificate.pdf?mode=read&certificate=${c.id}`}>{t('print.readingCopy')}</a>{' '}
                <a href={`/applications/${app.id}/print?document=certificate&mode=copy&certificate=${c.id}`}>{t('app.certificate.copy')}</a>
                {c.printableOnBlank ? <form method="get" action={`/applications/${app.id}/print`} className="offset-form">
                  <input type="hidden" name="document" value="certificate" />
                  <input type="hidden" name="mode" value="blank" />
                  <input type="hidden" name="certificate" value={c.id} />
                  <fieldset>
                    <legend>{t('app.certificate.offset')}</legend>
                    <label>x <input type="number" name="x" defaultValue={0} step={0.5} min={-30} max={30} /></label>
                    <label>y <input type="number" name="y" defaultValue={0} step={0.5} min={-30} max={30} /></label>
                    <button type="submit" className="button small secondary">{t('app.certificate.blank')}</button>
                  </fieldset>
                </form> : app.imported ? <p className="hint">{t('reissue.importedBlankHint')}</p> : null}
              </div>
            ) : null}
            {c.kind === 'dissolution' ? <div><a href={`/applications/${app.id}/dissolution-certificate.pdf?mode=read`}>{t('print.readingCopy')}</a> <a href={`/applications/${app.id}/print?document=dissolution_certificate`}>{t('app.dissolutionCertificate')}</a></div> : null}
          </li>
        ))}
      </ul>
      <ReissuePanel page={page} me={me} />
    </section>
  )
}

/**
 * 补发/换发 (decision 027): the request (kind, reason), the second person's decision, then the new
 * certificate issued on a new blank with its serial; the one it replaces is superseded.
 */
function ReissuePanel({ page, me }: { page: ApplicationPage; me: string }) {
  const { t, dateTime } = useI18n()
  const { app } = page
  const open = page.reissues.find((r) => r.state === 'requested' || r.state === 'approved')
  const past = page.reissues.filter((r) => r !== open)
  return (
    <>
      {open ? (
        <div className="step" id="reissue">
          <h3>{t('reissue.title')}</h3>
          <p>{t('reissue.requestedBy', { kind: t(`reissue.kind.${open.kind}` as MessageKey), name: open.requestedBy, at: dateTime(open.requestedAt), reason: open.reason })}</p>
          {open.state === 'requested' ? (
            page.mayApprove ? (
              <>
                {open.requestedById === me ? <p className="hint">{t('reissue.notYours')}</p> : null}
                <ApproveOrRefuseForms intent="decide_reissue" idField="reissue" id={open.id} version={open.version} idPrefix="reissue"
                  labels={{ approve: t('reissue.approve'), refuse: t('reissue.refuse'), reason: t('reissue.refuseReason') }} />
              </>
            ) : <p className="hint">{t('reissue.waiting')}</p>
          ) : (
            <>
              <p className="hint">{t('reissue.approvedBy', { name: open.decidedBy ?? '', at: open.decidedAt ? dateTime(open.decidedAt) : '' })}</p>
              {page.mayWrite && app.state === 'registered' ? (
                <Form method="post" className="step-form">
                  <input type="hidden" name="intent" value="issue_reissue" />
                  <input type="hidden" name="reissue" value={open.id} />
                  <input type="hidden" name="version" value={open.version} />
                  <div className="field"><label htmlFor="reissue-serial">{t('step.reissue.serial')}</label><input id="reissue-serial" name="serial" maxLength={40} /></div>
                  <button type="submit" className="button">{t('reissue.issue')}</button>
                </Form>
              ) : null}
            </>
          )}
        </div>
      ) : app.state === 'registered' && page.mayWrite && page.certificates.some((c) => c.kind === 'adoption' && c.status === 'valid') ? (
        <details className="step">
          <summary>{t('step.reissue')}</summary>
          <Form method="post" className="step-form">
            <input type="hidden" name="intent" value="request_reissue" />
            <fieldset className="field">
              <legend>{t('reissue.kind')}</legend>
              {(['lost', 'damaged', 'corrected'] as const).map((k) => (
                <label className="checkbox" key={k}><input type="radio" name="kind" value={k} defaultChecked={k === 'lost'} /> {t(`reissue.kind.${k}` as MessageKey)}</label>
              ))}
            </fieldset>
            <div className="field"><label htmlFor="reissue-reason">{t('step.reason')}</label><input id="reissue-reason" name="reason" maxLength={500} /></div>
            <button type="submit" className="button secondary">{t('reissue.request')}</button>
          </Form>
        </details>
      ) : null}
      {past.length ? (
        <ul className="hint">
          {past.map((r) => (
            <li key={r.id}>{t(`reissue.past.${r.state}` as MessageKey, { kind: t(`reissue.kind.${r.kind}` as MessageKey), name: r.requestedBy, decider: r.decidedBy ?? '', at: dateTime(r.requestedAt), note: r.decisionNote ?? '' })}</li>
          ))}
        </ul>
      ) : null}
    </>
  )
}

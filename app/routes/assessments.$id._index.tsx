import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import type { ReactNode } from 'react'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { assessmentAction, assessmentPage, type AssessmentPage } from '#app/assessment/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { DueLabel } from '#app/registration/components/state.tsx'
import { FormErrors, Notice } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'assessment.read')
  return orRespond(() => assessmentPage(context, user, params.id ?? '', todayInShanghai(), true))
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'assessment.read')
  const result = await orRespond(async () => assessmentAction(context, user, params.id ?? '', await request.formData(), todayInShanghai()))
  return data(result, { status: result.ok ? 200 : 400 })
}

type Result = ReturnType<typeof useActionData<typeof action>>

function useErrors(result: Result) {
  const { tError } = useI18n()
  return {
    form: (intent: string) => (result && !result.ok && result.intent === intent ? result.reply.error?.[''] ?? [] : []),
    field: (intent: string, field: string) => (result && !result.ok && result.intent === intent ? (result.reply.error?.[field] ?? []).map(tError).join(' ') : ''),
  }
}

export default function AssessmentView() {
  const page = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, date, locale: lang } = useI18n()
  const { header } = page
  const def = header.instrument.definition
  const errors = useErrors(result)
  return (
    <div className="case-page">
      <div className="page-head">
        <h1>{t('assessment.title', { id: header.id })} <span className={`badge assessment-${header.state}`}>{t(`assessment.state.${header.state}` as MessageKey)}</span></h1>
        <div className="actions">
          {page.mayOpenApplication ? <Link className="button secondary" to={`/applications/${header.applicationId}`}>{t('assessment.forApplication', { id: header.applicationId })}</Link> : null}
          {page.current ? <a className="button secondary" href={`/assessments/${header.id}/report.pdf`}>{t('assessment.report.pdf')}</a> : null}
        </div>
      </div>
      {result?.ok ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      {header.state === 'cancelled' ? <Notice kind="warning">{t(`assessment.cancelReason.${header.cancelReason ?? 'unrecorded'}` as MessageKey)}</Notice> : null}
      <div className="case-grid">
        <div className="case-main">
          <Panel title={t('app.summary')}>
            <dl className="facts">
              <dt>{t('app.role.adopter')}</dt><dd>{header.adopters.join('、')}</dd>
              <dt>{t('app.role.child')}</dt><dd>{header.child}</dd>
              <dt>{t('assessment.col.mode')}</dt><dd>{header.mode === 'agency' ? `${header.agencyName}（${header.agencyCreditCode}）` : t('assessment.mode.in_house')}</dd>
              <dt>{t('assessment.dates.notice')}</dt><dd>{date(header.noticeOn) || '—'}</dd>
              <dt>{t('assessment.dates.consent')}</dt><dd>{date(header.consentOn) || '—'}</dd>
              <dt>{t('assessment.integration.title')}</dt><dd>{header.integrationFrom ? `${date(header.integrationFrom)} – ${date(header.integrationTo)}` : '—'}</dd>
            </dl>
            <p className="hint">{t('assessment.instrument', { title: def.title[lang], version: header.instrument.version })}</p>
          </Panel>

          {page.mustDeclare ? (
            <Panel title={t('assessment.declaration.title')}>
              <p>{t('assessment.declaration.text')}</p>
              <Form method="post" className="step-form">
                <FormErrors errors={errors.form('declare')} />
                <input type="hidden" name="intent" value="declare" />
                <fieldset className="field radio-group">
                  <legend>{t('assessment.declaration.title')}</legend>
                  <label className="checkbox"><input type="radio" name="conflict" value="no" />{t('assessment.declaration.no')}</label>
                  <label className="checkbox"><input type="radio" name="conflict" value="yes" />{t('assessment.declaration.yes')}</label>
                  <p className="field-error">{errors.field('declare', 'conflict')}</p>
                </fieldset>
                <div className="field">
                  <label htmlFor="declare-note">{t('assessment.declaration.note')}</label>
                  <textarea id="declare-note" name="note" rows={2} maxLength={500} />
                  <p className="field-error">{errors.field('declare', 'note')}</p>
                </div>
                <Submit intent="declare">{t('assessment.declaration.submit')}</Submit>
              </Form>
            </Panel>
          ) : (
            <>
              <ActivitiesPanel page={page} result={result} />
              <ScoresPanel page={page} result={result} />
              <ReportPanel page={page} result={result} />
            </>
          )}
        </div>
        <aside className="case-side">
          <Panel title={t('assessment.col.due')}>
            {header.state === 'signed' ? <p>{t('assessment.report.final')}</p>
              : header.dueOn ? <DueLabel dueOn={header.dueOn} today={page.today} /> : <p className="hint">{t('assessment.clock.notStarted')}</p>}
          </Panel>
          <Panel title={t('assessment.team')}>
            <ul className="team">
              {page.members.map((m) => (
                <li key={m.userId} className={m.removedAt ? 'removed' : ''}>
                  {m.name}{' '}
                  <span className={`badge ${m.removedAt ? 'muted' : m.declaredAt ? 'ok' : 'warn'}`}>
                    {t(m.removedAt ? 'assessment.member.recused' : m.declaredAt ? 'assessment.member.declared' : 'assessment.member.pending')}
                  </span>
                </li>
              ))}
            </ul>
            {page.teamShort ? <Notice kind="warning">{t('assessment.team.short')}</Notice> : null}
            {page.candidates.length ? (
              <Form method="post" className="inline-form">
                <FormErrors errors={errors.form('add_member')} />
                <input type="hidden" name="intent" value="add_member" />
                <div className="field">
                  <label htmlFor="add-member">{t('assessment.addMember')}</label>
                  <select id="add-member" name="user" defaultValue="">
                    <option value="">{t('form.choose')}</option>
                    {page.candidates.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </select>
                </div>
                <Submit intent="add_member" variant="secondary">{t('assessment.addMember')}</Submit>
              </Form>
            ) : null}
          </Panel>
          {!page.mustDeclare && page.mayRecord && header.state === 'open' ? (
            <>
              <Panel title={t('assessment.dates.title')}>
                <Form method="post" className="step-form">
                  <FormErrors errors={errors.form('dates')} />
                  <input type="hidden" name="intent" value="dates" />
                  <input type="hidden" name="version" value={header.version} />
                  <DateField name="noticeOn" label="assessment.dates.notice" value={header.noticeOn} max={page.today} error={errors.field('dates', 'noticeOn')} />
                  <DateField name="consentOn" label="assessment.dates.consent" value={header.consentOn} max={page.today} error={errors.field('dates', 'consentOn')} />
                  <p className="hint">{t('assessment.dates.hint')}</p>
                  <Submit intent="dates">{t('action.save')}</Submit>
                </Form>
              </Panel>
              <Panel title={t('assessment.integration.title')}>
                <Form method="post" className="step-form">
                  <FormErrors errors={errors.form('integration')} />
                  <input type="hidden" name="intent" value="integration" />
                  <input type="hidden" name="version" value={header.version} />
                  <DateField name="from" label="assessment.integration.from" value={header.integrationFrom} error={errors.field('integration', 'from')} />
                  <DateField name="to" label="assessment.integration.to" value={header.integrationTo} error={errors.field('integration', 'to')} />
                  <Submit intent="integration">{t('action.save')}</Submit>
                </Form>
              </Panel>
            </>
          ) : null}
          {!page.mustDeclare ? <AlertsPanel page={page} result={result} /> : null}
        </aside>
      </div>
    </div>
  )
}

function Panel({ title, children }: { title: string; children: ReactNode }) {
  return <section className="panel"><h2>{title}</h2>{children}</section>
}

function Submit({ intent, children, variant = 'primary' }: { intent: string; children: ReactNode; variant?: string }) {
  const navigation = useNavigation()
  const { t } = useI18n()
  const pending = navigation.state === 'submitting' && navigation.formData?.get('intent') === intent
  return <button type="submit" className={`button ${variant}`} disabled={pending}>{pending ? t('action.saving') : children}</button>
}

function DateField({ name, label, value, max, error }: { name: string; label: MessageKey; value: string | null; max?: string; error: string }) {
  const { t } = useI18n()
  return (
    <div className="field">
      <label htmlFor={`f-${name}`}>{t(label)}</label>
      <input type="date" id={`f-${name}`} name={name} defaultValue={value ?? ''} max={max} />
      <p className="field-error">{error}</p>
    </div>
  )
}

function ActivitiesPanel({ page, result }: { page: AssessmentPage; result: Result }) {
  const { t, date } = useI18n()
  const errors = useErrors(result)
  const kinds = ['interview', 'document_review', 'information_check', 'home_visit', 'field_visit', 'integration_observation', 'preparation']
  return (
    <Panel title={t('assessment.activities.title')}>
      {page.activities.length ? (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t('assessment.activities.title')}>
          <table className="data-table compact">
            <thead><tr><th scope="col">{t('assessment.activity.on')}</th><th scope="col">{t('assessment.activity.kind')}</th><th scope="col">{t('assessment.activity.place')}</th><th scope="col">{t('assessment.activity.present')}</th><th scope="col">{t('assessment.activity.notes')}</th></tr></thead>
            <tbody>
              {page.activities.map((a) => (
                <tr key={a.id}>
                  <td className="nowrap">{date(a.on)}</td>
                  <td className="nowrap">{t(`assessment.kind.${a.kind}` as MessageKey)}</td>
                  <td>{a.place}</td>
                  <td>{a.present.join('、')}</td>
                  <td className="pre">
                    {a.topic ? <strong>{a.topic}：</strong> : null}{a.notes}
                    {a.attachments.length ? (
                      <ul className="attachments">
                        {a.attachments.map((f) => <li key={f.id}><a href={`/assessments/${page.header.id}/attachments/${f.id}`}>{f.filename}</a> <span className="hint">{Math.ceil(f.size / 1024)} KB</span></li>)}
                      </ul>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p className="hint">{t('common.noRows')}</p>}
      {page.mayRecord && page.header.state === 'open' ? (
        <details className="step" open={errors.form('activity').length > 0}>
          <summary>{t('assessment.activity.add')}</summary>
          <Form method="post" encType="multipart/form-data" className="step-form" key={page.activities.length}>
            <FormErrors errors={errors.form('activity')} />
            <input type="hidden" name="intent" value="activity" />
            <div className="grid">
              <div className="field">
                <label htmlFor="act-kind">{t('assessment.activity.kind')}</label>
                <select id="act-kind" name="kind" defaultValue="">
                  <option value="">{t('form.choose')}</option>
                  {kinds.map((k) => <option key={k} value={k}>{t(`assessment.kind.${k}` as MessageKey)}</option>)}
                </select>
                <p className="field-error">{errors.field('activity', 'kind')}</p>
              </div>
              <DateField name="on" label="assessment.activity.on" value={page.today} max={page.today} error={errors.field('activity', 'on')} />
              <div className="field">
                <label htmlFor="act-place">{t('assessment.activity.place')}</label>
                <input id="act-place" name="place" maxLength={200} />
                <p className="field-error">{errors.field('activity', 'place')}</p>
              </div>
              <div className="field">
                <label htmlFor="act-topic">{t('assessment.activity.topic')}</label>
                <input id="act-topic" name="topic" maxLength={200} />
              </div>
            </div>
            <fieldset className="field checkbox-group">
              <legend>{t('assessment.activity.present')}</legend>
              {page.members.filter((m) => !m.removedAt).map((m) => (
                <label key={m.userId} className="checkbox"><input type="checkbox" name="present" value={m.userId} />{m.name}</label>
              ))}
              <p className="field-error">{errors.field('activity', 'present')}</p>
            </fieldset>
            <div className="field">
              <label htmlFor="act-notes">{t('assessment.activity.notes')}</label>
              <textarea id="act-notes" name="notes" rows={4} maxLength={5000} />
              <p className="field-error">{errors.field('activity', 'notes')}</p>
            </div>
            <div className="field">
              <label htmlFor="act-files">{t('assessment.activity.files')}</label>
              <input id="act-files" name="files" type="file" multiple accept="image/jpeg,image/png,application/pdf,audio/mpeg,audio/mp4,audio/wav" />
              <p className="hint">{t('assessment.activity.files.hint')}</p>
            </div>
            <Submit intent="activity">{t('assessment.activity.add')}</Submit>
          </Form>
        </details>
      ) : null}
    </Panel>
  )
}

function ScoresPanel({ page, result }: { page: AssessmentPage; result: Result }) {
  const { t, locale } = useI18n()
  const errors = useErrors(result)
  const def = page.header.instrument.definition
  const scoring = page.scoring
  const editable = page.mayRecord && page.header.state === 'open'
  return (
    <Panel title={t('assessment.scores.title')}>
      {scoring && def.scale ? (
        <p className={`score-total outcome-${scoring.outcome}`}>
          {scoring.total !== null ? t('assessment.score.total', { total: scoring.total, max: def.scale.max, pass: def.scale.pass }) : null}{' '}
          <strong>{scoring.outcome === 'incomplete' ? t('assessment.outcome.incomplete', { count: scoring.missing.length }) : t(`assessment.outcome.${scoring.outcome}` as MessageKey)}</strong>
        </p>
      ) : null}
      <FormErrors errors={errors.form('score')} />
      {def.dimensions.map((d) => {
        const saved = page.scores.find((s) => s.dimension === d.code)
        return (
          <details key={`${d.code}-${saved?.score ?? ''}-${saved?.vetoes.join() ?? ''}`} className="step dimension">
            <summary>
              {d.title[locale]}{' '}
              <span className="hint">{saved ? (d.maxScore !== null ? `${saved.score ?? '—'} / ${d.maxScore}` : '✓') : t('assessment.score.notScored')}</span>
              {saved?.vetoes.length ? <span className="badge outcome-fail">{t('assessment.score.vetoes')}</span> : null}
            </summary>
            <div className="step-form">
              <ul className="questions">{d.questions.map((q, i) => <li key={i}>{q[locale]}</li>)}</ul>
              {editable ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="score" />
                  <input type="hidden" name="dimension" value={d.code} />
                  {d.maxScore !== null ? (
                    <div className="field">
                      <label htmlFor={`score-${d.code}`}>{t('assessment.score.label', { max: d.maxScore })}</label>
                      <input id={`score-${d.code}`} name="score" type="number" min={0} max={d.maxScore} step={1} defaultValue={saved?.score ?? ''} />
                    </div>
                  ) : null}
                  {d.vetoItems.length ? (
                    <fieldset className="field checkbox-group">
                      <legend>{t('assessment.score.vetoes')}</legend>
                      {d.vetoItems.map((v) => (
                        <label key={v.code} className="checkbox"><input type="checkbox" name="vetoes" value={v.code} defaultChecked={saved?.vetoes.includes(v.code)} />{v[locale]}</label>
                      ))}
                    </fieldset>
                  ) : null}
                  <div className="field">
                    <label htmlFor={`findings-${d.code}`}>{t('assessment.score.findings')}</label>
                    <textarea id={`findings-${d.code}`} name="findings" rows={3} maxLength={5000} defaultValue={saved?.findings ?? ''} />
                  </div>
                  <Submit intent="score" variant="secondary">{t('assessment.score.save')}</Submit>
                </Form>
              ) : saved ? <p className="pre">{saved.findings}</p> : null}
            </div>
          </details>
        )
      })}
    </Panel>
  )
}

function AlertsPanel({ page, result }: { page: AssessmentPage; result: Result }) {
  const { t, locale, dateTime } = useI18n()
  const errors = useErrors(result)
  const def = page.header.instrument.definition
  return (
    <Panel title={t('assessment.alerts.title')}>
      {page.alerts.length === 0 ? <p className="hint empty-state">{t('assessment.alerts.none')}</p> : null}
      {page.alerts.map((a) => (
        <div key={a.id} className={`alert ${a.police ? 'error' : 'warning'}`}>
          <p><strong>{def.mustReport.find((m) => m.code === a.code)?.[locale] ?? a.code}</strong>{a.police ? ` · ${t('assessment.alert.police')}` : ''}</p>
          <p>{a.note}</p>
          <p className="hint">{a.raisedBy} · {dateTime(a.raisedAt)}</p>
          {a.acknowledgedAt ? <p className="hint">{t('assessment.alert.acknowledged', { at: dateTime(a.acknowledgedAt) })}</p>
            : page.mayAcknowledge ? (
              <Form method="post"><input type="hidden" name="intent" value="acknowledge" /><input type="hidden" name="alert" value={a.id} /><Submit intent="acknowledge" variant="secondary">{t('assessment.alert.acknowledge')}</Submit></Form>
            ) : null}
        </div>
      ))}
      {page.mayRecord ? (
        <details className="step danger" open={errors.form('alert').length > 0}>
          <summary>{t('assessment.alert.raise')}</summary>
          <Form method="post" className="step-form" key={page.alerts.length}>
            <p className="hint">{t('assessment.alerts.hint')}</p>
            <FormErrors errors={errors.form('alert')} />
            <input type="hidden" name="intent" value="alert" />
            <div className="field">
              <label htmlFor="alert-code">{t('assessment.alert.code')}</label>
              <select id="alert-code" name="code" defaultValue="">
                <option value="">{t('form.choose')}</option>
                {def.mustReport.map((m) => <option key={m.code} value={m.code}>{m[locale]}</option>)}
              </select>
              <p className="field-error">{errors.field('alert', 'code')}</p>
            </div>
            <div className="field">
              <label htmlFor="alert-note">{t('assessment.alert.note')}</label>
              <textarea id="alert-note" name="note" rows={3} maxLength={2000} />
              <p className="field-error">{errors.field('alert', 'note')}</p>
            </div>
            <Submit intent="alert" variant="danger">{t('assessment.alert.raise')}</Submit>
          </Form>
        </details>
      ) : null}
    </Panel>
  )
}

function ReportPanel({ page, result }: { page: AssessmentPage; result: Result }) {
  const { t, date, dateTime } = useI18n()
  const errors = useErrors(result)
  const { header } = page
  const def = header.instrument.definition
  const canConclude = page.mayRecord && (header.state === 'open' || header.state === 'signed')
  return (
    <Panel title={t('assessment.report.title')}>
      {page.reports.length === 0 ? <p className="hint empty-state">{t('assessment.report.none')}</p> : null}
      {page.reports.slice().reverse().map((r) => (
        <div key={r.id} className={`report ${r.supersededAt ? 'superseded' : ''}`}>
          <p>
            <strong>{t('assessment.report.version', { version: r.version })}</strong> · <span className="mono">{r.number}</span> · {date(r.reportOn)}{' '}
            <span className={`badge ${r.conclusion === 'recommended' ? 'ok' : 'warn'}`}>{r.conclusion === 'recommended' ? def.conclusions.recommended.zh : def.conclusions.notRecommended.zh}</span>{' '}
            {r.supersededAt ? <span className="badge muted">{t('assessment.report.superseded')}</span> : r.finalizedAt ? <span className="badge ok">{t('assessment.report.final')}</span> : null}
          </p>
          {r.reason ? <p className="hint">{t('assessment.report.reason')}：{r.reason}</p> : null}
          <p className="pre">{r.facts}</p>
          {r.signatures.length ? <p className="hint">{t('assessment.report.signedBy', { names: r.signatures.map((s) => `${s.name}（${dateTime(s.signedAt)}）`).join('、') })}</p> : null}
        </div>
      ))}
      {header.state === 'signing' && page.unsigned.length ? <p className="hint">{t('assessment.report.waiting', { names: page.unsigned.join('、') })}</p> : null}
      <FormErrors errors={[...errors.form('sign'), ...errors.form('return')]} />
      {header.state === 'signing' && page.mayRecord && !page.iSigned ? (
        <Form method="post" className="actions">
          <input type="hidden" name="intent" value="sign" />
          <Submit intent="sign">{t('assessment.report.sign')}</Submit>
        </Form>
      ) : null}
      {header.state === 'signing' && page.mayRecord ? (
        <details className="step">
          <summary>{t('assessment.report.return')}</summary>
          <Form method="post" className="step-form">
            <input type="hidden" name="intent" value="return" />
            <input type="hidden" name="version" value={header.version} />
            <div className="field"><label htmlFor="return-reason">{t('step.reason')}</label><textarea id="return-reason" name="reason" rows={2} /></div>
            <Submit intent="return" variant="secondary">{t('assessment.report.return')}</Submit>
          </Form>
        </details>
      ) : null}
      {canConclude ? (
        <details className="step" open={errors.form('conclude').length > 0 || header.state === 'open'}>
          <summary>{t(header.state === 'signed' ? 'assessment.report.correct' : 'assessment.report.conclude')}</summary>
          <Form method="post" className="step-form">
            <FormErrors errors={errors.form('conclude')} />
            <input type="hidden" name="intent" value="conclude" />
            <input type="hidden" name="version" value={header.version} />
            <DateField name="reportOn" label="assessment.report.on" value={page.today} max={page.today} error={errors.field('conclude', 'reportOn')} />
            <div className="field">
              <label htmlFor="report-facts">{t('assessment.report.facts')}</label>
              <textarea id="report-facts" name="facts" rows={5} maxLength={8000} defaultValue={page.current?.facts ?? ''} />
              <p className="field-error">{errors.field('conclude', 'facts')}</p>
            </div>
            {!def.scale ? (
              <fieldset className="field radio-group">
                <legend>{t('assessment.report.conclusion')}</legend>
                <label className="checkbox"><input type="radio" name="conclusion" value="recommended" />{def.conclusions.recommended.zh}</label>
                <label className="checkbox"><input type="radio" name="conclusion" value="not_recommended" />{def.conclusions.notRecommended.zh}</label>
              </fieldset>
            ) : null}
            {page.reports.length ? (
              <div className="field">
                <label htmlFor="report-reason">{t('assessment.report.reason')}</label>
                <textarea id="report-reason" name="reason" rows={2} maxLength={1000} />
              </div>
            ) : null}
            <Submit intent="conclude">{t(header.state === 'signed' ? 'assessment.report.correct' : 'assessment.report.conclude')}</Submit>
          </Form>
        </details>
      ) : null}
    </Panel>
  )
}

import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { rootseekingAction, rootseekingPage } from '#app/rootseeking/page.server.ts'
import { formatReference } from '#app/rootseeking/reference.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { DueCell } from '#app/rootseeking/components/due.tsx'
import { FormErrors, Notice, SubmitButton } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'rootseeking.read')
  return orRespond(() => rootseekingPage(context, user, params.id ?? '', todayInShanghai()))
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'rootseeking.read')
  const result = await orRespond(async () => rootseekingAction(context, user, params.id ?? '', await request.formData(), todayInShanghai()))
  return data(result, { status: result.ok ? 200 : 400 })
}

type ActionResult = { intent: string; ok: boolean; reply?: { error?: Record<string, string[] | null> | null; initialValue?: unknown } }

function replyFor(result: ActionResult | undefined, intent: string) {
  return result && !result.ok && result.intent === intent ? result.reply ?? null : null
}

/** A labelled input or textarea of one of the page's forms, with its error and its value kept. */
function Field({ result, intent, name, label, type = 'text', textarea, required }: { result: ActionResult | undefined; intent: string; name: string; label: MessageKey; type?: string; textarea?: boolean; required?: boolean }) {
  const { t, tError } = useI18n()
  const reply = replyFor(result, intent)
  const error = (reply?.error?.[name] ?? []).map((e) => tError(e)).join(' ')
  const raw = (reply?.initialValue as Record<string, unknown> | undefined)?.[name]
  const value = typeof raw === 'string' ? raw : undefined
  const id = `${intent}-${name}`
  return (
    <div className={textarea ? 'field wide-field' : 'field'}>
      <label htmlFor={id}>{t(label)}{required ? <span className="req" aria-hidden="true"> *</span> : null}</label>
      {textarea
        ? <textarea id={id} name={name} rows={2} defaultValue={value} aria-invalid={error ? true : undefined} aria-describedby={`${id}-error`} />
        : <input id={id} name={name} type={type} defaultValue={value} aria-invalid={error ? true : undefined} aria-describedby={`${id}-error`} />}
      <p className="field-error" id={`${id}-error`} aria-live="polite">{error}</p>
    </div>
  )
}

function Fact({ t, label, children }: { t: (key: MessageKey) => string; label: MessageKey; children: ReactNode }) {
  return <><dt>{t(label)}</dt><dd>{children}</dd></>
}

export default function RootSeekingRequest() {
  const page = useLoaderData<typeof loader>()
  const { request: r, visitors, documents, reception, registration, checks, clock, disclosure, birthFamily, caseworkers, mayWrite } = page
  const result = useActionData<typeof action>()
  const { t, tError, date, dateTime } = useI18n()
  const mine = (intent: string) => (result && !result.ok && result.intent === intent ? result.reply : null)
  const formErrors = (intent: string) => mine(intent)?.error?.[''] ?? []
  const fieldError = (intent: string, field: string) => (mine(intent)?.error?.[field] ?? []).map((e) => tError(e)).join(' ')
  const value = (intent: string, field: string) => {
    const v = (mine(intent)?.initialValue as Record<string, unknown> | undefined)?.[field]
    return typeof v === 'string' ? v : undefined
  }
  const open = r.state === 'received'
  const docsOf = (kind: string) => documents.filter((d) => d.kind === kind)
    return (
    <div className="case-page">
      <div className="page-head">
        <h1>
          {t('rootseeking.title')} <span className="mono">{formatReference(r.reference)}</span>{' '}
          <span className={`badge ${r.state === 'received' ? 'warn' : r.state === 'declined' ? 'muted' : 'ok'}`}>{t(`rootseeking.state.${r.state}` as MessageKey)}</span>
        </h1>
        <div className="actions">
          <Link className="button secondary" to="/rootseeking">← {t('rootseeking.title')}</Link>
          {reception?.state === 'recorded' ? <a className="button secondary" href={`/rootseeking/${r.id}/record.pdf`}>{t('rootseeking.reception.pdf')}</a> : null}
        </div>
      </div>
      {result?.ok ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      {r.email_bounced_at ? <Notice kind="warning">{t('rootseeking.bounced.notice', { at: dateTime(r.email_bounced_at) })}</Notice> : null}
      {clock?.late ? <Notice kind="error">{t('rootseeking.late.notice', { date: date(r.reply_due_on) })}</Notice> : null}
      <div className="case-grid">
        <div className="case-main">
          <section className="panel">
            <h2>{t('rootseeking.section.family')}</h2>
            <dl className="facts">
              <Fact t={t} label="rootseeking.applicantName">{r.applicant_name}</Fact>
              <Fact t={t} label="rootseeking.nationality">{r.nationality}</Fact>
              <Fact t={t} label="rootseeking.residenceCountry">{r.residence_country}</Fact>
              <Fact t={t} label="rootseeking.email">{r.email}</Fact>
              <Fact t={t} label="rootseeking.language">{t(`rootseeking.language.${r.language}` as MessageKey)}</Fact>
              <Fact t={t} label="rootseeking.timeZone">{r.time_zone}</Fact>
              <Fact t={t} label="rootseeking.channel">{t(`rootseeking.channel.${r.channel}` as MessageKey)} · {date(r.received_on)}</Fact>
              <Fact t={t} label="rootseeking.col.due"><DueCell dueOn={r.reply_due_on} clock={clock} /></Fact>
            </dl>
            <h3>{t('rootseeking.section.adoptee')} · {t('rootseeking.section.adoption')}</h3>
            <dl className="facts">
              <Fact t={t} label="rootseeking.adopteeNameThen">{r.adoptee_name_then}</Fact>
              <Fact t={t} label="rootseeking.adopteeNameNow">{r.adoptee_name_now}</Fact>
              <Fact t={t} label="rootseeking.adopteeBirthDate">{date(r.adoptee_birth_date)}</Fact>
              <Fact t={t} label="rootseeking.registrationNumber"><span className="mono">{r.registration_number}</span></Fact>
              <Fact t={t} label="rootseeking.registrationDate">{date(r.registration_date)}</Fact>
              <Fact t={t} label="rootseeking.institution">{r.institution}</Fact>
            </dl>
            <h3>{t('rootseeking.section.wishes')}</h3>
            <dl className="facts">
              <Fact t={t} label="rootseeking.wishedDates">{date(r.wished_from)} – {date(r.wished_to)}</Fact>
              <Fact t={t} label="rootseeking.wishedPlaces">{r.wished_places}</Fact>
              {r.message ? <Fact t={t} label="rootseeking.message">{r.message}</Fact> : null}
            </dl>
          </section>

          <section className="panel">
            <h2>{t('rootseeking.section.visitors')}</h2>
            <div className="table-wrap">
              <table className="data-table">
                <thead><tr><th>#</th><th>{t('rootseeking.visitor.name')}</th><th>{t('rootseeking.visitor.relation')}</th><th>{t('rootseeking.visitor.nationality')}</th><th>{t('rootseeking.visitor.birthDate')}</th><th>{t('rootseeking.visitor.passportNumber')}</th><th>{t('rootseeking.visitor.passportExpiry')}</th><th>{t('rootseeking.doc.passport')}</th>{open && mayWrite ? <th><span className="sr-only">{t('rootseeking.visitors.remove')}</span></th> : null}</tr></thead>
                <tbody>
                  {visitors.map((v) => (
                    <tr key={v.id}>
                      <td>{v.position}</td><td>{v.name}</td><td>{v.relation}</td><td>{v.nationality}</td><td className="nowrap">{date(v.birthDate)}</td>
                      <td className="mono">{v.passportNumber}</td><td className="nowrap">{date(v.passportExpiry)}</td>
                      <td><span className={`badge ${v.passportCopy ? 'ok' : 'warn'}`}>{t(v.passportCopy ? 'rootseeking.visitor.copyOk' : 'rootseeking.visitor.copyMissing')}</span></td>
                      {open && mayWrite ? (
                        <td>
                          <Form method="post">
                            <input type="hidden" name="version" value={r.version} />
                            <input type="hidden" name="visitorId" value={v.id} />
                            <button type="submit" name="intent" value="removeVisitor" className="link-button" aria-label={`${t('rootseeking.visitors.remove')} ${v.name}`}>{t('rootseeking.visitors.remove')}</button>
                          </Form>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <FormErrors errors={formErrors('removeVisitor')} />
            {open && mayWrite ? (
              <details className="step-form" open={Boolean(replyFor(result, 'addVisitor'))}>
                <summary>{t('rootseeking.visitors.add')}</summary>
                <Form method="post" encType="multipart/form-data">
                  <p className="hint">{t('rootseeking.visitors.changeHint')}</p>
                  <FormErrors errors={formErrors('addVisitor')} />
                  <input type="hidden" name="version" value={r.version} />
                  <div className="grid">
                    <Field result={result} intent="addVisitor" name="name" label="rootseeking.visitor.name" required />
                    <Field result={result} intent="addVisitor" name="relation" label="rootseeking.visitor.relation" required />
                    <Field result={result} intent="addVisitor" name="nationality" label="rootseeking.visitor.nationality" required />
                    <Field result={result} intent="addVisitor" name="birthDate" label="rootseeking.visitor.birthDate" type="date" required />
                    <Field result={result} intent="addVisitor" name="passportNumber" label="rootseeking.visitor.passportNumber" required />
                    <Field result={result} intent="addVisitor" name="passportExpiry" label="rootseeking.visitor.passportExpiry" type="date" required />
                    <div className="field">
                      <label htmlFor="addVisitor-passportCopy">{t('rootseeking.visitor.passportCopy')}</label>
                      <input id="addVisitor-passportCopy" name="passportCopy" type="file" accept="application/pdf,image/jpeg,image/png" />
                    </div>
                  </div>
                  <SubmitButton name="intent" value="addVisitor">{t('rootseeking.visitors.add')}</SubmitButton>
                </Form>
              </details>
            ) : null}
          </section>

          <section className="panel">
            <h2>{t('rootseeking.section.documents')}</h2>
            {documents.length === 0 ? <p className="hint">{t('rootseeking.doc.none')}</p> : (
              <ul className="certificates">
                {(['application_form', 'adoption_certificate', 'passport', 'other'] as const).flatMap((kind) => docsOf(kind).map((d) => (
                  <li key={d.id}>
                    <a href={`/rootseeking/${r.id}/documents/${d.id}`}>{t(`rootseeking.doc.${kind}`)}</a>{' '}
                    <span className="hint">{kind === 'passport' ? visitors.find((v) => v.id === d.visitorId)?.name : ''} {d.filename} · {Math.ceil(d.size / 1024)} KB</span>
                  </li>
                )))}
              </ul>
            )}
            {open && mayWrite ? (
              <Form method="post" encType="multipart/form-data" className="step-form" key={documents.length}>
                <h3>{t('rootseeking.doc.upload')}</h3>
                <FormErrors errors={formErrors('upload')} />
                <div className="grid">
                  <div className="field">
                    <label htmlFor="upload-kind">{t('rootseeking.doc.kind')}</label>
                    <select id="upload-kind" name="kind">
                      {(['application_form', 'adoption_certificate', 'passport', 'other'] as const).map((k) => <option key={k} value={k}>{t(`rootseeking.doc.${k}`)}</option>)}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor="upload-visitor">{t('rootseeking.doc.visitor')}</label>
                    <select id="upload-visitor" name="visitorId">
                      <option value="">—</option>
                      {visitors.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor="upload-file">{t('rootseeking.doc.file')}</label>
                    <input id="upload-file" name="file" type="file" accept="application/pdf,image/jpeg,image/png" />
                  </div>
                </div>
                <SubmitButton name="intent" value="upload">{t('rootseeking.doc.upload')}</SubmitButton>
              </Form>
            ) : null}
          </section>

          {reception ? (
            <section className="panel">
              <h2>{t('rootseeking.plan')}</h2>
              <dl className="facts">
                <Fact t={t} label="rootseeking.plan.caseworker">{reception.caseworkerName}</Fact>
                <Fact t={t} label="rootseeking.plan.visitOn">{date(reception.visit_on)} {reception.starts_at}–{reception.ends_at}</Fact>
                <Fact t={t} label="rootseeking.plan.places">{reception.places}</Fact>
                <Fact t={t} label="rootseeking.plan.receivingStaff">{reception.receiving_staff}</Fact>
                <Fact t={t} label="rootseeking.plan.interpreter">{reception.interpreter}</Fact>
                <Fact t={t} label="rootseeking.plan.institutionContact">{reception.institution_contact}</Fact>
                <Fact t={t} label="rootseeking.plan.mayShow">{reception.may_show}</Fact>
                <Fact t={t} label="rootseeking.plan.noFeeRecorded">{t(reception.no_fee ? 'common.yes' : 'common.no')}</Fact>
              </dl>
              {reception.state === 'recorded' ? (
                <>
                  <h3>{t('rootseeking.reception.record')}</h3>
                  <dl className="facts">
                    <Fact t={t} label="rootseeking.reception.visitedOn">{date(reception.visited_on)}</Fact>
                    <Fact t={t} label="rootseeking.reception.attendees">{(reception.attendees ?? '').split('\n').join('、')}</Fact>
                    <Fact t={t} label="rootseeking.reception.placesVisited">{reception.places_visited}</Fact>
                    <Fact t={t} label="rootseeking.reception.shown">{reception.shown}</Fact>
                    {reception.follow_up ? <Fact t={t} label="rootseeking.reception.followUp">{reception.follow_up}</Fact> : null}
                  </dl>
                  <p className="hint">{t('rootseeking.reception.recordedBy', { name: reception.recorded_by === reception.caseworker_id ? reception.caseworkerName : '', at: dateTime(reception.recorded_at) })}</p>
                </>
              ) : mayWrite && r.state === 'accepted' ? (
                <Form method="post" className="step-form">
                  <h3>{t('rootseeking.reception.record')}</h3>
                  <FormErrors errors={formErrors('record')} />
                  <input type="hidden" name="version" value={reception.version} />
                  <Field result={result} intent="record" name="visitedOn" label="rootseeking.reception.visitedOn" type="date" required />
                  <fieldset className="field checkbox-group" aria-describedby="record-attendees-error">
                    <legend>{t('rootseeking.reception.attendees')}</legend>
                    {visitors.map((v) => <label key={v.id} className="checkbox"><input type="checkbox" name="attendees" value={v.id} />{v.name}</label>)}
                    <p className="field-error" id="record-attendees-error">{fieldError('record', 'attendees')}</p>
                  </fieldset>
                  <Field result={result} intent="record" name="placesVisited" label="rootseeking.reception.placesVisited" textarea required />
                  <Field result={result} intent="record" name="shown" label="rootseeking.reception.shown" textarea required />
                  <Field result={result} intent="record" name="followUp" label="rootseeking.reception.followUp" textarea />
                  <SubmitButton name="intent" value="record">{t('rootseeking.reception.save')}</SubmitButton>
                </Form>
              ) : null}
            </section>
          ) : null}
        </div>

        <aside className="case-side">
          <section className="panel">
            <h2>{t('rootseeking.registry.title')}</h2>
            {registration?.sealed ? (
              <>
                <p><strong>{t('rootseeking.registry.found')}</strong> <span className="mono">{registration.registrationNumber}</span></p>
                <Notice kind="warning">{t('rootseeking.registry.sealed')}</Notice>
                <ul className="checks">
                  {checks?.map((c) => <li key={c.key} className={c.ok ? 'ok' : 'bad'}>{c.ok ? '✓' : '✗'} {t(`rootseeking.check.${c.key}` as MessageKey)}: {t(c.ok ? 'rootseeking.check.ok' : 'rootseeking.check.bad')}</li>)}
                </ul>
              </>
            ) : registration ? (
              <>
                <p><strong>{t('rootseeking.registry.found')}</strong> {page.mayReadCase && registration.applicationId ? <Link to={`/applications/${registration.applicationId}`} className="mono">{registration.registrationNumber}</Link> : <span className="mono">{registration.registrationNumber}</span>}</p>
                <dl className="facts">
                  <Fact t={t} label="rootseeking.registrationDate">{registration.registeredOn ? date(registration.registeredOn) : ''}</Fact>
                  <Fact t={t} label="rootseeking.registry.adopters">{registration.adopters.join('、')}</Fact>
                  <Fact t={t} label="rootseeking.registry.child">{registration.childName} / {registration.childNameAfter ?? '—'} · {registration.childBirthDate ? date(registration.childBirthDate) : ''}</Fact>
                  {registration.institution ? <Fact t={t} label="rootseeking.institution">{registration.institution}</Fact> : null}
                  <Fact t={t} label="rootseeking.registry.archive">{registration.archiveNumber ?? t('rootseeking.registry.noArchive')}</Fact>
                </dl>
                {registration.secrecy ? <Notice kind="warning">{t('rootseeking.registry.secrecy')}</Notice> : null}
                <ul className="checks">
                  {checks?.map((c) => <li key={c.key} className={c.ok ? 'ok' : 'bad'}>{c.ok ? '✓' : '✗'} {t(`rootseeking.check.${c.key}` as MessageKey)}: {t(c.ok ? 'rootseeking.check.ok' : 'rootseeking.check.bad')}</li>)}
                </ul>
              </>
            ) : <Notice kind="warning">{t('rootseeking.registry.notFound', { number: r.registration_number })}</Notice>}
            {r.paper_archive_reference ? <p>{t('rootseeking.verify.paperDone', { reference: r.paper_archive_reference })}</p> : null}
            {r.verified_at ? <p className="hint">{t('rootseeking.verified', { name: r.verifiedByName ?? '', at: dateTime(r.verified_at) })}{r.verification_note ? `：${r.verification_note}` : ''}</p> : null}
            {open && mayWrite && !r.verified_at ? (
              <Form method="post" className="step-form">
                <FormErrors errors={formErrors('verify')} />
                <input type="hidden" name="version" value={r.version} />
                <label className="checkbox"><input type="checkbox" name="visitorsMatch" />{t('rootseeking.verify.visitorsMatchLabel')}</label>
                <p className="field-error">{fieldError('verify', 'visitorsMatch')}</p>
                {registration ? null : (
                  <>
                    <p className="hint">{t('rootseeking.verify.paperHint')}</p>
                    <Field result={result} intent="verify" name="paperArchive" label="rootseeking.verify.paperArchive" />
                  </>
                )}
                <Field result={result} intent="verify" name="note" label="rootseeking.verify.note" textarea />
                <SubmitButton name="intent" value="verify">{t('rootseeking.verify')}</SubmitButton>
              </Form>
            ) : null}
          </section>

          <section className="panel">
            <h2>{t('rootseeking.decision')}</h2>
            {r.decided_at ? <p>{t('rootseeking.decidedBy', { name: r.decidedByName ?? '', at: r.replied_on ? date(r.replied_on) : dateTime(r.decided_at) })}</p> : null}
            {r.decline_reasons ? <><h3>{t('rootseeking.declineReasons')}</h3><p>{r.decline_reasons}</p></> : null}
            {open && mayWrite && r.verified_at ? (
              <Form method="post" className="step-form">
                <h3>{t('rootseeking.plan')}</h3>
                <FormErrors errors={formErrors('accept')} />
                <input type="hidden" name="version" value={r.version} />
                <div className="field">
                  <label htmlFor="accept-caseworker">{t('rootseeking.plan.caseworker')}</label>
                  <select id="accept-caseworker" name="caseworkerId" defaultValue={value('accept', 'caseworkerId')}>
                    <option value="">—</option>
                    {caseworkers.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
                  </select>
                  <p className="field-error">{fieldError('accept', 'caseworkerId')}</p>
                </div>
                <Field result={result} intent="accept" name="visitOn" label="rootseeking.plan.visitOn" type="date" required />
                <Field result={result} intent="accept" name="startsAt" label="rootseeking.plan.startsAt" type="time" required />
                <Field result={result} intent="accept" name="endsAt" label="rootseeking.plan.endsAt" type="time" required />
                <Field result={result} intent="accept" name="places" label="rootseeking.plan.places" textarea required />
                <Field result={result} intent="accept" name="receivingStaff" label="rootseeking.plan.receivingStaff" required />
                <Field result={result} intent="accept" name="interpreter" label="rootseeking.plan.interpreter" required />
                <Field result={result} intent="accept" name="institutionContact" label="rootseeking.plan.institutionContact" required />
                <Field result={result} intent="accept" name="mayShow" label="rootseeking.plan.mayShow" textarea required />
                <label className="checkbox"><input type="checkbox" name="noFee" />{t('rootseeking.plan.noFeeLabel')}</label>
                <p className="field-error">{fieldError('accept', 'noFee')}</p>
                <SubmitButton name="intent" value="accept">{t('rootseeking.accept')}</SubmitButton>
              </Form>
            ) : null}
            {open && mayWrite ? (
              <Form method="post" className="step-form">
                <h3>{t('rootseeking.decline')}</h3>
                <FormErrors errors={formErrors('decline')} />
                <input type="hidden" name="version" value={r.version} />
                <Field result={result} intent="decline" name="reasons" label="rootseeking.decline.reasons" textarea required />
                <SubmitButton name="intent" value="decline" variant="danger">{t('rootseeking.decline')}</SubmitButton>
              </Form>
            ) : null}
            {mayWrite && (r.state === 'visited' || r.state === 'declined') ? (
              <Form method="post" className="step-form">
                <FormErrors errors={formErrors('close')} />
                <input type="hidden" name="version" value={r.version} />
                <SubmitButton name="intent" value="close" variant="secondary">{t('rootseeking.close')}</SubmitButton>
              </Form>
            ) : null}
            {mayWrite && !r.email_bounced_at && r.state !== 'closed' ? (
              <Form method="post" className="step-form">
                <input type="hidden" name="version" value={r.version} />
                <SubmitButton name="intent" value="bounced" variant="secondary">{t('rootseeking.bounced.mark')}</SubmitButton>
              </Form>
            ) : null}
          </section>

          <section className="panel">
            <h2>{t('rootseeking.disclosure.title')}</h2>
            {!disclosure.current?.disclose ? <p className="hint">{t('rootseeking.disclosure.hidden')}</p> : null}
            {disclosure.history.length === 0 ? <p>{t('rootseeking.disclosure.none')}</p> : (
              <ul>
                {disclosure.history.map((d) => (
                  <li key={d.id}><strong>{t(d.disclose ? 'rootseeking.disclosure.decision.yes' : 'rootseeking.disclosure.decision.no')}</strong> — {t('rootseeking.disclosure.by', { name: d.decidedByName, at: dateTime(d.decidedAt), basis: d.basis })}{d.paperFileReference ? t('rootseeking.disclosure.paperFile', { reference: d.paperFileReference }) : ''}</li>
                ))}
              </ul>
            )}
            {birthFamily ? (
              <>
                <h3>{t('rootseeking.disclosure.details')}</h3>
                {birthFamily.length === 0 ? <p>{t('rootseeking.disclosure.nothing')}</p> : (
                  <ul>{birthFamily.map((p, i) => <li key={i}>{p.name}{p.address ? ` · ${p.address}` : ''}{p.phone ? ` · ${p.phone}` : ''}</li>)}</ul>
                )}
              </>
            ) : null}
            {page.mayDecideDisclosure ? (
              <Form method="post" className="step-form">
                <FormErrors errors={formErrors('disclosure')} />
                <fieldset className="field radio-group">
                  <legend>{t('rootseeking.disclosure.discloseLabel')}</legend>
                  <label className="checkbox"><input type="radio" name="disclose" value="no" />{t('rootseeking.disclosure.decision.no')}</label>
                  <label className="checkbox"><input type="radio" name="disclose" value="yes" />{t('rootseeking.disclosure.decision.yes')}</label>
                  <p className="field-error">{fieldError('disclosure', 'disclose')}</p>
                </fieldset>
                <Field result={result} intent="disclosure" name="basis" label="rootseeking.disclosure.basis" textarea required />
                {(registration?.secrecy && registration.secrecyRequestedBy === null) || fieldError('disclosure', 'paperFileChecked') ? (
                  <fieldset className="field wide-field">
                    <legend>{t('rootseeking.disclosure.paperFileHint')}</legend>
                    <label className="checkbox">
                      <input type="checkbox" name="paperFileChecked" defaultChecked={value('disclosure', 'paperFileChecked') === 'on'} aria-invalid={fieldError('disclosure', 'paperFileChecked') ? true : undefined} aria-describedby="disclosure-paperFileChecked-error" />
                      {t('rootseeking.disclosure.paperFileChecked')}
                    </label>
                    <p className="field-error" id="disclosure-paperFileChecked-error" aria-live="polite">{fieldError('disclosure', 'paperFileChecked')}</p>
                    <Field result={result} intent="disclosure" name="paperFileReference" label="rootseeking.disclosure.paperFileReference" />
                  </fieldset>
                ) : null}
                <SubmitButton name="intent" value="disclosure">{t('rootseeking.disclosure.decide')}</SubmitButton>
              </Form>
            ) : null}
          </section>
        </aside>
      </div>
    </div>
  )
}

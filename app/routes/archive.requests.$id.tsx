import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { z } from 'zod'
import { text } from '#app/platform/text.ts'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { runForm } from '#app/platform/form-action.server.ts'
import { decideAccess, logView, viewRequest } from '#app/archive/access.server.ts'
import { viewerOf } from '#app/registration/page.server.ts'
import { FormErrors, Notice } from '#app/components/forms.tsx'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'archive.read')
  const viewer = viewerOf(user)
  const loaded = await orRespond(() => viewRequest(context.db, viewer, params.id ?? '', context.ip))
  if (loaded.open && loaded.mine) await logView(context.db, viewer, loaded.request.id, loaded.file.id, context.ip)
  return loaded
}

const decisionSchema = z.object({
  version: z.coerce.number().int(),
  decision: z.enum(['approve', 'refuse'], { error: 'validation.chooseOne' }),
  reason: text(1000),
  revealBirthFamily: z.boolean().default(false),
})

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context, 'archive.approve')
  const result = await runForm(await request.formData(), 'decide', decisionSchema, (v) =>
    decideAccess(context.db, viewerOf(user), params.id ?? '', v.version, { approve: v.decision === 'approve', reason: v.reason, revealBirthFamily: v.revealBirthFamily }),
  )
  return data(result, { status: result.ok ? 200 : 400 })
}

export default function AccessRequest() {
  const { request: r, file, open, mine, documents, withheld, withheldCategories, mayDecide } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const { t, dateTime, date } = useI18n()
  const errors = result && !result.ok ? result.reply.error ?? {} : {}
  return (
    <section className="narrow wide">
      <p className="actions"><Link to="/archive/requests">← {t('access.requests')}</Link> <a className="button secondary" href={`/archive/requests/${r.id}/slip.pdf`}>{t('access.slip')}</a></p>
      <h1>{t('access.log.request')} {r.id} <span className={`badge ${r.state === 'approved' ? 'ok' : r.state === 'pending' ? 'warn' : 'muted'}`}>{t(`access.state.${r.state}` as MessageKey)}</span></h1>
      {result?.ok ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <dl className="facts">
        <dt>{t('archive.col.number')}</dt><dd className="mono">{file.archive_number}</dd>
        <dt>{t('archive.col.title')}</dt><dd>{file.title}</dd>
        <dt>{t('access.kind')}</dt><dd>{t(`access.kind.${r.requester_kind}` as MessageKey)}</dd>
        <dt>{t('access.name')}</dt><dd>{r.requester_name}{r.requester_unit ? `（${r.requester_unit}）` : ''}</dd>
        {r.letter_reference ? <><dt>{t('access.letterReference')}</dt><dd>{r.letter_reference}</dd></> : null}
        {r.requester_kind === 'party' ? <><dt>{t('access.idChecked')}</dt><dd>{t(r.id_checked ? 'common.yes' : 'common.no')}</dd></> : null}
        <dt>{t('access.purpose')}</dt><dd>{r.purpose}</dd>
        <dt>{t('access.staff')}</dt><dd>{r.staffName}</dd>
        {r.decidedByName ? <><dt>{t('access.decide')}</dt><dd>{r.decidedByName} · {r.decided_at ? dateTime(r.decided_at) : ''}：{r.decision_reason}</dd></> : null}
        {r.valid_until ? <><dt>{t('access.validUntil', { at: '' }).replace(/\s*$/, '')}</dt><dd>{dateTime(r.valid_until)}{open ? '' : `（${t('access.expired')}）`}</dd></> : null}
      </dl>
      {file.confidential ? <Notice kind="warning">{t('archive.file.confidential')}</Notice> : null}
      {mayDecide ? (
        <Form method="post" className="step-form panel">
          <h2>{t('access.decide')}</h2>
          <FormErrors errors={errors[''] ?? []} />
          <input type="hidden" name="version" value={r.version} />
          <fieldset className="field radio-group">
            <legend>{t('access.decide')}</legend>
            <label className="checkbox"><input type="radio" name="decision" value="approve" />{t('access.approve')}</label>
            <label className="checkbox"><input type="radio" name="decision" value="refuse" />{t('access.refuse')}</label>
          </fieldset>
          {file.confidential ? <label className="checkbox"><input type="checkbox" name="revealBirthFamily" />{t('access.revealBirthFamily')}</label> : null}
          <div className="field">
            <label htmlFor="decide-reason">{t('access.reason')}</label>
            <textarea id="decide-reason" name="reason" rows={2} maxLength={1000} />
            <p className="field-error">{(errors['reason'] ?? []).map((e) => t(e as MessageKey)).join(' ')}</p>
          </div>
          <button type="submit" className="button primary">{t('access.decide')}</button>
        </Form>
      ) : null}
      {r.state === 'approved' ? (
        <section className="panel">
          <h2>{t('access.documents')}</h2>
          {!mine ? <p className="hint">{t('access.onlyStaff', { name: r.staffName })}</p> : !open ? <p>{t('access.notOpen')}</p> : (
            <>
              {withheld ? (
                <Notice kind="warning">
                  {withheldCategories.length === 0 ? t('access.withheld.none') : (
                    <>
                      {t('access.withheld')}
                      <ul className="withheld">
                        {withheldCategories.map((c) => <li key={c.category}>{t('access.withheld.item', { category: t(`archive.category.${c.category}` as MessageKey), count: c.count })}</li>)}
                      </ul>
                    </>
                  )}
                </Notice>
              ) : null}
              <ul className="certificates">
                {documents.map((d) => (
                  <li key={d.id}>
                    {d.title} <span className="hint">{date(d.docDate)} · {t('archive.docs.pageCount', { count: d.pages })}</span>{' '}
                    <a href={`/archive/requests/${r.id}/documents/${d.id}`}>{t('access.download')}</a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      ) : null}
    </section>
  )
}

// 收养登记审批表: the record of the two people who decided — the registrar who proposed and the
// supervisor who approved — with the facts they decided on. A printable A4 page.
import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { requireUser } from '#app/platform/guard.server.ts'
import { orRespond } from '#app/platform/http.server.ts'
import { requestLocale } from '#app/platform/i18n/locale.server.ts'
import { applicationPage } from '#app/registration/page.server.ts'
import { todayInShanghai } from '#app/registration/deadlines.ts'
import { registryName } from '#app/registration/registry.server.ts'
import { useI18n } from '#app/components/i18n.tsx'
import type { MessageKey } from '#app/platform/i18n/index.ts'

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context, 'case.read')
  const locale = await requestLocale(request, user.locale)
  const page = await orRespond(() => applicationPage(context, user, params.id ?? '', locale, todayInShanghai(), null))
  // A printed sheet names the bureau it belongs to, and when and by whom it was printed.
  return { ...page, issuer: await registryName(context.db, user.registryCode, locale), printedAt: new Date().toISOString(), printedBy: user.displayName }
}

export default function ApprovalForm() {
  const page = useLoaderData<typeof loader>()
  const { t, date, dateTime } = useI18n()
  const { app } = page
  const people = (role: string) => page.parties.filter((p) => p.role === role).map((p) => p.name).join('、')
  return (
    <section className="approval-sheet">
      <p className="no-print"><Link to={`/applications/${app.id}`}>← {t('action.back')}</Link></p>
      <p className="sheet-issuer">{page.issuer}</p>
      <h1 className="sheet-title">{t('approval.title')}</h1>
      <table className="sheet">
        <tbody>
          <tr><th scope="row">{t('ledger.col.id')}</th><td>{app.id}</td><th scope="row">{t('ledger.col.number')}</th><td className="mono">{app.registrationNumber ?? app.refusalNumber ?? ''}</td></tr>
          <tr><th scope="row">{t('app.role.adopter')}</th><td>{people('adopter')}</td><th scope="row">{t('app.role.child')}</th><td>{people('child')}</td></tr>
          <tr><th scope="row">{t('app.role.placing')}</th><td>{people('placing')}</td><th scope="row">{t('app.kind')}</th><td>{t(`relation.${app.relation}` as MessageKey)}</td></tr>
          {app.deFactoSince ? <tr><th scope="row">{t('ledger.deFacto')}</th><td colSpan={3}>{t('app.deFacto', { date: date(app.deFactoSince) })}</td></tr> : null}
          <tr><th scope="row">{t('app.received')}</th><td>{date(app.receivedOn)}</td><th scope="row">{t('app.assessment')}</th><td>{t(`app.assessment.${app.assessment}` as MessageKey, { date: date(app.assessmentReportOn), ref: app.assessmentReference ?? '' })}</td></tr>
          <tr>
            <th scope="row">{t('app.eligibility')}</th>
            <td colSpan={3}>
              <ul className="sheet-list">
                {page.evaluation.findings.filter((f) => f.outcome !== 'not_applicable').map((f) => (
                  <li key={f.rule}>{f.rule}：{t(`outcome.${f.outcome}` as MessageKey)}</li>
                ))}
              </ul>
            </td>
          </tr>
          <tr>
            <th scope="row">{t('approval.registrarOpinion')}</th>
            <td colSpan={3}>
              <p><strong>{app.decision ? t(app.decision === 'register' ? 'step.decision.register' : 'step.decision.refuse') : '—'}</strong></p>
              {app.decisionFacts ? <p>{t('step.decision.facts')}：{app.decisionFacts}</p> : null}
              {app.refusalGround ? <p>{t('step.decision.ground')}：{t(`refusalGround.${app.refusalGround}`)}</p> : null}
              {app.decisionBasis ? <p>{t('step.decision.basis')}：{app.decisionBasis}</p> : null}
              <p className="signature">{t('approval.signed', { name: app.proposerName ?? '', at: app.proposedAt ? dateTime(app.proposedAt) : '' })}</p>
            </td>
          </tr>
          <tr>
            <th scope="row">{t('approval.supervisorOpinion')}</th>
            <td colSpan={3}>
              {app.approverName ? (
                <>
                  <p><strong>{t('approval.approved')}</strong></p>
                  <p className="signature">{t('approval.signed', { name: app.approverName, at: app.approvedAt ? dateTime(app.approvedAt) : '' })}</p>
                </>
              ) : <p>{t('approval.awaiting')}</p>}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="sheet-printed">{t('approval.printed', { at: dateTime(page.printedAt), name: page.printedBy })}</p>
    </section>
  )
}

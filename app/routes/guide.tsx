// The public guide for prospective adopters (普法宣传): no login. For each kind of adoption, the
// conditions and the documents to bring, both generated from the rules the registrars use
// (app/registration/guide.ts), so the page cannot drift from what is checked. Printable on A4:
// the contents and general notes on the first page, each kind of adoption from a new page.
import type { MetaFunction } from '@remix-run/node'
import { Fragment } from 'react'
import { useI18n } from '#app/components/i18n.tsx'
import { defaultLocale, isLocale, translate, type MessageKey, chineseNumeral } from '#app/platform/i18n/index.ts'
import type { EligibilityRuleId } from '#app/registration/eligibility.ts'
import type { ChecklistItem } from '#app/registration/checklist.ts'
import {
  exemptText, guideCases, ruleText,
  type GuideCase, type GuideCaseKind, type GuideRule,
} from '#app/registration/guide.ts'

export const meta: MetaFunction = ({ matches }) => {
  const rootData = matches.find((m) => m.id === 'root')?.data as { locale?: unknown } | undefined
  const locale = isLocale(rootData?.locale) ? rootData.locale : defaultLocale
  return [
    { title: `${translate(locale, 'guide.title')} — ${translate(locale, 'app.name')}` },
    { name: 'description', content: translate(locale, 'guide.lead') },
  ]
}

// Computed once: the guide depends on the rules only, not on the request.
const cases = guideCases()

const anchor = (kind: GuideCaseKind) => `case-${kind}`
const caseKey = (kind: GuideCaseKind, part: 'title' | 'summary' | 'exemptBasis') =>
  `guide.case.${kind}.${part}` satisfies MessageKey

export default function Guide() {
  const { t } = useI18n()
  return (
    <section className="guide" aria-labelledby="guide-title">
      <header className="guide-head">
        <div>
          <h1 id="guide-title">{t('guide.title')}</h1>
          <p className="lead">{t('guide.lead')}</p>
        </div>
        <div className="actions">
          <button type="button" className="button secondary" onClick={() => window.print()}>{t('guide.print')}</button>
        </div>
      </header>

      <nav className="guide-toc" id="contents" aria-labelledby="guide-toc-title">
        <h2 id="guide-toc-title">{t('guide.toc')}</h2>
        <ol>
          {cases.map((c) => (
            <li key={c.kind}>
              <a href={`#${anchor(c.kind)}`}>{t(caseKey(c.kind, 'title'))}</a>
              <span className="guide-toc-count">{t('guide.toc.documents', { count: c.documents.length })}</span>
            </li>
          ))}
        </ol>
      </nav>

      <section className="guide-general" id="general" aria-labelledby="general-title">
        <h2 id="general-title">{t('guide.general.title')}</h2>
        <ul>
          <li>{t('guide.general.where')}</li>
          <li>{t('guide.general.inPerson')}</li>
          <li>{t('guide.general.assessment')}</li>
          <li>{t('guide.general.notice')}</li>
          <li>{t('guide.general.review')}</li>
          <li>{t('guide.general.secrecy')}</li>
          <li>{t('guide.general.declaration')}</li>
          <li><strong>{t('guide.general.fees')}</strong></li>
        </ul>
        <p className="hint">{t('guide.general.citations')}</p>
      </section>

      {cases.map((c, i) => <CaseSection key={c.kind} guideCase={c} number={i + 1} />)}

      <footer className="guide-sources">
        <h2>{t('guide.sources.title')}</h2>
        <ul>
          <li>{t('guide.sources.civilCode')}</li>
          <li>{t('guide.sources.measures')}</li>
          <li>{t('guide.sources.assessment')}</li>
        </ul>
        <p className="hint">{t('guide.disclaimer')}</p>
      </footer>
    </section>
  )
}

function CaseSection({ guideCase: c, number }: { guideCase: GuideCase; number: number }) {
  const { t } = useI18n()
  const id = anchor(c.kind)
  const title = t(caseKey(c.kind, 'title'))
  const applying = c.rules.filter((r) => r.status === 'applies')
  const exempt = c.rules.filter((r) => r.status === 'exempt')
  const adopterRules = applying.filter((r) => r.subject === 'adopter')
  const otherRules = applying.filter((r) => r.subject === 'child_and_placing')
  let row = 0
  return (
    <section className="guide-case" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}><span className="guide-case-number" aria-hidden="true">{number}</span>{title}</h2>
      <p className="guide-summary">{t(caseKey(c.kind, 'summary'))}</p>
      <dl className="facts guide-facts">
        <dt>{t('guide.facts.registry')}</dt>
        <dd>{t(`guide.registry.${c.registry}` satisfies MessageKey)}</dd>
        <dt>{t('guide.facts.assessment')}</dt>
        <dd>{t(c.assessment ? 'guide.assessment.required' : 'guide.assessment.notRequired')}</dd>
        <dt>{t('guide.facts.notice')}</dt>
        <dd>{t(c.publicNotice ? 'guide.notice.required' : 'guide.notice.notRequired')}</dd>
      </dl>

      <h3>{t('guide.conditions.title')}</h3>
      <div className="guide-conditions">
        <RuleList heading="guide.conditions.adopter" rules={adopterRules} />
        <RuleList heading="guide.conditions.childAndPlacing" rules={otherRules} />
      </div>
      {exempt.length > 0 ? (
        <div className="guide-exempt">
          <h4>{t('guide.conditions.exempt')}</h4>
          <ul>
            {exempt.map((r) => (
              <li key={r.rule}>{t(exemptText(r.rule))} <RuleRef rule={r.rule} /></li>
            ))}
          </ul>
          <p className="guide-exempt-basis">{t(caseKey(c.kind, 'exemptBasis'))}</p>
        </div>
      ) : null}

      <h3>{t('guide.documents.title')}</h3>
      <table className="data-table guide-docs">
        <caption className="visually-hidden">{t('guide.documents.caption', { case: title })}</caption>
        <thead>
          <tr>
            <th scope="col" className="guide-docs-number">{t('guide.documents.number')}</th>
            <th scope="col">{t('guide.documents.document')}</th>
            <th scope="col" className="guide-docs-party">{t('guide.documents.party')}</th>
            <th scope="col" className="guide-docs-basis">{t('guide.documents.basis')}</th>
          </tr>
        </thead>
        <tbody className="guide-docs-base">
          {c.documents.map((d) => <DocumentRow key={d.code} item={d} number={++row} />)}
        </tbody>
        {c.additional.map((group) => (
          <tbody key={group.when} className="guide-docs-additional">
            <tr>
              <th scope="rowgroup" colSpan={4} className="guide-docs-group">{t(`guide.additional.${group.when}` satisfies MessageKey)}</th>
            </tr>
            {group.items.map((d) => <DocumentRow key={d.code} item={d} number={++row} />)}
          </tbody>
        ))}
      </table>
      <p className="guide-back"><a href="#contents">{t('guide.backToTop')}</a></p>
    </section>
  )
}

// On a phone the party and basis columns give way to a line under the document's name.
function DocumentRow({ item, number }: { item: ChecklistItem; number: number }) {
  const { t } = useI18n()
  const party = t(`checklist.party.${item.party}` satisfies MessageKey)
  return (
    <tr data-code={item.code}>
      <td className="guide-docs-number">{number}</td>
      <td>
        {t(item.label)}
        <span className="guide-docs-inline">{party} · {t(item.basis)}</span>
      </td>
      <td className="guide-docs-party">{party}</td>
      <td className="guide-docs-basis">{t(item.basis)}</td>
    </tr>
  )
}

function RuleList({ heading, rules }: { heading: MessageKey; rules: GuideRule[] }) {
  const { t } = useI18n()
  if (rules.length === 0) return null
  return (
    <div>
      <h4>{t(heading)}</h4>
      <ul className="guide-rules">
        {rules.map((r) => (
          <li key={r.rule}>
            {t(ruleText(r.rule))} <RuleRef rule={r.rule} />
            {r.exemptWhen.map((when) => (
              <Fragment key={when}> <span className="guide-exempt-when">{t(`guide.exemptWhen.${when}` satisfies MessageKey)}</span></Fragment>
            ))}
          </li>
        ))}
      </ul>
    </div>
  )
}

// A rule id ('1098(1)') as a citation of the Civil Code: 第一千零九十八条第一项, or art. 1098(1).
function RuleRef({ rule }: { rule: EligibilityRuleId }) {
  const { t, locale } = useI18n()
  const m = /^(\d+)(?:\((\d+)\))?$/.exec(rule)
  if (!m) return null
  const number = (digits: string) => (locale === 'zh' ? chineseNumeral(Number(digits)) : digits)
  const text = m[2]
    ? t('guide.ref.item', { article: number(m[1]), item: number(m[2]) })
    : t('guide.ref.article', { article: number(m[1]) })
  return <span className="guide-ref">{text}</span>
}

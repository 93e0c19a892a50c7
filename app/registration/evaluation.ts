// From an application as recorded to the eligibility findings a registrar sees. Facts that are not
// yet established (ability to raise before the assessment concludes, health and record checks not
// yet done, the child's consent not yet taken) make their rule 'pending' — never 'pass'.
// Pure: takes plain rows, returns findings.
import { checkEligibility, type EligibilityFacts } from './eligibility.ts'
import type { Locale } from '#app/platform/i18n/index.ts'
import { translate } from '#app/platform/i18n/index.ts'

export type AdopterFacts = {
  birthDate: string
  sex: 'male' | 'female'
  maritalStatus: 'unmarried' | 'married' | 'divorced' | 'widowed'
  children: number
  adoptedChildren: number
  overseasChinese: boolean
  disqualifyingDisease: boolean | null
  harmfulRecord: boolean | null
}

export type ApplicationFacts = {
  relation: EligibilityFacts['relation']
  placingKind: EligibilityFacts['placingParty']['kind']
  otherParentUnknownOrMissing: boolean
  otherParentDeceased?: boolean
  consentOfSupporters: boolean | null
  assessment: 'not_required' | 'pending' | 'recommended' | 'not_recommended'
  child: EligibilityFacts['child']
  adopters: AdopterFacts[]
}

export type Finding = { rule: string; outcome: 'pass' | 'fail' | 'exempt' | 'not_applicable' | 'pending'; message: string }

export type Evaluation = { eligible: boolean; findings: Finding[]; pending: string[]; failed: string[] }

export function evaluate(facts: ApplicationFacts, asOf: string, locale: Locale): Evaluation {
  const pendingFacts = new Map<string, string>()
  if (facts.assessment === 'pending') pendingFacts.set('1098(2)', translate(locale, 'registration.pending.assessment'))
  if (facts.adopters.some((a) => a.disqualifyingDisease === null)) pendingFacts.set('1098(3)', translate(locale, 'registration.pending.health'))
  if (facts.adopters.some((a) => a.harmfulRecord === null)) pendingFacts.set('1098(4)', translate(locale, 'registration.pending.record'))

  const result = checkEligibility(
    {
      asOf,
      relation: facts.relation,
      child: facts.child,
      placingParty: {
        kind: facts.placingKind,
        otherParentUnknownOrMissing: facts.otherParentUnknownOrMissing,
        otherParentDeceased: facts.otherParentDeceased ?? false,
        consentOfSupporters: facts.consentOfSupporters,
      },
      adopters: facts.adopters.map((a) => ({
        birthDate: a.birthDate,
        sex: a.sex,
        hasSpouse: a.maritalStatus === 'married',
        children: a.children,
        adoptedChildren: a.adoptedChildren,
        // Unknown facts are given their passing value here and reported as pending below.
        ableToRaise: facts.assessment !== 'not_recommended',
        disqualifyingDisease: a.disqualifyingDisease ?? false,
        harmfulRecord: a.harmfulRecord ?? false,
        overseasChinese: a.overseasChinese,
      })),
    },
    locale,
  )
  const findings: Finding[] = result.findings.map((f) =>
    f.outcome === 'pass' && pendingFacts.has(f.rule) ? { rule: f.rule, outcome: 'pending', message: pendingFacts.get(f.rule)! } : f,
  )
  const pending = findings.filter((f) => f.outcome === 'pending').map((f) => f.rule)
  return { eligible: result.eligible && pending.length === 0, findings, pending, failed: result.failed }
}

/** Full years (周岁) on a day: the child's consent is needed from 8 (art. 1104). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number)
  const [y, m, d] = on.split('-').map(Number)
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

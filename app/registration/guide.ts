// The public guide for prospective adopters (/guide), per kind of case: which Civil Code rules
// apply and which are lifted, which documents to bring, where to apply, whether a capability
// assessment and a public notice come first. Nothing here restates a rule: the conditions are read
// off the eligibility engine (checkEligibility) run on representative facts for each kind of case,
// and the documents off requiredDocuments, so the guide says what registrars check.
import type { MessageKey } from '#app/platform/i18n/index.ts'
import { checkEligibility, eligibilityRuleIds, type EligibilityFacts, type EligibilityRuleId } from './eligibility.ts'
import { isStepParentAdoption, requiredDocuments, type ChecklistContext, type ChecklistItem } from './checklist.ts'

export const guideCaseKinds = ['institution', 'foundling', 'orphan', 'difficulty', 'relative', 'stepchild'] as const
export type GuideCaseKind = (typeof guideCaseKinds)[number]

// Each kind of case as a checklist context: a married couple, a young child, no disability.
const baseContexts: Record<GuideCaseKind, ChecklistContext> = {
  institution: {
    relation: 'none', placingKind: 'welfare_institution', childSituation: 'parents_not_found', foundling: false,
    childDisabled: false, adopters: 2, childAge8OrOver: false,
  },
  // No one but a child welfare institution may place a child whose birth parents cannot be found
  // (art. 1094); the foundling raised outside the institution is placed by it.
  foundling: {
    relation: 'none', placingKind: 'welfare_institution', childSituation: 'parents_not_found', foundling: true,
    childDisabled: false, adopters: 2, childAge8OrOver: false,
  },
  orphan: {
    relation: 'none', placingKind: 'guardian', childSituation: 'orphan', foundling: false,
    childDisabled: false, adopters: 2, childAge8OrOver: false,
  },
  difficulty: {
    relation: 'none', placingKind: 'birth_parents', childSituation: 'parents_in_difficulty', foundling: false,
    childDisabled: false, adopters: 2, childAge8OrOver: false,
  },
  relative: {
    relation: 'relative', placingKind: 'birth_parents', childSituation: 'other', foundling: false,
    childDisabled: false, adopters: 2, childAge8OrOver: false,
  },
  stepchild: {
    relation: 'stepchild', placingKind: 'birth_parents', childSituation: 'other', foundling: false,
    childDisabled: false, adopters: 1, childAge8OrOver: false,
  },
}

/** Whom a rule is about, for grouping the conditions on the page. */
export const ruleSubject: Record<EligibilityRuleId, 'adopter' | 'child_and_placing'> = {
  '1093': 'child_and_placing', '1094': 'child_and_placing', '1096': 'child_and_placing', '1097': 'child_and_placing',
  '1098(1)': 'adopter', '1098(2)': 'adopter', '1098(3)': 'adopter', '1098(4)': 'adopter', '1098(5)': 'adopter',
  '1100': 'adopter', '1101': 'adopter', '1102': 'adopter', '1104': 'child_and_placing',
}

// Plain-language condition texts, one per rule id; the type check fails if one is missing.
type RuleTextKey = `guide.rule.${EligibilityRuleId}`
const everyRuleHasText: RuleTextKey extends MessageKey ? true : never = true
void everyRuleHasText
export function ruleText(rule: EligibilityRuleId): MessageKey {
  return `guide.rule.${rule}` satisfies RuleTextKey
}

// Where an exemption lifts only part of a rule (arts. 1099(1) and 1103 lift item (3) of arts. 1093
// and 1094, not the rest), the exempt list says what is lifted rather than the whole condition.
const partialExemptions: Partial<Record<EligibilityRuleId, MessageKey>> = {
  '1093': 'guide.exempt.1093',
  '1094': 'guide.exempt.1094',
}
export function exemptText(rule: EligibilityRuleId): MessageKey {
  return partialExemptions[rule] ?? ruleText(rule)
}

/** Conditional exemptions, found by running the engine on the case with one more fact. */
export type ExemptWhen = 'childDisabled' | 'overseasChinese'

export type GuideRule = {
  rule: EligibilityRuleId
  subject: 'adopter' | 'child_and_placing'
  status: 'applies' | 'exempt'
  exemptWhen: ExemptWhen[]
}

export type AdditionalWhen = 'childAge8OrOver' | 'childDisabled' | 'oneBirthParent'

export type Registry = 'institution' | 'place_found' | 'guardian_hukou' | 'birth_parent_hukou'

export type GuideCase = {
  kind: GuideCaseKind
  context: ChecklistContext
  /** The rules checked in this kind of case (rules that never concern it are left out). */
  rules: GuideRule[]
  documents: ChecklistItem[]
  /** Documents added when one more fact holds (e.g. the child is 8 or over). */
  additional: Array<{ when: AdditionalWhen; items: ChecklistItem[] }>
  registry: Registry
  assessment: boolean
  publicNotice: boolean
}

/** The competent registry (measures art. 4): by institution, place found, or hukou. */
export function competentRegistry(ctx: ChecklistContext): Registry {
  if (ctx.foundling) return 'place_found'
  if (ctx.placingKind === 'welfare_institution') return 'institution'
  if (ctx.placingKind === 'guardian') return 'guardian_hukou'
  return 'birth_parent_hukou'
}

/** Every adoption needs a capability assessment first, except a step-parent's (domain.md). */
export function assessmentRequired(ctx: ChecklistContext): boolean {
  return !isStepParentAdoption(ctx)
}

/** A child whose birth parents cannot be found: 60 days' public notice first (Civil Code art. 1105). */
export function publicNoticeRequired(ctx: ChecklistContext): boolean {
  return ctx.childSituation === 'parents_not_found'
}

export function guideCase(kind: GuideCaseKind): GuideCase {
  const context = baseContexts[kind]
  const base = requiredDocuments(context)
  const baseCodes = new Set(base.map((d) => d.code))
  const variants: Array<{ when: AdditionalWhen; ctx: ChecklistContext }> = [
    { when: 'childAge8OrOver', ctx: { ...context, childAge8OrOver: true } },
    { when: 'childDisabled', ctx: { ...context, childDisabled: true } },
  ]
  if (context.placingKind === 'birth_parents') variants.push({ when: 'oneBirthParent', ctx: { ...context, placingKind: 'birth_parent' } })
  const additional = variants
    .map(({ when, ctx }) => ({ when, items: requiredDocuments(ctx).filter((d) => !baseCodes.has(d.code)) }))
    .filter((a) => a.items.length > 0)
  return {
    kind,
    context,
    rules: guideRules(context),
    documents: base,
    additional,
    registry: competentRegistry(context),
    assessment: assessmentRequired(context),
    publicNotice: publicNoticeRequired(context),
  }
}

export function guideCases(): GuideCase[] {
  return guideCaseKinds.map(guideCase)
}

// The engine is run on facts representative of the case, varied over what the kind of case leaves
// open (one adopter or a couple, the child under or over 8, opposite or same sex): a rule that
// passes or fails in any variant applies; one that is exempt and never applies is exempt; one that
// is never concerned is left out.
function guideRules(ctx: ChecklistContext): GuideRule[] {
  const variants = factVariants(ctx)
  const outcomes = (facts: EligibilityFacts[]) => facts.map((f) => new Map(checkEligibility(f).findings.map((x) => [x.rule, x.outcome])))
  const base = outcomes(variants)
  const conditional: Array<{ when: ExemptWhen; results: ReturnType<typeof outcomes> }> = [
    { when: 'childDisabled', results: outcomes(variants.map((f) => ({ ...f, child: { ...f.child, disabled: true } }))) },
    { when: 'overseasChinese', results: outcomes(variants.map((f) => ({ ...f, adopters: f.adopters.map((a) => ({ ...a, overseasChinese: true })) }))) },
  ]
  const rules: GuideRule[] = []
  for (const rule of eligibilityRuleIds) {
    const seen = base.map((m) => m.get(rule))
    const applies = seen.some((o) => o === 'pass' || o === 'fail')
    const exempt = seen.some((o) => o === 'exempt')
    if (!applies && !exempt) continue
    // Exempt under the extra fact wherever the rule applied without it.
    const exemptWhen = applies
      ? conditional
          .filter(({ results }) => base.every((m, i) => {
            const before = m.get(rule)
            return !(before === 'pass' || before === 'fail') || results[i].get(rule) === 'exempt'
          }))
          .map(({ when }) => when)
      : []
    rules.push({ rule, subject: ruleSubject[rule], status: applies ? 'applies' : 'exempt', exemptWhen })
  }
  return rules
}

const asOf = '2030-06-01'

function factVariants(ctx: ChecklistContext): EligibilityFacts[] {
  type Adopter = EligibilityFacts['adopters'][number]
  const person = (sex: 'male' | 'female', hasSpouse: boolean): Adopter => ({
    birthDate: sex === 'male' ? '1985-01-15' : '1986-04-20', sex, hasSpouse,
    children: 0, adoptedChildren: 0, ableToRaise: true, disqualifyingDisease: false, harmfulRecord: false, overseasChinese: false,
  })
  // A step-parent is married to the birth parent and adopts alone (art. 1103).
  const adopterSets: Adopter[][] = isStepParentAdoption(ctx)
    ? [[person('male', true)], [person('female', true)]]
    : [[person('male', true), person('female', true)], [person('male', false)], [person('female', false)]]
  const children = [
    { birthDate: '2027-03-10', sex: 'female' as const },
    { birthDate: '2020-03-10', sex: 'male' as const },
  ]
  const variants: EligibilityFacts[] = []
  for (const adopters of adopterSets) {
    for (const child of children) {
      variants.push({
        asOf,
        relation: ctx.relation,
        child: {
          ...child,
          situation: ctx.childSituation,
          inWelfareInstitution: ctx.placingKind === 'welfare_institution' && !ctx.foundling,
          disabled: ctx.childDisabled,
          consents: true,
        },
        placingParty: { kind: ctx.placingKind, otherParentUnknownOrMissing: ctx.placingKind === 'birth_parent', consentOfSupporters: true },
        adopters,
      })
    }
  }
  return variants
}

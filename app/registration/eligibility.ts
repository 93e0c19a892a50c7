// The substantive conditions of an adoption (Civil Code arts. 1093–1104) as a pure rules engine: the
// registrar records the facts, this module applies the articles and says, per article, whether the
// case passes, fails, is exempt (and by which article) or is not concerned. It decides nothing about
// documents, the capability assessment or the foundling notice; those belong to the procedure.
//
// Counting age (周岁): full years on `asOf`, reached on the birthday itself ("以上"/"年满" include the
// number itself, art. 1259). A person born on 29 February reaches a full year on 1 March in a common
// year: the anniversary does not exist that year, and taking the later day never treats anyone as
// older than they are (the cautious choice for thresholds such as 30 years of age or the 40-year gap;
// art. 202 could be read as making 28 February the anniversary instead).
import { formatDate, translate, type Locale, type Params } from '#app/platform/i18n/index.ts'
import type { zh as eligibilityCatalog } from '#app/platform/i18n/catalog/eligibility.ts'

type Sex = 'male' | 'female'

export type EligibilityFacts = {
  asOf: string                                  // YYYY-MM-DD, the day the rules are applied
  relation: 'none' | 'relative' | 'stepchild'   // relative: child of a same-generation collateral blood relative within three generations
  child: {
    birthDate: string; sex: Sex
    // parents_lack_capacity: both birth parents lack full civil capacity and may seriously harm the
    // child (art. 1095, both conditions, recorded with their evidence): the parents cannot raise the
    // child (art. 1093(3)) and the guardian may place the child.
    situation: 'orphan' | 'parents_not_found' | 'parents_in_difficulty' | 'parents_lack_capacity' | 'other'
    inWelfareInstitution: boolean; disabled: boolean
    consents: boolean | null                    // the child's own consent; null = not asked
  }
  placingParty: {
    kind: 'guardian' | 'welfare_institution' | 'birth_parents' | 'birth_parent'
    otherParentUnknownOrMissing: boolean        // for 'birth_parent' placing alone
    consentOfSupporters: boolean | null         // guardian placing an orphan
  }
  adopters: Array<{                             // one person, or both spouses
    birthDate: string; sex: Sex; hasSpouse: boolean
    children: number                            // living children, adopted ones included
    adoptedChildren: number                     // of those, adopted
    ableToRaise: boolean; disqualifyingDisease: boolean; harmfulRecord: boolean
    overseasChinese: boolean
  }>
}

export type EligibilityOutcome = 'pass' | 'fail' | 'exempt' | 'not_applicable'

export type EligibilityResult = {
  eligible: boolean
  failed: string[]                              // ids of the rules that fail
  findings: Array<{ rule: string; outcome: EligibilityOutcome; message: string }>
}

/** Every rule the engine reports on, in the order of the findings. */
export const eligibilityRuleIds = [
  '1093', '1094', '1096', '1097',
  '1098(1)', '1098(2)', '1098(3)', '1098(4)', '1098(5)',
  '1100', '1101', '1102', '1104',
] as const
export type EligibilityRuleId = (typeof eligibilityRuleIds)[number]

type Adopter = EligibilityFacts['adopters'][number]
type Finding = { outcome: EligibilityOutcome; message: string }
type MessageKey = keyof typeof eligibilityCatalog
type SpecialChild = 'orphan' | 'institution' | 'disabled'

type Context = {
  facts: EligibilityFacts
  t: (key: MessageKey, params?: Params) => string
  asOf: string                                  // formatted for the locale
  childAge: number
  relative: boolean
  // Art. 1103 applies only "经继子女的生父母同意": the birth parents' consent is recorded as their
  // placing the child. Without it (e.g. the birth parent has died and a guardian places), a
  // stepchild is adopted under the ordinary rules, and none of the 1103 exemptions are granted.
  stepchild: boolean
  specialChild: SpecialChild | null
  labels: string[]                              // how the messages name each adopter
}

export function checkEligibility(facts: EligibilityFacts, locale: Locale = 'zh'): EligibilityResult {
  assertWellFormed(facts)
  const t = (key: MessageKey, params?: Params) => translate(locale, key, params)
  const placedByBirthParents = facts.placingParty.kind === 'birth_parents' || facts.placingParty.kind === 'birth_parent'
  const ctx: Context = {
    facts,
    t,
    asOf: formatDate(locale, facts.asOf),
    childAge: fullYears(facts.child.birthDate, facts.asOf),
    relative: facts.relation === 'relative',
    stepchild: facts.relation === 'stepchild' && placedByBirthParents,
    specialChild: specialChildCategory(facts.child),
    labels: adopterLabels(facts.adopters, t),
  }

  const rules: Record<EligibilityRuleId, (ctx: Context) => Finding> = {
    '1093': whoMayBeAdopted,
    '1094': whoMayPlace,
    '1096': guardianPlacingOrphan,
    '1097': birthParentsPlaceJointly,
    '1098(1)': (c) => adopterCondition(c, '1098(1)'),
    '1098(2)': (c) => adopterCondition(c, '1098(2)'),
    '1098(3)': (c) => adopterCondition(c, '1098(3)'),
    '1098(4)': (c) => adopterCondition(c, '1098(4)'),
    '1098(5)': (c) => adopterCondition(c, '1098(5)'),
    '1100': numberOfAdoptedChildren,
    '1101': spousesAdoptJointly,
    '1102': ageGapForSingleAdopter,
    '1104': childConsent,
  }

  const findings = eligibilityRuleIds.map((rule) => ({ rule, ...rules[rule](ctx) }))
  const failed = findings.filter((f) => f.outcome === 'fail').map((f) => f.rule)
  return { eligible: failed.length === 0, failed, findings }
}

// Art. 1093: a minor who is (1) an orphan, (2) a minor whose birth parents cannot be found, or
// (3) a child whose birth parents have special difficulty and cannot raise the child. Arts. 1099(1)
// and 1103 lift only item (3); the child must still be a minor.
function whoMayBeAdopted(ctx: Context): Finding {
  const { t, asOf, childAge: age } = ctx
  const situation = ctx.facts.child.situation
  if (age >= 18) return fail(t('eligibility.1093.fail.notMinor', { asOf, age }))
  if (situation === 'orphan') return pass(t('eligibility.1093.pass.orphan', { asOf, age }))
  if (situation === 'parents_not_found') return pass(t('eligibility.1093.pass.parentsNotFound', { asOf, age }))
  if (ctx.stepchild) return exempt(t('eligibility.1093.exempt.stepchild', { asOf, age }))
  if (ctx.relative) return exempt(t('eligibility.1093.exempt.relative', { asOf, age }))
  if (situation === 'parents_in_difficulty') return pass(t('eligibility.1093.pass.parentsInDifficulty', { asOf, age }))
  // Parents who lack full civil capacity and endanger the child cannot raise the child (art. 1093(3),
  // read with art. 1095).
  if (situation === 'parents_lack_capacity') return pass(t('eligibility.1093.pass.parentsLackCapacity', { asOf, age }))
  return fail(t('eligibility.1093.fail.situation'))
}

// Art. 1094: (1) the guardian of an orphan, (2) a child welfare institution, (3) birth parents with
// special difficulty. Arts. 1099(1) and 1103 lift item (3) only. Art. 1095 adds the guardian of a
// minor whose parents both lack full civil capacity and may seriously harm the minor; a guardian
// placing any other child who is not an orphan fails.
function whoMayPlace(ctx: Context): Finding {
  const { t } = ctx
  const { child, placingParty } = ctx.facts
  switch (placingParty.kind) {
    case 'guardian':
      if (child.situation === 'orphan') return pass(t('eligibility.1094.pass.guardian'))
      if (child.situation === 'parents_lack_capacity') return pass(t('eligibility.1094.pass.guardian1095'))
      return fail(t('eligibility.1094.fail.guardian'))
    case 'welfare_institution':
      return pass(t('eligibility.1094.pass.welfareInstitution'))
    case 'birth_parents':
    case 'birth_parent':
      if (ctx.stepchild) return exempt(t('eligibility.1094.exempt.stepchild'))
      if (ctx.relative) return exempt(t('eligibility.1094.exempt.relative'))
      return child.situation === 'parents_in_difficulty'
        ? pass(t('eligibility.1094.pass.birthParents'))
        : fail(t('eligibility.1094.fail.birthParents'))
  }
}

// Art. 1096: a guardian placing an orphan needs the consent of those with a duty to support the
// child. Consent that has not been recorded is not consent.
function guardianPlacingOrphan(ctx: Context): Finding {
  const { t } = ctx
  const { child, placingParty } = ctx.facts
  if (placingParty.kind !== 'guardian' || child.situation !== 'orphan') {
    return notApplicable(t('eligibility.1096.notApplicable'))
  }
  if (placingParty.consentOfSupporters === true) return pass(t('eligibility.1096.pass'))
  if (placingParty.consentOfSupporters === false) return fail(t('eligibility.1096.fail.refused'))
  return fail(t('eligibility.1096.fail.notRecorded'))
}

// Art. 1097: birth parents place jointly; one alone only when the other is unknown or cannot be
// found. It binds step-parent adoptions too: 1103 asks for the consent of the birth parents, both.
function birthParentsPlaceJointly(ctx: Context): Finding {
  const { t } = ctx
  const { placingParty } = ctx.facts
  if (placingParty.kind === 'birth_parents') return pass(t('eligibility.1097.pass.joint'))
  if (placingParty.kind !== 'birth_parent') return notApplicable(t('eligibility.1097.notApplicable'))
  return placingParty.otherParentUnknownOrMissing
    ? pass(t('eligibility.1097.pass.alone'))
    : fail(t('eligibility.1097.fail'))
}

type AdopterItem = '1098(1)' | '1098(2)' | '1098(3)' | '1098(4)' | '1098(5)'

// Art. 1098: an adopter must meet all five conditions. In a joint adoption each spouse must meet
// them on their own ("收养人应当同时具备"), so the finding fails when either fails and names who.
// Art. 1103 lifts the whole article for a step-parent; arts. 1100(2) and 1099(2) lift item (1) only.
function adopterCondition(ctx: Context, item: AdopterItem): Finding {
  const { t, asOf, labels } = ctx
  const { adopters } = ctx.facts
  if (ctx.stepchild) return exempt(t('eligibility.1098.exempt.stepchild'))

  const names = (indexes: number[]) => joinList(ctx, indexes.map((i) => labels[i]))
  const details = (indexes: number[], detail: (a: Adopter, name: string) => string) =>
    joinDetails(ctx, indexes.map((i) => detail(adopters[i], labels[i])))
  const all = adopters.map((_, i) => i)
  const where = (predicate: (a: Adopter) => boolean) => all.filter((i) => predicate(adopters[i]))

  switch (item) {
    case '1098(1)': {
      if (ctx.specialChild) {
        return exempt(t('eligibility.1098(1).exempt.specialChild', { category: specialChildLabel(ctx, ctx.specialChild) }))
      }
      // Art. 1099(2) exempts the overseas Chinese adopter, so in a joint adoption it covers only the
      // spouse who is one; the other must still meet item (1).
      const exemptOverseas = (a: Adopter) => ctx.relative && a.overseasChinese
      const childCount = (a: Adopter, name: string) => t('eligibility.1098(1).detail', { name, children: a.children })
      const failing = where((a) => a.children >= 2 && !exemptOverseas(a))
      if (failing.length > 0) return fail(t('eligibility.1098(1).fail', { details: details(failing, childCount) }))
      const overseas = where(exemptOverseas)
      if (overseas.length > 0) return exempt(t('eligibility.1098(1).exempt.overseasChinese', { names: names(overseas) }))
      return pass(t('eligibility.1098(1).pass', { details: details(all, childCount) }))
    }
    case '1098(2)': {
      const failing = where((a) => !a.ableToRaise)
      return failing.length > 0
        ? fail(t('eligibility.1098(2).fail', { names: names(failing) }))
        : pass(t('eligibility.1098(2).pass'))
    }
    case '1098(3)': {
      const failing = where((a) => a.disqualifyingDisease)
      return failing.length > 0
        ? fail(t('eligibility.1098(3).fail', { names: names(failing) }))
        : pass(t('eligibility.1098(3).pass'))
    }
    case '1098(4)': {
      const failing = where((a) => a.harmfulRecord)
      return failing.length > 0
        ? fail(t('eligibility.1098(4).fail', { names: names(failing) }))
        : pass(t('eligibility.1098(4).pass'))
    }
    case '1098(5)': {
      const ageOf = (a: Adopter, name: string) =>
        t('eligibility.1098(5).detail', { name, asOf, age: fullYears(a.birthDate, ctx.facts.asOf) })
      const failing = where((a) => fullYears(a.birthDate, ctx.facts.asOf) < 30)
      return failing.length > 0
        ? fail(t('eligibility.1098(5).fail', { details: details(failing, ageOf) }))
        : pass(t('eligibility.1098(5).pass', { details: details(all, ageOf) }))
    }
  }
}

// Art. 1100(1): "无子女的收养人可以收养两名子女；有子女的收养人只能收养一名子女". Read as a cap on the
// children an adopter adopts in all, set by whether the adopter has children other than adopted ones:
// with none, two adoptions; with one or more, one. So a childless adopter who adopted once may adopt
// a second child (the earlier adoptee does not turn them into an adopter "with a child", or the
// promise of two would be empty), and anyone who has already adopted up to the cap fails. Every
// earlier adoption counts, even one that was itself exempt under 1100(2): the facts do not say which
// were. Each spouse is counted on their own, and the finding fails if either would exceed the cap.
// Art. 1100(2) (orphans, disabled minors, institution children whose parents cannot be found) and
// art. 1103 (step-parents) lift the cap; art. 1099(2) does not (it lifts only 1098(1)).
function numberOfAdoptedChildren(ctx: Context): Finding {
  const { t, labels } = ctx
  const { adopters } = ctx.facts
  if (ctx.stepchild) return exempt(t('eligibility.1100.exempt.stepchild'))
  if (ctx.specialChild) {
    return exempt(t('eligibility.1100.exempt.specialChild', { category: specialChildLabel(ctx, ctx.specialChild) }))
  }
  const exceedsCap = (a: Adopter) => {
    const cap = a.children - a.adoptedChildren === 0 ? 2 : 1
    return a.adoptedChildren + 1 > cap
  }
  const detail = (i: number) =>
    t('eligibility.1100.detail', { name: labels[i], children: adopters[i].children, adopted: adopters[i].adoptedChildren })
  const failing = adopters.map((_, i) => i).filter((i) => exceedsCap(adopters[i]))
  return failing.length > 0
    ? fail(t('eligibility.1100.fail', { details: joinDetails(ctx, failing.map(detail)) }))
    : pass(t('eligibility.1100.pass', { details: joinDetails(ctx, adopters.map((_, i) => detail(i))) }))
}

// Art. 1101: a married person adopts jointly with the spouse. Two adopters must therefore be
// spouses. A step-parent adopts the spouse's child alone (art. 1103), so the article does not apply.
function spousesAdoptJointly(ctx: Context): Finding {
  const { t, labels } = ctx
  const { adopters } = ctx.facts
  if (ctx.stepchild) return notApplicable(t('eligibility.1101.notApplicable.stepchild'))
  if (adopters.length === 1) {
    return adopters[0].hasSpouse
      ? fail(t('eligibility.1101.fail.spouseMissing', { name: labels[0] }))
      : notApplicable(t('eligibility.1101.notApplicable.noSpouse'))
  }
  // Two people of the same sex cannot be spouses of each other (PRC marriage law): whatever their
  // recorded marital status, they are not a married couple adopting jointly.
  if (adopters[0].sex === adopters[1].sex) return fail(t('eligibility.1101.fail.sameSex'))
  const withoutSpouse = adopters.map((_, i) => i).filter((i) => !adopters[i].hasSpouse)
  return withoutSpouse.length > 0
    ? fail(t('eligibility.1101.fail.notSpouses', { names: joinList(ctx, withoutSpouse.map((i) => labels[i])) }))
    : pass(t('eligibility.1101.pass'))
}

// Art. 1102: an adopter without a spouse adopting a child of the opposite sex must be at least 40
// full years older ("以上" includes 40). The gap is the adopter's age in full years on the child's
// birthday. Art. 1099(1) lifts it for a relative's child; art. 1103 does not lift it, but a
// step-parent has a spouse, so it rarely concerns them.
function ageGapForSingleAdopter(ctx: Context): Finding {
  const { t } = ctx
  const { adopters, child } = ctx.facts
  const adopter = adopters[0]
  if (adopters.length > 1 || adopter.hasSpouse) return notApplicable(t('eligibility.1102.notApplicable.spouse'))
  if (adopter.sex === child.sex) return notApplicable(t('eligibility.1102.notApplicable.sameSex'))
  if (ctx.relative) return exempt(t('eligibility.1102.exempt.relative'))
  const gap = fullYears(adopter.birthDate, child.birthDate)
  return gap >= 40 ? pass(t('eligibility.1102.pass', { gap })) : fail(t('eligibility.1102.fail', { gap }))
}

// Art. 1104: adopting a minor aged 8 or over ("八周岁以上" includes 8) needs the child's consent.
// Not yet asked (null) is not consent.
function childConsent(ctx: Context): Finding {
  const { t, asOf, childAge: age } = ctx
  const { consents } = ctx.facts.child
  if (age < 8) return notApplicable(t('eligibility.1104.notApplicable', { asOf, age }))
  if (consents === true) return pass(t('eligibility.1104.pass', { asOf, age }))
  if (consents === false) return fail(t('eligibility.1104.fail.refused', { age }))
  return fail(t('eligibility.1104.fail.notRecorded', { age }))
}

// Art. 1100(2): orphans, disabled minors, and minors raised by a child welfare institution whose
// birth parents cannot be found.
function specialChildCategory(child: EligibilityFacts['child']): SpecialChild | null {
  if (child.situation === 'orphan') return 'orphan'
  if (child.inWelfareInstitution && child.situation === 'parents_not_found') return 'institution'
  if (child.disabled) return 'disabled'
  return null
}

function specialChildLabel(ctx: Context, category: SpecialChild): string {
  const keys = {
    orphan: 'eligibility.specialChild.orphan',
    institution: 'eligibility.specialChild.institution',
    disabled: 'eligibility.specialChild.disabled',
  } as const
  return ctx.t(keys[category])
}

// A couple is named as the adoptive father and mother; two adopters of the same sex (who cannot
// be spouses, and fail art. 1101: spousesAdoptJointly) by their position.
function adopterLabels(adopters: Adopter[], t: Context['t']): string[] {
  if (adopters.length === 1) return [t('eligibility.adopter.single')]
  if (adopters[0].sex !== adopters[1].sex) {
    return adopters.map((a) => t(a.sex === 'male' ? 'eligibility.adopter.male' : 'eligibility.adopter.female'))
  }
  return adopters.map((_, i) => t('eligibility.adopter.nth', { n: i + 1 }))
}

function joinList(ctx: Context, items: string[]): string {
  return items.join(ctx.t('eligibility.list.separator'))
}

function joinDetails(ctx: Context, items: string[]): string {
  return items.join(ctx.t('eligibility.details.separator'))
}

const pass = (message: string): Finding => ({ outcome: 'pass', message })
const fail = (message: string): Finding => ({ outcome: 'fail', message })
const exempt = (message: string): Finding => ({ outcome: 'exempt', message })
const notApplicable = (message: string): Finding => ({ outcome: 'not_applicable', message })

/** Age in full years (周岁) on `onDate`; see the header for birthdays on 29 February. */
function fullYears(birthDate: string, onDate: string): number {
  const [birthYear, birthMonth, birthDay] = dateParts(birthDate)
  const [year, month, day] = dateParts(onDate)
  const birthdayNotYetReached = month < birthMonth || (month === birthMonth && day < birthDay)
  return year - birthYear - (birthdayNotYetReached ? 1 : 0)
}

function dateParts(isoDate: string): [number, number, number] {
  const [year, month, day] = isoDate.split('-').map(Number)
  return [year, month, day]
}

// Malformed facts are a programming error upstream (the form schemas validate them), not a
// finding to show a registrar: refuse them loudly instead of producing a plausible answer.
function assertWellFormed(facts: EligibilityFacts): void {
  const dates = [facts.asOf, facts.child.birthDate, ...facts.adopters.map((a) => a.birthDate)]
  for (const date of dates) {
    if (!isCalendarDate(date)) throw new RangeError(`eligibility: not a YYYY-MM-DD date: ${date}`)
  }
  if (facts.adopters.length < 1 || facts.adopters.length > 2) {
    throw new RangeError('eligibility: expected one adopter or two spouses')
  }
  for (const a of facts.adopters) {
    const counts = [a.children, a.adoptedChildren]
    if (!counts.every((n) => Number.isInteger(n) && n >= 0) || a.adoptedChildren > a.children) {
      throw new RangeError('eligibility: children and adoptedChildren must be whole numbers, adoptedChildren <= children')
    }
  }
}

function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

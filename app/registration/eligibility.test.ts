import { describe, expect, test } from 'vitest'
import { checkEligibility, eligibilityRuleIds, type EligibilityFacts, type EligibilityResult } from './eligibility.ts'

type Adopter = EligibilityFacts['adopters'][number]

const asOf = '2026-06-01'

// A married couple in their late thirties, without children, adopting a four-year-old girl whose
// birth parents have special difficulty and place her jointly: every rule passes or does not apply.
function adopter(overrides: Partial<Adopter> = {}): Adopter {
  return {
    birthDate: '1985-01-15', sex: 'male', hasSpouse: true,
    children: 0, adoptedChildren: 0,
    ableToRaise: true, disqualifyingDisease: false, harmfulRecord: false,
    overseasChinese: false,
    ...overrides,
  }
}
const husband = (o: Partial<Adopter> = {}) => adopter(o)
const wife = (o: Partial<Adopter> = {}) => adopter({ birthDate: '1987-04-20', sex: 'female', ...o })
const singleWoman = (o: Partial<Adopter> = {}) => adopter({ birthDate: '1980-03-10', sex: 'female', hasSpouse: false, ...o })
const singleMan = (o: Partial<Adopter> = {}) => adopter({ birthDate: '1980-03-10', sex: 'male', hasSpouse: false, ...o })

function facts(o: {
  asOf?: string
  relation?: EligibilityFacts['relation']
  child?: Partial<EligibilityFacts['child']>
  placingParty?: Partial<EligibilityFacts['placingParty']>
  adopters?: Adopter[]
} = {}): EligibilityFacts {
  return {
    asOf: o.asOf ?? asOf,
    relation: o.relation ?? 'none',
    child: {
      birthDate: '2022-03-10', sex: 'female', situation: 'parents_in_difficulty',
      inWelfareInstitution: false, disabled: false, consents: null,
      ...o.child,
    },
    placingParty: { kind: 'birth_parents', otherParentUnknownOrMissing: false, consentOfSupporters: null, ...o.placingParty },
    adopters: o.adopters ?? [husband(), wife()],
  }
}

function finding(result: EligibilityResult, rule: string) {
  const found = result.findings.find((f) => f.rule === rule)
  if (!found) throw new Error(`no finding for ${rule}`)
  return found
}

function check(f: EligibilityFacts, rule: string, locale?: 'zh' | 'en') {
  return finding(checkEligibility(f, locale), rule)
}

// Children placed by a child welfare institution, for the cases that concern them.
const institutionChild = {
  child: { situation: 'parents_not_found' as const, inWelfareInstitution: true },
  placingParty: { kind: 'welfare_institution' as const },
}

describe('the result', () => {
  test('the baseline couple is eligible, with one finding per rule in article order', () => {
    const result = checkEligibility(facts())
    expect(result.eligible).toBe(true)
    expect(result.failed).toEqual([])
    expect(result.findings.map((f) => f.rule)).toEqual([
      '1093', '1094', '1096', '1097', '1098(1)', '1098(2)', '1098(3)', '1098(4)', '1098(5)', '1100', '1101', '1102', '1104',
    ])
    expect(Object.fromEntries(result.findings.map((f) => [f.rule, f.outcome]))).toEqual({
      '1093': 'pass', '1094': 'pass', '1096': 'not_applicable', '1097': 'pass',
      '1098(1)': 'pass', '1098(2)': 'pass', '1098(3)': 'pass', '1098(4)': 'pass', '1098(5)': 'pass',
      '1100': 'pass', '1101': 'pass', '1102': 'not_applicable', '1104': 'not_applicable',
    })
  })

  test('every rule id is reported even when nearly everything fails, and failed lists them in order', () => {
    const result = checkEligibility(facts({
      child: { birthDate: '2008-01-01', situation: 'other', consents: false },
      placingParty: { kind: 'birth_parent' },
      adopters: [singleMan({ hasSpouse: true, birthDate: '2000-01-01', children: 2, adoptedChildren: 2, ableToRaise: false, disqualifyingDisease: true, harmfulRecord: true })],
    }))
    expect(result.findings.map((f) => f.rule)).toEqual([...eligibilityRuleIds])
    expect(result.eligible).toBe(false)
    expect(result.failed).toEqual(['1093', '1094', '1097', '1098(1)', '1098(2)', '1098(3)', '1098(4)', '1098(5)', '1100', '1101', '1104'])
  })

  test('malformed facts are refused, not judged', () => {
    expect(() => checkEligibility(facts({ adopters: [] }))).toThrow(RangeError)
    expect(() => checkEligibility(facts({ adopters: [husband(), wife(), wife()] }))).toThrow(RangeError)
    expect(() => checkEligibility(facts({ asOf: '2026-02-30' }))).toThrow(RangeError)
    expect(() => checkEligibility(facts({ adopters: [husband({ children: 1, adoptedChildren: 2 }), wife()] }))).toThrow(RangeError)
  })
})

describe('messages', () => {
  const chineseArticle: Record<string, string> = {
    '1093': '第一千零九十三条', '1094': '第一千零九十四条', '1096': '第一千零九十六条', '1097': '第一千零九十七条',
    '1098(1)': '第一千零九十八条第一项', '1098(2)': '第一千零九十八条第二项', '1098(3)': '第一千零九十八条第三项',
    '1098(4)': '第一千零九十八条第四项', '1098(5)': '第一千零九十八条第五项',
    '1100': '第一千一百条', '1101': '第一千一百零一条', '1102': '第一千一百零二条', '1104': '第一千一百零四条',
  }

  test('are Chinese by default and name the article of each finding', () => {
    for (const f of checkEligibility(facts()).findings) {
      expect(f.message).toContain('《民法典》')
      expect(f.message).toContain(chineseArticle[f.rule])
    }
  })

  test('failures are Chinese by default and name the article', () => {
    const result = checkEligibility(facts({ child: { birthDate: '2008-01-01', consents: null }, adopters: [husband({ birthDate: '2000-01-01' }), wife()] }))
    expect(finding(result, '1093').message).toMatch(/^不符合《民法典》第一千零九十三条/)
    expect(finding(result, '1098(5)').message).toMatch(/^不符合《民法典》第一千零九十八条第五项/)
  })

  test('are English with "en", name the article and contain no Chinese', () => {
    for (const f of checkEligibility(facts(), 'en').findings) {
      expect(f.message).toContain(`art. ${f.rule}`)
      expect(f.message).not.toMatch(/[\u4e00-\u9fff]/)
    }
  })

  test('the age finding reads as a registrar would write it, with the date in Chinese form', () => {
    const f = check(facts({ adopters: [husband(), wife({ birthDate: '1996-06-02' })] }), '1098(5)')
    expect(f.message).toBe('不符合《民法典》第一千零九十八条第五项：收养人须年满三十周岁（女方收养人在2026年6月1日为29周岁）。')
  })

  test('the English age finding says who and how old', () => {
    const f = check(facts({ adopters: [husband(), wife({ birthDate: '1996-06-02' })] }), '1098(5)', 'en')
    expect(f.message).toBe('Fails Civil Code art. 1098(5): an adopter must be aged 30 or over (the adoptive mother was 29 on 2026-06-01).')
  })
})

describe('art. 1093: who may be adopted', () => {
  test.each([
    ['orphan', '第一项'],
    ['parents_not_found', '第二项'],
    ['parents_in_difficulty', '第三项'],
  ] as const)('a minor who is %s passes under the matching item', (situation, item) => {
    const f = check(facts({ child: { situation }, placingParty: { kind: 'welfare_institution' } }), '1093')
    expect(f.outcome).toBe('pass')
    expect(f.message).toContain(`第一千零九十三条${item}`)
  })

  test('a child in none of the three situations fails', () => {
    const f = check(facts({ child: { situation: 'other' } }), '1093')
    expect(f.outcome).toBe('fail')
  })

  test('a child who turns 18 on asOf is no longer a minor', () => {
    const f = check(facts({ child: { birthDate: '2008-06-01', consents: true } }), '1093')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('已满18周岁')
  })

  test('a child who turns 18 the day after asOf is still a minor', () => {
    expect(check(facts({ child: { birthDate: '2008-06-02', consents: true } }), '1093').outcome).toBe('pass')
  })

  test('a child born on 29 February reaches 18 on 1 March of a common year', () => {
    const child = { birthDate: '2008-02-29', consents: true }
    expect(check(facts({ asOf: '2026-02-28', child }), '1093').outcome).toBe('pass')
    expect(check(facts({ asOf: '2026-03-01', child }), '1093').outcome).toBe('fail')
  })

  test("a relative's child whose parents are not in difficulty is exempt under art. 1099", () => {
    const f = check(facts({ relation: 'relative', child: { situation: 'other' } }), '1093')
    expect(f.outcome).toBe('exempt')
    expect(f.message).toContain('第一千零九十九条')
  })

  test('a stepchild placed by the birth parents is exempt under art. 1103', () => {
    const f = check(facts({ relation: 'stepchild', child: { situation: 'other' }, adopters: [husband()] }), '1093')
    expect(f.outcome).toBe('exempt')
    expect(f.message).toContain('第一千一百零三条')
  })

  test('the exemptions do not lift the age limit: an adult stepchild fails', () => {
    const f = check(facts({ relation: 'stepchild', child: { birthDate: '2007-01-01', situation: 'other', consents: true }, adopters: [husband()] }), '1093')
    expect(f.outcome).toBe('fail')
  })

  test('without the birth parents placing (their consent) a stepchild gets no 1103 exemption', () => {
    const result = checkEligibility(facts({ relation: 'stepchild', child: { situation: 'other' }, placingParty: { kind: 'welfare_institution' }, adopters: [husband({ birthDate: '2000-01-01' })] }))
    expect(finding(result, '1093').outcome).toBe('fail')
    expect(finding(result, '1098(5)').outcome).toBe('fail')
  })
})

describe('art. 1094: who may place', () => {
  test("an orphan's guardian passes under item (1)", () => {
    const f = check(facts({ child: { situation: 'orphan' }, placingParty: { kind: 'guardian', consentOfSupporters: true } }), '1094')
    expect(f.outcome).toBe('pass')
    expect(f.message).toContain('第一千零九十四条第一项')
  })

  test('a guardian may not place a child who is not an orphan; the message points to art. 1095', () => {
    const f = check(facts({ child: { situation: 'parents_in_difficulty' }, placingParty: { kind: 'guardian' } }), '1094')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('第一千零九十五条')
  })

  test('art. 1095: the guardian of a minor whose parents both lack full capacity and may seriously harm the minor may place the minor', () => {
    const case1095 = facts({ child: { situation: 'parents_lack_capacity' }, placingParty: { kind: 'guardian' } })
    const placing = check(case1095, '1094')
    expect(placing.outcome).toBe('pass')
    expect(placing.message).toContain('第一千零九十五条')
    // The child may be adopted: the parents cannot raise the child (art. 1093(3)).
    const child = check(case1095, '1093')
    expect(child.outcome).toBe('pass')
    expect(child.message).toContain('第一千零九十三条第三项')
    // Art. 1096 (the supporters' consent) concerns orphans only; the whole case is eligible.
    expect(check(case1095, '1096').outcome).toBe('not_applicable')
    expect(checkEligibility(case1095)).toMatchObject({ eligible: true, failed: [] })
    // Birth parents who lack capacity do not place the child themselves (art. 1094(3)).
    expect(check(facts({ child: { situation: 'parents_lack_capacity' }, placingParty: { kind: 'birth_parents' } }), '1094').outcome).toBe('fail')
    // Nor is it an art. 1100(2) special child: the number limit applies.
    expect(check(facts({ child: { situation: 'parents_lack_capacity' }, placingParty: { kind: 'guardian' }, adopters: [husband({ children: 2, adoptedChildren: 1 }), wife({ children: 2, adoptedChildren: 1 })] }), '1100').outcome).toBe('fail')
  })

  test('a child welfare institution passes under item (2)', () => {
    const f = check(facts(institutionChild), '1094')
    expect(f.outcome).toBe('pass')
    expect(f.message).toContain('第一千零九十四条第二项')
  })

  test('birth parents without special difficulty fail item (3)', () => {
    const f = check(facts({ child: { situation: 'other' } }), '1094')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('第一千零九十四条第三项')
  })

  test("birth parents placing a relative's child are exempt under art. 1099", () => {
    const f = check(facts({ relation: 'relative', child: { situation: 'other' } }), '1094')
    expect(f.outcome).toBe('exempt')
    expect(f.message).toContain('第一千零九十九条')
  })

  test('a birth parent placing a stepchild is exempt under art. 1103', () => {
    const f = check(facts({ relation: 'stepchild', child: { situation: 'other' }, placingParty: { kind: 'birth_parent', otherParentUnknownOrMissing: true }, adopters: [husband()] }), '1094')
    expect(f.outcome).toBe('exempt')
    expect(f.message).toContain('第一千一百零三条')
  })
})

describe('art. 1096: a guardian placing an orphan needs the supporters\' consent', () => {
  const orphanByGuardian = (consentOfSupporters: boolean | null) =>
    facts({ child: { situation: 'orphan' }, placingParty: { kind: 'guardian', consentOfSupporters } })

  test('consent given passes', () => {
    expect(check(orphanByGuardian(true), '1096').outcome).toBe('pass')
  })

  test('consent refused fails', () => {
    const f = check(orphanByGuardian(false), '1096')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('不同意')
  })

  test('consent not yet recorded fails and says so', () => {
    const f = check(orphanByGuardian(null), '1096')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('尚未记录')
    expect(check(orphanByGuardian(null), '1096', 'en').message).toContain('not yet recorded')
  })

  test('does not apply to a welfare institution or to a guardian of a child who is not an orphan', () => {
    expect(check(facts(institutionChild), '1096').outcome).toBe('not_applicable')
    expect(check(facts({ placingParty: { kind: 'guardian', consentOfSupporters: null } }), '1096').outcome).toBe('not_applicable')
  })
})

describe('art. 1097: birth parents place jointly', () => {
  test('both birth parents pass', () => {
    expect(check(facts(), '1097').outcome).toBe('pass')
  })

  test('one birth parent alone passes when the other is unknown or cannot be found', () => {
    expect(check(facts({ placingParty: { kind: 'birth_parent', otherParentUnknownOrMissing: true } }), '1097').outcome).toBe('pass')
  })

  test('one birth parent alone fails when the other is known', () => {
    const f = check(facts({ placingParty: { kind: 'birth_parent', otherParentUnknownOrMissing: false } }), '1097')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('第一千零九十七条')
  })

  test('binds a step-parent adoption too: the other birth parent must agree', () => {
    const result = checkEligibility(facts({ relation: 'stepchild', child: { situation: 'other' }, placingParty: { kind: 'birth_parent' }, adopters: [husband()] }))
    expect(finding(result, '1097').outcome).toBe('fail')
    expect(result.failed).toEqual(['1097'])
  })

  test('does not apply when the placing party is not a birth parent', () => {
    expect(check(facts(institutionChild), '1097').outcome).toBe('not_applicable')
  })
})

describe('art. 1098: adopter conditions', () => {
  test('(1) an adopter with one child passes', () => {
    expect(check(facts({ adopters: [husband({ children: 1 }), wife({ children: 1 })] }), '1098(1)').outcome).toBe('pass')
  })

  test('(1) an adopter with two children fails, and the message says how many', () => {
    const f = check(facts({ adopters: [singleWoman({ children: 2 })], child: { sex: 'female' } }), '1098(1)')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('收养人现有子女2名')
  })

  test('(1) in a joint adoption the spouse with two children is named, the other is not', () => {
    const f = check(facts({ adopters: [husband({ children: 1 }), wife({ children: 2 })] }), '1098(1)')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('女方收养人现有子女2名')
    expect(f.message).not.toContain('男方收养人')
  })

  test.each([
    ['an orphan', { child: { situation: 'orphan' as const }, placingParty: { kind: 'guardian' as const, consentOfSupporters: true } }],
    ['a disabled minor', { child: { disabled: true } }],
    ['an institution child whose parents cannot be found', institutionChild],
  ])('(1) adopting %s is exempt under art. 1100(2)', (_, situation) => {
    const f = check(facts({ ...situation, adopters: [husband({ children: 3 }), wife({ children: 3 })] }), '1098(1)')
    expect(f.outcome).toBe('exempt')
    expect(f.message).toContain('第一千一百条第二款')
  })

  test('(1) an institution child whose parents are known is not exempt', () => {
    const f = check(facts({ child: { situation: 'parents_in_difficulty', inWelfareInstitution: true }, placingParty: { kind: 'welfare_institution' }, adopters: [husband({ children: 2 }), wife()] }), '1098(1)')
    expect(f.outcome).toBe('fail')
  })

  test("(1) an overseas Chinese adopting a relative's child is exempt under art. 1099(2)", () => {
    const f = check(facts({ relation: 'relative', adopters: [husband({ children: 3, overseasChinese: true }), wife({ children: 3, overseasChinese: true })] }), '1098(1)')
    expect(f.outcome).toBe('exempt')
    expect(f.message).toContain('第一千零九十九条第二款')
  })

  test("(1) a relative's child alone does not exempt an adopter who is not overseas Chinese", () => {
    expect(check(facts({ relation: 'relative', adopters: [husband({ children: 2 }), wife({ children: 2 })] }), '1098(1)').outcome).toBe('fail')
  })

  test('(1) being overseas Chinese alone does not exempt when the child is not a relative', () => {
    expect(check(facts({ adopters: [husband({ children: 2, overseasChinese: true }), wife({ children: 2, overseasChinese: true })] }), '1098(1)').outcome).toBe('fail')
  })

  test('(1) the overseas Chinese exemption is personal: the spouse who is not one must still qualify', () => {
    const f = check(facts({ relation: 'relative', adopters: [husband({ children: 2, overseasChinese: true }), wife({ children: 2 })] }), '1098(1)')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('女方收养人')
    expect(f.message).not.toContain('男方收养人')
  })

  test.each([
    ['1098(2)', { ableToRaise: false }, '不具备'],
    ['1098(3)', { disqualifyingDisease: true }, '患有此类疾病'],
    ['1098(4)', { harmfulRecord: true }, '有此类记录'],
  ] as const)('%s fails and names the adopter concerned', (rule, defect, wording) => {
    const f = check(facts({ adopters: [husband(defect), wife()] }), rule)
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain(`男方收养人${wording}`)
    expect(f.message).not.toContain('女方收养人')
  })

  test('(2) when both spouses fail, both are named', () => {
    const f = check(facts({ adopters: [husband({ ableToRaise: false }), wife({ ableToRaise: false })] }), '1098(2)')
    expect(f.message).toContain('男方收养人、女方收养人')
    expect(check(facts({ adopters: [husband({ ableToRaise: false }), wife({ ableToRaise: false })] }), '1098(2)', 'en').message)
      .toContain('the adoptive father and the adoptive mother')
  })

  test('(5) an adopter who turns 30 on asOf passes', () => {
    const f = check(facts({ adopters: [singleWoman({ birthDate: '1996-06-01' })] }), '1098(5)')
    expect(f.outcome).toBe('pass')
    expect(f.message).toContain('收养人在2026年6月1日为30周岁')
  })

  test('(5) an adopter who turns 30 the day after asOf fails', () => {
    const f = check(facts({ adopters: [singleWoman({ birthDate: '1996-06-02' })] }), '1098(5)')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('为29周岁')
  })

  test('(5) a joint adoption fails when one spouse is 29, and the result is not eligible', () => {
    const result = checkEligibility(facts({ adopters: [husband({ birthDate: '1990-01-01' }), wife({ birthDate: '1997-01-01' })] }))
    expect(finding(result, '1098(5)').outcome).toBe('fail')
    expect(finding(result, '1098(5)').message).toContain('女方收养人在2026年6月1日为29周岁')
    expect(finding(result, '1098(5)').message).not.toContain('男方收养人')
    expect(result.eligible).toBe(false)
    expect(result.failed).toEqual(['1098(5)'])
  })

  test('(5) an adopter born on 29 February turns 30 on 1 March of a common year', () => {
    const adopters = [singleWoman({ birthDate: '1996-02-29' })]
    expect(check(facts({ asOf: '2026-02-28', adopters }), '1098(5)').outcome).toBe('fail')
    expect(check(facts({ asOf: '2026-03-01', adopters }), '1098(5)').outcome).toBe('pass')
  })

  test('(5) a 29 February birthday is counted the same way in a joint adoption', () => {
    const adopters = [husband({ birthDate: '1992-02-29' }), wife({ birthDate: '1996-02-29' })]
    const f = check(facts({ asOf: '2026-02-28', adopters }), '1098(5)')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('女方收养人在2026年2月28日为29周岁')
    expect(check(facts({ asOf: '2026-03-01', adopters }), '1098(5)').outcome).toBe('pass')
  })

  test('a step-parent is exempt from all five conditions under art. 1103', () => {
    const stepfather = husband({ birthDate: '2000-01-01', children: 3, ableToRaise: false, disqualifyingDisease: true, harmfulRecord: true })
    const result = checkEligibility(facts({ relation: 'stepchild', child: { situation: 'other' }, adopters: [stepfather] }))
    for (const rule of ['1098(1)', '1098(2)', '1098(3)', '1098(4)', '1098(5)']) {
      expect(finding(result, rule).outcome).toBe('exempt')
      expect(finding(result, rule).message).toContain('第一千一百零三条')
    }
  })
})

describe('art. 1100: how many children may be adopted', () => {
  const single = (o: Partial<Adopter>) => facts({ adopters: [singleWoman(o)] })

  test('an adopter without children may adopt', () => {
    expect(check(single({}), '1100').outcome).toBe('pass')
  })

  test('an adopter with one child of their own may adopt one', () => {
    expect(check(single({ children: 1 }), '1100').outcome).toBe('pass')
  })

  test('a childless adopter who adopted once may adopt a second child', () => {
    expect(check(single({ children: 1, adoptedChildren: 1 }), '1100').outcome).toBe('pass')
  })

  test('an adopter who already adopted two may not adopt a third', () => {
    const f = check(single({ children: 2, adoptedChildren: 2 }), '1100')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('现有子女2名，其中养子女2名')
  })

  test('an adopter with a child of their own who already adopted one may not adopt again', () => {
    expect(check(single({ children: 2, adoptedChildren: 1 }), '1100').outcome).toBe('fail')
  })

  test("an overseas Chinese adopting a relative's child: exempt from 1098(1) but still bound by 1100", () => {
    const twoOwn = checkEligibility(facts({ relation: 'relative', adopters: [singleWoman({ children: 2, overseasChinese: true })] }))
    expect(finding(twoOwn, '1098(1)').outcome).toBe('exempt')
    expect(finding(twoOwn, '1100').outcome).toBe('pass')

    const ownAndAdopted = checkEligibility(facts({ relation: 'relative', adopters: [singleWoman({ children: 2, adoptedChildren: 1, overseasChinese: true })] }))
    expect(finding(ownAndAdopted, '1098(1)').outcome).toBe('exempt')
    expect(finding(ownAndAdopted, '1100').outcome).toBe('fail')
  })

  test.each([
    ['an orphan', { child: { situation: 'orphan' as const }, placingParty: { kind: 'guardian' as const, consentOfSupporters: true } }, '孤儿'],
    ['a disabled minor', { child: { disabled: true } }, '残疾未成年人'],
    ['an institution child whose parents cannot be found', institutionChild, '儿童福利机构抚养的查找不到生父母的未成年人'],
  ])('adopting %s is exempt from the number limit under art. 1100(2)', (_, situation, category) => {
    const result = checkEligibility(facts({ ...situation, adopters: [singleWoman({ children: 3, adoptedChildren: 3 })] }))
    expect(finding(result, '1100').outcome).toBe('exempt')
    expect(finding(result, '1100').message).toContain(`收养${category}`)
    expect(finding(result, '1098(1)').outcome).toBe('exempt')
  })

  test('a step-parent is exempt under art. 1103', () => {
    const f = check(facts({ relation: 'stepchild', child: { situation: 'other' }, adopters: [husband({ children: 2, adoptedChildren: 2 })] }), '1100')
    expect(f.outcome).toBe('exempt')
    expect(f.message).toContain('第一千一百零三条')
  })

  test('each spouse is counted: the one over the limit is named', () => {
    const f = check(facts({ adopters: [husband(), wife({ children: 2, adoptedChildren: 1 })] }), '1100')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('女方收养人现有子女2名，其中养子女1名')
    expect(f.message).not.toContain('男方收养人')
  })
})

describe('art. 1101: a married person adopts jointly with the spouse', () => {
  test('a married person applying alone fails', () => {
    const f = check(facts({ adopters: [singleWoman({ hasSpouse: true })] }), '1101')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('收养人有配偶')
  })

  test('does not apply to an adopter without a spouse', () => {
    expect(check(facts({ adopters: [singleWoman()] }), '1101').outcome).toBe('not_applicable')
  })

  test('spouses adopting together pass', () => {
    expect(check(facts(), '1101').outcome).toBe('pass')
  })

  test('two adopters who are not spouses fail', () => {
    const f = check(facts({ adopters: [husband({ hasSpouse: false }), wife()] }), '1101')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('男方收养人')
  })

  test('two adopters of the same sex cannot be spouses of each other: fail, even when both are married', () => {
    const zh = check(facts({ adopters: [wife(), wife({ birthDate: '1986-01-01' })] }), '1101')
    expect(zh.outcome).toBe('fail')
    expect(zh.message).toContain('第一千一百零一条')
    expect(zh.message).toContain('同性')
    const en = check(facts({ adopters: [husband(), husband({ birthDate: '1984-01-01' })] }), '1101', 'en')
    expect(en.outcome).toBe('fail')
    expect(en.message).toContain('same sex')
    expect(checkEligibility(facts({ adopters: [wife(), wife({ birthDate: '1986-01-01' })] })).eligible).toBe(false)
  })

  test('does not apply to a step-parent, who adopts alone', () => {
    const f = check(facts({ relation: 'stepchild', child: { situation: 'other' }, adopters: [husband()] }), '1101')
    expect(f.outcome).toBe('not_applicable')
    expect(f.message).toContain('第一千一百零三条')
  })
})

describe('art. 1102: an adopter without a spouse adopting a child of the opposite sex', () => {
  test('a gap of exactly 40 years passes', () => {
    const f = check(facts({ child: { sex: 'male', birthDate: '2020-03-10' }, adopters: [singleWoman({ birthDate: '1980-03-10' })] }), '1102')
    expect(f.outcome).toBe('pass')
    expect(f.message).toContain('相差40周岁')
  })

  test('a gap one day short of 40 years fails', () => {
    const f = check(facts({ child: { sex: 'male', birthDate: '2020-03-09' }, adopters: [singleWoman({ birthDate: '1980-03-10' })] }), '1102')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('实际相差39周岁')
  })

  test('a 29 February birthday: the 40th anniversary falls on the leap day itself', () => {
    const adopters = [singleWoman({ birthDate: '1980-02-29' })]
    expect(check(facts({ child: { sex: 'male', birthDate: '2020-02-28' }, adopters }), '1102').outcome).toBe('fail')
    expect(check(facts({ child: { sex: 'male', birthDate: '2020-02-29' }, adopters }), '1102').outcome).toBe('pass')
  })

  test('a single man adopting a girl is bound too', () => {
    expect(check(facts({ child: { sex: 'female', birthDate: '2022-03-10' }, adopters: [singleMan({ birthDate: '1990-01-01' })] }), '1102').outcome).toBe('fail')
  })

  test('does not apply to a child of the same sex', () => {
    expect(check(facts({ child: { sex: 'female', birthDate: '2022-03-10' }, adopters: [singleWoman({ birthDate: '1990-01-01' })] }), '1102').outcome).toBe('not_applicable')
  })

  test('does not apply to a couple', () => {
    expect(check(facts({ child: { sex: 'male' } }), '1102').outcome).toBe('not_applicable')
  })

  test('does not apply to a married adopter (who fails art. 1101 instead)', () => {
    const result = checkEligibility(facts({ child: { sex: 'female' }, adopters: [singleMan({ hasSpouse: true, birthDate: '1990-01-01' })] }))
    expect(finding(result, '1102').outcome).toBe('not_applicable')
    expect(finding(result, '1101').outcome).toBe('fail')
  })

  test("a relative's child is exempt under art. 1099", () => {
    const f = check(facts({ relation: 'relative', child: { sex: 'female', birthDate: '2022-03-10' }, adopters: [singleMan({ birthDate: '1990-01-01' })] }), '1102')
    expect(f.outcome).toBe('exempt')
    expect(f.message).toContain('第一千零九十九条')
  })
})

describe('art. 1104: the consent of a child aged 8 or over', () => {
  const child = (birthDate: string, consents: boolean | null) => facts({ child: { birthDate, consents } })

  test('a child who turns 8 on asOf must consent: not yet recorded fails', () => {
    const f = check(child('2018-06-01', null), '1104')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('尚未记录')
    expect(f.message).toContain('8周岁')
  })

  test('a child who turns 8 on asOf and consents passes', () => {
    expect(check(child('2018-06-01', true), '1104').outcome).toBe('pass')
  })

  test('a child who refuses fails', () => {
    const f = check(child('2014-01-01', false), '1104')
    expect(f.outcome).toBe('fail')
    expect(f.message).toContain('不同意')
  })

  test('a child who turns 8 the day after asOf need not be asked', () => {
    expect(check(child('2018-06-02', null), '1104').outcome).toBe('not_applicable')
  })

  test('a child born on 29 February turns 8 on that day in a leap year', () => {
    const f = (asOfDay: string) => check(facts({ asOf: asOfDay, child: { birthDate: '2016-02-29', consents: null } }), '1104')
    expect(f('2024-02-28').outcome).toBe('not_applicable')
    expect(f('2024-02-29').outcome).toBe('fail')
  })
})

describe('whole cases', () => {
  test('a step-father aged 28 with two children adopts his wife\'s son, the father being unknown', () => {
    const result = checkEligibility(facts({
      relation: 'stepchild',
      child: { birthDate: '2015-09-01', sex: 'male', situation: 'other', consents: true },
      placingParty: { kind: 'birth_parent', otherParentUnknownOrMissing: true },
      adopters: [husband({ birthDate: '1998-01-01', children: 2 })],
    }))
    expect(result.eligible).toBe(true)
    expect(Object.fromEntries(result.findings.map((f) => [f.rule, f.outcome]))).toEqual({
      '1093': 'exempt', '1094': 'exempt', '1096': 'not_applicable', '1097': 'pass',
      '1098(1)': 'exempt', '1098(2)': 'exempt', '1098(3)': 'exempt', '1098(4)': 'exempt', '1098(5)': 'exempt',
      '1100': 'exempt', '1101': 'not_applicable', '1102': 'not_applicable', '1104': 'pass',
    })
  })

  test('an overseas Chinese couple with two children adopts a niece whose parents are not in difficulty', () => {
    const result = checkEligibility(facts({
      relation: 'relative',
      child: { situation: 'other' },
      adopters: [husband({ children: 2, overseasChinese: true }), wife({ children: 2, overseasChinese: true })],
    }))
    expect(result.eligible).toBe(true)
    expect(finding(result, '1093').outcome).toBe('exempt')
    expect(finding(result, '1094').outcome).toBe('exempt')
    expect(finding(result, '1098(1)').outcome).toBe('exempt')
    expect(finding(result, '1100').outcome).toBe('pass')
  })

  test('a single woman of 45 adopts a boy from a welfare institution', () => {
    const result = checkEligibility(facts({
      ...institutionChild,
      child: { ...institutionChild.child, sex: 'male', birthDate: '2021-05-05' },
      adopters: [singleWoman({ birthDate: '1981-01-01' })],
    }))
    expect(result.eligible).toBe(true)
    expect(finding(result, '1102').outcome).toBe('pass')
    expect(finding(result, '1101').outcome).toBe('not_applicable')
  })
})

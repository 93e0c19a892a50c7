import { describe, expect, test } from 'vitest'
import { catalogs } from '#app/platform/i18n/index.ts'
import { eligibilityRuleIds } from './eligibility.ts'
import { allDocumentCodes, foundlingContradiction, grandparentsPriorityOpen, requiredDocuments, type ChecklistContext, type ChecklistItem } from './checklist.ts'
import { exemptText, guideCase, guideCaseKinds, guideCases, ruleText } from './guide.ts'

// A married couple adopting a young, non-disabled child from a child welfare institution.
function ctx(o: Partial<ChecklistContext> = {}): ChecklistContext {
  return {
    relation: 'none', placingKind: 'welfare_institution', childSituation: 'parents_not_found', foundling: false,
    childDisabled: false, adopters: 2, childAge8OrOver: false,
    ...o,
  }
}

const codes = (c: ChecklistContext) => requiredDocuments(c).map((d) => d.code)
const item = (c: ChecklistContext, code: string) => requiredDocuments(c).find((d) => d.code === code)

const ordinaryAdopter = [
  'adopter_application_form', 'adopter_hukou', 'adopter_id_card',
  'adopter_marital_status_and_ability', 'adopter_children_declaration', 'adopter_health_certificate',
]

// Every context the type allows (a foundling is always a child whose parents cannot be found).
function everyContext(): ChecklistContext[] {
  const all: ChecklistContext[] = []
  for (const relation of ['none', 'relative', 'stepchild'] as const)
    for (const placingKind of ['guardian', 'welfare_institution', 'birth_parents', 'birth_parent'] as const)
      for (const childSituation of ['orphan', 'parents_not_found', 'parents_in_difficulty', 'parents_lack_capacity', 'other'] as const)
        for (const foundling of childSituation === 'parents_not_found' ? [false, true] : [false])
          for (const childDisabled of [false, true])
            for (const adopters of [1, 2] as const)
              for (const childAge8OrOver of [false, true])
                for (const deceased of placingKind === 'birth_parent' ? ([null, 'unknown', 'waived', 'none_living'] as const) : [null])
                  all.push({ relation, placingKind, childSituation, foundling, childDisabled, adopters, childAge8OrOver, otherParentDeceased: deceased !== null, deceasedParentsParents: deceased })
  return all
}

describe('the documents per kind of case', () => {
  test('an ordinary couple adopting a child from a welfare institution', () => {
    expect(codes(ctx())).toEqual([
      ...ordinaryAdopter,
      'adopter_fertility_status_proof',
      'institution_head_id', 'institution_intake_record', 'police_finding_report',
    ])
    expect(item(ctx(), 'police_finding_report')).toMatchObject({ party: 'placing', basis: 'checklist.basis.measures7.2' })
  })

  test('a foundling not raised by the institution: the adopter brings the police report of the finding', () => {
    const foundling = ctx({ foundling: true })
    expect(codes(foundling)).toEqual([
      ...ordinaryAdopter,
      'adopter_fertility_status_proof', 'police_finding_report',
      'institution_head_id', 'institution_intake_record',
    ])
    expect(item(foundling, 'police_finding_report')).toMatchObject({ party: 'adopter', basis: 'checklist.basis.measures6.2' })
  })

  test('a foundling placed by a guardian organisation: the guardian\'s papers, no incapacity proof', () => {
    expect(codes(ctx({ foundling: true, placingKind: 'guardian' }))).toEqual([
      ...ordinaryAdopter,
      'adopter_fertility_status_proof', 'police_finding_report',
      'placing_hukou', 'placing_id_card', 'guardianship_proof',
    ])
  })

  test('an orphan placed by the guardian: guardianship, death of the parents, consent of the supporters', () => {
    expect(codes(ctx({ placingKind: 'guardian', childSituation: 'orphan' }))).toEqual([
      ...ordinaryAdopter,
      'placing_hukou', 'placing_id_card', 'guardianship_proof', 'parents_death_proof', 'supporters_consent',
    ])
  })

  test('an orphan placed by a welfare institution: the death proof instead of the police report', () => {
    expect(codes(ctx({ childSituation: 'orphan' }))).toEqual([
      ...ordinaryAdopter,
      'institution_head_id', 'institution_intake_record', 'parents_death_proof',
    ])
  })

  test('a guardian placing a child who is not an orphan (art. 1095): proof of the parents\' incapacity', () => {
    expect(codes(ctx({ placingKind: 'guardian', childSituation: 'other' }))).toEqual([
      ...ordinaryAdopter,
      'placing_hukou', 'placing_id_card', 'guardianship_proof', 'parents_incapacity_proof',
    ])
  })

  test('birth parents with special difficulty place jointly: their declaration', () => {
    expect(codes(ctx({ placingKind: 'birth_parents', childSituation: 'parents_in_difficulty' }))).toEqual([
      ...ordinaryAdopter,
      'placing_hukou', 'placing_id_card', 'special_difficulty_declaration',
    ])
  })

  test('one birth parent places alone: also proof that the other has died or cannot be found', () => {
    expect(codes(ctx({ placingKind: 'birth_parent', childSituation: 'parents_in_difficulty' }))).toEqual([
      ...ordinaryAdopter,
      'placing_hukou', 'placing_id_card', 'special_difficulty_declaration', 'other_parent_missing_proof',
    ])
  })

  test('a relative\'s child: the relationship proof, and no declaration of special difficulty (art. 1099)', () => {
    for (const childSituation of ['parents_in_difficulty', 'other'] as const) {
      const relative = ctx({ relation: 'relative', placingKind: 'birth_parents', childSituation })
      expect(codes(relative)).toEqual([
        ...ordinaryAdopter,
        'placing_hukou', 'placing_id_card', 'relationship_proof',
      ])
      expect(item(relative, 'relationship_proof')?.label).toBe('checklist.doc.relationship_proof.relative')
    }
  })

  test('a stepchild (art. 1103): the short list, with the marriage certificate and the birth parents\' consent', () => {
    const stepchild = ctx({ relation: 'stepchild', placingKind: 'birth_parents', childSituation: 'other', adopters: 1 })
    expect(codes(stepchild)).toEqual([
      'adopter_application_form', 'adopter_hukou', 'adopter_id_card', 'adopter_marriage_certificate',
      'placing_hukou', 'placing_id_card', 'birth_parents_agreement', 'relationship_proof',
    ])
    expect(item(stepchild, 'adopter_hukou')?.basis).toBe('checklist.basis.measures6.3')
    expect(item(stepchild, 'relationship_proof')?.label).toBe('checklist.doc.relationship_proof.stepchild')
    // Aged 8 or over: the child's consent; disabled: nothing more (art. 1103 already lifts the limits).
    expect(codes({ ...stepchild, childAge8OrOver: true, childDisabled: true })).toEqual([...codes(stepchild), 'child_consent'])
    // The birth father placing alone (the mother cannot be found).
    expect(codes({ ...stepchild, placingKind: 'birth_parent' })).toContain('other_parent_missing_proof')
  })

  test('a stepchild placed by a guardian is not an art. 1103 adoption: the ordinary list', () => {
    expect(codes(ctx({ relation: 'stepchild', placingKind: 'guardian', childSituation: 'orphan' }))).toEqual([
      ...ordinaryAdopter,
      'placing_hukou', 'placing_id_card', 'guardianship_proof', 'parents_death_proof', 'supporters_consent', 'relationship_proof',
    ])
  })

  test('a disabled child: the disability certificate from the placing party', () => {
    const disabled = ctx({ placingKind: 'birth_parents', childSituation: 'parents_in_difficulty', childDisabled: true })
    expect(codes(disabled)).toEqual([
      ...ordinaryAdopter,
      'placing_hukou', 'placing_id_card', 'special_difficulty_declaration', 'child_disability_proof',
    ])
    expect(item(disabled, 'child_disability_proof')).toMatchObject({ party: 'placing', basis: 'checklist.basis.measures7.5' })
  })

  test('a child aged 8 or over: the child\'s own consent, last', () => {
    const older = ctx({ childAge8OrOver: true })
    expect(codes(older)).toEqual([...codes(ctx()), 'child_consent'])
    expect(item(older, 'child_consent')).toMatchObject({ party: 'child', basis: 'checklist.basis.civilCode1104' })
  })

  test('one adopter or a couple: the same list', () => {
    for (const c of everyContext().filter((c) => c.adopters === 1)) {
      expect(codes(c)).toEqual(codes({ ...c, adopters: 2 }))
    }
  })

  test('a foundling recorded with another situation (stored before the form refused it) is listed, not thrown on, and flagged', () => {
    const contradictory = ctx({ foundling: true, childSituation: 'orphan' })
    expect(() => requiredDocuments(contradictory)).not.toThrow()
    expect(codes(contradictory)).toEqual(expect.arrayContaining(['police_finding_report', 'parents_death_proof']))
    expect(foundlingContradiction(contradictory)).toBe(true)
    expect(foundlingContradiction(ctx({ foundling: true }))).toBe(false)
    expect(foundlingContradiction(ctx({ childSituation: 'orphan' }))).toBe(false)
  })
})

describe('every list', () => {
  const lists = everyContext().map((c) => ({ c, items: requiredDocuments(c) }))

  test('has no duplicate code, only known codes, and every item required', () => {
    for (const { c, items } of lists) {
      const list = items.map((d) => d.code)
      expect(new Set(list).size, JSON.stringify(c)).toBe(list.length)
      for (const code of list) expect(allDocumentCodes).toContain(code)
      expect(items.every((d) => d.required === true)).toBe(true)
    }
  })

  test('allDocumentCodes is exactly what the contexts produce', () => {
    const produced = new Set(lists.flatMap(({ items }) => items.map((d) => d.code)))
    expect([...allDocumentCodes].sort()).toEqual([...produced].sort())
    expect(new Set(allDocumentCodes).size).toBe(allDocumentCodes.length)
  })

  test('lists the adopter\'s documents first, then the placing party\'s, the child\'s last', () => {
    for (const { items } of lists) {
      const parties = items.map((d) => d.party)
      expect(parties).toEqual([...parties].sort((a, b) => rank(a) - rank(b)))
    }
  })

  test('always starts with the application, the hukou booklet and the ID card', () => {
    for (const { items } of lists) {
      expect(items.slice(0, 3).map((d) => d.code)).toEqual(['adopter_application_form', 'adopter_hukou', 'adopter_id_card'])
    }
  })

  test('every label and basis is in both catalogues, not empty', () => {
    const keys = new Set<string>()
    for (const { items } of lists) for (const d of items) { keys.add(d.label); keys.add(d.basis) }
    for (const key of keys) {
      expect(catalogs.zh[key]?.trim(), key).toBeTruthy()
      expect(catalogs.en[key]?.trim(), key).toBeTruthy()
    }
    for (const party of ['adopter', 'placing', 'child'] as const) {
      expect(catalogs.zh[`checklist.party.${party}`]).toBeTruthy()
      expect(catalogs.en[`checklist.party.${party}`]).toBeTruthy()
    }
  })
})

const rank = (party: ChecklistItem['party']) => ({ adopter: 0, placing: 1, child: 2 })[party]

describe('the public guide', () => {
  const byKind = Object.fromEntries(guideCases().map((c) => [c.kind, c]))
  const status = (kind: string) => Object.fromEntries(byKind[kind].rules.map((r) => [r.rule, r.status]))

  test('covers the six kinds of case, each with documents from the checklist', () => {
    expect(guideCases().map((c) => c.kind)).toEqual([...guideCaseKinds])
    for (const c of guideCases()) expect(c.documents).toEqual(requiredDocuments(c.context))
  })

  test('the step-parent lists fewer documents than any other kind, and needs no assessment', () => {
    const step = byKind.stepchild
    for (const c of guideCases().filter((c) => c.kind !== 'stepchild')) {
      expect(step.documents.length).toBeLessThan(c.documents.length)
      expect(c.assessment).toBe(true)
    }
    expect(step.assessment).toBe(false)
  })

  test('conditions come from the eligibility engine: who is exempt from what', () => {
    const adopterConditions = ['1098(1)', '1098(2)', '1098(3)', '1098(4)', '1098(5)', '1100']
    expect(adopterConditions.map((r) => status('stepchild')[r])).toEqual(adopterConditions.map(() => 'exempt'))
    expect(status('stepchild')['1101']).toBeUndefined()
    expect([status('institution')['1098(1)'], status('institution')['1100']]).toEqual(['exempt', 'exempt'])
    expect([status('orphan')['1098(1)'], status('orphan')['1100']]).toEqual(['exempt', 'exempt'])
    expect([status('foundling')['1098(1)'], status('foundling')['1100']]).toEqual(['applies', 'applies'])
    expect([status('relative')['1093'], status('relative')['1094'], status('relative')['1102']]).toEqual(['exempt', 'exempt', 'exempt'])
    expect(status('difficulty')['1097']).toBe('applies')
    expect(status('orphan')['1096']).toBe('applies')
    for (const c of guideCases()) expect(status(c.kind)['1104']).toBe('applies')
    const relative1098 = byKind.relative.rules.find((r) => r.rule === '1098(1)')
    expect(relative1098?.exemptWhen).toEqual(['childDisabled', 'overseasChinese'])
  })

  test('public notice for children whose parents cannot be found; the competent registry per kind', () => {
    expect(guideCases().filter((c) => c.publicNotice).map((c) => c.kind)).toEqual(['institution', 'foundling'])
    expect(Object.fromEntries(guideCases().map((c) => [c.kind, c.registry]))).toEqual({
      institution: 'institution', foundling: 'place_found', orphan: 'guardian_hukou',
      difficulty: 'birth_parent_hukou', relative: 'birth_parent_hukou', stepchild: 'birth_parent_hukou',
    })
  })

  test('the documents added by one more fact', () => {
    expect(byKind.difficulty.additional.map((a) => [a.when, a.items.map((d) => d.code)])).toEqual([
      ['childAge8OrOver', ['child_consent']],
      ['childDisabled', ['child_disability_proof']],
      ['oneBirthParent', ['other_parent_missing_proof']],
    ])
    expect(guideCase('stepchild').additional.map((a) => a.when)).toEqual(['childAge8OrOver', 'oneBirthParent'])
  })

  test('every text the page shows is in both catalogues', () => {
    const keys = new Set<string>(eligibilityRuleIds.map(ruleText))
    for (const c of guideCases()) {
      for (const part of ['title', 'summary', 'exemptBasis']) keys.add(`guide.case.${c.kind}.${part}`)
      keys.add(`guide.registry.${c.registry}`)
      for (const r of c.rules) {
        keys.add(exemptText(r.rule))
        for (const when of r.exemptWhen) keys.add(`guide.exemptWhen.${when}`)
      }
      for (const a of c.additional) {
        keys.add(`guide.additional.${a.when}`)
        for (const d of a.items) { keys.add(d.label); keys.add(d.basis) }
      }
    }
    for (const key of keys) {
      expect(catalogs.zh[key]?.trim(), key).toBeTruthy()
      expect(catalogs.en[key]?.trim(), key).toBeTruthy()
    }
  })

  test('the catalogue keeps to checklist.* and guide.*', async () => {
    const registration = await import('#app/platform/i18n/catalog/registration.ts')
    for (const key of Object.keys(registration.zh)) expect(key).toMatch(/^(checklist|guide)\./)
  })
})

describe('art. 1108: one birth parent has died, the survivor places the child', () => {
  const survivor = (o: Partial<ChecklistContext> = {}) =>
    ctx({ placingKind: 'birth_parent', childSituation: 'parents_in_difficulty', otherParentDeceased: true, deceasedParentsParents: 'unknown', ...o })
  test('the death and the deceased parent\'s parents\' waiver or status are documents; the priority blocks until recorded', () => {
    expect(codes(survivor())).toContain('deceased_parent_death_proof')
    expect(codes(survivor())).toContain('grandparents_status_proof')
    expect(codes(survivor())).not.toContain('other_parent_missing_proof')
    expect(codes(survivor({ deceasedParentsParents: 'waived' }))).toContain('grandparents_waiver')
    expect(item(survivor(), 'grandparents_status_proof')).toMatchObject({ basis: 'checklist.basis.civilCode1108' })
    expect(grandparentsPriorityOpen(survivor())).toBe(true)
    for (const status of ['waived', 'none_living', 'unable'] as const) expect(grandparentsPriorityOpen(survivor({ deceasedParentsParents: status }))).toBe(false)
  })
  test('a step-parent adoption leaves the child with the surviving parent: no priority to clear', () => {
    const step = survivor({ relation: 'stepchild', childSituation: 'other' })
    expect(grandparentsPriorityOpen(step)).toBe(false)
    expect(codes(step)).not.toContain('grandparents_status_proof')
    expect(codes(step)).toContain('deceased_parent_death_proof')
  })
})

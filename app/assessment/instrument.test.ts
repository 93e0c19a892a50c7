import { describe, expect, test } from 'vitest'
import {
  defaultInstrument, instrumentSchema, scoreAssessment, validateScores, type DimensionScore, type InstrumentDefinition,
} from './instrument.ts'

// A fresh deep copy, so a test can break one rule without touching the shipped default.
const copy = (): InstrumentDefinition => structuredClone(defaultInstrument)

function issuesOf(def: unknown) {
  const result = instrumentSchema.safeParse(def)
  expect(result.success).toBe(false)
  return result.error!.issues.map((i) => ({ path: i.path, message: i.message }))
}

// Every dimension at full marks, no vetoes; tests lower one score from here.
const full = (def: InstrumentDefinition = defaultInstrument): DimensionScore[] =>
  def.dimensions.map((d) => ({ code: d.code, score: d.maxScore, vetoes: [] }))

function withScore(scores: DimensionScore[], code: string, change: Partial<DimensionScore>) {
  return scores.map((s) => (s.code === code ? { ...s, ...change } : s))
}

describe('the default instrument', () => {
  test('passes its own schema', () => {
    const result = instrumentSchema.safeParse(defaultInstrument)
    expect(result.success ? [] : result.error.issues).toEqual([])
  })

  test('covers the eleven content dimensions of domain.md, each with 2–4 questions and evidence', () => {
    expect(defaultInstrument.dimensions.map((d) => d.code)).toEqual([
      'motivation', 'moral_character', 'education', 'health', 'finances_housing', 'marriage_family',
      'household_views', 'child_rearing_plan', 'neighbour_relations', 'community_environment', 'integration',
    ])
    expect(defaultInstrument.dimensions.map((d) => d.title.zh)).toEqual([
      '收养动机', '道德品行', '受教育程度', '健康状况', '经济及住房条件', '婚姻家庭关系',
      '共同生活家庭成员意见', '抚育计划', '邻里关系', '社区环境', '融合情况',
    ])
    for (const d of defaultInstrument.dimensions) {
      expect(d.questions.length).toBeGreaterThanOrEqual(2)
      expect(d.questions.length).toBeLessThanOrEqual(4)
      expect(d.evidence.length).toBeGreaterThan(0)
    }
  })

  test('is a 100-point scale passing at 80, with the named vetoes and conclusions', () => {
    expect(defaultInstrument.scale).toEqual({ max: 100, pass: 80 })
    const vetoes = Object.fromEntries(defaultInstrument.dimensions.map((d) => [d.code, d.vetoItems.map((v) => v.zh)]))
    expect(vetoes.motivation).toContain('以收养为名买卖、虐待、遗弃儿童的意图')
    expect(vetoes.moral_character).toEqual(expect.arrayContaining(['有故意犯罪被判处刑罚的记录', '吸毒、酗酒、赌博']))
    expect(vetoes.health).toContain('患有精神疾病或传染性疾病等医学上认为不应当收养子女的疾病')
    expect(vetoes.marriage_family).toContain('存在持续性家庭暴力')
    expect(vetoes.integration).toContain('融合期间有伤害被收养人的行为')
    expect(defaultInstrument.conclusions.recommended.zh).toBe('建议办理收养登记')
    expect(defaultInstrument.conclusions.notRecommended.zh).toBe('不建议办理收养登记')
  })

  test('lists the seven must-report findings; only harm during integration goes to the police', () => {
    expect(defaultInstrument.mustReport.map((m) => m.code)).toEqual([
      'fraud_or_forgery', 'trafficking_abuse_abandonment', 'domestic_violence', 'intentional_crime',
      'serious_illness_or_disability', 'drugs_alcohol_gambling', 'harm_during_integration',
    ])
    expect(defaultInstrument.mustReport.filter((m) => m.police).map((m) => m.code)).toEqual(['harm_during_integration'])
  })
})

describe('instrumentSchema rejects a bad definition, at the faulty path', () => {
  test('weights that do not sum to the scale maximum', () => {
    const def = copy()
    def.dimensions[0].maxScore = 15
    expect(issuesOf(def)).toEqual([{ path: ['dimensions'], message: expect.stringContaining('sum to 105') }])
  })

  test('a duplicate dimension code', () => {
    const def = copy()
    def.dimensions[2].code = 'motivation'
    expect(issuesOf(def)).toContainEqual({ path: ['dimensions', 2, 'code'], message: expect.stringContaining("duplicate dimension code 'motivation'") })
  })

  test('a duplicate veto code within a dimension', () => {
    const def = copy()
    def.dimensions[1].vetoItems[1].code = def.dimensions[1].vetoItems[0].code
    expect(issuesOf(def)).toEqual([{ path: ['dimensions', 1, 'vetoItems', 1, 'code'], message: expect.stringContaining('duplicate veto item') }])
  })

  test('a duplicate must-report code', () => {
    const def = copy()
    def.mustReport[3].code = 'fraud_or_forgery'
    expect(issuesOf(def)).toEqual([{ path: ['mustReport', 3, 'code'], message: expect.stringContaining('duplicate must-report') }])
  })

  test('the same veto code in two dimensions is allowed', () => {
    const def = copy()
    def.dimensions[2].vetoItems = [{ code: 'domestic_violence', zh: '存在持续性家庭暴力', en: 'Persistent domestic violence' }]
    expect(instrumentSchema.safeParse(def).success).toBe(true)
  })

  test('a pass mark above the maximum, or not above zero', () => {
    const def = copy()
    def.scale = { max: 100, pass: 101 }
    expect(issuesOf(def)).toEqual([{ path: ['scale', 'pass'], message: expect.stringContaining('must not exceed') }])
    def.scale = { max: 100, pass: 0 }
    expect(issuesOf(def).map((i) => i.path)).toEqual([['scale', 'pass']])
  })

  test('a scored dimension under a null scale', () => {
    const def = copy()
    def.scale = null
    for (const d of def.dimensions) d.maxScore = null
    def.dimensions[4].maxScore = 10
    expect(issuesOf(def)).toEqual([{ path: ['dimensions', 4, 'maxScore'], message: expect.stringContaining('unscored') }])
  })

  test('an unscored dimension under a scale', () => {
    const def = copy()
    def.dimensions[10].maxScore = null
    expect(issuesOf(def)).toEqual([{ path: ['dimensions', 10, 'maxScore'], message: expect.stringContaining('needs a maxScore') }])
  })

  test('a malformed code, an empty text, no dimensions, a misspelt key', () => {
    const def = copy()
    def.dimensions[0].code = 'Motivation'
    def.dimensions[3].questions[0].en = '  '
    expect(issuesOf(def).map((i) => i.path)).toEqual([['dimensions', 0, 'code'], ['dimensions', 3, 'questions', 0, 'en']])
    expect(issuesOf({ ...copy(), dimensions: [] }).map((i) => i.path)).toEqual([['dimensions']])
    const { maxScore, ...rest } = copy().dimensions[0]
    const misspelt = { ...copy(), dimensions: [{ ...rest, maxscore: maxScore }, ...copy().dimensions.slice(1)] }
    expect(issuesOf(misspelt).map((i) => i.path)).toEqual(expect.arrayContaining([['dimensions', 0]]))
  })

  test('a valid unscored instrument is accepted', () => {
    const def = copy()
    def.scale = null
    for (const d of def.dimensions) d.maxScore = null
    expect(instrumentSchema.safeParse(def).success).toBe(true)
  })
})

describe('scoreAssessment', () => {
  test('every dimension at full marks is recommended', () => {
    expect(scoreAssessment(defaultInstrument, full())).toEqual({
      total: 100, max: 100, pass: 80, vetoed: [], missing: [], outcome: 'recommended',
    })
  })

  test('the pass mark is inclusive: 79 is not recommended, 80 is', () => {
    const eighty = withScore(full(), 'integration', { score: 0 })
    expect(scoreAssessment(defaultInstrument, withScore(eighty, 'education', { score: 4 }))).toMatchObject({ total: 79, outcome: 'not_recommended' })
    expect(scoreAssessment(defaultInstrument, eighty)).toMatchObject({ total: 80, outcome: 'recommended' })
  })

  test('any veto is not recommended, even at 100 points', () => {
    const r = scoreAssessment(defaultInstrument, withScore(full(), 'marriage_family', { vetoes: ['domestic_violence'] }))
    expect(r).toMatchObject({ total: 100, outcome: 'not_recommended', vetoed: [{ dimension: 'marriage_family', code: 'domestic_violence' }] })
  })

  test('a veto decides even before every dimension is scored', () => {
    const r = scoreAssessment(defaultInstrument, [{ code: 'health', score: null, vetoes: ['disqualifying_illness'] }])
    expect(r.outcome).toBe('not_recommended')
  })

  test('a dimension not yet scored leaves the assessment incomplete', () => {
    const absent = scoreAssessment(defaultInstrument, full().filter((s) => s.code !== 'education'))
    expect(absent).toMatchObject({ total: 95, missing: ['education'], outcome: 'incomplete' })
    const nullScore = scoreAssessment(defaultInstrument, withScore(full(), 'integration', { score: null }))
    expect(nullScore).toMatchObject({ total: 80, missing: ['integration'], outcome: 'incomplete' })
  })

  test('a repeated dimension: the last score counts, the vetoes of both are kept', () => {
    const scores = [...full(), { code: 'motivation', score: 5, vetoes: [] }]
    expect(scoreAssessment(defaultInstrument, scores).total).toBe(95)
    const vetoFirst = [{ code: 'motivation', score: 10, vetoes: ['trafficking_abuse_abandonment'] }, ...full()]
    expect(scoreAssessment(defaultInstrument, vetoFirst).outcome).toBe('not_recommended')
  })

  test('without a scale: totals are null and the outcome follows the vetoes alone', () => {
    const def = copy()
    def.scale = null
    for (const d of def.dimensions) d.maxScore = null
    expect(scoreAssessment(def, [])).toEqual({ total: null, max: null, pass: null, vetoed: [], missing: [], outcome: 'recommended' })
    expect(scoreAssessment(def, [{ code: 'integration', score: null, vetoes: ['harm_during_integration'] }])).toMatchObject({
      total: null, outcome: 'not_recommended', vetoed: [{ dimension: 'integration', code: 'harm_during_integration' }],
    })
  })
})

describe('validateScores', () => {
  test('full marks and no vetoes are fine', () => {
    expect(validateScores(defaultInstrument, full())).toEqual([])
    expect(validateScores(defaultInstrument, withScore(full(), 'health', { score: 0, vetoes: ['disqualifying_illness'] }))).toEqual([])
  })

  test('a score above the dimension maximum, or negative', () => {
    expect(validateScores(defaultInstrument, withScore(full(), 'education', { score: 6 }))).toEqual([{ code: 'education', problem: 'out_of_range' }])
    expect(validateScores(defaultInstrument, withScore(full(), 'education', { score: -1 }))).toEqual([{ code: 'education', problem: 'out_of_range' }])
  })

  test('a fractional or non-finite score', () => {
    expect(validateScores(defaultInstrument, withScore(full(), 'health', { score: 7.5 }))).toEqual([{ code: 'health', problem: 'not_integer' }])
    expect(validateScores(defaultInstrument, withScore(full(), 'health', { score: Number.NaN }))).toEqual([{ code: 'health', problem: 'not_integer' }])
  })

  test('a veto the dimension does not have', () => {
    // domestic_violence is a veto of marriage_family, not of motivation.
    expect(validateScores(defaultInstrument, withScore(full(), 'motivation', { vetoes: ['domestic_violence'] }))).toEqual([{ code: 'motivation', problem: 'unknown_veto' }])
  })

  test('a dimension the instrument does not have', () => {
    expect(validateScores(defaultInstrument, [...full(), { code: 'religion', score: 3, vetoes: ['x'] }])).toEqual([{ code: 'religion', problem: 'unknown_dimension' }])
  })

  test('any score under a null scale is out of range', () => {
    const def = copy()
    def.scale = null
    for (const d of def.dimensions) d.maxScore = null
    expect(validateScores(def, [{ code: 'health', score: 5, vetoes: [] }, { code: 'education', score: null, vetoes: [] }])).toEqual([{ code: 'health', problem: 'out_of_range' }])
  })
})

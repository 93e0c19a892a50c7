import { describe, expect, test } from 'vitest'
import { addMonths, birthdayOfAge, DEFAULT_POLICY, planPostPlacementReports, planVisits, policyRulesSchema } from './policy.ts'

describe('addMonths', () => {
  test.each([
    ['2026-01-15', 1, '2026-02-15'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'], // leap year
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-08-31', 3, '2026-11-30'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2028-02-29', 12, '2029-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-10-31', 14, '2027-12-31'],
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected)
  })
})

describe('birthdayOfAge', () => {
  test('the 18th birthday; 29 February turns 18 on 1 March of a common year', () => {
    expect(birthdayOfAge('2010-06-30', 18)).toBe('2028-06-30')
    expect(birthdayOfAge('2012-02-29', 18)).toBe('2030-03-01')
    expect(birthdayOfAge('2012-02-29', 16)).toBe('2028-02-29')
  })
})

describe('planVisits under the default policy (1, 3, 6, 12 months, then yearly until 18, ±14 days)', () => {
  test('a young child: four fixed visits, then one a year until the day before the 18th birthday', () => {
    const plan = planVisits('2026-11-28', '2023-05-20', DEFAULT_POLICY)
    expect(plan.slice(0, 5).map((p) => p.dueOn)).toEqual(['2026-12-28', '2027-02-28', '2027-05-28', '2027-11-28', '2028-11-28'])
    expect(plan[0]).toEqual({ sequence: 1, dueOn: '2026-12-28', windowFrom: '2026-12-14', windowTo: '2027-01-11' })
    // The child turns 18 on 2041-05-20: the last yearly visit is 2040-11-28.
    expect(plan.at(-1)!.dueOn).toBe('2040-11-28')
    expect(plan.map((p) => p.sequence)).toEqual(plan.map((_, i) => i + 1))
    expect(plan).toHaveLength(4 + 13)
  })

  test('month ends: a registration on 31 August keeps its day where the month has it', () => {
    const plan = planVisits('2026-08-31', '2020-01-01', DEFAULT_POLICY)
    expect(plan.slice(0, 6).map((p) => p.dueOn)).toEqual(['2026-09-30', '2026-11-30', '2027-02-28', '2027-08-31', '2028-08-31', '2029-08-31'])
  })

  test('leap day: a registration on 29 February 2028 falls on 28 February in common years, 29 in leap years', () => {
    const plan = planVisits('2028-02-29', '2020-01-01', DEFAULT_POLICY)
    expect(plan.map((p) => p.dueOn)).toContain('2029-02-28')
    expect(plan.map((p) => p.dueOn)).toContain('2032-02-29')
  })

  test('the 18th birthday ends the plan: no visit and no window on or after it', () => {
    // Born 2009-02-10, turns 18 on 2027-02-10: the 3-month visit (2027-02-28) is not planned;
    // the 1-month visit's window stops the day before the birthday.
    const plan = planVisits('2026-11-28', '2009-02-10', DEFAULT_POLICY)
    expect(plan.map((p) => p.dueOn)).toEqual(['2026-12-28'])
    const nearly = planVisits('2026-11-28', '2008-12-31', DEFAULT_POLICY)
    expect(nearly).toEqual([{ sequence: 1, dueOn: '2026-12-28', windowFrom: '2026-12-14', windowTo: '2026-12-30' }])
  })

  test('a child born on 29 February is a minor until 1 March of a common year', () => {
    // Born 2012-02-29, turns 18 on 2030-03-01: a visit due 2030-02-28 is still planned, its window
    // stops on that day; a visit due 2030-03-01 is not.
    const rules = { ...DEFAULT_POLICY, visitsAfterMonths: [3], thenEveryMonths: null }
    expect(planVisits('2029-11-28', '2012-02-29', rules)).toEqual([{ sequence: 1, dueOn: '2030-02-28', windowFrom: '2030-02-14', windowTo: '2030-02-28' }])
    expect(planVisits('2029-12-01', '2012-02-29', rules)).toEqual([])
  })

  test('a child already 18 gets no plan', () => {
    expect(planVisits('2026-11-28', '2008-11-28', DEFAULT_POLICY)).toEqual([])
  })

  test('a province rule: 3 and 6 months, then every 6 months until 14, window ±7 days', () => {
    const plan = planVisits('2026-01-31', '2020-07-31', { visitsAfterMonths: [3, 6], thenEveryMonths: 6, untilAge: 14, windowDays: 7 })
    expect(plan.slice(0, 4).map((p) => p.dueOn)).toEqual(['2026-04-30', '2026-07-31', '2027-01-31', '2027-07-31'])
    expect(plan.at(-1)!.dueOn).toBe('2034-01-31') // turns 14 on 2034-07-31
    expect(plan[0]).toMatchObject({ windowFrom: '2026-04-23', windowTo: '2026-05-07' })
  })

  test('no repetition: only the fixed visits', () => {
    expect(planVisits('2026-11-28', '2023-05-20', { ...DEFAULT_POLICY, thenEveryMonths: null })).toHaveLength(4)
  })
})

describe('post-placement reports of intercountry adoptions', () => {
  test('approved since 2015: 6, 12, 24, 36, 48, 60 months', () => {
    expect(planPostPlacementReports('2016-03-31', '2016-01-10').map((p) => p.dueOn))
      .toEqual(['2016-09-30', '2017-03-31', '2018-03-31', '2019-03-31', '2020-03-31', '2021-03-31'])
  })
  test('approved before 2015: 1, 6, 12, 24, 36, 60 months', () => {
    expect(planPostPlacementReports('2015-01-31', '2014-12-31').map((p) => p.dueOn))
      .toEqual(['2015-02-28', '2015-07-31', '2016-01-31', '2017-01-31', '2018-01-31', '2020-01-31'])
  })
})

describe('policyRulesSchema', () => {
  test('accepts the default and refuses fixed visits out of order', () => {
    expect(policyRulesSchema.parse(DEFAULT_POLICY)).toEqual(DEFAULT_POLICY)
    expect(policyRulesSchema.safeParse({ ...DEFAULT_POLICY, visitsAfterMonths: [3, 1] }).success).toBe(false)
    expect(policyRulesSchema.safeParse({ ...DEFAULT_POLICY, untilAge: 19 }).success).toBe(false)
  })
})

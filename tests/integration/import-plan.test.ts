// The domestic follow-up plan the import makes in SQL (app/import/plan.server.ts) is the plan of
// planVisits() (app/followup/policy.ts): compared over thousands of registrations — random dates,
// month ends, children born on 29 February, three policies, past visits kept or left out.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { testDatabase, type TestDatabase } from '#tests/support/db.ts'
import { birthdayOfAge, DEFAULT_POLICY, planVisits, type PolicyRules } from '#app/followup/policy.ts'
import { addDays } from '#app/registration/deadlines.ts'
import { visitPlanQuery, type VisitSubject } from '#app/import/plan.server.ts'

let t: TestDatabase
beforeAll(async () => { t = await testDatabase() })
afterAll(async () => { await t.destroy() })

function subjects(today: string): VisitSubject[] {
  let seed = 42
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const out: VisitSubject[] = []
  const push = (birthDate: string, registeredOn: string) => { if (registeredOn <= today && birthDate <= registeredOn) out.push({ id: String(out.length + 1), registeredOn, birthDate }) }
  for (let i = 0; i < 3000; i++) {
    const birthDate = addDays('1995-01-01', Math.floor(random() * 11600))
    push(birthDate, addDays(birthDate, Math.floor(random() * 3000)))
  }
  for (const birthDate of ['2008-02-29', '2012-02-29', '2016-02-29', '2020-02-29', '2009-02-28', '2010-12-31']) {
    for (const registeredOn of ['2016-01-31', '2020-02-29', '2021-03-31', '2022-08-31', '2023-10-31', '2026-05-31', '2026-11-28']) push(birthDate, registeredOn)
  }
  return out
}

const policies: PolicyRules[] = [
  DEFAULT_POLICY,
  { visitsAfterMonths: [2, 5], thenEveryMonths: null, untilAge: 18, windowDays: 7 },
  { visitsAfterMonths: [1, 3, 6, 12], thenEveryMonths: 6, untilAge: 16, windowDays: 30 },
]

test.each(policies.flatMap((rules) => [['2026-11-28', rules, false], ['2026-11-28', rules, true], ['2024-03-01', rules, true]] as const))(
  'on %s the SQL plan is planVisits’ plan (%j, past kept: %s)', async (today, rules, keepPast) => {
    const all = subjects(today)
    const expected = all.flatMap((s) => (birthdayOfAge(s.birthDate, 18) <= today ? [] : planVisits(s.registeredOn, s.birthDate, rules)
      .filter((v) => keepPast || v.windowTo >= today)
      .map((v) => [s.id, v.sequence, v.dueOn, v.windowFrom, v.windowTo, v.windowTo < today])))
    const { rows } = await visitPlanQuery(all, rules, today, keepPast).execute(t.db)
    const actual = rows.map((r) => [String(r.application_id), r.sequence, r.due_on, r.window_from, r.window_to, r.past])
      .sort((a, b) => Number(a[0]) - Number(b[0]) || (a[1] as number) - (b[1] as number))
    expect(expected.length).toBeGreaterThan(50) // not an empty comparison
    expect(actual).toEqual(expected)
  })

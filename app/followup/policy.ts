// The follow-up policy and the plans it makes (domain.md "Post-adoption follow-up"). There is no
// national schedule for domestic visits: the policy is configuration with versions (stored in
// followup_policies; DEFAULT_POLICY until an administrator publishes one), so a province's rule
// replaces it without a code change. Pure: dates in, dates out (YYYY-MM-DD, Asia/Shanghai).
//
// Month arithmetic: a visit "n months after registration" falls on the same day of the month, or
// on the month's last day when that day does not exist (31 Jan + 1 month = 28/29 Feb). Every visit
// is counted from the registration date itself, never from the previous visit, so a short month
// does not pull every later visit earlier.
//
// Adulthood: the child turns 18 on the 18th birthday (周岁; a child born on 29 February on 1 March
// of a common year, as in app/registration/eligibility.ts). No visit is planned on or after that day,
// and no window reaches it: follow-up of a minor ends when the minor is one no longer.
import { z } from 'zod'
import { addDays, toDay } from '#app/registration/deadlines.ts'

export type PolicyRules = {
  visitsAfterMonths: number[]    // the fixed visits, in months after registration, e.g. [1, 3, 6, 12]
  thenEveryMonths: number | null // after the last fixed visit, repeat every so many months (12 = yearly), or never
  untilAge: number               // no visit on or after this birthday of the child (18)
  windowDays: number             // a visit may be made this many days before or after its due date
}

export const DEFAULT_POLICY: PolicyRules = { visitsAfterMonths: [1, 3, 6, 12], thenEveryMonths: 12, untilAge: 18, windowDays: 14 }

export type PlannedTask = { sequence: number; dueOn: string; windowFrom: string; windowTo: string }

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The date `months` calendar months after `iso`, clamped to the end of a shorter month. */
export function addMonths(iso: string, months: number): string {
  const year = Number(iso.slice(0, 4))
  const month = Number(iso.slice(5, 7)) - 1 + months
  const day = Number(iso.slice(8, 10))
  const y = year + Math.floor(month / 12)
  const m = ((month % 12) + 12) % 12
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate()
  return `${pad(y, 4)}-${pad(m + 1)}-${pad(Math.min(day, last))}`
}

/** The day a person born on `birthDate` reaches `age` full years (29 Feb → 1 Mar in a common year). */
export function birthdayOfAge(birthDate: string, age: number): string {
  const y = Number(birthDate.slice(0, 4)) + age
  const md = birthDate.slice(5)
  if (md === '02-29' && new Date(Date.UTC(y, 1, 29)).getUTCMonth() !== 1) return `${pad(y, 4)}-03-01`
  return `${pad(y, 4)}-${md}`
}

/** The visits a registration on `registeredOn` of a child born on `childBirthDate` is due under `rules`. */
export function planVisits(registeredOn: string, childBirthDate: string, rules: PolicyRules): PlannedTask[] {
  const endsOn = birthdayOfAge(childBirthDate, rules.untilAge)
  const lastWindowDay = addDays(endsOn, -1)
  const months: number[] = [...rules.visitsAfterMonths]
  const tasks: PlannedTask[] = []
  const push = (m: number) => {
    const dueOn = addMonths(registeredOn, m)
    if (dueOn >= endsOn) return false
    const windowTo = addDays(dueOn, rules.windowDays)
    tasks.push({
      sequence: tasks.length + 1,
      dueOn,
      windowFrom: maxDate(addDays(dueOn, -rules.windowDays), addDays(registeredOn, 1)),
      windowTo: windowTo < lastWindowDay ? windowTo : lastWindowDay,
    })
    return true
  }
  for (const m of months) if (!push(m)) return tasks
  if (rules.thenEveryMonths) {
    const last = months.at(-1) ?? 0
    for (let m = last + rules.thenEveryMonths; push(m); m += rules.thenEveryMonths);
  }
  return tasks
}

const maxDate = (a: string, b: string) => (a > b ? a : b)

// Post-placement reports of intercountry adoptions (安置后报告): six reports from the foreign agency,
// at 6, 12, 24, 36, 48 and 60 months after registration for adoptions approved since 2015, at 1, 6,
// 12, 24, 36 and 60 months for those approved before.
export const POST_PLACEMENT_SINCE_2015 = [6, 12, 24, 36, 48, 60] as const
export const POST_PLACEMENT_BEFORE_2015 = [1, 6, 12, 24, 36, 60] as const
/** A report is expected in the month before its due date and is overdue after the month after it. */
export const POST_PLACEMENT_WINDOW_DAYS = 30

export function planPostPlacementReports(registeredOn: string, approvedOn: string): PlannedTask[] {
  const months = approvedOn >= '2015-01-01' ? POST_PLACEMENT_SINCE_2015 : POST_PLACEMENT_BEFORE_2015
  return months.map((m, i) => {
    const dueOn = addMonths(registeredOn, m)
    return { sequence: i + 1, dueOn, windowFrom: addDays(dueOn, -POST_PLACEMENT_WINDOW_DAYS), windowTo: addDays(dueOn, POST_PLACEMENT_WINDOW_DAYS) }
  })
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string) => toDay(to) - toDay(from)

/** The rules as stored (jsonb) or posted, checked: fixed visits strictly increasing within 18 years. */
export const policyRulesSchema = z.object({
  visitsAfterMonths: z.array(z.number().int().min(1).max(216)).min(1).max(24)
    .refine((ms) => ms.every((m, i) => i === 0 || m > ms[i - 1]), { message: 'followup.policy.monthsIncreasing' }),
  thenEveryMonths: z.number().int().min(1).max(60).nullable(),
  untilAge: z.number().int().min(1).max(18),
  windowDays: z.number().int().min(0).max(60),
})

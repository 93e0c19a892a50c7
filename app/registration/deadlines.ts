// The 30-day review period (中国公民收养子女登记办法 art. 8; domain.md "Registration procedure" 4):
// counted in calendar days from the day after receipt; days in the capability assessment and in a
// foundling's 60-day public notice do not count. When the last day is a rest day (a weekend not
// worked under 调休, or a public holiday), the period ends on the next working day (民法典 art. 203).
// Pure: the caller passes the holiday calendar.

export type Pause = { startedOn: string; endedOn: string | null }
/**
 * Days off and adjusted working days (调休上班). `coveredThrough`, when known, is the last day the
 * calendar is published for; without it a year counts as covered when the calendar lists a day of it.
 */
export type Calendar = { holidays: ReadonlySet<string>; workdays: ReadonlySet<string>; coveredThrough?: string }

export const REVIEW_DAYS = 30

const DAY = 86_400_000
export const toDay = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY
export const fromDay = (day: number) => new Date(day * DAY).toISOString().slice(0, 10)
export const addDays = (iso: string, days: number) => fromDay(toDay(iso) + days)

export function isRestDay(iso: string, calendar: Calendar): boolean {
  if (calendar.holidays.has(iso)) return true
  if (calendar.workdays.has(iso)) return false
  const weekday = new Date(toDay(iso) * DAY).getUTCDay()
  return weekday === 0 || weekday === 6
}

/**
 * A pause covers the days after it started up to and including the day it ended: the day the
 * assessment is commissioned was still a review day, the day its report comes back was not.
 */
function paused(day: number, pauses: readonly Pause[]): boolean {
  return pauses.some((p) => {
    const end = p.endedOn ? toDay(p.endedOn) : Number.POSITIVE_INFINITY
    return day > toDay(p.startedOn) && day <= end
  })
}

export type ReviewClock =
  | { status: 'not_started' }
  | { status: 'paused'; usedDays: number; daysLeft: number }
  | { status: 'running'; dueOn: string; usedDays: number; daysLeft: number }

/** Where the review period stands on `today` (YYYY-MM-DD, Asia/Shanghai). */
export function reviewClock(receivedOn: string | null, pauses: readonly Pause[], today: string, calendar: Calendar): ReviewClock {
  if (!receivedOn) return { status: 'not_started' }
  const start = toDay(receivedOn)
  const now = toDay(today)
  let counted = 0
  for (let day = start + 1; day <= now; day++) if (!paused(day, pauses)) counted++
  const usedDays = counted
  const open = pauses.some((p) => p.endedOn === null)
  if (open) return { status: 'paused', usedDays, daysLeft: REVIEW_DAYS - usedDays }
  // Walk forward from today to the 30th counted day, then past rest days.
  let day = now
  let remaining = REVIEW_DAYS - counted
  if (remaining <= 0) {
    // Already past: find the day the 30th counted day fell on.
    let seen = 0
    for (day = start + 1; ; day++) {
      if (!paused(day, pauses)) seen++
      if (seen === REVIEW_DAYS) break
    }
  } else {
    while (remaining > 0) {
      day++
      if (!paused(day, pauses)) remaining--
    }
  }
  let due = fromDay(day)
  while (isRestDay(due, calendar)) due = addDays(due, 1)
  return { status: 'running', dueOn: due, usedDays, daysLeft: toDay(due) - now }
}

/** Today's civil date in Asia/Shanghai, whatever the server's time zone. */
export function todayInShanghai(now = new Date()): string {
  return shanghaiDay.format(now)
}
// One formatter for the process: making one costs far more than using it (it was 2.6 % of the
// ledger page's CPU, called once per row).
const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
